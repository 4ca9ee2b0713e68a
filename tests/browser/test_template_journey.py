"""The Word submission template in a real browser, with axe on every page: a contributor
downloads it prefilled for their organisation, fills it in (python-docx, as Word would),
and the lead uploads it; each answer is then listed under its own domain."""

from __future__ import annotations

import pytest

from tests.browser import test_journeys as journeys
from tests.browser.test_collect_journeys import bracken_form, upload_page_violations
from tests.browser.test_journeys import axe_violations, sign_in
from tests.collect.template_fill import fill

browser = journeys.browser
page = journeys.page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-template-journey")]


def test_download_fill_upload_and_find_each_answer_in_its_domain(page, world, tmp_path):
    base, slug = page.base, world.review.slug
    sign_in(page, base, "colin")  # Brackenford's contributor
    page.goto(base + bracken_form(world))
    problems = {"form": axe_violations(page)}
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the Word template").click()
    assert download.value.suggested_filename == "winter-2025-bcs-submission-template.docx"
    blank = tmp_path / download.value.suggested_filename
    download.value.save_as(blank)
    filled = tmp_path / "brackenford-submission.docx"
    filled.write_bytes(fill(blank.read_bytes(), answers={
        "stk_d4_challenges": ["Night rotas were filled a week late."],
        "stk_d5_achievements": ["Interpreters joined every discharge call."],
    }, examples=[("Shared night rota", "", "One rota across two trusts.", "People")]))

    lead = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    tab = lead.new_page()
    sign_in(tab, base, "lena")
    tab.goto(f"{base}/reviews/{slug}/upload/")
    tab.wait_for_selector(".nhsuk-file-upload__drop-zone, .nhsuk-file-upload__choose-files-button")
    problems["upload"] = upload_page_violations(tab)
    tab.set_input_files("input[type=file]", [str(filled)])
    tab.get_by_role("button", name="Upload and preview").click()
    tab.wait_for_url("**/upload/*/")
    assert tab.get_by_text("Ready to import").count() == 1
    problems["preview"] = axe_violations(tab)
    tab.get_by_role("button", name="Confirm import").click()
    tab.wait_for_selector("text=Import results")
    assert "Imported brackenford-submission.docx: 2 findings, 1 example" in tab.content()
    problems["results"] = axe_violations(tab)

    bracken = world.orgs["bracken"].pk
    for domain, text, other in [("people", "Night rotas were filled a week late.",
                                 "Interpreters joined"),
                                ("inequalities", "Interpreters joined every discharge call.",
                                 "Night rotas")]:
        tab.goto(f"{base}/reviews/{slug}/findings/?domain={domain}&organisation={bracken}")
        listed = tab.locator("main").inner_text()
        assert text in listed and other not in listed
    problems["findings"] = axe_violations(tab)
    lead.close()
    assert {k: v for k, v in problems.items() if v} == {}


def test_a_contributor_uploads_the_filled_in_template_into_their_form(page, world, tmp_path):
    sign_in(page, page.base, "colin")
    page.goto(page.base + bracken_form(world))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the Word template").click()
    blank = tmp_path / "blank.docx"
    download.value.save_as(blank)
    filled = tmp_path / "ours.docx"
    filled.write_bytes(fill(blank.read_bytes(), answers={
        "stk_d2_achievements": ["Ward rounds started at eight."]}))
    page.get_by_role("button", name="Upload the template").click()  # nothing chosen yet
    page.wait_for_selector(".nhsuk-error-summary")
    problems = {"upload error": axe_violations(page)}
    page.get_by_label("Your filled-in Word template").set_input_files(str(filled))
    page.get_by_role("button", name="Upload the template").click()
    page.wait_for_selector("text=The answers in your Word template are now in the form below")
    assert page.get_by_label("Key achievements").nth(1).input_value() == "Ward rounds started at eight."
    problems["filled form"] = axe_violations(page)
    assert {k: v for k, v in problems.items() if v} == {}
