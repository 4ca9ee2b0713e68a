"""A large upload waiting for the background worker: its page says plainly when no worker
is running and what to start; while a worker reads a long file, the page shows which page
it has reached (with JavaScript, HTMX polls; without, "Refresh")."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from stocktake.collect import actions as collect_actions
from stocktake.collect import importers
from stocktake.collect.models import BatchStatus, Finding, ImportBatch
from stocktake.track.imports import actions as import_actions
from stocktake.track.imports import liveness
from tests.assess.test_tasks import run_queue
from tests.collect.test_web_upload_choices import UPLOAD, form_fields, staged_docx

pytestmark = pytest.mark.django_db


def queued_upload(client, tmp_path, settings) -> str:
    """A confirmed large upload, queued for the worker: its page's address."""
    settings.STOCKTAKE_BACKGROUND_IMPORT_MB = 0  # every file counts as large
    url = staged_docx(client, tmp_path)
    client.get(url)
    run_queue()  # the worker reads it for the preview
    html = client.get(url).content.decode()
    response = client.post(url + "confirm/", form_fields(html))
    assert response.status_code == 302
    return response["Location"]


def at(moment, monkeypatch):
    """Make the liveness rule read the clock as ``moment``."""
    monkeypatch.setattr(liveness, "timezone", SimpleNamespace(now=lambda: moment))


def test_a_queued_import_with_no_worker_says_so_and_what_to_run(world, login, tmp_path, settings,
                                                                monkeypatch):
    settings.STOCKTAKE_WORKER_WAIT_SECONDS = 30
    client = login(world.users["lena"])
    detail = queued_upload(client, tmp_path, settings)
    batch = ImportBatch.objects.get()
    # A moment after queueing: the worker will take it shortly; no alarm.
    page = client.get(detail).content.decode()
    assert "Waiting to start" in page and "No background worker" not in page
    # Two minutes on, nothing has taken it and nothing else is running: no worker.
    at(timezone.now() + dt.timedelta(minutes=2), monkeypatch)
    page = client.get(detail).content.decode()
    assert "No background worker is running" in page and "waited 2 minutes" in page
    assert "<code>stocktake worker</code>" in page and "<code>stocktake serve</code>" in page
    assert ">Refresh</a>" in page and 'hx-trigger="every 2s"' in page  # works without JS too
    partial = client.get(detail, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="import-progress"')
    assert "No background worker is running" in partial
    listing = client.get(UPLOAD.replace("upload/", "imports/")).content.decode()
    assert "No background worker is running" in listing and f"Import {batch.pk}'s page" in listing
    assert "0 findings" not in listing  # nothing to count until it has run
    # A worker starts: the import runs, and the warning goes.
    run_queue()
    page = client.get(detail).content.decode()
    assert "No background worker" not in page and "partners.docx: Imported" in page


def test_a_queued_import_behind_other_work_waits_without_alarm(world, tmp_path, settings):
    from django_tasks_db.models import DBTaskResult

    from stocktake.assess.actions import queue_analysis

    lena = world.users["lena"]
    batch = collect_actions.start_import_batch(review=world.review, by=lena)
    import_actions.queue_import(batch=batch, token="t", wanted=[0], by=lena)
    queue_analysis(review=world.review, by=lena, backend="tfidf", seed=1)
    analysis = DBTaskResult.objects.exclude(task_path=import_actions.run_import.module_path).get()
    analysis.claim("test")  # a worker is busy with the analysis
    later = timezone.now() + dt.timedelta(minutes=3)
    wait = import_actions.wait_of(batch, now=later)
    assert wait.state == liveness.BUSY and not wait.no_worker
    assert wait.busy_since == analysis.started_at
    soon = timezone.now() + dt.timedelta(seconds=5)
    assert import_actions.wait_of(batch, now=soon).state == liveness.STARTING


def test_a_queued_import_whose_task_is_gone_is_marked_stopped(world, settings):
    from django_tasks_db.models import DBTaskResult

    lena = world.users["lena"]
    batch = collect_actions.start_import_batch(review=world.review, by=lena)
    import_actions.queue_import(batch=batch, token="t", wanted=[0], by=lena)
    assert import_actions.fail_stale_imports(review=world.review) == []
    task = DBTaskResult.objects.get()
    task.set_failed(RuntimeError("lost"))
    assert import_actions.wait_of(batch).state == liveness.GONE
    assert import_actions.fail_stale_imports(review=world.review) == [batch]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED and "no longer in the background queue" in batch.message


def test_the_import_page_shows_the_page_a_long_read_has_reached(world, login, tmp_path, settings,
                                                                monkeypatch):
    client = login(world.users["lena"])
    detail = queued_upload(client, tmp_path, settings)
    batch = ImportBatch.objects.get()
    real_extract = importers.extract
    seen = []

    def slow_extract(path, *, progress=None, **kwargs):  # a scan of 40 pages, read page by page
        for done in range(1, 41):
            if progress is not None:
                progress(done, 40)
                if done == 12:
                    seen.append(client.get(detail).content.decode())
        return real_extract(path, **kwargs)

    monkeypatch.setattr(importers, "extract", slow_extract)
    monkeypatch.setattr(import_actions, "PAGE_PROGRESS_EVERY", 0)
    run_queue()
    page = seen[0]
    assert "Reading partners.docx: page 12 of 40." in page
    assert "Importing" in page and "Files imported: 0 of 1" in page
    batch.refresh_from_db()
    assert batch.status == BatchStatus.IMPORTED and batch.message == ""
    assert "page " not in client.get(detail).content.decode().split("<h2")[1]
    assert Finding.objects.filter(source_document__original_name="partners.docx").count() == 4


def test_page_progress_is_written_at_most_once_a_second_and_on_the_last_page(world, monkeypatch):
    lena = world.users["lena"]
    batch = collect_actions.start_import_batch(review=world.review, by=lena)
    writes = []
    monkeypatch.setattr(collect_actions, "set_batch_progress",
                        lambda **kwargs: writes.append(kwargs["message"]))
    clock = iter([100.0, 100.2, 100.4, 101.5, 101.6])
    monkeypatch.setattr(import_actions.time, "monotonic", lambda: next(clock))
    progress = import_actions.page_progress(batch, lena)
    for done in range(1, 6):
        progress(done, 5)
    assert writes == ["page 1 of 5", "page 4 of 5", "page 5 of 5"]


def test_a_large_file_waiting_to_be_read_for_the_preview_says_when_no_worker_runs(
        world, login, tmp_path, settings, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    settings.STOCKTAKE_BACKGROUND_IMPORT_MB = 0
    client = login(world.users["lena"])
    url = staged_docx(client, tmp_path)
    html = client.get(url).content.decode()
    assert "Being read" in html and "No background worker" not in html
    at(timezone.now() + dt.timedelta(minutes=5), monkeypatch)
    html = client.get(url).content.decode()
    assert "Being read" in html and "No background worker is running" in html
    assert "waited 5 minutes to be read" in html and "<code>stocktake worker</code>" in html
    # Its task ends without reading the file (an unexpected failure): said, not "Being read" forever.
    DBTaskResult.objects.get().set_failed(RuntimeError("worker crashed"))
    html = client.get(url).content.decode()
    assert "Being read" not in html and "reading it in the background stopped without a result" in html


def test_the_preview_shows_the_page_a_background_read_has_reached(world, login, tmp_path, settings,
                                                                  monkeypatch):
    from stocktake.collect import preview_cache

    settings.STOCKTAKE_BACKGROUND_IMPORT_MB = 0
    client = login(world.users["lena"])
    url = staged_docx(client, tmp_path)
    assert "Being read" in client.get(url).content.decode()
    real_extract = importers.extract
    seen = []

    def slow_extract(path, *, progress=None, **kwargs):  # a scan of 40 pages
        for done in range(1, 41):
            progress(done, 40)
            if done == 12:
                seen.append(client.get(url).content.decode())
        return real_extract(path, **kwargs)

    monkeypatch.setattr(importers, "extract", slow_extract)
    monkeypatch.setattr(preview_cache, "PROGRESS_EVERY", 0)
    run_queue()
    assert "Being read" in seen[0] and "Recognising its text: page 12 of 40." in seen[0]
    html = client.get(url).content.decode()
    assert "Being read" not in html and "Recognising its text" not in html
