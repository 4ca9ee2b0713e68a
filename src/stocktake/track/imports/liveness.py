"""Whether a background worker is there for a queued task (docs/adr/0004-background-work.md).

An idle worker takes a waiting task within a second or two (`stocktake worker` looks
every ``--interval`` seconds, the thread in `stocktake serve` every second). So a task
still waiting after ``settings.STOCKTAKE_WORKER_WAIT_SECONDS`` is either behind other
work a worker is doing now (a task it took within ``STOCKTAKE_ANALYSIS_STALE_SECONDS``)
or, with nothing being run, waiting for a worker that is not running. A queued task no
longer in the queue at all will never run. Only reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

STARTING = "starting"  # queued a moment ago: a worker will take it shortly
TAKEN = "taken"  # a worker has taken it
BUSY = "busy"  # waiting behind work a worker is doing now
NO_WORKER = "no_worker"  # waiting, and no worker has taken anything: none is running
GONE = "gone"  # its task is no longer in the queue: nothing will run it


@dataclass(frozen=True)
class Wait:
    """How a queued piece of background work is doing: ``state`` (one of the constants
    above), how long it has waited, and when the work it waits behind started."""

    state: str
    waited: dt.timedelta
    busy_since: dt.datetime | None = None

    @property
    def no_worker(self) -> bool:
        return self.state == NO_WORKER


def wait_seconds() -> int:
    return int(settings.STOCKTAKE_WORKER_WAIT_SECONDS)


def wait_for(task: Task, *, args: list, since: dt.datetime | None = None,
             now: dt.datetime | None = None) -> Wait | None:
    """How the task ``task`` enqueued with positional arguments starting ``args`` is doing,
    queued at ``since`` (else when its task was enqueued); None when the queue is not a
    table that can be read (an immediate or dummy backend in development)."""
    if not isinstance(task.get_backend(), DatabaseBackend):
        return None
    now = now or timezone.now()
    live = DBTaskResult.objects.filter(task_path=task.module_path, status__in=["READY", "RUNNING"])
    rows = [(status, enqueued) for status, args_kwargs, enqueued
            in live.values_list("status", "args_kwargs", "enqueued_at")
            if list((args_kwargs or {}).get("args") or [])[:len(args)] == list(args)]
    since = since or min((enqueued for _, enqueued in rows), default=now)
    waited = max(now - since, dt.timedelta(0))
    if not rows:
        return Wait(GONE, waited)
    if any(status == "RUNNING" for status, _ in rows):
        return Wait(TAKEN, waited)
    if waited < dt.timedelta(seconds=wait_seconds()):
        return Wait(STARTING, waited)
    recent = now - dt.timedelta(seconds=settings.STOCKTAKE_ANALYSIS_STALE_SECONDS)
    busy = (DBTaskResult.objects.filter(status="RUNNING", started_at__gte=recent)
            .order_by("started_at").values_list("started_at", flat=True).first())
    return Wait(BUSY, waited, busy) if busy is not None else Wait(NO_WORKER, waited)
