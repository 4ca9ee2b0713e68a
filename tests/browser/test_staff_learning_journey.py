"""Staff learning in a real browser: the lead opens a questionnaire, a member of staff answers
it without signing in, the lead sees the response become findings; a contributor downloads
the conversation pack and uploads a team's notes — with axe (WCAG 2.2 AA) on every page."""

from __future__ import annotations

import re

import pytest

from stocktake.collect.models import Finding
from stocktake.track.models import QuestionnaireResponse, TeamNotes
from tests.browser import test_journeys as journeys
from tests.browser.test_journeys import axe_violations, sign_in
from tests.track.test_questionnaires import filled_notes

browser = journeys.browser
page = journeys.page
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-staff-learning")]


def test_open_answer_and_upload_team_notes(page, world, tmp_path):
    base, slug = page.base, world.review.slug
    sign_in(page, base, "lena")
    page.goto(f"{base}/reviews/{slug}/")
    page.get_by_role("link", name="Staff learning").first.click()
    problems = {"staff learning": axe_violations(page)}
    page.get_by_role("button", name="Open a questionnaire").click()
    problems["questionnaire form"] = axe_violations(page)
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Open questionnaire").click()
    page.wait_for_selector("text=There is a problem")
    problems["questionnaire form error"] = axe_violations(page)
    page.get_by_label("Title").fill("Winter: what did you learn?")
    page.get_by_role("button", name="Open questionnaire").click()
    page.wait_for_selector("#questionnaire-link")
    problems["questionnaire opened"] = axe_violations(page)
    link = page.locator("#questionnaire-link").inner_text().strip()
    lead_page = page.url

    page.context.clear_cookies()  # a member of staff, not signed in
    page.goto(link)
    problems["answer"] = axe_violations(page)
    page.get_by_role("button", name="Send answers").click()
    page.wait_for_selector("text=There is a problem")
    problems["answer error"] = axe_violations(page)
    page.get_by_label("Your organisation").select_option(label="Ashby General Hospital NHS "
                                                               "Foundation Trust")
    page.locator("#q10").fill("Rest hubs open all night kept us going.")
    page.get_by_role("button", name="Send answers").click()
    page.wait_for_selector("h1:has-text('Thank you')")
    problems["thanks"] = axe_violations(page)
    response = QuestionnaireResponse.objects.get()
    assert Finding.objects.get(submission=response.submission).domain.key == "people"

    sign_in(page, base, "lena")
    page.goto(re.sub(r"questionnaires/new/$", f"questionnaires/{response.questionnaire_id}/",
                     lead_page))
    assert page.locator("#response-total").inner_text() == "1"
    problems["questionnaire page"] = axe_violations(page)
    page.goto(f"{base}/reviews/{slug}/findings/?organisation={world.orgs['ashby'].pk}")
    assert "Rest hubs open all night kept us going." in page.content()

    page.context.clear_cookies()
    sign_in(page, base, "connie")
    page.goto(f"{base}/reviews/{slug}/staff-learning/")
    with page.expect_download() as guide:
        page.get_by_role("link", name="Download the facilitator guide (Word)").click()
    assert guide.value.suggested_filename == f"{slug}-team-conversation-guide.docx"
    with page.expect_download() as template:
        page.get_by_role("link", name=re.compile("Download the notes template for Ashby")).click()
    assert template.value.suggested_filename.endswith("-team-notes-template.docx")
    notes = tmp_path / "ward-7.docx"
    notes.write_bytes(filled_notes(world, organisation=world.orgs["ashby"]))
    page.get_by_role("button", name="Upload notes").click()
    page.wait_for_selector("text=There is a problem")
    problems["upload error"] = axe_violations(page)
    page.get_by_label("The team's organisation").select_option(
        label="Ashby General Hospital NHS Foundation Trust")
    page.get_by_label("Filled-in notes template (.docx)").set_input_files(str(notes))
    page.get_by_role("button", name="Upload notes").click()
    page.wait_for_url("**/staff-learning/#team-notes")
    problems["notes uploaded"] = axe_violations(page)
    assert TeamNotes.objects.get().team == "Ward 7"
    assert {name: found for name, found in problems.items() if found} == {}
