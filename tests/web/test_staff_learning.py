"""The staff learning pages: the lead opens a questionnaire, anyone answers it by link
without signing in, the lead watches responses and downloads them; the conversation pack
is downloaded and a team's notes uploaded back, by leads and by contributors."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from stocktake.collect import files
from stocktake.collect.models import Finding, Submission
from stocktake.report import actions as report_actions
from stocktake.track.actions import questionnaires as actions
from stocktake.track.models import Questionnaire, QuestionnaireResponse, TeamNotes
from tests.track.test_questionnaires import QUESTIONS, filled_notes


def page(name, world, **kwargs):
    return reverse(name, kwargs={"slug": world.review.slug, **kwargs})


def test_who_sees_the_staff_learning_page(world, login, client):
    url = page("staff_learning", world)
    lead = login(world.users["lena"]).get(url).content.decode()
    assert "Open a questionnaire" in lead and "Download the facilitator guide" in lead
    contributor = login(world.users["connie"]).get(url).content.decode()
    assert "Open a questionnaire" not in contributor
    assert "notes template for Ashby General Hospital" in contributor
    assert login(world.users["vera"]).get(url).status_code == 403
    assert login(world.users["owen"]).get(url).status_code == 403
    assert login(world.users["connie"]).get(page("questionnaire_new", world)).status_code == 403


def test_the_lead_opens_a_questionnaire_with_the_framework_prompts(world, login):
    client = login(world.users["lena"])
    form = client.get(page("questionnaire_new", world)).content.decode()
    assert "What went well, and what are you proud of?" in form and 'name="q-text-19"' in form
    bad = client.post(page("questionnaire_new", world), {
        "title": "Staff", "identity": "anonymous", "opens_on": "31/02/2026", "q-text-1": "Q"})
    assert bad.status_code == 400 and "Enter the opening date" in bad.content.decode()
    none = client.post(page("questionnaire_new", world), {
        "title": "Staff", "identity": "anonymous", "q-text-1": " ", "q-domain-1": "people"})
    assert "Write at least one question" in none.content.decode()
    made = client.post(page("questionnaire_new", world), {
        "title": "Winter staff learning", "identity": "named_optional", "closes_on": "2099-12-31",
        "q-text-1": "What went well?", "q-domain-1": "people", "q-kind-1": "achievements",
        "q-text-2": "", "q-domain-2": "", "q-kind-2": "general",
        "q-text-3": "What should we keep?", "q-domain-3": "", "q-kind-3": "keep"}, follow=True)
    html = made.content.decode()
    assert made.redirect_chain and "shown only once" in html
    questionnaire = Questionnaire.objects.get()
    assert questionnaire.identity == "named_optional" and len(questionnaire.questions) == 2
    assert reverse("questionnaire_answer", kwargs={"token": "x"})[:-2] in html
    # shown once: reloading the page shows no link and makes no other
    again = client.get(made.redirect_chain[-1][0]).content.decode()
    assert "shown only once" not in again and "only a fingerprint of it is kept" in again


def test_a_respondent_answers_without_signing_in_and_the_lead_sees_findings(world, login,
                                                                              client):
    questionnaire, token = actions.open_questionnaire(
        review=world.review, title="Winter staff learning", identity="anonymous",
        questions=QUESTIONS, by=world.users["lena"])
    url = reverse("questionnaire_answer", kwargs={"token": token})
    html = client.get(url).content.decode()
    assert "Your organisation" in html and "Your name" not in html and "People" in html
    missing = client.post(url, {"organisation": "", "q1": "x"})
    assert missing.status_code == 400 and "Choose your organisation" in missing.content.decode()
    client.post(url, {"organisation": world.orgs["ashby"].pk, "q1": "x", "website": "spam"})
    assert not QuestionnaireResponse.objects.exists()  # the honeypot: dropped quietly
    sent = client.post(url, {"organisation": world.orgs["ashby"].pk,
                             "q1": "The rest hub helped.", "q3": "More hubs please."})
    assert sent.status_code == 302
    assert "have been sent" in client.get(sent["Location"]).content.decode()
    response = QuestionnaireResponse.objects.get()
    lead = login(world.users["lena"])
    detail = lead.get(page("questionnaire", world, questionnaire_id=questionnaire.pk))
    text = detail.content.decode()
    assert 'id="response-total">1<' in text and "Ashby General Hospital" in text
    findings = lead.get(page("findings", world)).content.decode()
    assert "The rest hub helped." in findings
    download = lead.get(page("questionnaire_csv", world, questionnaire_id=questionnaire.pk))
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert rows[0][0] == "response" and [r[9] for r in rows[1:]] == ["The rest hub helped.",
                                                                     "More hubs please."]
    # The organisation's own web form is not the questionnaire's submission.
    form = login(world.users["connie"]).get(reverse("submission_form", kwargs={
        "slug": world.review.slug,
        "participant_id": response.submission.participant_id})).content.decode()
    assert "The rest hub helped." not in form
    lead = login(world.users["lena"])
    lead.post(page("questionnaire_toggle", world, questionnaire_id=questionnaire.pk),
              {"open": "no"})
    assert client.get(url).status_code == 404


def test_the_rate_limit_answers_429(world, client, settings):
    questionnaire, token = actions.open_questionnaire(
        review=world.review, title="Q", identity="anonymous", questions=QUESTIONS,
        by=world.users["lena"])
    url = reverse("questionnaire_answer", kwargs={"token": token})
    for _ in range(actions.ANSWERS_PER_HOUR):
        assert client.post(url, {"organisation": world.orgs["ashby"].pk,
                                 "q1": "ok"}).status_code == 302
    limited = client.post(url, {"organisation": world.orgs["ashby"].pk, "q1": "ok"})
    assert limited.status_code == 429 and "try again" in limited.content.decode()


def test_the_pack_downloads_and_a_contributor_uploads_their_team_notes(world, login):
    client = login(world.users["connie"])
    guide = client.get(page("conversation_guide", world))
    text = "\n".join(p.text for p in Document(io.BytesIO(guide.content)).paragraphs)
    assert "Ground rules" in text and "People" in text and "What was hard, and why?" in text
    template = client.get(page("notes_template", world) + f"?organisation={world.orgs['ashby'].pk}")
    assert "Ashby General" in "\n".join(p.text for p in Document(
        io.BytesIO(template.content)).paragraphs)
    other = client.get(page("notes_template", world) + f"?organisation={world.orgs['bracken'].pk}")
    assert other.status_code == 404
    upload = page("team_notes_upload", world)
    refused = client.post(upload, {"organisation": world.orgs["bracken"].pk, "team": "X",
                                   "notes": SimpleUploadedFile("n.docx", filled_notes(world))})
    assert "Choose the organisation" in refused.content.decode()  # not theirs to choose
    wrong = client.post(upload, {"organisation": world.orgs["ashby"].pk, "team": "",
                                 "notes": SimpleUploadedFile("n.txt", b"notes")})
    assert "Word file ending .docx" in wrong.content.decode()
    done = client.post(upload, {"organisation": world.orgs["ashby"].pk, "team": "",
                                "notes": SimpleUploadedFile("ward7.docx", filled_notes(world))})
    assert done.status_code == 302
    notes = TeamNotes.objects.get()
    assert notes.team == "Ward 7" and notes.uploaded_by == world.users["connie"]
    finding = Finding.objects.get(source_document=notes.document)
    assert finding.organisation == world.orgs["ashby"]
    assert finding.submission.status == "submitted"
    listing = client.get(page("staff_learning", world)).content.decode()
    assert "Ward 7" in listing and "ward7.docx" in listing
    assert Submission.objects.filter(source_document=notes.document).count() == 1


def test_a_bad_question_row_is_named_and_dates_keep_the_link_quiet(world, login, client):
    lead = login(world.users["lena"])
    bad = lead.post(page("questionnaire_new", world), {
        "title": "Staff", "identity": "anonymous", "q-text-1": "Fine", "q-domain-1": "",
        "q-text-2": "Where?", "q-domain-2": "no-such-domain", "q-kind-2": "general"})
    html = bad.content.decode()
    assert bad.status_code == 400 and 'href="#q-domain-2"' in html
    assert not Questionnaire.objects.exists()
    questionnaire, token = actions.open_questionnaire(
        review=world.review, title="Later", identity="anonymous", questions=QUESTIONS,
        opens_on=date.today() + timedelta(days=3), by=world.users["lena"])
    client.logout()
    url = reverse("questionnaire_answer", kwargs={"token": token})
    later = client.get(url).content.decode()
    assert "This questionnaire opens on" in later and "Send answers" not in later
    client.post(url, {"organisation": world.orgs["ashby"].pk, "q1": "Too early"})
    assert not QuestionnaireResponse.objects.exists()


def test_the_lead_changes_the_dates_and_the_page_counts_in_a_fixed_number_of_queries(
        world, login, django_assert_max_num_queries):
    questionnaire, _ = actions.open_questionnaire(
        review=world.review, title="Q", identity="anonymous", questions=QUESTIONS,
        by=world.users["lena"])
    lead = login(world.users["lena"])
    dates = page("questionnaire_dates", world, questionnaire_id=questionnaire.pk)
    bad = lead.post(dates, {"opens_on": "2026-05-01", "closes_on": "2026-04-01"})
    assert bad.status_code == 400 and "on or after the opening date" in bad.content.decode()
    assert lead.post(dates, {"opens_on": "", "closes_on": "2099-01-31"}).status_code == 302
    questionnaire.refresh_from_db()
    assert questionnaire.closes_on == date(2099, 1, 31)
    detail = page("questionnaire", world, questionnaire_id=questionnaire.pk)
    lead.get(detail)  # warm the session and the caches
    for n in range(30):
        actions.answer_questionnaire(questionnaire=questionnaire, answers=[f"Point {n}."],
                                     sender=str(n), organisation_id=world.orgs["ashby"].pk)
    with django_assert_max_num_queries(20):
        assert "30" in lead.get(detail).content.decode()


def test_team_notes_are_removed_with_their_findings_unless_a_recommendation_cites_one(
        world, login, django_capture_on_commit_callbacks):
    client = login(world.users["connie"])
    client.post(page("team_notes_upload", world), {
        "organisation": world.orgs["ashby"].pk, "team": "Ward 7",
        "notes": SimpleUploadedFile("ward7.docx", filled_notes(world))})
    notes = TeamNotes.objects.get()
    finding = Finding.objects.get(source_document=notes.document)
    stored = notes.document.stored_path
    assert files.uploads().exists(stored)
    remove = page("team_notes_remove", world, notes_id=notes.pk)
    assert login(world.users["colin"]).post(remove).status_code == 404  # not theirs to see
    lena = login(world.users["lena"])
    recommendation = report_actions.create_recommendation(
        review=world.review, text="Spread daily huddles.", by=world.users["lena"],
        findings=[finding])
    lena.post(remove)
    assert TeamNotes.objects.exists()  # cited: refused, with a message
    report_actions.update_recommendation(recommendation=recommendation, findings=[],
                                         by=world.users["lena"])
    client = login(world.users["connie"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(remove).status_code == 302
    assert not TeamNotes.objects.exists() and not Finding.objects.filter(pk=finding.pk).exists()
    assert not Submission.objects.filter(source_document_id=notes.document_id).exists()
    assert not files.uploads().exists(stored)
