"""Analysis as a background task: queued run first, then a worker runs it."""

from __future__ import annotations

from unittest import mock

import pytest
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from stocktake.analysis.errors import InputError
from stocktake.assess import actions
from stocktake.assess.models import AnalysisRun, Code, CodeOrigin
from stocktake.core.errors import InvalidInput
from stocktake.core.models import AuditEvent


def run_queue() -> None:
    """What `stocktake worker --batch` does, in this process and this test's transaction.

    The worker closes "old" database connections between tasks; inside a test's
    transaction that would close the test's own connection on PostgreSQL (SQLite's
    in-memory test database ignores it), so that one call is a no-op here.
    """
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
               startup_delay=False, max_tasks=None, worker_id="test",
               excluded_queue_names=[]).run()


def test_queueing_records_a_queued_run_and_its_task_and_changes_nothing_else(world):
    lena = world.users["lena"]
    run = actions.queue_analysis(review=world.review, by=lena, backend="tfidf", seed=7)
    assert (run.status, run.backend, run.seed, run.created_by) == ("queued", "tfidf", 7, lena)
    assert run.progress == 0 and run.finished_at is None
    task = DBTaskResult.objects.get()
    assert task.task_path == "stocktake.assess.actions.run_analysis"
    assert task.args_kwargs == {"args": [run.pk], "kwargs": {}}
    event = AuditEvent.objects.get(verb="analysis.queued")
    assert event.actor == lena and event.details["task"] == str(task.id)
    assert not Code.objects.exists()


def test_the_database_worker_runs_the_queued_analysis_end_to_end(world):
    run = actions.queue_analysis(review=world.review, by=world.users["ravi"], seed=3)
    run_queue()
    run.refresh_from_db()
    assert run.status == AnalysisRun.Status.DONE
    assert run.finding_count == run.progress == 4
    assert run.parameters["store_threshold"] and run.seed == 3
    assert Code.objects.filter(origin=CodeOrigin.MACHINE, analysis_run=run).exists()
    task = DBTaskResult.objects.get()
    assert task.status == "SUCCESSFUL" and task.return_value == "done"
    completed = AuditEvent.objects.get(verb="analysis.completed")
    assert completed.actor == world.users["ravi"] and completed.details["seed"] == 3


def test_a_backend_that_cannot_run_fails_the_run_with_its_message(world, monkeypatch):
    run = actions.queue_analysis(review=world.review, by=world.users["lena"])

    def uninstalled(name):  # the backend went away between queueing and running
        raise InputError(f"unknown analysis backend {name!r}")

    monkeypatch.setattr(actions, "get_backend", uninstalled)
    assert actions.run_analysis.call(run.pk) == "failed"
    run.refresh_from_db()
    assert run.status == "failed" and "unknown analysis backend" in run.message
    assert run.finished_at is not None
    assert AuditEvent.objects.filter(verb="analysis.failed").exists()


def test_a_run_that_is_no_longer_queued_is_left_alone(world):
    run = actions.analyse_review(review=world.review, by=world.users["lena"])
    codes = list(Code.objects.order_by("id").values_list("id", "analysis_run_id"))
    assert actions.run_analysis.call(run.pk) == "done"
    assert list(Code.objects.order_by("id").values_list("id", "analysis_run_id")) == codes


def test_unexpected_errors_fail_the_run_and_the_task(world, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(actions, "_store_chunk", boom)
    run = actions.queue_analysis(review=world.review, by=world.users["lena"])
    run_queue()
    run.refresh_from_db()
    assert run.status == "failed" and run.message == "disk on fire"
    task = DBTaskResult.objects.get()
    assert task.status == "FAILED" and "disk on fire" in task.traceback


def test_unknown_backend_is_refused_before_anything_is_queued(world):
    with pytest.raises(InvalidInput, match="unknown analysis backend"):
        actions.queue_analysis(review=world.review, by=world.users["lena"], backend="nope")
    assert not AnalysisRun.objects.exists() and not DBTaskResult.objects.exists()


def test_a_second_request_while_one_waits_is_refused(world):
    lena = world.users["lena"]
    actions.queue_analysis(review=world.review, by=lena)
    with pytest.raises(InvalidInput, match="already waiting"):
        actions.queue_analysis(review=world.review, by=lena)
    assert AnalysisRun.objects.count() == 1 == DBTaskResult.objects.count()
    run_queue()
    actions.queue_analysis(review=world.review, by=lena)  # fine once it has started
    assert AnalysisRun.objects.count() == 2
