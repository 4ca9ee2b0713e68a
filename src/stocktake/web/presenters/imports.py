"""Import batches for the Imports page: who, when, the files and what they brought in."""

from __future__ import annotations

from django.utils import timezone

from stocktake.collect.models import BatchFileOutcome, BatchStatus
from stocktake.core.text import plural


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "Command line"


def _duration(delta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return plural(seconds, "second")
    if seconds < 2 * 3600:
        return plural(seconds // 60, "minute")
    return plural(seconds // 3600, "hour")


def wait_view(wait) -> dict | None:
    """Queued work's wait for the background worker (``track.imports.liveness.Wait``)."""
    if wait is None:
        return None
    return {"no_worker": wait.no_worker, "busy": wait.state == "busy",
            "waited": _duration(wait.waited),
            "busy_since": (timezone.localtime(wait.busy_since).strftime("%H:%M")
                           if wait.busy_since else "")}


def batch_rows(batches, waits: dict | None = None) -> list[dict]:
    """``waits``: {batch id: its wait for the worker} for queued batches."""
    rows = []
    waits = waits or {}
    for batch in batches:
        active = batch.status in (BatchStatus.QUEUED, BatchStatus.RUNNING)
        files = list(batch.files.all())
        imported = [f for f in files if f.outcome == BatchFileOutcome.IMPORTED]
        counts = [plural(sum(f.findings for f in imported), "finding"),
                  plural(sum(f.examples for f in imported), "example")]
        recommendations = sum(f.recommendations for f in imported)
        if recommendations:
            counts.append(plural(recommendations, "recommendation"))
        rows.append({
            "id": batch.pk, "who": _who(batch.created_by),
            "when": timezone.localtime(batch.created_at).strftime("%-d %B %Y, %H:%M"),
            "files": [{"name": f.name, "outcome": f.get_outcome_display(), "message": f.message,
                       "ok": f.outcome != BatchFileOutcome.FAILED} for f in files],
            "counts": ", ".join(counts), "undone": batch.status == BatchStatus.UNDONE,
            "undone_by": _who(batch.undone_by) if batch.status == BatchStatus.UNDONE else "",
            "can_undo": batch.status in (BatchStatus.IMPORTED, BatchStatus.FAILED) and bool(imported),
            "active": active,
            "status": batch.get_status_display(), "stopped": batch.status == BatchStatus.FAILED,
            # While it runs, the message is the current file's page progress ("page 12 of 40").
            "message": "" if active else batch.message, "pages": batch.message if active else "",
            "done": batch.files_done, "total": batch.files_total, "current": batch.current_file,
            "wait": wait_view(waits.get(batch.pk)),
        })
    return rows
