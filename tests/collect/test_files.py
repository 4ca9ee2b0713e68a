"""Originals and staged uploads go through the ``uploads`` storage, wherever it is configured."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stocktake.collect import files, staging
from stocktake.report.importing import import_document
from tests.collect.conftest import SUBMISSIONS


@pytest.fixture
def elsewhere(settings, tmp_path) -> Path:
    """An uploads storage outside MEDIA_ROOT, as a deployment might configure it."""
    location = tmp_path / "shared"
    settings.STORAGES = {**settings.STORAGES, "uploads": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(location)}}}
    return location


def test_originals_are_kept_in_the_configured_storage_once(world, elsewhere, settings):
    path = SUBMISSIONS / "ostley-community-health.txt"
    result = import_document(review=world.review, path=path, by=world.users["lena"])
    stored = elsewhere / result.document.stored_path
    assert stored.read_bytes() == path.read_bytes()
    assert not (Path(settings.MEDIA_ROOT) / "documents").exists()
    assert files.store_original(result.document.stored_path, path) is False  # already there
    assert [p.name for p in stored.parent.iterdir()] == [stored.name]


def test_staged_uploads_live_in_the_configured_storage_until_discarded(world, elsewhere):
    upload = SimpleUploadedFile("Board paper (final).txt", b"Organisation: Ostley\n")
    staged = staging.stage([upload], user_id=1, review_id=world.review.pk)
    (item,) = staged.files
    assert item.stored == "001-Board-paper-final-.txt"
    assert staged.path(item).read_bytes() == b"Organisation: Ostley\n"
    assert staged.path(item).is_relative_to(elsewhere)
    assert staging.load(staged.token, user_id=1, review_id=world.review.pk) == staged
    assert staging.load(staged.token, user_id=2, review_id=world.review.pk) is None
    staging.discard(staged)
    assert list((elsewhere / "staging").iterdir()) == []
    assert staging.load(staged.token, user_id=1, review_id=world.review.pk) is None


def test_safe_names_and_hashes():
    assert files.safe_name("../../etc/pass wd") == "pass-wd"
    assert files.safe_name("***", "upload") == "upload"
    with (SUBMISSIONS / "ostley-community-health.txt").open("rb") as handle:
        digest, size = files.sha256_of(handle)
    assert len(digest) == 64 and size == (SUBMISSIONS / "ostley-community-health.txt").stat().st_size
