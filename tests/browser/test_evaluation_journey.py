"""An innovation's evaluation, decision and spread in a real browser, as its organisation's
contributor and the region's lead work through them, and a survey answered without signing
in — with axe (WCAG 2.2 AA) on every page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from stocktake.track.actions import evaluation as ev
from stocktake.track.models import Adoption, Decision, Feedback
from stocktake.track.values_csv import ValueRow
from tests.browser import test_journeys as journeys
from tests.browser.test_journeys import axe_violations, sign_in
from tests.track.actions import log_innovation

browser = journeys.browser
page = journeys.page
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-evaluation")]


def _clinic(world):
    clinic = log_innovation(organisation=world.orgs["ashby"], title="Virtual fracture clinic",
                            what_changed="Fracture follow-ups by video.",
                            by=world.users["connie"])
    measure = ev.add_measure(innovation=clinic, name="Days to follow-up", kind="performance",
                             unit="days", target=7, higher_is_better=False, baseline_points=8,
                             by=world.users["connie"])
    values = [10, 12, 9, 11, 10, 12, 9, 11, 5, 6, 5, 6, 5, 6, 5]  # 15 points: an XmR chart
    ev.record_values(measure=measure, by=world.users["connie"], rows=[
        ValueRow(date(2025, 1, 6) + timedelta(days=7 * i), v) for i, v in enumerate(values)])
    ev.add_feedback(innovation=clinic, source="staff", by=world.users["connie"],
                    texts=["It worked well and saved clinic time.", "The video kept freezing."])
    return clinic


def test_evaluate_decide_spread_and_answer_a_survey(page, world):
    clinic = _clinic(world)
    base, root = page.base, f"{page.base}/innovations/{clinic.pk}"
    _, token = ev.open_survey(innovation=clinic, source="service_user",
                              question="How was your video appointment?",
                              second_question="What would make it better?",
                              by=world.users["connie"])
    page.goto(f"{base}/feedback/{token}/")  # not signed in
    problems = {"survey": axe_violations(page)}
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector("text=There is a problem")
    problems["survey error"] = axe_violations(page)
    page.get_by_label("How was your video appointment?").fill("Quick, and no parking to find.")
    page.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector("h1:has-text('Thank you')")
    problems["survey thanks"] = axe_violations(page)
    assert Feedback.objects.filter(channel="survey", rating=4).count() == 1

    sign_in(page, base, "connie")
    page.goto(f"{root}/evaluation/")
    assert "XmR chart" in page.content()
    problems["evaluation"] = axe_violations(page)
    page.get_by_role("link", name="Surveys by link").click()
    problems["surveys"] = axe_violations(page)
    page.goto(f"{root}/evaluation/")
    page.get_by_role("link", name="Add a measure").click()
    page.get_by_role("button", name="Save measure").click()
    page.wait_for_selector("text=There is a problem")
    problems["measure error"] = axe_violations(page)
    page.get_by_label("Name").fill("Cost per case")
    page.get_by_label("Finance").check()
    page.get_by_role("button", name="Save measure").click()
    page.wait_for_url("**/values/")
    problems["values"] = axe_violations(page)
    page.get_by_label("Date").fill("2025-02-01")
    page.get_by_label("Value", exact=True).fill("120")
    page.get_by_role("button", name="Save value").click()
    page.wait_for_url("**/evaluation/#measure-*")
    page.get_by_role("link", name="Add or import feedback").click()
    problems["feedback"] = axe_violations(page)

    page.goto(f"{root}/decision/")
    problems["decision"] = axe_violations(page)
    page.get_by_label("Adapt").check()
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_selector("text=There is a problem")
    problems["decision error"] = axe_violations(page)
    page.get_by_label("Rationale").fill("Keep for simple fractures; review the video system.")
    page.get_by_label("Score for Benefit shown").select_option("4")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url("**/decision/#history")
    assert Decision.objects.get().outcome == "adapt"
    page.get_by_role("link", name="Add a decision framework for Ashby General Hospital NHS "
                                   "Foundation Trust").click()
    problems["framework"] = axe_violations(page)

    page.context.clear_cookies()  # sign out; the lead records the spread
    sign_in(page, base, "lena")
    page.goto(f"{root}/spread/")
    problems["spread"] = axe_violations(page)
    page.get_by_label("Organisation").select_option(label="Brackenford Community Services NHS "
                                                          "Trust (EDICS)")
    page.get_by_label("Adopted with changes").check()
    page.get_by_role("button", name="Record adoption").click()
    page.wait_for_url("**/spread/#adoptions")
    assert Adoption.objects.get().status == "adapted"
    page.get_by_role("link", name="Spread across the region").click()
    problems["region"] = axe_violations(page)
    assert {name: found for name, found in problems.items() if found} == {}
