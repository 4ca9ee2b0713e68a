"""Benchmark: the main pages of a 100,000-finding review under concurrent signed-in users.

    .venv/bin/python benchmarks/load_pages.py [--findings 100000] [--concurrency 1,20,50]
        [--databases sqlite,postgres] [--postgres-url postgres://postgres@127.0.0.1:5432/stocktake_bench]

For each database it builds a fresh data dir (a region of 12 systems and 200
organisations, each with one submitted submission; findings composed by
``benchmarks/findings_data.py``) through the actions (``add_findings`` in bulk),
runs the analysis over every finding (``analyse_review``; ``--bulk-codes``
writes one random machine code per finding instead, to save time), records a
few hundred reviewer decisions, works out each finding's similar findings (as the
background worker does after an import; a kept data dir is migrated, and gets them if it
has none) and signs in 30 users (a lead, 24 reviewers, 5
contributors). It then starts ``stocktake serve`` (waitress, 8 threads in each
of ``--processes`` processes, default 2) on 127.0.0.1 and requests the
dashboard, the findings list (unfiltered, filtered by theme, a deep page), single findings, review next,
search (``SEARCHES``: rare and common words, a phrase, filters, a deep page; and by theme),
the memos page (400 memos) and the report page, at
each concurrency for a bounded number of requests (each simulated user keeps
one connection and sends its next request when the last one answers). It prints
p50/p95/p99 in milliseconds, errors (any status but 200), and the server's
memory, sampled every 0.2 s from /proc while a page is measured: RSS (with several
processes their sum, which counts the pages they share after the fork once per
process) and PSS (shared pages divided among the processes sharing them: what the
server takes from the machine); at the end, the summed peak RSS (VmHWM). The first report
request after the data changed builds the report; it is timed on its own ("report first build").
Before each page is measured, 4 × processes users request it 16 × processes
times, each request on a new connection, so that each server process has built
what it keeps (an index, counts).

PostgreSQL: the database named in ``--postgres-url`` is dropped and created
again (use a name of your own). Nothing here needs the network.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
SLUG = "bench"
SYSTEMS, ORGANISATIONS = 12, 200
REVIEWERS, CONTRIBUTORS = 24, 5
DECISIONS = 300
MEMOS = 400
# Searches as reviewers type them: a rare word, a phrase, a common word (tens of thousands of
# matches to rank), words with filters, a deep page.
SEARCHES = ["q=discharge", 'q="virtual+ward"', "q=care", "q=staff&polarity=challenge",
            "q=video+consultations&kind=finding", "q=winter&page=5", "q=memo&kind=memo"]


# --------------------------------------------------------------------------- preparing


def prepare(data_dir: Path, findings: int, bulk_codes: bool) -> None:
    """Build the review into ``data_dir`` (and DATABASE_URL, when set); runs in its own process."""
    os.environ["STOCKTAKE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stocktake.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    review, users, orgs = _review_and_people()
    _findings(review, users["lead"], findings)
    print(f"  {findings} findings stored in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    if bulk_codes:
        _bulk_codes(review)
    else:
        from stocktake.assess.actions import analyse_review

        analyse_review(review=review, by=users["lead"])
    print(f"  coded in {time.perf_counter() - started:.0f} s", flush=True)
    _decisions(review, users["reviewer0"])
    _memos(review, users)
    _similar(review)
    from django.db import connection

    if connection.vendor == "postgresql":  # what autovacuum would soon do after a bulk load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    (data_dir / "bench.json").write_text(json.dumps(_sessions(users)))


def _similar(review) -> None:
    """Each finding's similar findings, as the background worker works them out after an
    import (timed: CPU and wall)."""
    from stocktake.collect.similarity.actions import compute_similar_findings

    started, cpu = time.perf_counter(), time.process_time()
    count = compute_similar_findings(review_id=review.pk, by=None)
    print(f"  similar findings of {count} findings worked out in "
          f"{time.perf_counter() - started:.0f} s ({time.process_time() - cpu:.0f} s CPU)",
          flush=True)


def refresh(data_dir: Path) -> None:
    """A kept data dir brought up to this code: migrated, similar findings worked out if
    they are not current (a dir built before they were stored); runs in its own process."""
    os.environ["STOCKTAKE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stocktake.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from stocktake.collect.models import SimilarityState
    from stocktake.reviews.models import Review

    review = Review.objects.get(slug=SLUG)
    state = SimilarityState.objects.filter(review=review).first()
    if state is None or not state.current:
        _similar(review)


def _review_and_people():
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
    review = actions.create_review(title="Load benchmark review", slug=SLUG, framework=framework,
                                   region=region, by=lead)
    review = actions.change_review_status(review=review, status="collecting", by=lead)
    actions.add_member(review=review, member=lead, role=Role.LEAD, by=lead)
    users = {"lead": lead}
    for r in range(REVIEWERS):
        users[f"reviewer{r}"] = actions.create_user(username=f"reviewer{r}", by=None)
        actions.add_member(review=review, member=users[f"reviewer{r}"], role=Role.REVIEWER, by=lead)
    for c in range(CONTRIBUTORS):
        users[f"contributor{c}"] = actions.create_user(username=f"contributor{c}", by=None)
        actions.add_member(review=review, member=users[f"contributor{c}"], role=Role.CONTRIBUTOR,
                           organisation=orgs[c * 7], by=lead)
    return review, users, orgs


def _findings(review, lead, total: int) -> None:
    from findings_data import statement

    from stocktake.collect import actions
    from stocktake.collect.actions import NewFinding
    from stocktake.collect.models import SectionKind
    from stocktake.reviews.actions import add_participant
    from stocktake.reviews.models import Organisation, OrganisationLevel

    rng = random.Random(0)
    domains = list(review.framework.domains.all()) + [None]
    sections = [SectionKind.ACHIEVEMENTS, SectionKind.CHALLENGES, SectionKind.LEARNING]
    orgs = list(Organisation.objects.filter(level=OrganisationLevel.ORGANISATION).order_by("id"))
    for n, org in enumerate(orgs):
        count = total // len(orgs) + (n < total % len(orgs))
        participant = add_participant(review=review, organisation=org, by=lead)
        submission = actions.create_submission(participant=participant, by=lead)
        actions.add_findings(submission=submission, by=lead, findings=[
            NewFinding(statement(rng), domain=rng.choice(domains), section=rng.choice(sections))
            for _ in range(count)])
        actions.submit_submission(submission=submission, by=lead)


def _bulk_codes(review) -> None:
    """One machine code per finding, as the analysis would store its top theme."""
    from stocktake.assess.models import Code, CodeOrigin, ReviewPriority
    from stocktake.collect.models import Finding

    rng = random.Random(1)
    themes = list(review.framework.themes.all())
    ids = list(Finding.objects.filter(review=review).values_list("id", flat=True))
    Code.objects.bulk_create([  # benchmark data written straight, like a run's _store
        Code(finding_id=i, theme=rng.choice(themes), origin=CodeOrigin.MACHINE, rank=0,
             score=rng.random()) for i in ids], batch_size=2000)
    order = sorted(ids, key=lambda _: rng.random())
    ReviewPriority.objects.bulk_create([
        ReviewPriority(finding_id=i, review=review, position=p, uncertainty=0.5)
        for p, i in enumerate(order)], batch_size=2000)


def _decisions(review, reviewer) -> None:
    from stocktake.assess.actions import confirm_code
    from stocktake.collect.models import Finding

    rng = random.Random(2)
    themes = list(review.framework.themes.all())
    findings = list(Finding.objects.filter(review=review).order_by("?")[:DECISIONS])
    for finding in findings:
        confirm_code(finding=finding, theme=rng.choice(themes), by=reviewer,
                     applies=rng.random() < 0.8)


def _memos(review, users) -> None:
    """A few hundred memos, as reviewers would write them: on findings, themes, organisations
    and the review."""
    from findings_data import statement

    from stocktake.assess.actions import add_memo
    from stocktake.collect.models import Finding
    from stocktake.reviews.models import Organisation, OrganisationLevel

    rng = random.Random(4)
    findings = list(Finding.objects.filter(review=review).order_by("?")[:MEMOS])
    themes = list(review.framework.themes.all())
    orgs = list(Organisation.objects.filter(level=OrganisationLevel.ORGANISATION))
    for n, finding in enumerate(findings):
        about = [{"finding": finding}, {"theme": rng.choice(themes)},
                 {"organisation": rng.choice(orgs)}, {}][n % 4]
        add_memo(review=review, text="Memo: " + statement(rng), by=users[f"reviewer{n % 3}"],
                 **about)


def _sessions(users) -> dict:
    from django.conf import settings
    from django.test import Client

    from stocktake.collect.models import Finding
    from stocktake.reviews.models import Review

    cookies = {}
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        cookies[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    review = Review.objects.get(slug=SLUG)
    ids = list(Finding.objects.filter(review=review).values_list("id", flat=True))
    theme = review.framework.themes.order_by("position").first().key
    return {"cookies": cookies, "cookie_name": settings.SESSION_COOKIE_NAME,
            "finding_ids": random.Random(3).sample(ids, 200), "theme": theme, "count": len(ids)}


# --------------------------------------------------------------------------- serving


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _children(pid: int) -> list[int]:
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


class Server:
    def __init__(self, data_dir: Path, env: dict, processes: int):
        self.port = _free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "stocktake", "serve", "--data-dir", str(data_dir),
             "--port", str(self.port), "--no-worker", "--processes", str(processes)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("the server did not start")

    def _pids(self) -> list[int]:
        return [self.process.pid, *_children(self.process.pid)]

    def rss(self) -> float:
        """The server's processes together (pages shared after the fork count once each)."""
        return sum(_rss_mb(pid) for pid in self._pids())

    def pss(self) -> float:
        """The server's memory with shared pages divided among the processes sharing them
        (the sum of PSS: what the processes together take from the machine)."""
        total = 0.0
        for pid in self._pids():
            try:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) / 1024
                        break
            except OSError:
                continue
        return total

    def peak_rss(self) -> float:
        return sum(_rss_mb(pid, "VmHWM") for pid in self._pids())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _get(conn: http.client.HTTPConnection, path: str, cookie: str) -> int:
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    response.read()
    return response.status


def load(port: int, paths: list[str], cookies: list[str], concurrency: int, requests: int,
         reconnect: bool = False):
    """``requests`` GETs of ``paths`` (in turn) by ``concurrency`` users: latencies (ms), errors.

    ``reconnect``: a new connection for every request, so that the server's processes,
    which share the listening socket, each accept some (for warming them all)."""
    latencies, errors, lock = [], [], threading.Lock()
    todo = iter(range(requests))

    def user(u: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        cookie = cookies[u % len(cookies)]
        while True:
            with lock:
                n = next(todo, None)
            if n is None:
                break
            started = time.perf_counter()
            try:
                status = _get(conn, paths[n % len(paths)], cookie)
            except (OSError, http.client.HTTPException) as exc:
                status = repr(exc)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            if reconnect:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                if status != 200:
                    errors.append(status)
        conn.close()

    threads = [threading.Thread(target=user, args=(u,)) for u in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def pages(info: dict) -> list[tuple[str, list[str], str]]:
    """(name, paths, who): who is "all" (any signed-in user) or "coders" (lead, reviewers)."""
    base = f"/reviews/{SLUG}/"
    deep = max(1, int(info["count"] * 0.9) // 50)
    return [
        ("dashboard", [base], "all"),
        ("findings", [base + "findings/"], "all"),
        ("findings by theme", [base + f"findings/?theme={info['theme']}"], "all"),
        ("findings deep page", [base + f"findings/?page={deep}"], "coders"),
        ("finding", [base + f"findings/{i}/" for i in info["finding_ids"]], "coders"),
        ("review next", [base + "review-next/"], "coders"),
        ("coding workspace", [base + "coding/", base + f"coding/?theme={info['theme']}"],
         "coders"),
        ("search", [base + "search/?" + q for q in SEARCHES], "all"),
        ("search by theme", [base + f"search/?q=care&theme={info['theme']}"], "all"),
        ("memos", [base + "memos/", base + "memos/?kind=finding"], "coders"),
        ("matrix", [base + "matrix/", base + "matrix/?by=domains"], "coders"),
        ("report", [base + "report/"], "coders"),
    ]


def bench(database: str, data_dir: Path, env: dict, concurrency: list[int],
          per_user: int, processes: int, only: set[str] | None = None) -> list[dict]:
    info = json.loads((data_dir / "bench.json").read_text())
    name = info["cookie_name"]
    coders = [f"{name}={v}" for k, v in info["cookies"].items() if not k.startswith("contrib")]
    everyone = [f"{name}={v}" for v in info["cookies"].values()]
    server = Server(data_dir, env, processes)
    rows = []
    try:
        started = time.perf_counter()
        first = load(server.port, [f"/reviews/{SLUG}/report/"], coders[:1], 1, 1)
        print(f"  report first build {time.perf_counter() - started:.1f} s "
              f"(errors: {first[1] or 'none'})", flush=True)
        for page, paths, who in pages(info):
            if only and page not in only:
                continue
            # warm every process (each keeps its own caches; a cold one builds them once)
            load(server.port, paths, coders[:1], 4 * processes, 16 * processes, reconnect=True)
            for c in concurrency:
                requests = max(20, per_user * c)
                peak, peak_pss = [server.rss()], [server.pss()]
                stop = threading.Event()

                def sample(peak=peak, peak_pss=peak_pss, stop=stop):
                    while not stop.wait(0.2):
                        peak.append(server.rss())
                        peak_pss.append(server.pss())

                sampler = threading.Thread(target=sample)
                sampler.start()
                latencies, errors = load(server.port, paths, everyone if who == "all" else coders,
                                         c, requests)
                stop.set()
                sampler.join()
                row = {"database": database, "page": page, "concurrency": c,
                       "requests": len(latencies), "p50": _pct(latencies, 50),
                       "p95": _pct(latencies, 95), "p99": _pct(latencies, 99),
                       "errors": len(errors), "rss_mb": max(peak), "pss_mb": max(peak_pss)}
                rows.append(row)
                print(f"  {page:20} c={c:<3} n={row['requests']:<4} p50 {row['p50']:7.0f} "
                      f"p95 {row['p95']:7.0f} p99 {row['p99']:7.0f} ms  errors {row['errors']} "
                      f"RSS {row['rss_mb']:.0f} MB PSS {row['pss_mb']:.0f} MB"
                      + (f"  first error: {errors[0]}" if errors else ""), flush=True)
        print(f"  server peak RSS (VmHWM, summed) {server.peak_rss():.0f} MB; "
              f"peak PSS sampled {max(r['pss_mb'] for r in rows):.0f} MB", flush=True)
    finally:
        server.stop()
    return rows


def _environment(database: str, data_dir: Path, postgres_url: str) -> dict:
    env = {**os.environ, "STOCKTAKE_DATA_DIR": str(data_dir), "LOG_LEVEL": "ERROR",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    env.pop("DATABASE_URL", None)
    if database == "postgres":
        env["DATABASE_URL"] = postgres_url
    return env


def _recreate_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _table(rows: list[dict]) -> str:
    lines = ["| Page | Users | Database | p50 ms | p95 ms | p99 ms | Errors | Server RSS MB "
             "| Server PSS MB |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    for r in sorted(rows, key=lambda r: (r["page"], r["concurrency"], r["database"])):
        lines.append(f"| {r['page']} | {r['concurrency']} | {r['database']} | {r['p50']:.0f} | "
                     f"{r['p95']:.0f} | {r['p99']:.0f} | {r['errors']} | {r['rss_mb']:.0f} | "
                     f"{r['pss_mb']:.0f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--concurrency", default="1,20,50")
    parser.add_argument("--requests-per-user", type=int, default=5,
                        help="requests per simulated user at each concurrency (at least 20 in all)")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/stocktake_bench")
    parser.add_argument("--processes", type=int, default=2,
                        help="`stocktake serve --processes` (server processes sharing the port)")
    parser.add_argument("--bulk-codes", action="store_true",
                        help="write one machine code per finding instead of running the analysis")
    parser.add_argument("--keep", type=Path,
                        help="build the data dirs here and keep them; a later run reuses them")
    parser.add_argument("--pages", help="only these pages, comma-separated (e.g. 'finding,findings')")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--prepare-only", type=Path, help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--refresh-only", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.prepare_only:
        prepare(args.prepare_only, args.findings, args.bulk_codes)
        return 0
    if args.refresh_only:
        refresh(args.refresh_only)
        return 0
    concurrency = [int(c) for c in args.concurrency.split(",")]
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
          f"{args.findings} findings", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="stocktake-load-") as tmp:
        root = args.keep or Path(tmp)
        for database in args.databases.split(","):
            data_dir = root / database
            data_dir.mkdir(parents=True, exist_ok=True)
            env = _environment(database, data_dir, args.postgres_url)
            if (data_dir / "bench.json").exists() and args.keep:
                print(f"{database}: reusing {data_dir}", flush=True)
                subprocess.run([sys.executable, __file__, "--refresh-only", str(data_dir)],
                               env=env, check=True)
            else:
                if database == "postgres":
                    _recreate_postgres(args.postgres_url)
                print(f"{database}: preparing", flush=True)
                command = [sys.executable, __file__, "--prepare-only", str(data_dir),
                           "--findings", str(args.findings)]
                subprocess.run(command + (["--bulk-codes"] if args.bulk_codes else []), env=env,
                               check=True)
            rows += bench(database, data_dir, env, concurrency, args.requests_per_user,
                          args.processes, set(args.pages.split(",")) if args.pages else None)
    print()
    print(_table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
