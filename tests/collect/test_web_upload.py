"""The upload page: choose files, preview what they would create, confirm or cancel.

Bad files of every kind end in the NHS.UK error summary with one line naming the
file; none produces a server error or imports anything.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from stocktake.collect.models import Finding, SourceDocument

REVIEW = "/reviews/winter-2025/"
UPLOAD = REVIEW + "upload/"
SUBMISSIONS = Path(__file__).resolve().parents[2] / "examples" / "northmere" / "submissions"


def example(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (SUBMISSIONS / name).read_bytes())


def upload(client, *files):
    return client.post(UPLOAD, {"files": list(files)})


def staging_dirs(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "staging"
    return [p for p in root.iterdir() if p.is_dir()] if root.exists() else []


def test_upload_preview_confirm_imports_and_cleans_up(world, login, settings):
    client = login(world.users["lena"])
    page = client.get(UPLOAD).content.decode()
    assert 'enctype="multipart/form-data"' in page and "multiple" in page
    assert 'name="csrfmiddlewaretoken"' in page
    response = upload(client, example("carrowfold-royal-infirmary.docx"),
                      example("ostley-community-health.txt"))
    assert response.status_code == 302
    preview_url = response["Location"]
    assert len(staging_dirs(settings)) == 1
    preview = client.get(preview_url).content.decode()
    assert "carrowfold-royal-infirmary.docx" in preview and "ostley-community-health.txt" in preview
    assert preview.count("Ready to import") == 2
    assert "new organisation, will be added" in preview
    assert "Findings:" in preview and "Confirm import" in preview
    assert SourceDocument.objects.count() == 0  # nothing yet

    result = client.post(preview_url + "confirm/", {"file": ["1", "2"]})
    html = result.content.decode()
    assert result.status_code == 200
    assert html.count("Imported carrowfold-royal-infirmary.docx") == 1
    assert SourceDocument.objects.filter(review=world.review).count() == 2
    assert Finding.objects.filter(source_document__original_name="ostley-community-health.txt").exists()
    assert staging_dirs(settings) == []
    # Confirming twice (Back, then Confirm again) says the upload has ended, with links on.
    for again in (client.post(preview_url + "confirm/", {"file": ["1"]}), client.get(preview_url)):
        html = again.content.decode()
        assert again.status_code == 404 and "This upload has ended" in html
        assert "These files were already imported" in html and 'aria-label="This review"' in html
        assert f'href="{REVIEW}findings/"' in html and f'href="{UPLOAD}"' in html


def test_the_same_file_again_says_already_imported(world, login):
    client = login(world.users["ravi"])
    first = upload(client, example("ostley-community-health.txt"))["Location"]
    client.post(first + "confirm/", {"file": ["1"]})
    count = Finding.objects.count()
    again = upload(client, example("ostley-community-health.txt"))["Location"]
    preview = client.get(again).content.decode()
    assert "Already imported" in preview
    # Every file was imported before: nothing to confirm, so no "Confirm import" button.
    assert "Confirm import" not in preview and "there is nothing new to import" in preview
    html = client.post(again + "confirm/", {"file": ["1"]}).content.decode()
    assert "Already imported" in html and "nothing changed" in html
    assert f"already imported into {world.review.title} as" in html  # not its slug
    assert Finding.objects.count() == count


def test_cancel_discards_the_staged_files(world, login, settings):
    client = login(world.users["lena"])
    preview_url = upload(client, example("ostley-community-health.txt"))["Location"]
    response = client.post(preview_url + "cancel/")
    assert response.status_code == 302 and response["Location"] == UPLOAD
    assert staging_dirs(settings) == []
    assert "nothing was imported" in client.get(UPLOAD).content.decode()
    assert SourceDocument.objects.count() == 0


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/padding.bin", b"\0" * (60 * 1024 * 1024))
    return buffer.getvalue()


BAD_AT_UPLOAD = {
    "exe": ("setup.exe", b"MZ\x90\x00" * 100, "setup.exe: files ending '.exe' cannot be imported"),
    "no extension": ("README", b"hello", "README: files ending '(no extension)'"),
}


@pytest.mark.parametrize("case", sorted(BAD_AT_UPLOAD))
def test_files_refused_on_upload_name_the_file_in_the_error_summary(world, login, case, settings):
    name, content, message = BAD_AT_UPLOAD[case]
    response = upload(login(world.users["lena"]), SimpleUploadedFile(name, content))
    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html and "<title>Error:" in html
    assert message in html.replace("&#39;", "'")
    assert staging_dirs(settings) == []


def test_an_empty_file_is_named_on_the_preview_beside_the_good_files(world, login, settings):
    client = login(world.users["lena"])
    response = upload(client, example("ostley-community-health.txt"),
                      SimpleUploadedFile("empty.txt", b""))
    assert response.status_code == 302  # the good file is not dropped
    preview = client.get(response["Location"]).content.decode()
    assert "Ready to import" in preview and "Cannot be imported" in preview
    assert "empty.txt: the file is empty" in preview and "Confirm import" in preview
    html = client.post(response["Location"] + "confirm/", {"file": ["1"]}).content.decode()
    assert "Imported ostley-community-health.txt" in html
    assert SourceDocument.objects.filter(review=world.review).count() == 1


def test_an_edited_copy_of_an_imported_file_is_flagged_before_and_after_import(world, login):
    client = login(world.users["lena"])
    original = (SUBMISSIONS / "ostley-community-health.txt").read_bytes()
    first = upload(client, SimpleUploadedFile("ostley-community-health.txt", original))
    client.post(first["Location"] + "confirm/", {"file": ["1"]})
    before = Finding.objects.count()
    edited = original + b"\n- One more thing we learned late in the winter.\n"
    response = upload(client, SimpleUploadedFile("ostley-community-health-v2.txt", edited))
    preview = client.get(response["Location"]).content.decode().replace("&#39;", "'")
    assert "This may be a second copy" in preview
    assert "already has a submission imported from 'ostley-community-health.txt' on" in preview
    assert "repeat a finding already recorded" in preview
    html = client.post(response["Location"] + "confirm/", {"file": ["1"]}).content.decode()
    html = html.replace("&#39;", "'")
    assert "already has a submission imported from 'ostley-community-health.txt'" in html
    assert "possible second copy" in html
    assert Finding.objects.count() > before  # warned, never deleted


def test_a_file_over_the_size_limit_is_refused(world, login, settings):
    settings.STOCKTAKE_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.txt", b"Ashby General\n" + b"x" * (1024 * 1024 + 10))
    html = upload(login(world.users["lena"]), big).content.decode()
    assert "big.txt: the file is 1.0 MB; the most accepted is 1 MB" in html
    assert "nhsuk-error-summary" in html


def test_no_file_chosen(world, login):
    html = login(world.users["lena"]).post(UPLOAD, {}).content.decode()
    assert "Select one or more files to upload" in html and 'href="#files"' in html
    # The same words in the summary and by the field, and no others.
    assert html.count("Select one or more files to upload") == 2
    assert "Choose files that can be imported" not in html


BAD_CONTENT = {
    "junk docx": ("junk.docx", bytes(range(256)) * 40, "junk.docx: "),
    "junk xlsx": ("numbers.xlsx", b"\x00\xff" * 3000, "numbers.xlsx: "),
    "truncated docx": ("cut.docx", (SUBMISSIONS / "carrowfold-royal-infirmary.docx").read_bytes()[:900],
                       "cut.docx: "),
    "zip bomb": ("bomb.docx", None, "bomb.docx: unpacks to far more data"),
    "binary junk as text": ("notes.txt", b"\x00\x01\x02\xff\xfe" * 500, "notes.txt: "),
}


@pytest.mark.parametrize("case", sorted(BAD_CONTENT))
def test_unreadable_files_are_named_on_the_preview_and_never_imported(world, login, case, settings):
    settings.STOCKTAKE_MAX_UPLOAD_MB = 1
    name, content, message = BAD_CONTENT[case]
    client = login(world.users["lena"])
    response = upload(client, SimpleUploadedFile(name, zip_bomb() if content is None else content),
                      example("ostley-community-health.txt"))
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "nhsuk-error-summary" in html and "Cannot be imported" in html
    assert message in html
    assert 'href="#file-1"' in html
    # Confirming imports the good file only (the bad one is not offered).
    done = client.post(response["Location"] + "confirm/", {"file": ["1", "2"]}).content.decode()
    assert "Imported ostley-community-health.txt" in done
    assert not SourceDocument.objects.filter(original_name=name).exists()


def test_a_file_that_names_no_organisation_asks_for_one(world, login):
    client = login(world.users["lena"])
    text = b"People\n\n- Staff rest hubs stayed open all winter and were well used.\n"
    preview_url = upload(client, SimpleUploadedFile("notes.md", text))["Location"]
    html = client.get(preview_url).content.decode()
    assert "Which organisation is notes.md from?" in html
    ashby = world.orgs["ashby"]
    done = client.post(preview_url + "confirm/",
                       {"file": ["1"], "organisation-1": str(ashby.pk)}).content.decode()
    assert "Imported notes.md" in done
    assert Finding.objects.filter(source_document__original_name="notes.md",
                                  organisation=ashby).exists()


def test_without_an_organisation_the_import_fails_with_one_line(world, login):
    client = login(world.users["lena"])
    text = b"People\n\n- Staff rest hubs stayed open all winter and were well used.\n"
    preview_url = upload(client, SimpleUploadedFile("notes.md", text))["Location"]
    done = client.post(preview_url + "confirm/", {"file": ["1"]}).content.decode()
    assert "nhsuk-error-summary" in done
    assert "notes.md: the file does not say which organisation it is from" in done
    assert not SourceDocument.objects.exists()


def test_a_staged_upload_belongs_to_whoever_uploaded_it(world, login):
    preview_url = upload(login(world.users["lena"]),
                         example("ostley-community-health.txt"))["Location"]
    ravi = login(world.users["ravi"])
    assert ravi.get(preview_url).status_code == 404
    assert ravi.post(preview_url + "confirm/", {"file": ["1"]}).status_code == 404
    assert ravi.get(UPLOAD + "not-a-token/").status_code == 404
    assert ravi.get(UPLOAD + "..%2F..%2Fetc/").status_code == 404


@pytest.mark.parametrize("name,status", [("vera", 403), ("owen", 403), ("connie", 403),
                                         ("colin", 403), ("sam", 404)])
def test_only_leads_and_reviewers_may_upload(world, login, name, status):
    client = login(world.users[name])
    assert client.get(UPLOAD).status_code == status
    response = upload(client, example("ostley-community-health.txt"))
    assert response.status_code == status
    assert not SourceDocument.objects.exists()


def test_upload_needs_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["lena"])
    response = client.post(UPLOAD, {"files": [example("ostley-community-health.txt")]})
    assert response.status_code == 403
