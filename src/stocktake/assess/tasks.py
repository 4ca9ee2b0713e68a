"""Background tasks (docs/adr/0004-background-work.md).

``assess.actions.queue_analysis`` records a queued :class:`AnalysisRun` and
enqueues :data:`run_analysis` with its id; a database worker (``stocktake
worker``, or the thread ``stocktake serve`` starts) claims the task and calls
``analyse_review`` on that run. Progress and the outcome live on the run's row,
which is what the pages show; the task's own result row only says whether the
task itself ran.
"""

from __future__ import annotations

from django_tasks import task

from stocktake.assess.models import AnalysisRun
from stocktake.core.errors import InvalidInput


@task()
def run_analysis(run_id: int) -> str:
    """Analyse the review of queued run ``run_id``; returns the run's final status.

    A run that is no longer queued (already taken by another worker, cancelled,
    failed as stale, or a task retried after it finished) is left alone; a run
    cancelled while it works stops at its next progress step and returns
    ``"cancelled"``. Input problems (an uninstalled backend) are recorded on the
    run as a failure and end the task normally; anything unexpected is recorded
    on the run and re-raised, so the task's result row keeps the traceback.
    """
    from stocktake.assess.actions import analyse_review

    run = AnalysisRun.objects.select_related("review__framework", "created_by").get(pk=run_id)
    if run.status != AnalysisRun.Status.QUEUED:
        return run.status
    try:
        analyse_review(review=run.review, by=run.created_by, run=run)
    except InvalidInput:
        pass  # analyse_review recorded it on the run
    return run.status
