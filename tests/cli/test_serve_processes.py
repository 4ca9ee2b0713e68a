"""`stocktake serve --processes 2`: two processes answer on one port; one background worker."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.test_cli import run

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc").is_dir(),
                                reason="pre-fork serving needs os.fork and /proc")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def get(port: int, path: str = "/sign-in/") -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def wait_for(port: int, deadline: float) -> None:
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


@pytest.fixture
def served(tmp_path):
    data = tmp_path / "data"
    assert run("init", "--data-dir", str(data)).returncode == 0
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "STOCKTAKE_DATA_DIR"}}
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "stocktake", "serve", "--data-dir", str(data), "--port", str(port),
         "--processes", "2"], env=env, stdout=log, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL)
    try:
        wait_for(port, time.time() + 60)
        yield server, port, log
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=30)
        log.close()


def test_two_processes_each_answer_and_one_worker_runs(served):
    server, port, log = served
    deadline = time.time() + 30  # the socket listens before the children are forked
    while len(children := children_of(server.pid)) < 2 and time.time() < deadline:
        time.sleep(0.2)
    assert len(children) == 2
    for paused in children:  # with one child stopped, the other answers: each one serves
        os.kill(paused, signal.SIGSTOP)
        try:
            assert [get(port) for _ in range(3)] == [200, 200, 200]
        finally:
            os.kill(paused, signal.SIGCONT)
    log.seek(0)
    output = log.read()
    assert "from 2 processes" in output
    assert output.count("Background worker started") == 1  # in the parent, not per child

    server.terminate()
    assert server.wait(timeout=30) == 0
    time.sleep(0.5)
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()
                and "Z" not in (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0])]
