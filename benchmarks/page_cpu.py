"""Benchmark: the CPU one request of each main page costs, one user at a time, in-process.

    .venv/bin/python benchmarks/page_cpu.py DATA_DIR [--repeat 15] [--only PAGE]
        [--profile PAGE [--sort tottime]]

DATA_DIR is a data dir built by ``load_pages.py --keep DIR`` (``DIR/sqlite``, or
``DIR/postgres`` with DATABASE_URL set to its database). Each page of
``load_pages.pages`` is requested through Django's test client (middleware,
sessions, queries, templates: everything but the HTTP server) as the lead (and,
for the pages everyone sees, as a contributor); it prints the median process CPU
and wall time per request in milliseconds. ``--profile PAGE`` prints the
functions that took that page's time (cProfile, by cumulative time).

CPU per request is what bounds a server's throughput: one process runs one
request's Python at a time, so 20 users at once wait about 20 × that. With
PostgreSQL on this machine it also prints the CPU the database server spent on
this connection per request (its backend process, from /proc), which shares the
same cores, and the number of queries one request makes.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--profile", help="a page name to profile (e.g. 'findings')")
    parser.add_argument("--sort", default="cumulative",
                        help="the profile's order: cumulative (default) or tottime")
    parser.add_argument("--only", help="measure only this page")
    args = parser.parse_args()
    os.environ["STOCKTAKE_DATA_DIR"] = str(args.data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stocktake.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from load_pages import pages

    info = json.loads((args.data_dir / "bench.json").read_text())
    name = info["cookie_name"]
    who = {"lead": info["cookies"]["lead"],
           "contributor": next(v for k, v in info["cookies"].items() if k.startswith("contrib"))}
    for page, paths, audience in pages(info):
        if args.only and page != args.only:
            continue
        for person in (["lead", "contributor"] if audience == "all" else ["lead"]):
            client = Client()
            client.cookies[name] = who[person]
            for path in paths[:2]:  # warm
                assert client.get(path).status_code == 200, (page, path)
            with CaptureQueriesContext(connection) as captured:
                client.get(paths[0])
            queries = len(captured)  # now: the next request empties the log it reads
            cpu, wall, db = [], [], []
            profiler = cProfile.Profile() if args.profile == page else None
            for n in range(args.repeat):
                path = paths[n % len(paths)]
                c0, w0, d0 = time.process_time(), time.perf_counter(), _backend_cpu(connection)
                if profiler:
                    profiler.enable()
                status = client.get(path).status_code
                if profiler:
                    profiler.disable()
                cpu.append((time.process_time() - c0) * 1000)
                wall.append((time.perf_counter() - w0) * 1000)
                d1 = _backend_cpu(connection)
                db.append(None if d0 is None or d1 is None else d1 - d0)
                assert status == 200, (page, path, status)
            server = ("" if None in db else
                      f"   database server CPU median {statistics.median(db):5.1f} ms")
            print(f"{page:20} {person:12} CPU median {statistics.median(cpu):6.1f} min {min(cpu):6.1f} ms   "
                  f"wall {statistics.median(wall):6.1f} ms   queries {queries:3}{server}",
                  flush=True)
            if profiler:
                pstats.Stats(profiler).sort_stats(args.sort).print_stats(45)
    return 0


def _backend_cpu(connection) -> float | None:
    """CPU time (ms) this connection's PostgreSQL backend has run so far, when the server
    runs on this machine (``/proc/PID/schedstat``, nanoseconds); None otherwise (SQLite
    runs in our own process)."""
    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    try:
        text = Path(f"/proc/{connection.connection.info.backend_pid}/schedstat").read_text()
    except OSError:  # the server is on another machine
        return None
    return int(text.split()[0]) / 1e6


if __name__ == "__main__":
    sys.exit(main())
