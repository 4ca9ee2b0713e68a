"""The staff learning questionnaire's actions: opening (leads only), answering by link
(findings of the chosen organisation, anonymous or named, limits), and team notes."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from stocktake.collect import conversation_pack
from stocktake.collect.models import Finding, PersonalDataFlag, SubmissionStatus
from stocktake.collect.word_template import read_for_form, template_docx
from stocktake.core.errors import InvalidInput, NotAllowed
from stocktake.core.models import AuditEvent
from stocktake.track import questionnaires as queries
from stocktake.track.actions import questionnaires as actions
from stocktake.track.models import Identity, QuestionnaireResponse, TeamNotes

QUESTIONS = [{"domain": "people", "kind": "achievements", "text": "What went well?"},
             {"domain": "governance", "kind": "challenges", "text": "What was hard?"},
             {"domain": "", "kind": "general", "text": "Anything else?"}]


def open_one(world, identity=Identity.ANONYMOUS, **kwargs):
    return actions.open_questionnaire(review=world.review, title="Staff learning",
                                      identity=identity, questions=QUESTIONS,
                                      by=world.users["lena"], **kwargs)


def test_only_leads_open_a_questionnaire_and_its_questions_are_checked(world):
    with pytest.raises(NotAllowed):
        actions.open_questionnaire(
            review=world.review, title="x", identity=Identity.ANONYMOUS, questions=QUESTIONS,
            by=world.users["connie"])
    with pytest.raises(InvalidInput, match="at least one question"):
        actions.open_questionnaire(review=world.review, title="x", identity="anonymous",
                                   questions=[{"text": "  "}], by=world.users["lena"])
    with pytest.raises(InvalidInput, match="one of the review's domains"):
        actions.open_questionnaire(review=world.review, title="x", identity="anonymous",
                                   questions=[{"text": "Q", "domain": "nope"}],
                                   by=world.users["lena"])
    today = timezone.localdate()
    with pytest.raises(InvalidInput, match="closing date"):
        open_one(world, opens_on=today, closes_on=today - timedelta(days=1))
    questionnaire, token = open_one(world)
    assert questionnaire.token_hash != token and len(token) >= 40  # only the hash is kept
    assert actions.questionnaire_for_token(token) == questionnaire
    assert AuditEvent.objects.filter(verb="questionnaire.opened").exists()


def test_default_questions_are_the_framework_prompts_per_domain(world):
    questions = conversation_pack.default_questions(world.review)
    domains = list(world.review.framework.domains.order_by("position"))
    assert len(questions) == 3 * len(domains)
    assert questions[0] == {"domain": domains[0].key, "kind": "achievements",
                            "text": conversation_pack.QUESTIONS["achievements"]}


def test_an_anonymous_answer_becomes_findings_of_the_chosen_organisation(world):
    questionnaire, _ = open_one(world)
    ashby = world.orgs["ashby"]
    response = actions.answer_questionnaire(
        questionnaire=questionnaire, organisation_id=str(ashby.pk), sender="10.0.0.1",
        name="Should be ignored", role="nurse",
        answers=["Huddles every morning.\nRedeployment was quick.", "", "Call 07700 900123."])
    assert response.number == 1 and response.name == "" and response.role == ""
    findings = list(Finding.objects.filter(submission=response.submission).order_by("position"))
    assert [f.text for f in findings] == ["Huddles every morning.", "Redeployment was quick.",
                                          "Call 07700 900123."]
    assert findings[0].organisation == ashby and findings[0].domain.key == "people"
    assert findings[0].polarity == "achievement"  # the question's kind, as a form's section
    assert findings[0].source_location == "staff questionnaire › response 1 › question 1 › item 1"
    assert findings[2].source_location == "staff questionnaire › response 1 › question 3"
    assert response.submission.status == SubmissionStatus.SUBMITTED
    assert response.submission.source_document is None
    assert PersonalDataFlag.objects.filter(finding=findings[2], kind="uk_phone").exists()
    event = AuditEvent.objects.get(verb="questionnaire.answered")
    assert event.actor is None and "10.0.0.1" not in str(event.details)
    second = actions.answer_questionnaire(questionnaire=questionnaire, answers=["More."],
                                          organisation_id=ashby.pk, sender="10.0.0.2")
    assert second.number == 2


def test_named_questionnaires_keep_name_and_role_and_may_require_them(world):
    questionnaire, _ = open_one(world, identity=Identity.NAMED_REQUIRED)
    ashby = world.orgs["ashby"].pk
    with pytest.raises(actions.QuestionnaireError) as missing:
        actions.answer_questionnaire(questionnaire=questionnaire, organisation_id=ashby,
                                     answers=["x"], sender="a")
    assert missing.value.field == "name"
    made = actions.answer_questionnaire(questionnaire=questionnaire, organisation_id=ashby,
                                        answers=["x"], sender="a", name=" Pat  Jones ",
                                        role="Porter")
    assert (made.name, made.role) == ("Pat Jones", "Porter")
    assert "Pat" not in Finding.objects.get(submission=made.submission).text


def test_bad_answers_get_one_clear_message(world):
    questionnaire, _ = open_one(world)
    ashby = world.orgs["ashby"].pk
    cases = [({"organisation_id": "999999", "answers": ["x"]}, "organisation"),
             ({"organisation_id": world.orgs["region"].pk, "answers": ["x"]}, "organisation"),
             ({"organisation_id": ashby, "answers": ["", " "]}, "q1"),
             ({"organisation_id": ashby, "answers": ["", "y" * 5001]}, "q2")]
    for kwargs, field in cases:
        with pytest.raises(actions.QuestionnaireError) as error:
            actions.answer_questionnaire(questionnaire=questionnaire, sender="a", **kwargs)
        assert error.value.field == field
    assert not QuestionnaireResponse.objects.exists()


def test_dates_closing_and_the_rate_limit(world):
    today = timezone.localdate()
    later, _ = open_one(world, opens_on=today + timedelta(days=2))
    assert "opens on" in actions.not_answerable(later, today)
    with pytest.raises(NotAllowed, match="opens on"):
        actions.answer_questionnaire(questionnaire=later, organisation_id=world.orgs["ashby"].pk,
                                     answers=["x"], sender="a")
    questionnaire, token = open_one(world, closes_on=today)
    assert actions.not_answerable(questionnaire, today + timedelta(days=1)).startswith(
        "This questionnaire closed on")
    for _ in range(actions.ANSWERS_PER_HOUR):
        actions.answer_questionnaire(questionnaire=questionnaire, answers=["x"], sender="b",
                                     organisation_id=world.orgs["ashby"].pk)
    with pytest.raises(actions.TooManyAnswers):
        actions.answer_questionnaire(questionnaire=questionnaire, answers=["x"], sender="b",
                                     organisation_id=world.orgs["ashby"].pk)
    actions.answer_questionnaire(questionnaire=questionnaire, answers=["x"], sender="c",
                                 organisation_id=world.orgs["ashby"].pk)  # another address
    actions.set_questionnaire_open(questionnaire=questionnaire, is_open=False,
                                   by=world.users["lena"])
    assert actions.questionnaire_for_token(token) is None
    actions.set_questionnaire_open(questionnaire=questionnaire, is_open=True,
                                   by=world.users["lena"])
    new = actions.renew_questionnaire_link(questionnaire=questionnaire, by=world.users["lena"])
    assert actions.questionnaire_for_token(token) is None
    assert actions.questionnaire_for_token(new) == questionnaire


def test_counts_by_organisation_and_day_and_the_csv_rows(world):
    questionnaire, _ = open_one(world)
    for org, text in (("ashby", "A.\nB."), ("ashby", "C."), ("bracken", "D.")):
        actions.answer_questionnaire(questionnaire=questionnaire, answers=["", text],
                                     organisation_id=world.orgs[org].pk, sender=org)
    counts = {t.label: t.count for t in queries.counts_by_organisation(questionnaire)}
    assert counts == {world.orgs["ashby"].name: 2, world.orgs["bracken"].name: 1}
    assert [n for _, n in queries.counts_by_day(questionnaire)] == [3]
    rows = list(queries.csv_rows(questionnaire, Finding.objects.all()))
    assert [(r[0], r[5], r[6], r[7], r[9]) for r in rows] == [
        (1, 2, "Governance", "What was hard?", "A."), (1, 2, "Governance", "What was hard?", "B."),
        (2, 2, "Governance", "What was hard?", "C."), (3, 2, "Governance", "What was hard?", "D.")]


def filled_notes(world, *, team="Ward 7", organisation=None, answer="Daily huddles kept us "
                 "together.") -> bytes:
    data = conversation_pack.notes_template_docx(world.review, organisation=organisation)
    document = Document(io.BytesIO(data))
    paragraphs = document.paragraphs

    def fill(heading, text):
        start = next(i for i, p in enumerate(paragraphs) if p.text == heading)
        box = next(p for p in paragraphs[start + 1:] if p.style.name == "Stocktake answer")
        box.text = text

    fill("Team", team)
    fill("Key achievements", answer)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_team_notes_become_findings_of_the_team(world, tmp_path):
    path = Path(tmp_path) / "notes.docx"
    path.write_bytes(filled_notes(world, organisation=world.orgs["ashby"]))
    extraction = conversation_pack.read_notes(world.review, path, name="ward7.docx",
                                              max_bytes=10_000_000)
    assert extraction.team == "Ward 7"
    with pytest.raises(NotAllowed):
        actions.record_team_notes(review=world.review, organisation=world.orgs["ashby"],
                                  team="Ward 7", extraction=extraction, path=path,
                                  original_name="ward7.docx", by=world.users["colin"])
    notes = actions.record_team_notes(review=world.review, organisation=world.orgs["ashby"],
                                      team="Ward 7 (nights)", extraction=extraction, path=path,
                                      original_name="ward7.docx", by=world.users["connie"])
    finding = Finding.objects.get(source_document=notes.document)
    assert finding.organisation == world.orgs["ashby"] and finding.domain.key == "governance"
    assert finding.source_location.startswith("team 'Ward 7 (nights)' › heading 'Governance'")
    assert notes.findings == 1 and TeamNotes.objects.count() == 1
    with pytest.raises(InvalidInput, match="already been imported"):
        actions.record_team_notes(review=world.review, organisation=world.orgs["ashby"],
                                  team="Ward 7", extraction=extraction, path=path,
                                  original_name="again.docx", by=world.users["lena"])


def test_a_submission_template_is_not_taken_as_team_notes(world, tmp_path):
    path = Path(tmp_path) / "form.docx"
    path.write_bytes(template_docx(world.review))
    with pytest.raises(InvalidInput):
        conversation_pack.read_notes(world.review, path, name="form.docx", max_bytes=10_000_000)


def test_team_notes_are_refused_as_an_organisations_web_form_answers(world):
    upload = SimpleUploadedFile("notes.docx", filled_notes(world))
    with pytest.raises(InvalidInput, match="Staff learning page"):
        read_for_form(world.review, upload, organisation=world.orgs["ashby"],
                      max_bytes=10_000_000)


def test_only_leads_change_the_dates_and_the_change_is_audited(world):
    questionnaire, _ = open_one(world)
    later = timezone.localdate() + timedelta(days=10)
    with pytest.raises(NotAllowed):
        actions.set_questionnaire_dates(questionnaire=questionnaire, opens_on=None,
                                        closes_on=later, by=world.users["ravi"])
    actions.set_questionnaire_dates(questionnaire=questionnaire, opens_on=None, closes_on=later,
                                    by=world.users["lena"])
    event = AuditEvent.objects.get(verb="questionnaire.dates_changed")
    assert event.details == {"opens_on": None, "closes_on": later.isoformat()}
