"""Benchmark: the registers and stocktake cycle comparison of a large region under load.

    .venv/bin/python benchmarks/track_registers.py [--concurrency 1,20]
        [--databases sqlite,postgres] [--postgres-url postgres://postgres@127.0.0.1:5432/stocktake_cycles_bench]
        [--keep DIR] [--only PAGE,PAGE] [--cpu [--repeat 15]]

For each database it builds a fresh data dir: a region of 12 systems and 300
organisations, a published review with 500 recommendations each tracked per system
(a status for each of the 12 systems: 6,000 items per cycle), 2,000 innovations with
decisions and adoptions, and 3 stocktake cycles (two closed, one open) whose entries
move on from cycle to cycle — 24,000 cycle entries. The organisations, review and
people are made through the actions; the recommendations, innovations, decisions,
adoptions and cycle entries by bulk inserts (what the actions write, without running
them 30,000 times); 1,000 progress updates, themes and golden threads on the
innovations. It then serves the pages with ``stocktake serve`` (the same server, load
generator and percentiles as ``load_pages.py``) to 20 signed-in users (a lead,
reviewers and an action owner's view) and prints p50/p95/p99 per page. The target
(issue 11): every page under 300 ms at the 95th percentile for 20 users.

Pages: the recommendations register (first page, by status, a deep page), a
recommendation's page, an organisation's recommendations across reviews; the
innovations register (first page, filtered to a system and a decision, searched), an
innovation's page, its evaluation page, the region's spread; the cycle list; cycle 3
against cycle 2 (the default: counts by theme and system, transitions, the first page
of items); cycle 3 against the publication; cycle 3 against cycle 1 filtered to one
system and only what changed; a deep page of items; an action owner's cycle page
(their items only).

``--cpu`` (with ``--keep DIR``, after a run has built it) measures instead the CPU one
request of each page costs in-process (Django's test client, one at a time: the median
of ``--repeat`` requests after two to warm), and the queries it makes: what bounds
the throughput of a server on two cores.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import platform
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from load_pages import (  # noqa: E402 - benchmarks/ is put on the path just above
    Server,
    _environment,
    _pct,
    _recreate_postgres,
    _table,
    load,
)

SLUG = "cycles-bench"
SYSTEMS, ORGANISATIONS = 12, 300
RECOMMENDATIONS, INNOVATIONS, CYCLES = 500, 2000, 3
REVIEWERS = 18


def prepare(data_dir: Path) -> None:
    os.environ["STOCKTAKE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stocktake.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    review, users, systems, orgs = _people()
    _registers(review, users["lead"], systems, orgs)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"  prepared in {time.perf_counter() - started:.0f} s", flush=True)
    (data_dir / "bench.json").write_text(json.dumps(_sessions(users, systems)))


def _people():
    from stocktake.analysis.framework import default_framework
    from stocktake.reviews import actions
    from stocktake.reviews.models import OrganisationLevel as L
    from stocktake.reviews.models import Role

    framework = actions.create_framework(spec=default_framework(), by=None)
    region = actions.create_organisation(name="Benchmark Region", level=L.REGION, by=None)
    systems = [actions.create_organisation(name=f"System {s:02d} ICS", level=L.SYSTEM,
                                           parent=region, by=None) for s in range(SYSTEMS)]
    orgs = [actions.create_organisation(name=f"Organisation {o:03d} NHS Trust",
                                        level=L.ORGANISATION, parent=systems[o % SYSTEMS], by=None)
            for o in range(ORGANISATIONS)]
    lead = actions.create_user(username="lead", by=None)
    review = actions.create_review(title="Cycles benchmark review", slug=SLUG,
                                   framework=framework, region=region, by=lead)
    actions.add_member(review=review, member=lead, role=Role.LEAD, by=lead)
    users = {"lead": lead}
    for r in range(REVIEWERS):
        users[f"reviewer{r}"] = actions.create_user(username=f"reviewer{r}", by=None)
        actions.add_member(review=review, member=users[f"reviewer{r}"], role=Role.REVIEWER,
                           by=lead)
    owner = actions.create_user(username="owner", by=None)
    actions.add_member(review=review, member=owner, role=Role.ACTION_OWNER,
                       organisation=systems[0], by=lead)
    users["owner"] = owner
    return review, users, systems, orgs


def _registers(review, lead, systems, orgs) -> None:
    from django.utils import timezone

    from stocktake.report.models import Recommendation, ReportVersion
    from stocktake.reviews.models import Review
    from stocktake.track.models import (
        Adoption,
        CycleEntry,
        Decision,
        GoldenThread,
        Innovation,
        ProgressUpdate,
        StocktakeCycle,
        SystemStatus,
    )

    rng = random.Random(11)
    Review.objects.filter(pk=review.pk).update(status="tracking")  # as publishing leaves it
    ReportVersion.objects.create(review=review, number=1, status="ready", published_by=lead)
    themes = list(review.framework.themes.all())
    statuses = ["agreed", "in_progress", "completed", "not_progressed", "superseded"]
    recs = Recommendation.objects.bulk_create([
        Recommendation(review=review, number=n + 1, text=f"Recommendation {n + 1}: act on it.",
                       theme=themes[n % len(themes)], owner=orgs[n % len(orgs)],
                       status="in_progress", per_system=True)
        for n in range(RECOMMENDATIONS)])
    SystemStatus.objects.bulk_create([
        SystemStatus(recommendation=rec, organisation=system, status=rng.choice(statuses))
        for rec in recs for system in systems], batch_size=2000)
    ProgressUpdate.objects.bulk_create([
        ProgressUpdate(recommendation=rec, organisation=rng.choice(systems),
                       status=rng.choice(statuses[:4]), rag=rng.choice(["", "red", "amber"]),
                       note="Progress reported for the benchmark.", reported_by=lead)
        for rec in recs for _ in range(2)], batch_size=1000)
    threads = GoldenThread.objects.bulk_create([
        GoldenThread(organisation=system, name=name) for system in systems
        for name in ("Digital", "Home first", "Inclusion", "Self-management")])
    outcomes = ["retain", "adapt", "reject"]
    innovations = Innovation.objects.bulk_create([
        Innovation(organisation=orgs[i % len(orgs)], title=f"Innovation {i:04d}",
                   what_changed="A new way of working.", review=review if i % 2 else None,
                   unit=f"Ward {i % 40}", benefits="Shorter waits.", risks="Staff time.",
                   golden_thread=threads[(i % len(orgs)) % SYSTEMS * 4 + i % 4]
                   if i % 5 else None,
                   outcome=outcomes[i % 3] if i % 3 == 0 else "undecided")
        for i in range(INNOVATIONS)], batch_size=1000)
    Innovation.themes.through.objects.bulk_create([
        Innovation.themes.through(innovation_id=inn.pk, theme_id=themes[(i + k) % len(themes)].pk)
        for i, inn in enumerate(innovations) for k in range(2)], batch_size=2000)
    Decision.objects.bulk_create([
        Decision(innovation=inn, outcome=inn.outcome, rationale="Evidence reviewed.",
                 decided_by=lead)
        for inn in innovations[::3]], batch_size=1000)
    Adoption.objects.bulk_create([
        Adoption(innovation=inn, organisation=orgs[(i * 7 + 1) % len(orgs)], status="adopted")
        for i, inn in enumerate(innovations[::4])], batch_size=1000)
    today = timezone.localdate()
    for number in range(1, CYCLES + 1):
        cycle = StocktakeCycle.objects.create(
            review=review, number=number, title=f"Stocktake {2026 + number}",
            opens_on=today - dt.timedelta(days=365 * (CYCLES - number) + 30),
            deadline=today - dt.timedelta(days=365 * (CYCLES - number)),
            status="open" if number == CYCLES else "closed", created_by=lead)
        CycleEntry.objects.bulk_create([
            CycleEntry(cycle=cycle, recommendation=rec, organisation=system,
                       status=rng.choice(statuses), rag=rng.choice(["", "red", "amber", "green"]),
                       updates=rng.randint(0, 2), evidence=rng.randint(0, 2))
            for rec in recs for system in systems], batch_size=2000)
        CycleEntry.objects.bulk_create([
            CycleEntry(cycle=cycle, innovation=inn, organisation_id=inn.organisation_id,
                       outcome=rng.choice(["undecided", "retain", "adapt", "reject"]),
                       adoptions=rng.randint(0, number * 2))
            for inn in innovations], batch_size=2000)


def _sessions(users, systems) -> dict:
    from django.conf import settings
    from django.test import Client

    cookies = {}
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        cookies[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    from stocktake.report.models import Recommendation
    from stocktake.track.models import Innovation

    rng = random.Random(12)
    recs = list(Recommendation.objects.order_by("id").values_list("id", flat=True))
    innovations = list(Innovation.objects.order_by("id").values_list("id", flat=True))
    return {"cookies": cookies, "cookie_name": settings.SESSION_COOKIE_NAME,
            "system": systems[3].pk, "org": _first_child(systems[3]),
            "recs": rng.sample(recs, 20), "innovations": rng.sample(innovations, 20)}


def _first_child(system) -> int:
    from stocktake.reviews.models import Organisation

    return Organisation.objects.filter(parent=system).order_by("id").values_list(
        "id", flat=True)[0]


def pages(info: dict) -> list[tuple[str, list[str], str]]:
    register = f"/reviews/{SLUG}/register/"
    base = f"/reviews/{SLUG}/cycles/"
    return [
        ("register", [register], "team"),
        ("register by status", [register + "?status=in_progress"], "team"),
        ("register page 5", [register + "?page=5"], "team"),
        ("recommendation", [f"{register}{pk}/" for pk in info["recs"]], "team"),
        ("organisation's recommendations", [f"/organisations/{info['org']}/recommendations/"],
         "team"),
        ("innovations", ["/innovations/"], "team"),
        ("innovations, system, retain",
         [f"/innovations/?organisation={info['system']}&outcome=retain"], "team"),
        ("innovations, searched", ["/innovations/?q=ward+12"], "team"),
        ("innovations page 20", ["/innovations/?page=20"], "team"),
        ("innovation", [f"/innovations/{pk}/" for pk in info["innovations"]], "team"),
        ("innovation evaluation",
         [f"/innovations/{pk}/evaluation/" for pk in info["innovations"]], "team"),
        ("spread", ["/innovations/spread/"], "team"),
        ("spread, one system", [f"/innovations/spread/?organisation={info['system']}"], "team"),
        ("cycle list", [base], "team"),
        ("cycle 3 vs 2", [base + "3/"], "team"),
        ("cycle 3 vs publication", [base + "3/?before=0"], "team"),
        ("cycle 3 vs 1, system, changed", [base + f"3/?before=1&system={info['system']}&changed=1"],
         "team"),
        ("cycle 3 deep page", [base + "3/?page=100"], "team"),
        ("cycle 3, action owner", [base + "3/"], "owner"),
    ]


def bench(database: str, data_dir: Path, env: dict, concurrency: list[int], per_user: int,
          processes: int, only: set[str]) -> list[dict]:
    info = json.loads((data_dir / "bench.json").read_text())
    name = info["cookie_name"]
    team = [f"{name}={v}" for k, v in info["cookies"].items() if k != "owner"]
    owner = [f"{name}={info['cookies']['owner']}"]
    server = Server(data_dir, env, processes)
    rows = []
    try:
        for page, paths, who in pages(info):
            if only and page not in only:
                continue
            cookies = owner if who == "owner" else team
            load(server.port, paths, cookies, 4 * processes, 8 * processes, reconnect=True)
            for c in concurrency:
                latencies, errors = load(server.port, paths, cookies, c, max(20, per_user * c))
                row = {"database": database, "page": page, "concurrency": c,
                       "requests": len(latencies), "p50": _pct(latencies, 50),
                       "p95": _pct(latencies, 95), "p99": _pct(latencies, 99),
                       "errors": len(errors), "rss_mb": server.rss(), "pss_mb": server.pss()}
                rows.append(row)
                print(f"  {page:32} c={c:<3} n={row['requests']:<4} p50 {row['p50']:6.0f} "
                      f"p95 {row['p95']:6.0f} p99 {row['p99']:6.0f} ms  errors {row['errors']}"
                      + (f"  first error: {errors[0]}" if errors else ""), flush=True)
    finally:
        server.stop()
    return rows


def cpu(data_dir: Path, repeat: int, only: set[str], profile: str = "") -> None:
    """The median CPU (process time) and wall time of one request of each page, in-process,
    and the queries it makes; the first two requests warm what is kept."""
    os.environ["STOCKTAKE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stocktake.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    info = json.loads((data_dir / "bench.json").read_text())
    for page, paths, who in pages(info):
        if only and page not in only:
            continue
        client = Client()
        client.cookies[info["cookie_name"]] = info["cookies"]["owner" if who == "owner"
                                                              else "lead"]
        for path in paths[:2]:
            response = client.get(path)
            assert response.status_code == 200, (page, path, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            size = len(client.get(paths[0]).content)
        queries = len(captured)
        spent, wall = [], []
        profiler = cProfile.Profile() if profile == page else None
        for n in range(repeat):
            c0, w0 = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            status = client.get(paths[n % len(paths)]).status_code
            if profiler:
                profiler.disable()
            spent.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
            assert status == 200, (page, status)
        print(f"  {page:32} CPU median {statistics.median(spent):6.1f} ms  min "
              f"{min(spent):6.1f}  wall {statistics.median(wall):6.1f} ms  queries {queries:3}"
              f"  HTML {size / 1024:5.0f} KB", flush=True)
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(50)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", default="1,20")
    parser.add_argument("--requests-per-user", type=int, default=5)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres-url",
                        default="postgres://postgres@127.0.0.1:5432/stocktake_cycles_bench")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="build the data dirs here and reuse them")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--only", default="", help="these pages only (names, separated by ;)")
    parser.add_argument("--cpu", action="store_true",
                        help="CPU per request in-process instead of the load (needs --keep)")
    parser.add_argument("--repeat", type=int, default=15, help="requests per page for --cpu")
    parser.add_argument("--profile", default="", help="with --cpu: profile this page")
    parser.add_argument("--prepare-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cpu-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    only = {name.strip() for name in args.only.split(";") if name.strip()}
    if args.prepare_only:
        prepare(args.prepare_only)
        return 0
    if args.cpu_only:
        cpu(args.cpu_only, args.repeat, only, args.profile)
        return 0
    concurrency = [int(c) for c in args.concurrency.split(",")]
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs",
          flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="stocktake-cycles-") as tmp:
        root = args.keep or Path(tmp)
        for database in args.databases.split(","):
            data_dir = root / database
            data_dir.mkdir(parents=True, exist_ok=True)
            env = _environment(database, data_dir, args.postgres_url)
            if not ((data_dir / "bench.json").exists() and args.keep):
                if database == "postgres":
                    _recreate_postgres(args.postgres_url)
                print(f"{database}: preparing", flush=True)
                subprocess.run([sys.executable, __file__, "--prepare-only", str(data_dir)],
                               env=env, check=True)
            if args.cpu:
                print(f"{database}: CPU per request, in-process", flush=True)
                subprocess.run([sys.executable, __file__, "--cpu-only", str(data_dir),
                                "--repeat", str(args.repeat), "--only", args.only,
                                "--profile", args.profile],
                               env=env, check=True)
                continue
            rows += bench(database, data_dir, env, concurrency, args.requests_per_user,
                          args.processes, only)
    if rows:
        print()
        print(_table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
