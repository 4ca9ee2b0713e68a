"""The worker as it really runs: separate processes on a SQLite file, like `stocktake serve`."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Whole processes; under pytest-xdist (`--dist loadgroup`) one worker runs the module,
# so the demo data below is made once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("tasks-worker")]

QUEUE = """
from stocktake.assess.actions import queue_analysis
from stocktake.reviews.models import Review
review = Review.objects.get(slug="northmere-winter-2025")
print(queue_analysis(review=review, by=None, seed={seed}).pk)
"""

# A worker killed in the middle of a run: the run is left running, with its heartbeat.
KILLED = """
from stocktake.assess.actions import analyse_review
from stocktake.reviews.models import Review
class Killed(BaseException):
    pass
def die(done, total):
    raise Killed
try:
    analyse_review(review=Review.objects.get(slug="northmere-winter-2025"), by=None, seed={seed}, progress=die)
except Killed:
    pass
"""

THREAD = """
import time
from stocktake.cli.context import setup_django
setup_django()
from stocktake.assess.models import AnalysisRun
from stocktake.cli.worker_cmd import WorkerThread
thread = WorkerThread(interval=0.1)
thread.start()
deadline = time.monotonic() + 300  # generous: CI machines can be busy
while AnalysisRun.objects.filter(status__in=["queued", "running"]).exists():
    assert time.monotonic() < deadline, "the worker thread did not finish the run"
    time.sleep(0.2)
thread.stop()
assert not thread.is_alive()
"""


def stocktake(data_dir: Path, *args: str, code: str | None = None):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["STOCKTAKE_DATA_DIR"] = str(data_dir)
    env["PYTHONWARNINGS"] = "error"
    command = [sys.executable, "-c", textwrap.dedent(code)] if code else [
        sys.executable, "-m", "stocktake", *args]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=420, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def runs(data_dir: Path) -> list[tuple]:
    with sqlite3.connect(data_dir / "stocktake.sqlite3") as db:
        return db.execute("SELECT id, status, seed, progress, finding_count "
                          "FROM assess_analysisrun ORDER BY id").fetchall()


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("demo") / "data"
    stocktake(data, "demo", "--no-serve", "--data-dir", str(data))
    return data


@pytest.fixture
def data(demo_data, tmp_path) -> Path:
    """A copy of the demo's data dir (loaded and analysed once per module)."""
    return Path(shutil.copytree(demo_data, tmp_path / "data"))


def test_worker_command_and_serve_thread_run_queued_analyses(data):
    # the demo's analysis of the 2025 review (its sessions' findings are coded one at a time)
    findings = max(run[4] for run in runs(data))

    # `stocktake worker --batch` runs what is queued, then exits.
    stocktake(data, "manage", "shell", "-c", QUEUE.format(seed=5))
    assert runs(data)[-1][1:3] == ("queued", 5)
    result = stocktake(data, "worker", "--batch")
    assert runs(data)[-1][1:] == ("done", 5, findings, findings), result.stdout

    # The thread `stocktake serve` starts beside waitress does the same.
    stocktake(data, "manage", "shell", "-c", QUEUE.format(seed=6))
    stocktake(data, code=THREAD)
    assert runs(data)[-1][1:] == ("done", 6, findings, findings)


def sql(data_dir: Path, statement: str) -> None:
    with sqlite3.connect(data_dir / "stocktake.sqlite3") as db:
        db.execute(statement)


def long_ago(data_dir: Path) -> None:
    """As if the running runs' worker had stopped long ago."""
    sql(data_dir, "UPDATE assess_analysisrun SET heartbeat_at = '2000-01-01 00:00:00' "
                  "WHERE status = 'running'")


def test_workers_fail_the_runs_whose_worker_stopped_when_they_start(data):
    # A queued run whose task was lost, and a run whose worker was killed long ago.
    stocktake(data, "manage", "shell", "-c", QUEUE.format(seed=7))
    sql(data, "DELETE FROM django_tasks_database_dbtaskresult WHERE status = 'READY'")
    stocktake(data, "manage", "shell", "-c", KILLED.format(seed=8))
    long_ago(data)
    assert [run[1:3] for run in runs(data)[-2:]] == [("queued", 7), ("running", 8)]
    result = stocktake(data, "worker", "--batch")
    assert "Marked 2 analysis runs failed" in result.stdout
    assert [run[1:3] for run in runs(data)[-2:]] == [("failed", 7), ("failed", 8)]

    # The thread `stocktake serve` starts does the same (or it would wait for ever).
    stocktake(data, "manage", "shell", "-c", KILLED.format(seed=9))
    long_ago(data)
    stocktake(data, code=THREAD)
    assert runs(data)[-1][1:3] == ("failed", 9)
