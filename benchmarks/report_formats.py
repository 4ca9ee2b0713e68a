"""Benchmark: building the report of a 100,000-finding review and writing every format.

    .venv/bin/python benchmarks/report_formats.py [--findings 100000] [--keep DIR]
        [--analyse] [--profile] [--tracemalloc]

Builds a fresh SQLite data dir with ``benchmarks/load_pages.py``'s generator (12 systems,
200 organisations, findings from ``benchmarks/findings_data.py``, one machine code per
finding written in bulk unless ``--analyse`` runs the analysis, 300 reviewer decisions),
then, in this process, times ``build_report`` and each format of
:mod:`stocktake.report.formats` this build has (html, docx, pdf, data, qdpx; a missing
one is named and skipped), and the total. ``--keep DIR`` keeps the data dir for the next
run. ``--profile`` prints where ``build_report``'s time goes (cProfile, top 25 by
cumulative time); ``--tracemalloc`` its peak of Python allocations (slower).
The target (issue 10): every format in under 60 s in all.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
TARGET_S = 60


def _prepare(data_dir: Path, findings: int, analyse: bool) -> None:
    command = [sys.executable, str(ROOT / "benchmarks" / "load_pages.py"), "--prepare-only",
               str(data_dir), "--findings", str(findings)]
    env = {**os.environ, "STOCKTAKE_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    subprocess.run(command + ([] if analyse else ["--bulk-codes"]), env=env, check=True)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(data_dir: Path, *, profile: bool, trace: bool) -> list[tuple[str, float, str]]:
    os.environ["STOCKTAKE_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stocktake.settings")
    import django

    django.setup()
    from stocktake.report import formats
    from stocktake.report.build import build_report
    from stocktake.reviews.models import Review

    review = Review.objects.get(slug="bench")
    rows = []
    if trace:
        tracemalloc.start()
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    data = build_report(review)
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    note = f"{data.participation.finding_count:,} findings; peak RSS {_rss_mb():.0f} MB"
    if trace:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        note += f"; Python allocations peak {peak / 1e6:.0f} MB"
    rows.append(("build_report", elapsed, note))
    print(f"build_report: {elapsed:.2f} s ({note})", flush=True)
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    # As publishing does: the review document is read once for the data pack and the QDPX.
    started = time.perf_counter()
    document = formats.review_document(review)
    elapsed = time.perf_counter() - started
    rows.append(("review document", elapsed, "read once for data and qdpx"))
    print(f"review document: {elapsed:.2f} s", flush=True)
    with tempfile.TemporaryDirectory(prefix="stocktake-formats-") as folder:
        for key, fmt in formats.FORMATS.items():
            if reason := formats.unavailable_reason(key):
                print(f"{key}: skipped — {reason}", flush=True)
                rows.append((key, 0.0, f"skipped: {reason}"))
                continue
            path = Path(folder) / fmt.filename("bench")
            started = time.perf_counter()
            formats.write(key, review=review, data=data, path=path, document=document)
            elapsed = time.perf_counter() - started
            size = path.stat().st_size
            rows.append((key, elapsed, f"{size / 1e6:.1f} MB; peak RSS {_rss_mb():.0f} MB"))
            print(f"{key}: {elapsed:.2f} s ({size / 1e6:.1f} MB)", flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build the data dir here and keep it")
    parser.add_argument("--analyse", action="store_true",
                        help="run the analysis instead of writing one machine code per finding")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
          f"{args.findings} findings", flush=True)
    with tempfile.TemporaryDirectory(prefix="stocktake-report-bench-") as tmp:
        data_dir = args.keep or Path(tmp) / "sqlite"
        if args.keep and (data_dir / "bench.json").exists():
            print(f"reusing {data_dir}", flush=True)
        else:
            data_dir.mkdir(parents=True, exist_ok=True)
            print("preparing", flush=True)
            _prepare(data_dir, args.findings, args.analyse)
        rows = run(data_dir, profile=args.profile, trace=args.tracemalloc)
    total = sum(seconds for _, seconds, _ in rows)
    print()
    print("| Step | Seconds | Notes |")
    print("|---|---:|---|")
    for name, seconds, note in rows:
        print(f"| {name} | {seconds:.2f} | {note} |")
    print(f"| **total** | **{total:.2f}** | target under {TARGET_S} s |")
    return 0 if total < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
