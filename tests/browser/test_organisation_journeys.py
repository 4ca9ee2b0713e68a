"""The organisation register in a real browser, with axe (WCAG 2.2 AA) on every page:
search, an organisation's page, add with a parent typed by acronym, edit, merge with its
confirmation, the CSV import with a bad row; and the register without JavaScript."""

from __future__ import annotations

import pytest

from stocktake.reviews.models import Organisation
from tests.browser import test_journeys as journeys
from tests.browser.test_collect_journeys import upload_page_violations
from tests.browser.test_journeys import axe_violations, sign_in

browser = journeys.browser
page = journeys.page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-organisation-journeys")]


def test_register_pages_pass_axe(page, world):
    base = page.base
    sign_in(page, base, "ada")
    page.goto(f"{base}/organisations/")
    problems = {"list": axe_violations(page)}
    page.get_by_label("Search by name, acronym or other name").fill("AGH")
    page.get_by_role("button", name="Search").click()
    page.wait_for_selector("text=1 organisation matching")
    problems["search"] = axe_violations(page)
    page.get_by_role("link", name="Ashby General Hospital NHS Foundation Trust (AGH)").click()
    page.wait_for_selector("h1:has-text('Ashby General Hospital NHS Foundation Trust')")
    problems["organisation"] = axe_violations(page)

    page.goto(f"{base}/organisations/new/")
    problems["add"] = axe_violations(page)
    page.get_by_label("Full name").fill("Ashby General Hospital (AGHX)")
    page.get_by_label("Part of (optional)").fill("Northfold Integrated Care Systm")
    page.get_by_role("button", name="Save organisation").click()
    page.wait_for_selector(".nhsuk-error-summary")
    assert "Did you mean Northfold Integrated Care System?" in page.content()
    problems["add error"] = axe_violations(page)
    page.get_by_label("Part of (optional)").fill("NICS")
    page.get_by_role("button", name="Save organisation").click()
    page.wait_for_selector("text=added to the register")
    problems["added"] = axe_violations(page)
    page.get_by_role("link", name="Edit Ashby General Hospital").click()
    page.wait_for_url("**/organisations/*/edit/")
    problems["edit"] = axe_violations(page)

    ashby = world.orgs["ashby"].pk
    page.goto(f"{base}/organisations/{ashby}/merge/")
    problems["merge"] = axe_violations(page)
    page.get_by_label("The duplicate to merge").fill("AGHX")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("text=What moves to")
    problems["merge confirm"] = axe_violations(page)
    page.get_by_role("button", name="Merge Ashby General Hospital into").click()
    page.wait_for_selector("text=merged into Ashby General Hospital NHS Foundation Trust")
    assert not Organisation.objects.filter(short_name="AGHX").exists()

    page.goto(f"{base}/organisations/import/")
    page.wait_for_selector(".nhsuk-file-upload__drop-zone, .nhsuk-file-upload__choose-files-button")
    problems["import"] = [p for p in upload_page_violations(page)
                          if "label-content-name-mismatch" not in p]
    page.set_input_files("input[type=file]", files=[{
        "name": "register.csv", "mimeType": "text/csv",
        "buffer": b"name,level\nGood One,region\nBad One,regin\n"}])
    page.get_by_role("button", name="Import").click()
    page.wait_for_selector(".nhsuk-error-summary")
    assert "Row 3: Unknown organisation level" in page.content()
    problems["import error"] = [p for p in upload_page_violations(page)
                                if "label-content-name-mismatch" not in p]
    assert {k: v for k, v in problems.items() if v} == {}


def test_the_register_works_without_javascript(browser, live_server, world):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    sign_in(tab, live_server.url, "lena")
    tab.goto(f"{live_server.url}/organisations/new/")
    tab.get_by_label("Full name").fill("Quayside Hospice")
    tab.get_by_label("Type").select_option(value="hospice")
    tab.get_by_label("Part of (optional)").fill("EDICS")
    tab.get_by_role("button", name="Save organisation").click()
    tab.wait_for_selector("text=Quayside Hospice added to the register")
    made = Organisation.objects.get(name="Quayside Hospice")
    assert (made.kind, made.parent) == ("hospice", world.orgs["eastmarsh"])
    context.close()
