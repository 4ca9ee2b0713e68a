"""The web upload as a new user would use it, in Debian's chromium, with axe on every page.

Upload a Word table whose rows name their own organisations, change one column's role in
the preview, leave a row out, confirm, see the right organisations and findings, then undo
the import; correct and remove a finding; a large upload's progress page.
"""

from __future__ import annotations

import pytest

from stocktake.collect.models import BatchStatus, Finding, ImportBatch
from tests.browser import test_journeys as journeys
from tests.browser.test_collect_journeys import upload_page_violations
from tests.browser.test_journeys import axe_violations, sign_in
from tests.collect.test_import_batches import org_table

browser = journeys.browser
page = journeys.page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-upload-journeys")]


def test_upload_change_a_column_leave_a_row_out_confirm_and_undo(page, world, tmp_path):
    base, slug = page.base, world.review.slug
    table = org_table(tmp_path / "partners.docx")
    junk = tmp_path / "notes.exe"
    junk.write_bytes(b"MZ" * 40)
    sign_in(page, base, "lena")
    page.goto(f"{base}/reviews/{slug}/upload/")
    page.wait_for_selector(".nhsuk-file-upload__drop-zone, .nhsuk-file-upload__choose-files-button")
    page.set_input_files("input[type=file]", [str(table), str(junk)])
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/upload/*/")
    text = page.locator("main").inner_text()
    assert "Files that cannot be imported" in text and "notes.exe" in text  # named, not blocking
    assert "Ready to import" in text and "Key findings" in text
    problems = {"preview": axe_violations(page)}

    # What the "Key findings" column holds: findings → challenges; then update the preview.
    page.get_by_label("What the column Key findings holds").select_option("challenges")
    page.locator("button[name=goto][value='1:1']:visible").first.click()
    page.wait_for_load_state()
    assert page.get_by_label("What the column Key findings holds").input_value() == "challenges"
    # Leave Quarry Lane's row out.
    page.get_by_label("Leave out finding: Shared care records reached every practice.").check()
    problems["preview after changes"] = axe_violations(page)
    page.get_by_role("button", name="Confirm import").click()
    page.wait_for_selector("text=Import results")
    text = page.locator("main").inner_text()
    assert "Imported partners.docx: 3 findings" in text and "Not imported" in text
    problems["results"] = axe_violations(page)

    findings = Finding.objects.filter(source_document__original_name="partners.docx")
    assert findings.count() == 3 and set(findings.values_list("section", flat=True)) == {"challenges"}
    assert sorted({f.organisation.name for f in findings}) == [
        "Ashby General Hospital NHS Foundation Trust", "Pellow Vale Hospice"]
    page.goto(f"{base}/reviews/{slug}/findings/?q=Volunteers")
    assert "Volunteers phoned families after every death." in page.locator("main").inner_text()

    # Correct one finding, then open its remove page (and keep it).
    volunteers = findings.get(text__startswith="Volunteers")
    page.goto(f"{base}/reviews/{slug}/findings/{volunteers.pk}/")
    page.get_by_role("link", name="Correct this finding").click()
    page.wait_for_url(f"**/findings/{volunteers.pk}/edit/")
    problems["correct finding"] = axe_violations(page)
    page.get_by_label("Finding").fill("Volunteers phoned every bereaved family within a week.")
    page.get_by_label("Organisation").select_option(
        label="Brackenford Community Services NHS Trust (taking part)")
    page.get_by_role("button", name="Save correction").click()
    page.wait_for_url(f"**/findings/{volunteers.pk}/")
    assert "within a week" in page.locator("main").inner_text()
    volunteers.refresh_from_db()
    assert volunteers.submission.participant.organisation.name == (
        "Brackenford Community Services NHS Trust")
    page.get_by_role("link", name="Remove this finding").click()
    page.wait_for_url(f"**/findings/{volunteers.pk}/remove/")
    problems["remove finding"] = axe_violations(page)

    # Undo the import from the Imports page.
    batch = ImportBatch.objects.get()
    page.goto(f"{base}/reviews/{slug}/imports/")
    problems["imports"] = axe_violations(page)
    page.get_by_role("link", name=f"Undo import {batch.pk}").click()
    assert "3 findings" in page.locator("main").inner_text()
    problems["undo"] = axe_violations(page)
    page.get_by_role("button", name=f"Undo import {batch.pk}").click()
    page.wait_for_url(f"**/reviews/{slug}/imports/")
    assert "Undone" in page.locator("main").inner_text()
    problems["imports after undo"] = axe_violations(page)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UNDONE
    assert not Finding.objects.filter(source_document__original_name="partners.docx").exists()
    assert {k: v for k, v in problems.items() if v} == {}


def test_a_large_upload_shows_its_progress_page(page, world, tmp_path, settings):
    settings.STOCKTAKE_BACKGROUND_IMPORT_MB = 0
    settings.STOCKTAKE_WORKER_WAIT_SECONDS = 0  # no worker runs here: say so at once
    base, slug = page.base, world.review.slug
    sign_in(page, base, "ravi")
    page.goto(f"{base}/reviews/{slug}/upload/")
    problems = {"upload": upload_page_violations(page)}
    page.set_input_files("input[type=file]", [str(org_table(tmp_path / "big.docx"))])
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/upload/*/")
    page.get_by_role("button", name="Confirm import").click()
    page.wait_for_url("**/imports/*/")
    text = page.locator("main").inner_text()
    assert "Waiting to start" in text and "Files imported: 0 of 1" in text
    assert "No background worker is running" in text and "stocktake worker" in text
    problems["progress"] = axe_violations(page)
    page.goto(f"{base}/reviews/{slug}/imports/")
    assert "No background worker is running" in page.locator("main").inner_text()
    problems["imports"] = axe_violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


def test_a_likely_organisation_match_is_chosen_before_import(page, world, tmp_path):
    from tests.collect.test_preview_matches_import import AGH, TYPO

    base, slug = page.base, world.review.slug
    typo = tmp_path / "typo.csv"
    typo.write_text(TYPO)
    sign_in(page, base, "lena")
    page.goto(f"{base}/reviews/{slug}/upload/")
    page.set_input_files("input[type=file]", [str(typo)])
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/upload/*/")
    assert "Names that may already be in the register" in page.locator("main").inner_text()
    problems = {"preview": axe_violations(page)}
    page.get_by_role("button", name="Confirm import").click()
    page.wait_for_url("**undecided=1**")
    assert "Nothing was imported yet" in page.locator("main").inner_text()
    problems["refused"] = axe_violations(page)
    picker = page.get_by_label("“Ashby Generel Hospital NHS Foundation Trust” is")
    picker.select_option(label=f"{AGH} (suggested: likely the same)")
    page.get_by_role("button", name="Confirm import").click()
    page.wait_for_selector("text=Import results")
    assert Finding.objects.get(text="Rotas were rebuilt weekly.").organisation == world.orgs["ashby"]
    assert {k: v for k, v in problems.items() if v} == {}


def test_leaving_out_a_whole_row_passes_axe(page, world, tmp_path):
    base, slug = page.base, world.review.slug
    lists = tmp_path / "lists.csv"
    lists.write_text('Organisation,Key findings\n'
                     'Pellow Vale Hospice,"- Volunteers phoned families.\n- Chaplains joined ward rounds."\n'
                     'Quarry Lane Medical Group,Shared care records reached every practice.\n')
    sign_in(page, base, "lena")
    page.goto(f"{base}/reviews/{slug}/upload/")
    page.set_input_files("input[type=file]", [str(lists)])
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/upload/*/")
    page.get_by_label("Leave out the whole of row 2").check()
    page.locator("button[name=goto][value='1:1']:visible").first.click()
    page.wait_for_load_state()
    assert "2 items left out" in page.locator("main").inner_text()
    assert axe_violations(page) == []
