"""Which analysis runs have lost their worker (docs/adr/0004-background-work.md).

A run is *stale* when nothing will ever finish it:

- it is running and its worker has not reported (``heartbeat_at``, else when it
  was queued) for longer than ``settings.STOCKTAKE_ANALYSIS_STALE_SECONDS``; or
- it is queued and the task queue holds no task that will run it: none waiting,
  and none taken by a worker within that same time.

Only reads; ``assess.actions.fail_stale_runs`` acts on the answer.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from stocktake.assess.models import AnalysisRun

Status = AnalysisRun.Status


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=settings.STOCKTAKE_ANALYSIS_STALE_SECONDS)


def last_sign_of_life(run: AnalysisRun) -> dt.datetime:
    return run.heartbeat_at or run.created_at


def is_silent(run, *, now: dt.datetime | None = None) -> bool:
    """A running run whose worker has not reported for longer than the threshold."""
    now = now or timezone.now()
    return run.status == Status.RUNNING and last_sign_of_life(run) < now - stale_after()


def stale_runs(*, task: Task, now: dt.datetime | None = None, review=None) -> list[AnalysisRun]:
    """Queued and running runs (of ``review``, or all) that no worker will finish.

    ``task`` is the background task that runs queued runs
    (:func:`stocktake.assess.actions.run_analysis`).
    """
    now = now or timezone.now()
    runs = AnalysisRun.objects.select_related("review")
    if review is not None:
        runs = runs.filter(review=review)
    silent = list(
        runs.filter(status=Status.RUNNING)
        .alias(seen=Coalesce("heartbeat_at", "created_at"))
        .filter(seen__lt=now - stale_after())
    )
    queued = list(runs.filter(status=Status.QUEUED))
    if queued and _queue_is_visible(task):
        pending = pending_run_ids(task=task, now=now)
        silent += [run for run in queued if run.pk not in pending]
    return sorted(silent, key=lambda run: run.pk)


def _queue_is_visible(task: Task) -> bool:
    """Whether tasks are rows we can read (not so for an immediate or dummy backend)."""
    return isinstance(task.get_backend(), DatabaseBackend)


def pending_run_ids(*, task: Task, now: dt.datetime | None = None) -> set[int]:
    """Runs with a ``task`` waiting, or taken by a worker within the threshold."""
    now = now or timezone.now()
    tasks = DBTaskResult.objects.filter(task_path=task.module_path).filter(
        Q(status="READY") | Q(status="RUNNING", started_at__gte=now - stale_after())
    )
    ids = (_run_id(args_kwargs) for args_kwargs in tasks.values_list("args_kwargs", flat=True))
    return {run_id for run_id in ids if run_id is not None}


def _run_id(args_kwargs: dict) -> int | None:
    """The run a ``run_analysis`` task was enqueued for (``run_analysis.enqueue(run.pk)``)."""
    args = args_kwargs.get("args") or []
    value = args[0] if args else (args_kwargs.get("kwargs") or {}).get("run_id")
    return value if isinstance(value, int) else None
