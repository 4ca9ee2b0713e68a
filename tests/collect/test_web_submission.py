"""The web submission form: save as draft, check your answers, submit, read-only after.

Colin writes for Brackenford (a draft in the world); Connie's Ashby General has
already submitted through the form.
"""

from __future__ import annotations

import pytest
from django.test import Client

from stocktake.collect.form_findings import form_items, items_of
from stocktake.collect.models import (
    Example,
    Finding,
    SectionKind,
    SubmissionSection,
    SubmissionStatus,
)
from stocktake.core.models import AuditEvent

REVIEW = "/reviews/winter-2025/"


def form_url(world, org="bracken"):
    participant = world.review.participants.get(organisation=world.orgs[org])
    return f"{REVIEW}participants/{participant.pk}/submission/"


PEOPLE_CHALLENGES = "people--challenges"


def test_items_are_bullets_lines_and_sentences_of_long_paragraphs():
    assert items_of("• Rest hubs opened.\n• Staff used them daily.") == [
        "Rest hubs opened.", "Staff used them daily."]
    assert items_of("One short paragraph that stays whole.") == [
        "One short paragraph that stays whole."]
    long = ("The discharge hub cut delays for older people leaving hospital across the county. "
            "Social workers joined ward rounds every morning to plan each discharge together. "
            "Families were phoned the same day about every plan that affected them directly. "
            "This meant far fewer readmissions within thirty days of discharge home.")
    parts = items_of(long)
    assert len(parts) == 3 and parts[-1].endswith("discharge home.")
    assert items_of("First point\n\nSecond point") == ["First point", "Second point"]
    assert items_of("   \n\n ") == []


def test_form_items_say_where_each_came_from():
    items = form_items([("people", "People", "challenges", "Challenges", "- one\n- two")])
    assert [i.location for i in items] == ["form › People › Challenges › item 1",
                                           "form › People › Challenges › item 2"]


def test_the_form_has_a_character_count_per_field_for_every_domain(world, login):
    html = login(world.users["colin"]).get(form_url(world)).content.decode()
    domains = list(world.framework.domains.all())
    assert html.count('data-module="nhsuk-character-count"') == 5 * len(domains)
    assert 'data-maxlength="5000"' in html
    for domain in domains:
        assert f'id="domain-{domain.key}"' in html
    assert "Save as draft" in html and "Continue to check your answers" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_save_as_draft_then_check_then_submit(world, login):
    client = login(world.users["colin"])
    url = form_url(world)
    response = client.post(url, {
        "people--achievements": "• Rest hubs opened in every locality.\n• Staff used them daily.",
        PEOPLE_CHALLENGES: "Recruiting district nurses stayed hard all winter.",
        "inequalities--examples": "Text reminders in five languages raised vaccine uptake.",
        "action": "save",
    })
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert "Your draft has been saved." in page
    assert "Recruiting district nurses stayed hard all winter." in page
    submission = world.submissions["bracken"]
    assert submission.sections.count() == 3
    before = Finding.objects.filter(submission=submission).count()

    response = client.post(url, {PEOPLE_CHALLENGES: "Recruiting district nurses stayed hard.",
                                 "action": "check"})
    assert response.status_code == 302 and response["Location"] == url + "check/"
    check = client.get(url + "check/").content.decode()
    assert "Check your answers before submitting" in check
    assert "Recruiting district nurses stayed hard." in check
    assert f'href="{url}#{PEOPLE_CHALLENGES}"' in check
    # Fields left empty on the later save are cleared.
    assert "Rest hubs opened" not in check

    response = client.post(url + "check/")
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    new = Finding.objects.filter(submission=submission).order_by("position")[before:]
    assert [(f.text, f.section, f.domain.key, f.source_location) for f in new] == [
        ("Recruiting district nurses stayed hard.", SectionKind.CHALLENGES, "people",
         "form › People › Challenges › item 1"),
    ]
    assert new[0].polarity == "challenge"
    assert AuditEvent.objects.filter(verb="submission.submitted", actor=world.users["colin"]).exists()
    after = client.get(url).content.decode()
    assert "Your submission has been sent" in after
    assert "It can no longer be changed" in after and "<textarea" not in after


def test_examples_section_also_becomes_good_practice_examples(world, login):
    client = login(world.users["colin"])
    url = form_url(world)
    client.post(url, {"inequalities--examples": "Text reminders in five languages. They worked.",
                      "action": "check"})
    client.post(url + "check/")
    example = Example.objects.get(submission=world.submissions["bracken"])
    assert example.title == "Text reminders in five languages"
    assert example.domain.key == "inequalities"


def test_a_submitted_form_cannot_be_changed(world, login):
    client = login(world.users["colin"])
    url = form_url(world)
    client.post(url, {PEOPLE_CHALLENGES: "Recruiting stayed hard.", "action": "check"})
    client.post(url + "check/")
    count = Finding.objects.count()
    response = client.post(url, {PEOPLE_CHALLENGES: "Changed afterwards", "action": "save"})
    assert response.status_code == 200 and "<textarea" not in response.content.decode()
    assert client.post(url + "check/").status_code == 302
    assert Finding.objects.count() == count
    assert not SubmissionSection.objects.filter(text="Changed afterwards").exists()


def test_too_long_text_shows_the_error_summary_and_keeps_the_text(world, login):
    client = login(world.users["colin"])
    text = "a" * 4990 + "\r\n" * 10  # CRLF counts as one character, as the counter does
    ok = client.post(form_url(world), {PEOPLE_CHALLENGES: text, "action": "save"})
    assert ok.status_code == 302
    response = client.post(form_url(world), {PEOPLE_CHALLENGES: "b" * 5001, "action": "save"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html and "<title>Error:" in html
    assert "Challenges for People must be 5,000 characters or fewer" in html
    assert f'href="#{PEOPLE_CHALLENGES}"' in html
    assert "b" * 5001 in html
    assert "a" * 4990 in SubmissionSection.objects.get(kind="challenges").text


def test_submitting_an_empty_form_is_an_error(world, login):
    client = login(world.users["colin"])
    url = form_url(world)
    client.post(url, {"action": "save"})
    html = client.post(url + "check/").content.decode()
    assert "nhsuk-error-summary" in html
    assert "Write something in at least one section before submitting" in html
    world.submissions["bracken"].refresh_from_db()
    assert world.submissions["bracken"].status == SubmissionStatus.DRAFT


def test_colins_way_in_leads_to_his_form(world, login):
    response = login(world.users["colin"]).get(REVIEW + "submission/")
    assert response.status_code == 302 and response["Location"] == form_url(world)


@pytest.mark.parametrize("name", ["connie", "owen", "vera", "ravi", "lena"])
def test_nobody_else_sees_or_edits_colins_draft(world, login, name):
    client = login(world.users[name])
    client.post(form_url(world), {PEOPLE_CHALLENGES: "Written by someone else", "action": "save"})
    html = client.get(form_url(world)).content.decode()
    assert "Written by someone else" not in html
    assert "<textarea" not in html
    assert not SubmissionSection.objects.filter(text="Written by someone else").exists()
    assert client.post(form_url(world) + "check/").status_code in (302, 404)
    assert world.submissions["bracken"].status == SubmissionStatus.DRAFT


@pytest.mark.parametrize("name,status", [("connie", 404), ("owen", 404), ("vera", 404),
                                         ("sam", 404), ("lena", 200), ("ravi", 200)])
def test_only_leads_and_reviewers_learn_whether_bracken_has_submitted(world, login, name, status):
    response = login(world.users[name]).get(form_url(world))
    assert response.status_code == status
    if status == 200:
        assert "has not submitted its form yet" in response.content.decode()


def test_leads_read_a_submitted_form(world, login):
    colin = login(world.users["colin"])
    colin.post(form_url(world), {PEOPLE_CHALLENGES: "Recruiting stayed hard.", "action": "check"})
    colin.post(form_url(world) + "check/")
    html = login(world.users["lena"]).get(form_url(world)).content.decode()
    assert "Recruiting stayed hard." in html and "Submitted" in html


def test_the_form_needs_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["colin"])
    assert client.post(form_url(world), {"action": "save"}).status_code == 403


def _stop_collecting(world):
    from stocktake.reviews import actions as review_actions
    world.review = review_actions.change_review_status(review=world.review, status="assessing",
                                                       by=world.users["lena"])
    return world.review


def test_once_the_review_stops_collecting_colin_can_neither_save_nor_submit(world, login):
    from stocktake.collect import actions as collect_actions
    from stocktake.collect.models import Submission
    from stocktake.core.errors import InvalidTransition

    colin = login(world.users["colin"])
    url = form_url(world)
    colin.post(url, {PEOPLE_CHALLENGES: "Recruiting stayed hard.", "action": "save"})
    review = _stop_collecting(world)
    html = colin.get(url).content.decode()
    assert "Submissions to" in html and "are closed" in html
    assert "Save as draft" not in html and "Continue to check your answers" not in html
    assert "Recruiting stayed hard." in html  # the saved draft, read-only
    colin.post(url, {PEOPLE_CHALLENGES: "Changed after closing", "action": "save"})
    assert colin.post(url + "check/").status_code == 302
    submission = Submission.objects.get(participant__organisation=world.orgs["bracken"],
                                        source_document__isnull=True)
    assert submission.status == SubmissionStatus.DRAFT
    assert "Changed after closing" not in "".join(submission.sections.values_list("text", flat=True))
    colin_user = world.users["colin"]
    for call in (
        lambda: collect_actions.submit_form(submission=submission, by=colin_user),
        lambda: collect_actions.submit_submission(submission=submission, by=colin_user),
        lambda: collect_actions.save_draft(participant=submission.participant, texts={},
                                           submission=submission, by=colin_user),
        lambda: collect_actions.save_section(submission=submission, domain=None, kind="general",
                                             text="x", by=colin_user),
    ):
        with pytest.raises(InvalidTransition, match="closed"):
            call()
    assert review.status == "assessing"


def test_check_page_and_submitted_form_keep_each_line_on_its_own(world, login):
    colin = login(world.users["colin"])
    url = form_url(world)
    colin.post(url, {PEOPLE_CHALLENGES: "• one <b>bold</b>.\n• two.", "action": "save"})
    check = colin.get(url + "check/").content.decode()
    assert "• one &lt;b&gt;bold&lt;/b&gt;.<br>• two." in check
    colin.post(url + "check/")
    submitted = colin.get(url).content.decode()
    assert "• one &lt;b&gt;bold&lt;/b&gt;.<br>• two." in submitted


def test_check_page_warns_of_personal_data_in_an_answer_before_submitting(world, login):
    client = login(world.users["colin"])
    url = form_url(world)
    client.post(url, {
        PEOPLE_CHALLENGES: "Ring Dr Priya Nair on 07700 900123 or email priya@example.org.",
        "people--achievements": "Rest hubs opened in every locality.",
        "action": "check"})
    check = client.get(url + "check/").content.decode()
    assert check.count("stocktake-personal-data-warning") == 1
    assert ("This answer may contain an email address, a phone number and a person&#39;s name. "
            "Remove it unless it must be shared.") in check
    assert "Challenges for " in check and " may contain personal data" in check
    assert f'href="{url}#{PEOPLE_CHALLENGES}">Change challenges for' in check
    # Nothing is submitted yet: the warning comes before.
    assert world.submissions["bracken"].status != SubmissionStatus.SUBMITTED


def test_check_page_has_no_personal_data_warning_for_plain_answers(world, login):
    client = login(world.users["colin"])
    url = form_url(world)
    client.post(url, {PEOPLE_CHALLENGES: "Recruiting stayed hard.", "action": "check"})
    check = client.get(url + "check/").content.decode()
    assert "may contain personal data" not in check
