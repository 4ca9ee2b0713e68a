"""Import batches for the Imports page: who, when, the files and what they brought in."""

from __future__ import annotations

from django.utils import timezone

from stocktake.collect.models import BatchFileOutcome, BatchStatus
from stocktake.core.text import plural


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "Command line"


def batch_rows(batches) -> list[dict]:
    rows = []
    for batch in batches:
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
            "active": batch.status in (BatchStatus.QUEUED, BatchStatus.RUNNING),
            "status": batch.get_status_display(), "stopped": batch.status == BatchStatus.FAILED,
            "message": batch.message, "done": batch.files_done, "total": batch.files_total,
            "current": batch.current_file,
        })
    return rows
