"""Runs whose worker died are failed, runs can be cancelled, and neither leaves partial results."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from stocktake.assess import actions
from stocktake.assess.models import AnalysisRun, Code, CodeOrigin
from stocktake.collect.actions import NewFinding, add_findings
from stocktake.collect.models import Finding
from stocktake.core.errors import InvalidInput
from stocktake.core.models import AuditEvent
from stocktake.reviews.actions import create_review
from tests.assess.test_tasks import run_queue

Status = AnalysisRun.Status
STALE = 900


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.STOCKTAKE_ANALYSIS_STALE_SECONDS = STALE


class Killed(BaseException):
    """What a worker meets when its process is killed: nothing in it runs any more."""


def die(done, total):
    raise Killed


def dead_run(world, **kwargs) -> AnalysisRun:
    """A run whose worker was killed after its first progress step: left running."""
    with pytest.raises(Killed):
        actions.analyse_review(review=world.review, by=world.users["lena"], progress=die,
                               **kwargs)
    return AnalysisRun.objects.get(status=Status.RUNNING)


def more_findings(world, n: int = 3) -> None:
    """Findings with no domain and machine polarity, so an analysis would change them."""
    add_findings(submission=world.submissions["bracken"], by=world.users["colin"],
                 findings=[NewFinding(f"Volunteers and students joined the workforce ({i}).")
                           for i in range(n)])


def queue_lost_its_tasks() -> None:
    """The task queue's rows are gone (a crash, a restore): no worker will run the runs."""
    DBTaskResult.objects.all().delete()


def worker_died_holding_the_task() -> None:
    """A worker took the task and died before it could start the run."""
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())


def snapshot():
    codes = Code.objects.order_by("id").values_list(
        "finding_id", "theme_id", "origin", "score", "analysis_run_id")
    findings = Finding.objects.order_by("id").values_list("id", "polarity", "domain_id")
    return list(codes), list(findings)


def test_every_progress_step_is_a_heartbeat(world, monkeypatch):
    monkeypatch.setattr(actions, "CHUNK_SIZE", 1)
    beats = []

    def record(done, total):
        beats.append(AnalysisRun.objects.values_list("heartbeat_at", "progress").get())

    run = actions.analyse_review(review=world.review, by=world.users["lena"], progress=record)
    assert [progress for _, progress in beats] == [1, 2, 3, 4]
    times = [beat for beat, _ in beats]
    assert None not in times and times == sorted(times)
    assert run.status == Status.DONE and run.heartbeat_at >= times[-1]
    assert AnalysisRun.objects.get().heartbeat_at == run.heartbeat_at


def test_a_running_run_is_stale_once_silent_for_longer_than_the_threshold(world):
    run = dead_run(world)
    assert run.progress == 4 and run.heartbeat_at is not None
    assert not Code.objects.filter(origin=CodeOrigin.MACHINE).exists()  # nothing stored yet
    deadline = run.heartbeat_at + dt.timedelta(seconds=STALE)

    assert actions.fail_stale_runs(now=deadline) == []
    assert actions.fail_stale_runs(now=deadline + dt.timedelta(seconds=1)) == [run]

    run.refresh_from_db()
    assert run.status == Status.FAILED and run.message == actions.STALE_MESSAGE
    assert "worker stopped before the run finished; start it again" in run.message
    assert run.finished_at == deadline + dt.timedelta(seconds=1)
    event = AuditEvent.objects.get(verb="analysis.failed")
    assert event.actor is None and event.review == world.review
    assert event.subject_id == str(run.pk)
    assert event.details["reason"] == "stale" and event.details["previous_status"] == "running"
    assert event.details["last_heartbeat"] == run.heartbeat_at.isoformat()
    # Done once: a failed run is not failed again.
    assert actions.fail_stale_runs(now=deadline + dt.timedelta(days=1)) == []


def test_a_shorter_threshold_from_settings_applies(world, settings):
    run = dead_run(world)
    settings.STOCKTAKE_ANALYSIS_STALE_SECONDS = 60
    assert actions.fail_stale_runs(now=run.heartbeat_at + dt.timedelta(seconds=61),
                                   by=world.users["ravi"]) == [run]
    assert AuditEvent.objects.get(verb="analysis.failed").actor == world.users["ravi"]


def test_a_queued_run_is_stale_only_when_no_task_will_run_it(world):
    run = actions.queue_analysis(review=world.review, by=world.users["lena"])
    later = timezone.now() + dt.timedelta(days=1)
    assert actions.fail_stale_runs(now=later) == []  # its task is waiting, however long

    worker_died_holding_the_task()
    assert actions.fail_stale_runs() == []
    assert actions.fail_stale_runs(now=later) == [run]
    run.refresh_from_db()
    assert run.status == Status.FAILED and run.message == actions.STALE_MESSAGE
    event = AuditEvent.objects.get(verb="analysis.failed")
    assert event.details["previous_status"] == "queued"


def test_a_queued_run_whose_task_is_gone_is_stale_at_once(world):
    run = actions.queue_analysis(review=world.review, by=world.users["lena"])
    queue_lost_its_tasks()
    assert actions.fail_stale_runs() == [run]


def test_stale_runs_of_other_reviews_are_left_to_them(world):
    run = dead_run(world)
    later = run.heartbeat_at + dt.timedelta(days=1)
    other = create_review(title="Spring 2026", slug="spring-2026", framework=world.framework,
                          by=world.users["lena"])
    assert actions.fail_stale_runs(now=later, review=other) == []
    assert actions.fail_stale_runs(now=later, review=world.review) == [run]


def test_a_stale_queued_run_does_not_block_a_new_one(world):
    lena = world.users["lena"]
    lost = actions.queue_analysis(review=world.review, by=lena)
    with pytest.raises(InvalidInput, match="already waiting"):
        actions.queue_analysis(review=world.review, by=lena)
    queue_lost_its_tasks()

    new = actions.queue_analysis(review=world.review, by=lena, seed=2)
    lost.refresh_from_db()
    assert lost.status == Status.FAILED and new.status == Status.QUEUED
    run_queue()
    new.refresh_from_db()
    assert new.status == Status.DONE


def test_a_dead_running_run_is_failed_when_a_new_run_is_queued(world, settings):
    dead = dead_run(world)
    settings.STOCKTAKE_ANALYSIS_STALE_SECONDS = 0  # its last heartbeat is already too old
    actions.queue_analysis(review=world.review, by=world.users["ravi"])
    dead.refresh_from_db()
    assert dead.status == Status.FAILED
    assert AuditEvent.objects.get(verb="analysis.failed").actor == world.users["ravi"]


def test_a_worker_that_outlives_its_stale_verdict_stores_nothing(world, monkeypatch):
    monkeypatch.setattr(actions, "CHUNK_SIZE", 2)
    before = snapshot()

    def judged_stale(done, total):
        if done == 2:
            actions.fail_stale_runs(now=timezone.now() + dt.timedelta(days=1))

    run = actions.analyse_review(review=world.review, by=None, progress=judged_stale)
    assert run.status == Status.FAILED and run.progress == 2
    assert snapshot() == before
    assert not AuditEvent.objects.filter(verb="analysis.completed").exists()


def test_cancelling_a_queued_run(world):
    run = actions.queue_analysis(review=world.review, by=world.users["lena"])
    cancelled = actions.cancel_run(run=run, by=world.users["ravi"])
    assert cancelled.status == Status.CANCELLED and cancelled.finished_at is not None
    assert cancelled.message == "Cancelled by Ravi Reviewer; nothing from this run was stored."
    event = AuditEvent.objects.get(verb="analysis.cancelled")
    assert event.actor == world.users["ravi"] and event.details["previous_status"] == "queued"

    run_queue()  # its task still runs, finds the run cancelled and leaves it
    assert DBTaskResult.objects.get().return_value == "cancelled"
    run.refresh_from_db()
    assert run.status == Status.CANCELLED
    assert not Code.objects.filter(origin=CodeOrigin.MACHINE).exists()
    # Nothing is waiting any more: a new run may be queued.
    assert actions.queue_analysis(review=world.review, by=world.users["lena"]).pk != run.pk


@pytest.mark.parametrize("when", [1, 5], ids=["mid-run", "after-the-last-step"])
def test_a_cancelled_running_run_leaves_no_machine_codes(world, monkeypatch, when):
    more_findings(world, 1)
    monkeypatch.setattr(actions, "CHUNK_SIZE", 1)
    before = snapshot()

    def cancel_at(done, total):
        if done == when:
            actions.cancel_run(run=AnalysisRun.objects.get(), by=world.users["lena"])

    run = actions.analyse_review(review=world.review, by=world.users["ravi"],
                                 progress=cancel_at)
    assert run.status == Status.CANCELLED and run.progress == when
    assert not Code.objects.filter(origin=CodeOrigin.MACHINE).exists()
    assert snapshot() == before
    assert not AuditEvent.objects.filter(verb="analysis.completed").exists()


def test_a_cancelled_rerun_keeps_the_earlier_suggestions(world, monkeypatch):
    more_findings(world)
    first = actions.analyse_review(review=world.review, by=world.users["ravi"])
    monkeypatch.setattr(actions, "CHUNK_SIZE", 2)
    before = snapshot()
    assert Code.objects.filter(origin=CodeOrigin.MACHINE, analysis_run=first).count() >= 7

    def cancel_at(done, total):
        if done == 4:
            actions.cancel_run(run=AnalysisRun.objects.get(status=Status.RUNNING),
                               by=world.users["lena"])

    second = actions.analyse_review(review=world.review, by=world.users["ravi"], seed=5,
                                    progress=cancel_at)
    assert second.status == Status.CANCELLED
    assert snapshot() == before
    assert not Code.objects.filter(analysis_run=second).exists()


def test_a_queued_run_cancelled_through_the_worker_path_returns_cancelled(world):
    run = actions.queue_analysis(review=world.review, by=world.users["lena"])
    actions.cancel_run(run=run, by=world.users["lena"])
    fresh = AnalysisRun.objects.get(pk=run.pk)
    assert actions.analyse_review(review=world.review, by=None, run=fresh).status == "cancelled"


def test_a_run_that_has_ended_cannot_be_cancelled(world):
    run = actions.analyse_review(review=world.review, by=world.users["lena"])
    with pytest.raises(InvalidInput, match=f"Run {run.pk} has already ended \\(done\\)"):
        actions.cancel_run(run=run, by=world.users["lena"])
    run.refresh_from_db()
    assert run.status == Status.DONE
    assert not AuditEvent.objects.filter(verb="analysis.cancelled").exists()


def test_a_failure_part_way_stores_nothing(world, monkeypatch):
    more_findings(world)
    actions.analyse_review(review=world.review, by=world.users["lena"])
    monkeypatch.setattr(actions, "CHUNK_SIZE", 2)
    calls = []
    real = actions._store_chunk

    def fail_on_third(run, part, counts):
        calls.append(part)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        real(run, part, counts)

    monkeypatch.setattr(actions, "_store_chunk", fail_on_third)
    before = snapshot()
    with pytest.raises(RuntimeError, match="disk full"):
        actions.analyse_review(review=world.review, by=world.users["lena"])
    run = AnalysisRun.objects.get(status=Status.FAILED)
    assert run.message == "disk full" and len(calls) == 3
    assert snapshot() == before  # the two chunks written before it were rolled back


def test_an_interrupted_run_is_failed_at_once_and_stores_nothing(world, monkeypatch):
    monkeypatch.setattr(actions, "CHUNK_SIZE", 2)
    before = snapshot()

    def ctrl_c(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        actions.analyse_review(review=world.review, by=None, progress=ctrl_c)
    run = AnalysisRun.objects.get()
    assert run.status == Status.FAILED and run.message == actions.INTERRUPTED_MESSAGE
    assert run.progress == 2 and snapshot() == before
