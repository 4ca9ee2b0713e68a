"""The upload preview's choices, per persona: column roles, items left out, organisations,
saved mappings, a bad file beside good ones, a page at a time; the Imports page and undo;
correcting and removing findings and examples."""

from __future__ import annotations

import re

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stocktake.assess.actions import confirm_code
from stocktake.collect.models import (
    BatchStatus,
    Example,
    Finding,
    ImportBatch,
    OrganisationApproach,
    SavedMapping,
)
from stocktake.reviews.models import Organisation
from tests.collect.test_import_batches import org_table

REVIEW = "/reviews/winter-2025/"
UPLOAD = REVIEW + "upload/"


def staged_docx(client, tmp_path, name="partners.docx", **kwargs):
    path = org_table(tmp_path / name, **kwargs)
    response = client.post(UPLOAD, {"files": [SimpleUploadedFile(name, path.read_bytes())]})
    assert response.status_code == 302
    return response["Location"]


def form_fields(html: str) -> dict[str, list[str]]:
    """The preview form's hidden inputs, ticked boxes and each select's selected option, as a
    browser sends them."""
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        fields.setdefault(name, []).append(value)
    for name, body in re.findall(r'<select[^>]* name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body) or re.search(r'<option value="([^"]*)"', body)
        fields[name] = [chosen.group(1)] if chosen else []
    for name, value in re.findall(r'<input[^>]* name="([^"]+)" type="checkbox" value="([^"]*)" checked', html):
        fields.setdefault(name, []).append(value)
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def test_preview_shows_column_roles_and_a_changed_role_is_imported(world, login, tmp_path):
    client = login(world.users["lena"])
    url = staged_docx(client, tmp_path)
    html = client.get(url).content.decode()
    assert "What each column of" in html and "Taken as" in html
    fields = form_fields(html)
    role = next(name for name, value in fields.items()
                if name.startswith("header-") and value == ["Key findings"]).replace("header-", "role-")
    assert fields[role] == ["list"]  # a findings column, read as lists of findings
    fields[role] = ["challenges"]
    assert client.post(url, fields).status_code == 302
    html = client.get(url).content.decode()
    assert '<option value="challenges" selected' in html
    fields = form_fields(html)
    done = client.post(url + "confirm/", fields).content.decode()
    assert "Imported partners.docx: 4 findings" in done
    assert set(Finding.objects.filter(source_document__original_name="partners.docx")
               .values_list("section", flat=True)) == {"challenges"}


def test_a_role_changed_at_confirm_is_shown_before_anything_is_imported(world, login, tmp_path):
    client = login(world.users["lena"])
    url = staged_docx(client, tmp_path)
    fields = form_fields(client.get(url).content.decode()) | {"leave-1": ["finding-1"]}
    role = next(n for n, v in fields.items() if n.startswith("header-") and v == ["Key findings"])
    fields[role.replace("header-", "role-")] = ["section:learning"]
    response = client.post(url + "confirm/", fields)
    assert response.status_code == 302 and response["Location"] == url
    assert not ImportBatch.objects.exists()
    html = client.get(url).content.decode()
    assert "what the columns hold changed, so the file was read again" in html
    assert "item left out" not in html  # the file's items are new: nothing is left out yet


def test_left_out_items_and_chosen_organisations_are_honoured(world, login, tmp_path):
    client = login(world.users["lena"])
    url = staged_docx(client, tmp_path)
    html = client.get(url).content.decode()
    assert "Leave out" in html and "items 1 to 4 of 4" in html
    fields = form_fields(html)
    fields["leave-1"] = ["finding-3"]  # Quarry Lane's row
    hospice = next(name for name, value in fields.items() if value == ["Pellow Vale Hospice"]
                   and name.startswith("orgname-"))
    fields[hospice.replace("orgname-", "org-")] = [str(world.orgs["bracken"].pk)]
    client.post(url, fields)
    html = client.get(url).content.decode()
    assert "1 item left out" in html and 'value="finding-3" checked' in html
    client.post(url + "confirm/", form_fields(html) | {"leave-1": ["finding-3"]})
    findings = Finding.objects.filter(source_document__original_name="partners.docx")
    assert findings.count() == 3
    assert not findings.filter(text__startswith="Shared care records").exists()
    assert findings.get(text__startswith="Volunteers").organisation == world.orgs["bracken"]
    assert not Organisation.objects.filter(name__in=["Pellow Vale Hospice",
                                                     "Quarry Lane Medical Group"]).exists()


def test_a_refused_file_does_not_block_the_good_one_and_each_has_its_result(world, login, tmp_path):
    client = login(world.users["lena"])
    good = org_table(tmp_path / "partners.docx")
    response = client.post(UPLOAD, {"files": [SimpleUploadedFile("setup.exe", b"MZ" * 50),
                                              SimpleUploadedFile("partners.docx", good.read_bytes())]})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode().replace("&#39;", "'")
    assert "Files that cannot be imported" in html and "setup.exe: files ending '.exe'" in html
    assert "Ready to import" in html
    done = client.post(response["Location"] + "confirm/", form_fields(html)).content.decode()
    assert "Imported partners.docx" in done and "Not imported" in done
    batch = ImportBatch.objects.get()
    assert sorted(batch.files.values_list("name", "outcome")) == [
        ("partners.docx", "imported"), ("setup.exe", "failed")]
    assert f"undo import {batch.pk}" in done


def test_a_file_that_cannot_be_read_has_its_reason_on_the_result_page(world, login, tmp_path):
    client = login(world.users["lena"])
    good = org_table(tmp_path / "partners.docx")
    response = client.post(UPLOAD, {"files": [SimpleUploadedFile("broken.docx", b"not a zip" * 20),
                                              SimpleUploadedFile("partners.docx", good.read_bytes())]})
    html = client.get(response["Location"]).content.decode().replace("&#39;", "'")
    reason = re.search(r'<p class="nhsuk-error-message">\s*(broken\.docx: [^<]+?)\s*</p>', html)
    assert reason, "the preview says why broken.docx cannot be imported"
    done = client.post(response["Location"] + "confirm/", form_fields(html)).content.decode()
    done = done.replace("&#39;", "'")
    assert reason.group(1) in done and "the preview said why" not in done
    batch = ImportBatch.objects.get()
    assert batch.files.get(name="broken.docx").message == reason.group(1)


def test_a_long_file_is_previewed_a_page_at_a_time(world, login):
    client = login(world.users["lena"])
    rows = "".join(f"Ashby General,Finding number {n} about winter wards.\n" for n in range(1, 121))
    response = client.post(UPLOAD, {"files": [SimpleUploadedFile(
        "long.csv", ("Organisation,Finding\n" + rows).encode())]})
    url = response["Location"]
    html = client.get(url).content.decode()
    assert "items 1 to 50 of 120" in html and "Finding number 51 " not in html
    fields = form_fields(html) | {"leave-1": ["finding-2"], "goto": ["1:2"]}
    moved = client.post(url, fields)
    assert moved["Location"].endswith("?page-1=2#file-1")
    html = client.get(moved["Location"]).content.decode()
    assert "items 51 to 100 of 120" in html and "Finding number 51 " in html
    assert "1 item left out" in html
    client.post(url + "confirm/", form_fields(html))
    assert Finding.objects.filter(source_document__original_name="long.csv").count() == 119


def test_a_saved_mapping_is_reused_and_downloads_as_a_mapping_file(world, login, tmp_path):
    client = login(world.users["lena"])
    header = ("Partner", "Notes")
    url = staged_docx(client, tmp_path, name="odd.docx", header=header,
                      rows=[("Pellow Vale Hospice", "Bereavement calls within a week.")])
    html = client.get(url).content.decode()
    assert "nothing was read from it" in html
    fields = form_fields(html)
    notes = next(n for n, v in fields.items() if n.startswith("header-") and v == ["Notes"])
    fields[notes.replace("header-", "role-")] = ["section:learning"]
    client.post(url, fields | {"save-mapping": ["1"], "mapping-name-1": ["Partner notes"]})
    saved = SavedMapping.objects.get(review=world.review, name="Partner notes")
    assert "download it from Imports" in client.get(url).content.decode()  # where it is
    assert f"mappings/{saved.pk}/download/" in client.get(f"{REVIEW}imports/").content.decode()
    assert saved.columns == {"Partner": "organisation", "Notes": "section:learning"}
    download = client.get(f"{REVIEW}mappings/{saved.pk}/download/")
    assert download["Content-Disposition"] == 'attachment; filename="Partner-notes.yaml"'
    assert "Notes: section:learning" in download.content.decode()
    # A later upload laid out the same way uses it.
    again = staged_docx(client, tmp_path, name="odd2.docx", header=header,
                        rows=[("Pellow Vale Hospice", "Chaplains joined the ward rounds.")])
    fields = form_fields(client.get(again).content.decode()) | {"use-mapping-1": [str(saved.pk)]}
    client.post(again, fields)
    html = client.get(again).content.decode()
    assert "Ready to import" in html and '<option value="section:learning" selected' in html
    client.post(again + "confirm/", form_fields(html))
    assert Finding.objects.get(source_document__original_name="odd2.docx").section == "learning"


def imported_batch(client, tmp_path) -> ImportBatch:
    url = staged_docx(client, tmp_path)
    client.post(url + "confirm/", form_fields(client.get(url).content.decode()))
    return ImportBatch.objects.latest("pk")


@pytest.mark.parametrize("name,status", [("lena", 200), ("ravi", 200), ("connie", 403),
                                         ("vera", 403), ("sam", 404)])
def test_imports_page_is_for_leads_and_reviewers(world, login, tmp_path, name, status):
    batch = imported_batch(login(world.users["lena"]), tmp_path)
    client = login(world.users[name])
    page = client.get(REVIEW + "imports/")
    assert page.status_code == status
    if status == 200:
        assert "partners.docx" in page.content.decode() and f"Undo import {batch.pk}" in page.content.decode()
    assert client.get(f"{REVIEW}imports/{batch.pk}/undo/").status_code == status


def test_undo_from_the_web_removes_the_import(world, login, tmp_path):
    client = login(world.users["lena"])
    batch = imported_batch(client, tmp_path)
    page = client.get(f"{REVIEW}imports/{batch.pk}/undo/").content.decode()
    assert "Undo import" in page and "4 findings" in page
    response = client.post(f"{REVIEW}imports/{batch.pk}/undo/")
    assert response.status_code == 302
    assert not Finding.objects.filter(source_document__original_name="partners.docx").exists()
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.UNDONE
    assert "Undone" in client.get(REVIEW + "imports/").content.decode()


def test_undo_with_dependent_work_needs_a_lead_to_confirm(world, login, tmp_path):
    batch = imported_batch(login(world.users["lena"]), tmp_path)
    finding = Finding.objects.filter(source_document__original_name="partners.docx").first()
    confirm_code(finding=finding, theme=world.framework.themes.first(), by=world.users["ravi"])
    ravi = login(world.users["ravi"])
    page = ravi.get(f"{REVIEW}imports/{batch.pk}/undo/").content.decode()
    assert "Other work depends on this import" in page and "Only a lead" in page
    refused = ravi.post(f"{REVIEW}imports/{batch.pk}/undo/", {"confirm_dependents": "yes"})
    assert refused.status_code == 409 and Finding.objects.filter(pk=finding.pk).exists()
    lena = login(world.users["lena"])
    unconfirmed = lena.post(f"{REVIEW}imports/{batch.pk}/undo/")
    assert unconfirmed.status_code == 409 and "1 theme decision" in unconfirmed.content.decode()
    assert lena.post(f"{REVIEW}imports/{batch.pk}/undo/",
                     {"confirm_dependents": "yes"}).status_code == 302
    assert not Finding.objects.filter(pk=finding.pk).exists()


def test_findings_and_examples_can_be_corrected_or_removed_by_leads_and_reviewers(world, login):
    finding = world.findings["ashby"][0]
    connie = login(world.users["connie"])
    assert connie.get(f"{REVIEW}findings/{finding.pk}/remove/").status_code == 403
    ravi = login(world.users["ravi"])
    assert "Remove this finding" in ravi.get(f"{REVIEW}findings/{finding.pk}/").content.decode()
    edited = ravi.post(f"{REVIEW}findings/{finding.pk}/edit/", {"text": "  Corrected   text. ",
                                                                 "section": "learning", "domain": ""})
    assert edited.status_code == 302
    finding.refresh_from_db()
    assert (finding.text, finding.section) == ("Corrected text.", "learning")
    assert ravi.post(f"{REVIEW}findings/{finding.pk}/edit/", {"text": " "}).status_code == 400
    assert "Remove finding" in ravi.get(f"{REVIEW}findings/{finding.pk}/remove/").content.decode()
    assert ravi.post(f"{REVIEW}findings/{finding.pk}/remove/").status_code == 302
    assert not Finding.objects.filter(pk=finding.pk).exists()

    from stocktake.collect.actions import add_example
    example = add_example(review=world.review, title="Night sitters", by=world.users["lena"],
                          organisation=world.orgs["ashby"])
    assert "Correct" in ravi.get(REVIEW + "examples/").content.decode()
    assert ravi.post(f"{REVIEW}examples/{example.pk}/edit/",
                     {"title": "Night sitting service", "synopsis": "", "domain": ""}).status_code == 302
    assert Example.objects.get(pk=example.pk).title == "Night sitting service"
    connie = login(world.users["connie"])  # the same test client, signed in as Connie again
    assert connie.post(f"{REVIEW}examples/{example.pk}/remove/").status_code == 403
    ravi = login(world.users["ravi"])
    assert ravi.post(f"{REVIEW}examples/{example.pk}/remove/").status_code == 302
    assert not Example.objects.filter(pk=example.pk).exists()


def test_a_finding_or_example_can_be_moved_to_another_organisation(world, login):
    from tests.collect.test_edits import _from_a_file
    _, _, finding, example = _from_a_file(world)
    bracken, ashby = world.orgs["bracken"], world.orgs["ashby"]
    ravi = login(world.users["ravi"])
    form = ravi.get(f"{REVIEW}findings/{finding.pk}/edit/").content.decode()
    assert re.search(rf'<option value="{ashby.pk}" selected\s*>{ashby.name} \(taking part\)<', form)
    assert re.search(rf'<option value="{bracken.pk}"\s*>{bracken.name} \(taking part\)<', form)
    moved = ravi.post(f"{REVIEW}findings/{finding.pk}/edit/", {
        "text": finding.text, "section": "general", "domain": "", "organisation": str(bracken.pk)})
    assert moved.status_code == 302
    finding.refresh_from_db()
    assert (finding.organisation, finding.submission.participant.organisation) == (bracken, bracken)
    # Something not offered is refused, saying where.
    from stocktake.reviews.actions import create_organisation
    far = create_organisation(name="Far Away Trust", level="organisation", by=world.users["ada"])
    refused = ravi.post(f"{REVIEW}findings/{finding.pk}/edit/", {
        "text": finding.text, "section": "general", "domain": "", "organisation": str(far.pk)})
    assert refused.status_code == 400
    assert re.search(r'href="#organisation"\s*>\s*Choose an organisation from the list',
                     refused.content.decode())
    # A web form's finding stays with its organisation: the action's message, at the field.
    web = world.findings["ashby"][0]
    kept = ravi.post(f"{REVIEW}findings/{web.pk}/edit/", {
        "text": web.text, "section": "general", "domain": "", "organisation": str(bracken.pk)})
    assert kept.status_code == 400 and "stays with that organisation" in kept.content.decode()
    assert Finding.objects.get(pk=web.pk).organisation == ashby

    assert ravi.post(f"{REVIEW}examples/{example.pk}/edit/", {
        "title": example.title, "synopsis": "", "domain": "", "organisation": str(bracken.pk),
    }).status_code == 302
    example.refresh_from_db()
    assert (example.organisation, example.submission.participant.organisation) == (bracken, bracken)


def test_a_large_upload_is_imported_by_the_background_worker_with_progress(world, login, tmp_path,
                                                                           settings):
    from tests.assess.test_tasks import run_queue

    settings.STOCKTAKE_BACKGROUND_IMPORT_MB = 0  # every file counts as large
    client = login(world.users["lena"])
    url = staged_docx(client, tmp_path)
    # The preview: the file is read by the worker, not in the request.
    pending = client.get(url).content.decode()
    assert "Being read" in pending and 'hx-select="#file-1"' in pending and ">Refresh</a>" in pending
    assert "Leave out" not in pending
    assert client.get(url).status_code == 200  # asked once, not again while pending
    from django_tasks_db.models import DBTaskResult
    assert DBTaskResult.objects.filter(task_path__endswith="read_staged_file").count() == 1
    run_queue()
    html = client.get(url).content.decode()
    assert "Being read" not in html and "items 1 to 4 of 4" in html
    fields = form_fields(html) | {"leave-1": ["finding-0"]}
    response = client.post(url + "confirm/", fields)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/imports/{batch.pk}/")
    assert (batch.status, batch.files_total, batch.files_done) == ("queued", 1, 0)
    page = client.get(response["Location"]).content.decode()
    assert "Waiting to start" in page and "Files imported: 0 of 1" in page
    assert 'hx-trigger="every 2s"' in page and ">Refresh</a>" in page
    assert not Finding.objects.filter(source_document__original_name="partners.docx").exists()
    run_queue()
    batch.refresh_from_db()
    assert (batch.status, batch.files_done) == ("imported", 1)
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="import-progress"') and "every 2s" not in partial
    assert "partners.docx: Imported" in partial and "3 findings" in partial
    assert Finding.objects.filter(source_document__original_name="partners.docx").count() == 3


def test_a_row_that_gave_several_findings_can_be_left_out_at_once(world, login):
    client = login(world.users["lena"])
    csv = ('Organisation,Key findings\n'
           'Pellow Vale Hospice,"- Volunteers phoned families.\n- Chaplains joined ward rounds.\n'
           '- Night sitters were trained."\n'
           'Quarry Lane Medical Group,Shared care records reached every practice.\n')
    url = client.post(UPLOAD, {"files": [SimpleUploadedFile("lists.csv", csv.encode())]})["Location"]
    html = client.get(url).content.decode()
    assert "The whole of row 2</strong>: 3 findings" in html
    row = "finding-0,finding-1,finding-2"
    client.post(url, form_fields(html) | {"leaverow-1": [row], "goto": ["1:1"]})
    html = client.get(url).content.decode()
    assert "3 items left out" in html and f'value="{row}" checked' in html
    # Unticking the row brings its items back (their own boxes still show ticked).
    fields = form_fields(html) | {"goto": ["1:1"]}
    assert fields["leave-1"] == ["finding-0", "finding-1", "finding-2"]
    del fields["leaverow-1"]
    client.post(url, fields)
    html = client.get(url).content.decode()
    assert "left out" not in html.replace("Leave out", "")
    client.post(url, form_fields(html) | {"leaverow-1": [row]})
    client.post(url + "confirm/", form_fields(client.get(url).content.decode()))
    assert list(Finding.objects.filter(source_document__original_name="lists.csv")
                .values_list("text", flat=True)) == ["Shared care records reached every practice."]


def test_a_large_unreadable_file_is_named_once_the_worker_has_tried(world, login, settings):
    from tests.assess.test_tasks import run_queue

    settings.STOCKTAKE_BACKGROUND_IMPORT_MB = 0
    client = login(world.users["lena"])
    url = client.post(UPLOAD, {"files": [SimpleUploadedFile("junk.docx", bytes(range(256)) * 40)]})["Location"]
    assert "Being read" in client.get(url).content.decode()
    run_queue()
    html = client.get(url).content.decode()
    assert "Cannot be imported" in html and "junk.docx: " in html and "Confirm import" not in html


def test_leaving_out_the_only_finding_without_an_organisation_settles_the_problem(
        world, login, tmp_path):
    document = docx.Document()
    document.add_heading("Winter learning: partners", 1)
    document.add_paragraph("Notes gathered from partners over the winter.")
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip([*table.rows[0].cells, *table.rows[1].cells],
                          ["Organisation", "Key findings", "Pellow Vale Hospice",
                           "Volunteers phoned families."]):
        cell.text = text
    document.save(tmp_path / "partners.docx")
    client = login(world.users["lena"])
    upload = SimpleUploadedFile("partners.docx", (tmp_path / "partners.docx").read_bytes())
    url = client.post(UPLOAD, {"files": [upload]})["Location"]
    html = client.get(url).content.decode()
    assert "does not say which organisation" in html
    loose = re.search(r'name="leave-1" type="checkbox" value="([^"]+)"', html).group(1)
    client.post(url, form_fields(html) | {"leave-1": [loose]})
    html = client.get(url).content.decode()
    assert "1 item left out" in html
    assert "does not say which organisation" not in html
    done = client.post(url + "confirm/", form_fields(html)).content.decode()
    assert "Imported partners.docx: 1 finding" in done
    assert "does not say which organisation" not in done


def test_a_left_out_row_takes_its_approach_with_it(world, login):
    client = login(world.users["lena"])
    csv = ('Organisation,Approach,Key findings\n'
           'Pellow Vale Hospice,Hospice at home,"- Volunteers phoned families.\n'
           '- Chaplains joined ward rounds."\n'
           'Quarry Lane Medical Group,Shared records pilot,Shared care records reached every '
           'practice.\n')
    url = client.post(UPLOAD, {"files": [SimpleUploadedFile("ways.csv", csv.encode())]})["Location"]
    html = client.get(url).content.decode()
    client.post(url, form_fields(html) | {"leaverow-1": ["finding-0,finding-1"]})
    client.post(url + "confirm/", form_fields(client.get(url).content.decode()))
    assert list(OrganisationApproach.objects.values_list("text", flat=True)) == [
        "Shared records pilot"]
