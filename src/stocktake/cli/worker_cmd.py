"""`worker`: run background work (analysis started from the web), and the worker
thread that `stocktake serve` and `stocktake demo` start beside the web server.

The queue is a database table (django-tasks' database backend; see
docs/adr/0004-background-work.md). On SQLite one worker – the thread in
`serve` – is the supported set-up; on PostgreSQL run `stocktake worker` as
often as you like beside `stocktake serve --no-worker`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Iterator

import click

from stocktake.cli.context import data_dir_option, ensure_migrated, friendly_errors, setup_django

logger = logging.getLogger(__name__)


def recover_stale_runs() -> str:
    """What a worker does first: fail the analysis runs whose worker stopped; says which."""
    from stocktake.assess.actions import fail_stale_runs  # imports the analysis library
    from stocktake.core.text import plural

    failed = fail_stale_runs(by=None)
    if not failed:
        return ""
    ids = ", ".join(str(run.pk) for run in failed)
    return (f"Marked {plural(len(failed), 'analysis run')} failed ({ids}): "
            "the worker running them had stopped.")


@click.command()
@data_dir_option
@click.option("--interval", default=1.0, show_default=True, type=click.FloatRange(0.1, 60),
              help="Seconds to wait between looks at an empty queue.")
@click.option("--batch", is_flag=True, help="Run every task already queued, then exit.")
@friendly_errors
def worker(data_dir, interval, batch):
    """Run queued background work, such as analysis started with the web "Analyse" button.

    `stocktake serve` already starts one worker beside the web server; run this
    for more workers (PostgreSQL) or with `serve --no-worker`. On start, analysis
    runs whose worker stopped are marked failed (see STOCKTAKE_ANALYSIS_STALE_SECONDS).
    Stop it with Ctrl+C: a task in progress is finished first (Ctrl+C again to
    abandon it).
    """
    setup_django(data_dir)
    ensure_migrated()
    recovered = recover_stale_runs()
    if recovered:
        click.echo(recovered)
    from django.core.management import call_command

    call_command("db_worker", interval=interval, batch=batch, reload=False,
                 startup_delay=not batch, verbosity=1)


class WorkerThread(threading.Thread):
    """django-tasks-db's worker loop in a daemon thread, for `serve` and `demo`.

    Signals belong to the main thread (waitress), so this worker never installs
    handlers; :meth:`stop` asks it to finish its current task and return.
    """

    def __init__(self, *, interval: float = 1.0):
        super().__init__(name="stocktake-worker", daemon=True)
        from django_tasks_db.management.commands.db_worker import Worker

        self.worker = Worker(
            queue_names=["default"], interval=interval, batch=False, backend_name="default",
            startup_delay=False, max_tasks=None, worker_id=f"serve-{os.getpid()}",
            excluded_queue_names=[],
        )

    def run(self) -> None:
        from django.db import connections

        try:
            self._recover_stale_runs()
            self.worker.run()
        except Exception:  # keep the web server up; the log says why the worker stopped
            logger.exception("The background worker stopped")
        finally:
            connections.close_all()

    @staticmethod
    def _recover_stale_runs() -> None:
        try:
            recovered = recover_stale_runs()
        except Exception:  # the queue still deserves a worker
            logger.exception("Could not check for analysis runs whose worker stopped")
            return
        if recovered:
            logger.warning(recovered)

    def stop(self, timeout: float = 30.0) -> None:
        self.worker.running = False
        self.join(timeout)


@contextlib.contextmanager
def background_worker(enabled: bool = True) -> Iterator[WorkerThread | None]:
    """Run one worker thread for the duration of the block (nothing when not ``enabled``)."""
    if not enabled:
        yield None
        return
    thread = WorkerThread()
    thread.start()
    click.echo("Background worker started (analysis started from the web runs here).")
    try:
        yield thread
    finally:
        thread.stop()
