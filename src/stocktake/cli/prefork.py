"""Serving from several processes that share one listening socket (pre-fork).

One waitress process runs one request's Python at a time (the GIL), so a
machine's other cores sit idle while a page renders. :func:`serve_processes`
binds the socket in the parent, forks ``processes`` children that each run
waitress (with its threads) on that socket — the kernel hands each new
connection to one of them — and waits. The parent serves no requests; it runs
the block given as ``parent`` (the one background worker thread, started after
the fork so no child inherits it) and stops the children when it is stopped
(SIGINT, SIGTERM) or when any child exits.

Everything loaded before the fork (Django, the templates) is shared until
written; database connections are closed first so no two processes share one.
POSIX only (``os.fork``).
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import socket
import time
import traceback
from collections.abc import Callable
from contextlib import AbstractContextManager

from django.db import connections


def default_processes() -> int:
    """STOCKTAKE_SERVE_PROCESSES, else one per CPU up to 2 (each holds its own caches);
    1 where there is no ``os.fork`` (Windows)."""
    if not hasattr(os, "fork"):
        return 1
    configured = os.environ.get("STOCKTAKE_SERVE_PROCESSES", "").strip()
    if configured:
        return max(1, int(configured))
    return max(1, min(2, os.cpu_count() or 1))


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound, listening TCP socket (IPv4 or IPv6, as ``host`` resolves)."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(1024)
    except OSError:
        sock.close()
        raise
    return sock


def serve_processes(make_server: Callable[[socket.socket], object], sock: socket.socket, *,
                    processes: int, parent: Callable[[], AbstractContextManager]) -> int:
    """Fork ``processes`` children running ``make_server(sock).run()``; wait; the exit status."""
    connections.close_all()
    gc.collect()
    gc.freeze()  # objects loaded so far stay out of the children's collections (and shared)
    children = [_fork_child(make_server, sock) for _ in range(processes)]
    stopping = []

    def stop(signum, frame):
        stopping.append(signum)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    status = 0
    try:
        with parent():
            status = _first_exit(children)  # the first child to exit ends the service
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        _stop(children)
        sock.close()
    return status


def _first_exit(children: list[int]) -> int:
    """Wait for one of ``children`` to exit (only those: the worker may run processes too)."""
    while True:
        for pid in children:
            done, code = os.waitpid(pid, os.WNOHANG)
            if done:
                children.remove(pid)
                return os.waitstatus_to_exitcode(code) or 1
        time.sleep(0.5)


def _fork_child(make_server, sock) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the children
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        make_server(sock).run()
    except (KeyboardInterrupt, SystemExit):
        code = 1
    except BaseException:  # noqa: BLE001 – a child must never return into the parent's code
        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


def _stop(children: list[int]) -> None:
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    for pid in children:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
