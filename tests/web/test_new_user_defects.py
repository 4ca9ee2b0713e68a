"""Defects a new user met, each fixed and kept fixed (issue 8, item 9)."""

from __future__ import annotations

import pytest

from stocktake.assess.actions import queue_analysis
from stocktake.assess.models import AnalysisRun
from stocktake.collect.importers import CorruptFile, detect_format
from stocktake.core.errors import InvalidInput
from stocktake.core.text import a_or_an, lower_first
from stocktake.reviews import actions as review_actions
from stocktake.reviews.models import Role
from stocktake.web.presenters.collect import participation_rows
from tests.assess.test_tasks import run_queue

REVIEW = "/reviews/winter-2025/"


def test_the_lead_dashboard_counts_drafts_it_cannot_read(world, login):
    # Brackenford has a draft: the lead is told it exists, never what it says.
    html = login(world.users["lena"]).get(REVIEW).content.decode()
    assert "1 submission from 1 organisation, 1 in draft" in html
    assert "DRAFT-ONLY" not in html


def test_a_reviewer_is_not_told_about_drafts(world, login):
    assert "1 submission from 1 organisation, 0 in draft" in login(world.users["ravi"]).get(REVIEW).content.decode()


def test_participation_does_not_call_a_form_in_draft_submitted():
    row = type("P", (), {"pk": 1, "organisation": type("O", (), {"name": "Ashby"}),
                         "contact_name": "", "contact_email": "", "invited_at": None})
    [imported_with_draft] = participation_rows([row], submitted_ids={1}, imported_ids={1},
                                               draft_ids={1}, invitations=[])
    assert imported_with_draft.status["text"] == "File imported, form in draft"
    [imported] = participation_rows([row], submitted_ids={1}, imported_ids={1}, invitations=[])
    assert imported.status["text"] == "Submitted"


@pytest.mark.parametrize(("phrase", "expected"), [
    ("organisation or system", "an organisation or system"), ("domain", "a domain"),
    ("Excel workbook", "an Excel workbook"), ("Word document", "a Word document"),
    ("action owner", "an action owner"), ("user", "a user"), ("NHS trust", "an NHS trust"),
    ("CSV file", "a CSV file"), ("one-off", "a one-off"), ("ICS", "an ICS"),
])
def test_a_or_an(phrase, expected):
    assert a_or_an(phrase) == expected


def test_names_mid_sentence_keep_their_acronyms():
    assert lower_first("The relationship between the regional body and the local NHS") == (
        "the relationship between the regional body and the local NHS")
    assert lower_first("NHS 111 online") == "NHS 111 online"


def test_a_renamed_file_says_an_excel_workbook(tmp_path):
    path = tmp_path / "returns.xlsx"
    path.write_text("not a workbook at all")
    with pytest.raises(CorruptFile, match="is not an Excel workbook"):
        detect_format(path)


def test_the_findings_filter_asks_for_an_organisation(world, login):
    html = login(world.users["lena"]).get(REVIEW + "findings/?organisation=999999").content.decode()
    assert "Select an organisation or system from the list" in html
    assert "Select a organisation" not in html


def test_a_role_that_needs_an_organisation_says_an_action_owner(world):
    with pytest.raises(InvalidInput, match="^An action owner must belong to an organisation"):
        review_actions.add_member(review=world.review, member=world.users["sam"],
                                  role=Role.ACTION_OWNER, organisation=None,
                                  by=world.users["lena"])


def test_a_finished_run_shows_the_parameters_it_recorded(world, login):
    client = login(world.users["lena"])
    run = queue_analysis(review=world.review, by=world.users["lena"])
    page = client.get(f"{REVIEW}analysis/{run.pk}/").content.decode()
    assert "Recorded when the run starts" in page
    run_queue()
    # The page's poll brings the settings with it once the run has ended ...
    poll = client.get(f"{REVIEW}analysis/{run.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert '<div id="run-settings" hx-swap-oob="true">' in poll
    assert "Recorded when the run starts" not in poll and "Findings coded per batch: " in poll
    # ... and a fresh load shows them too.
    page = client.get(f"{REVIEW}analysis/{run.pk}/").content.decode()
    assert "Recorded when the run starts" not in page and "Findings coded per batch: " in page
    assert "null" not in page and "example_beta" not in page


def test_a_run_that_ended_before_coding_does_not_promise_parameters(world, login):
    client = login(world.users["lena"])
    run = queue_analysis(review=world.review, by=world.users["lena"])
    client.post(f"{REVIEW}analysis/{run.pk}/cancel/")
    assert AnalysisRun.objects.get(pk=run.pk).parameters == {}
    page = client.get(f"{REVIEW}analysis/{run.pk}/").content.decode()
    assert "Recorded when the run starts" not in page
    assert "None recorded: the run ended before it started coding" in page
