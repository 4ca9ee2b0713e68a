"""Publishing: checks first (publish anyway needs a reason), version 1 frozen with its files
written by the worker, corrections as new versions with a change note."""

from __future__ import annotations

import hashlib
import io
import zipfile
from unittest import mock

import pytest
from django.core.files.storage import storages
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from stocktake.core.errors import InvalidInput, InvalidTransition
from stocktake.core.models import AuditEvent
from stocktake.report import actions as report_actions
from stocktake.report import formats
from stocktake.report.actions import publishing
from stocktake.report.models import ReportVersion
from stocktake.reviews import actions as review_actions


def run_queue() -> None:
    """What `stocktake worker --batch` does, in this process (see tests/assess/test_tasks.py)."""
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
               startup_delay=False, max_tasks=None, worker_id="test",
               excluded_queue_names=[]).run()


@pytest.fixture
def reporting(world):
    lena = world.users["lena"]
    for status in ["assessing", "reporting"]:
        world.review = review_actions.change_review_status(review=world.review, status=status,
                                                           by=lena)
    return world


def stored(version, key) -> bytes:
    with storages["uploads"].open(version.files[key]["path"], "rb") as handle:
        return handle.read()


def test_open_checks_refuse_publishing_without_a_reason(reporting):
    lena = reporting.users["lena"]
    with pytest.raises(InvalidInput, match="give a reason to publish anyway") as caught:
        report_actions.publish_report(review=reporting.review, by=lena, reason="  ")
    assert "1 recommendation cites no finding as evidence" in str(caught.value)
    reporting.review.refresh_from_db()
    assert reporting.review.status == "reporting" and not ReportVersion.objects.exists()


def test_publishing_anyway_records_version_one_with_the_reason_and_queues_its_files(reporting):
    lena = reporting.users["lena"]
    review = report_actions.publish_report(review=reporting.review, by=lena,
                                           reason="The board meets on Monday.")
    assert review.status == "tracking"
    assert set(review.recommendations.values_list("status", flat=True)) == {"agreed"}
    version = review.report_versions.get()
    assert (version.number, version.status, version.published_by) == (1, "building", lena)
    assert version.override_reason == "The board meets on Monday."
    codes = {c["code"] for c in version.open_checks}
    assert {"recommendations_without_evidence", "themes_without_narrative"} <= codes
    task = DBTaskResult.objects.get()
    assert task.task_path == "stocktake.report.actions.publishing.build_version_files"
    assert task.args_kwargs == {"args": [version.pk], "kwargs": {}}
    event = AuditEvent.objects.get(verb="report.version_published")
    assert event.details["overridden"] is True and event.details["number"] == 1
    assert "Monday" not in str(event.details)  # the reason stays on the version


def test_the_worker_writes_every_available_format_and_freezes_them(reporting):
    lena = reporting.users["lena"]
    review = report_actions.publish_report(review=reporting.review, by=lena, reason="Now.")
    run_queue()
    version = review.report_versions.get()
    assert version.status == "ready", version.message
    available = formats.available()
    assert "html" in available and set(version.files) == set(available)
    for key in formats.FORMATS:
        if key not in available:
            assert formats.NOT_AVAILABLE in version.message
    html = stored(version, "html")
    entry = version.files["html"]
    assert entry["path"] == "reports/winter-2025/v1/winter-2025-report-v1.html"
    assert entry["sha256"] == hashlib.sha256(html).hexdigest() and entry["size"] == len(html)
    text = html.decode()
    assert "Agree one regional data request per week." in text
    # Changing the data afterwards leaves version 1's files as they were.
    rec = review.recommendations.get(number=1)
    report_actions.update_recommendation(recommendation=rec, by=lena,
                                         text="Agree one regional data request per month.")
    assert stored(version, "html") == html
    assert AuditEvent.objects.filter(verb="report.version_ready").count() == 1


def test_a_correction_is_a_new_version_with_its_note_and_the_review_stays(reporting):
    lena = reporting.users["lena"]
    review = report_actions.publish_report(review=reporting.review, by=lena, reason="Now.")
    run_queue()
    with pytest.raises(InvalidInput, match="change note"):
        report_actions.publish_correction(review=review, change_note=" ", by=lena, reason="x")
    rec = review.recommendations.get(number=1)
    report_actions.update_recommendation(recommendation=rec, by=lena,
                                         text="Agree one regional data request per month.")
    v2 = report_actions.publish_correction(review=review, by=lena, reason="Still open.",
                                           change_note="Recommendation 1: monthly, not weekly.")
    run_queue()
    v1, v2 = review.report_versions.get(number=1), review.report_versions.get(number=2)
    assert v2.status == "ready" and v2.change_note.startswith("Recommendation 1")
    assert "per week" in stored(v1, "html").decode()
    new = stored(v2, "html").decode()
    assert "per month" in new
    data = publishing.version_data(v2)
    assert (data.version, data.change_note, data.is_draft) == (
        2, "Recommendation 1: monthly, not weekly.", False)
    assert data.published_on == v2.published_at.date()
    assert v2.files["html"]["path"].endswith("v2/winter-2025-report-v2.html")
    review.refresh_from_db()
    assert review.status == "tracking"


def test_a_correction_needs_a_published_report(reporting):
    with pytest.raises(InvalidTransition, match="not been published"):
        report_actions.publish_correction(review=reporting.review, change_note="x",
                                          by=reporting.users["lena"], reason="y")


def test_a_failed_build_says_why_and_can_be_retried(reporting, monkeypatch):
    lena = reporting.users["lena"]
    review = report_actions.publish_report(review=reporting.review, by=lena, reason="Now.")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(formats, "write", broken)
    run_queue()
    version = review.report_versions.get()
    assert version.status == "failed" and "disk full" in version.message
    assert publishing.may_retry(version)
    monkeypatch.undo()
    version = report_actions.retry_version_build(version=version, by=lena)
    assert version.status == "building"
    run_queue()
    version.refresh_from_db()
    assert version.status == "ready" and "html" in version.files
    with pytest.raises(InvalidInput, match="nothing to build again"):
        report_actions.retry_version_build(version=version, by=lena)


def test_the_registry_names_a_missing_renderer_plainly(monkeypatch):
    missing = formats.Format("odt", "OpenDocument", "odt", "application/x", "stocktake.nowhere",
                             "render_odt", "data")
    monkeypatch.setitem(formats.FORMATS, "odt", missing)
    assert formats.unavailable_reason("odt") == (
        f"OpenDocument: {formats.NOT_AVAILABLE} (stocktake.nowhere)")
    with pytest.raises(formats.FormatUnavailable, match="not available in this build"):
        formats.write("odt", review=None, data=None, path="x.odt")
    with pytest.raises(InvalidInput, match="Unknown report format 'rtf'"):
        formats.get("rtf")


@pytest.mark.parametrize("key", ["docx", "pdf", "data", "qdpx"])
def test_each_published_format_opens(reporting, key):
    if reason := formats.unavailable_reason(key):
        pytest.skip(reason)
    lena = reporting.users["lena"]
    review = report_actions.publish_report(review=reporting.review, by=lena, reason="Now.")
    run_queue()
    version = review.report_versions.get()
    content = stored(version, key)
    assert version.files[key]["size"] == len(content) > 0
    if key == "pdf":
        assert content.startswith(b"%PDF")
    else:  # docx, the data pack and the QDPX project are zip files
        assert zipfile.ZipFile(io.BytesIO(content)).testzip() is None
