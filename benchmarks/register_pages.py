"""Benchmark: the recommendations register under 20 concurrent signed-in users.

    .venv/bin/python benchmarks/register_pages.py [--recommendations 500] [--concurrency 1,20]
        [--databases sqlite,postgres] [--postgres-url postgres://postgres@127.0.0.1:5432/stocktake_regbench]

Builds a published review through the actions: a region of 12 systems and 300
organisations, 500 recommendations owned across them, every one tracked per system (a
status for each of the 12 systems: 6,000 rows), two updates on each in a random system,
a lead and 19 action owners signed in. Then it serves it with ``stocktake serve`` (as
``load_pages.py`` does, whose server and load generator it reuses) and requests the
register (first page, filtered by status, a later page), a recommendation's page and an
organisation's recommendations across reviews; p50/p95/p99 in milliseconds and errors.
The target (issue 11): under 300 ms at the 95th percentile for 20 users.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from load_pages import (  # noqa: E402 - after the path is set
    Server,
    _environment,
    _pct,
    _recreate_postgres,
    load,
)

SLUG = "regbench"
SYSTEMS, ORGANISATIONS, OWNERS = 12, 300, 19


def prepare(data_dir: Path, total: int) -> None:
    """Build the review into ``data_dir`` (and DATABASE_URL, when set); its own process."""
    os.environ["STOCKTAKE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stocktake.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from stocktake.analysis.framework import default_framework
    from stocktake.report import actions as report_actions
    from stocktake.reviews import actions
    from stocktake.reviews.models import OrganisationLevel as L
    from stocktake.reviews.models import Role
    from stocktake.track.actions import record_progress, set_per_system

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    rng = random.Random(11)
    framework = actions.create_framework(spec=default_framework(), by=None)
    region = actions.create_organisation(name="Benchmark Region", level=L.REGION, by=None)
    systems = [actions.create_organisation(name=f"System {s:02d} ICS", level=L.SYSTEM,
                                           parent=region, by=None) for s in range(SYSTEMS)]
    orgs = [actions.create_organisation(name=f"Organisation {o:03d} NHS Trust",
                                        level=L.ORGANISATION, parent=systems[o % SYSTEMS], by=None)
            for o in range(ORGANISATIONS)]
    lead = actions.create_user(username="lead", by=None)
    review = actions.create_review(title="Register benchmark", slug=SLUG, framework=framework,
                                   region=region, by=lead)
    actions.add_member(review=review, member=lead, role=Role.LEAD, by=lead)
    users = {"lead": lead}
    for n in range(OWNERS):
        users[f"owner{n}"] = actions.create_user(username=f"owner{n}", by=None)
        actions.add_member(review=review, member=users[f"owner{n}"], role=Role.ACTION_OWNER,
                           organisation=orgs[n * 7], by=lead)
    themes = list(framework.themes.all())
    for n in range(total):
        report_actions.create_recommendation(
            review=review, text=f"Recommendation {n}: act on the learning about theme {n % 9}.",
            by=lead, theme=themes[n % len(themes)], owner=orgs[n % ORGANISATIONS])
    for status in ("collecting", "assessing", "reporting"):
        review = actions.change_review_status(review=review, status=status, by=lead)
    review = report_actions.publish_report(review=review, by=lead)
    print(f"  {total} recommendations published in {time.perf_counter() - started:.0f} s",
          flush=True)
    started = time.perf_counter()
    recs = list(review.recommendations.all())
    for rec in recs:
        set_per_system(recommendation=rec, per_system=True, by=None)
        for _ in range(2):
            record_progress(recommendation=rec, by=None, organisation=rng.choice(systems),
                            status=rng.choice(["in_progress", "not_progressed", "agreed"]),
                            rag=rng.choice(["red", "amber", "green", ""]),
                            note="Progress reported for the benchmark.")
    print(f"  per-system tracking and {2 * total} updates in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    cookies = {}
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        cookies[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    (data_dir / "bench.json").write_text(json.dumps({
        "cookies": cookies, "cookie_name": settings.SESSION_COOKIE_NAME,
        "recs": rng.sample([r.pk for r in recs], 50), "org": orgs[0].pk,
        "system": systems[0].pk}))


def pages(info: dict) -> list[tuple[str, list[str]]]:
    base = f"/reviews/{SLUG}/register/"
    return [
        ("register", [base]),
        ("register by status", [base + "?status=in_progress"]),
        ("register page 5", [base + "?page=5"]),
        ("recommendation", [f"{base}{pk}/" for pk in info["recs"]]),
        ("organisation's", [f"/organisations/{info['org']}/recommendations/"]),
    ]


def bench(database: str, data_dir: Path, env: dict, concurrency: list[int], per_user: int,
          processes: int) -> list[dict]:
    info = json.loads((data_dir / "bench.json").read_text())
    cookies = [f"{info['cookie_name']}={v}" for v in info["cookies"].values()]
    server = Server(data_dir, env, processes)
    rows = []
    try:
        for page, paths in pages(info):
            load(server.port, paths, cookies[:1], 4 * processes, 16 * processes, reconnect=True)
            for c in concurrency:
                latencies, errors = load(server.port, paths, cookies, c, max(20, per_user * c))
                row = {"database": database, "page": page, "concurrency": c,
                       "requests": len(latencies), "p50": _pct(latencies, 50),
                       "p95": _pct(latencies, 95), "p99": _pct(latencies, 99),
                       "errors": len(errors)}
                rows.append(row)
                print(f"  {page:20} c={c:<3} n={row['requests']:<4} p50 {row['p50']:6.0f} "
                      f"p95 {row['p95']:6.0f} p99 {row['p99']:6.0f} ms  errors {row['errors']}"
                      + (f"  first error: {errors[0]}" if errors else ""), flush=True)
    finally:
        server.stop()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recommendations", type=int, default=500)
    parser.add_argument("--concurrency", default="1,20")
    parser.add_argument("--per-user", type=int, default=10)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--databases", default="sqlite")
    parser.add_argument("--postgres-url",
                        default="postgres://postgres@127.0.0.1:5432/stocktake_regbench")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare, args.recommendations)
        return 0
    print(f"{platform.node()} · {platform.processor() or platform.machine()} · "
          f"{os.cpu_count()} CPUs · Python {platform.python_version()}")
    concurrency = [int(c) for c in args.concurrency.split(",")]
    for database in args.databases.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = Path(tmp) / "data"
            env = _environment(database, data_dir, args.postgres_url)
            if database == "postgres":
                _recreate_postgres(args.postgres_url)
            print(f"{database}: preparing", flush=True)
            subprocess.run([sys.executable, __file__, "--prepare", str(data_dir),
                            "--recommendations", str(args.recommendations)],
                           env=env, check=True)
            bench(database, data_dir, env, concurrency, args.per_user, args.processes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
