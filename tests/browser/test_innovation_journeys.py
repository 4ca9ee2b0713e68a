"""The innovations register in a real browser, with axe (WCAG 2.2 AA) on every page:
a contributor logs an innovation (a mistake first, then the confirmation), opens it and
finds it in the register; a lead confirms its themes and looks after golden threads;
and the form works without JavaScript."""

from __future__ import annotations

import pytest

from stocktake.track import actions
from stocktake.track.models import Innovation
from tests.browser import test_journeys as journeys
from tests.browser.test_journeys import axe_violations, sign_in

browser = journeys.browser
page = journeys.page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-innovation-journeys")]


def test_a_contributor_logs_an_innovation_and_a_lead_curates_it(page, world):
    base = page.base
    sign_in(page, base, "connie")
    page.goto(f"{base}/innovations/")
    problems = {"empty register": axe_violations(page)}
    page.get_by_role("link", name="Log an innovation").first.click()
    page.wait_for_selector("h1:has-text('Log an innovation')")
    problems["form"] = axe_violations(page)
    page.get_by_label("Title").fill("Drive-through prescription collection")
    page.get_by_label("Month").fill("14")
    page.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Log innovation").click()
    page.wait_for_selector(".nhsuk-error-summary")
    assert "Describe what changed" in page.content()
    assert "must be a real month and year" in page.content()
    problems["form errors"] = axe_violations(page)
    page.get_by_label("What changed").fill("Patients collect medicines from the car park.")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Business unit, team or service (optional)").fill("Pharmacy")
    page.get_by_role("button", name="Log innovation").click()
    page.wait_for_selector("h1:has-text('Innovation logged')")
    problems["logged"] = axe_violations(page)
    page.get_by_role("link", name="See the innovation").click()
    page.wait_for_selector("h1:has-text('Drive-through prescription collection')")
    assert "March 2024" in page.content()
    problems["innovation"] = axe_violations(page)
    page.get_by_role("link", name="Link findings").click()
    page.wait_for_selector("h1:has-text('Link findings')")
    problems["link findings"] = axe_violations(page)
    page.get_by_label("Video consultations replaced", exact=False).check()
    page.get_by_role("button", name="Save linked findings").click()
    page.wait_for_selector("text=1 finding linked to this innovation")
    page.goto(f"{base}/innovations/")
    assert "Drive-through prescription collection" in page.content()
    problems["register"] = axe_violations(page)

    for title in ("Virtual ward for frailty", "Virtual ward for heart failure",
                  "Virtual ward at night", "Video clinics for asthma"):
        actions.log_innovation(organisation=world.orgs["ashby"], by=world.users["connie"],
                               title=title, what_changed=title + ".", code=False)
    made = Innovation.objects.get(title="Drive-through prescription collection")
    page.context.clear_cookies()
    sign_in(page, base, "lena")
    page.goto(f"{base}/innovations/{made.pk}/")
    page.get_by_role("button", name="Confirm themes").click()
    page.wait_for_selector("text=Themes confirmed")
    problems["innovation as lead"] = axe_violations(page)
    page.goto(f"{base}/innovations/threads/?organisation={world.orgs['region'].pk}")
    page.get_by_role("button", name="Suggest golden threads").click()
    page.wait_for_selector("text=suggested.")
    assert "Virtual ward" in page.content()
    problems["threads"] = axe_violations(page)
    page.get_by_role("link", name="Rename, describe or confirm Virtual ward").click()
    page.wait_for_selector("h1:has-text('Golden thread')")
    problems["thread"] = axe_violations(page)
    page.get_by_label("Name").fill("Care at home")
    page.get_by_role("button", name="Save golden thread").click()
    page.wait_for_selector("text=Golden thread “Care at home” saved")
    page.goto(f"{base}/innovations/import/")
    problems["import"] = [p for p in axe_violations(page)
                          if "label-content-name-mismatch" not in p]
    page.set_input_files("input[type=file]", files=[{
        "name": "log.csv", "mimeType": "text/csv",
        "buffer": b"Organisation,Title\nAGH,Ward\n,Hub\n"}])
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_selector("text=Row 3: no organisation")
    problems["import preview"] = axe_violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


def test_logging_works_without_javascript(browser, live_server, world):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    sign_in(tab, live_server.url, "connie")
    tab.goto(f"{live_server.url}/innovations/log/")
    tab.get_by_label("Title").fill("Evening crisis café")
    tab.get_by_label("What changed").fill("A calm place to talk in the evenings.")
    tab.get_by_role("button", name="Log innovation").click()
    tab.wait_for_selector("h1:has-text('Innovation logged')")
    assert Innovation.objects.get().organisation == world.orgs["ashby"]
    context.close()
