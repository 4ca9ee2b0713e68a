"""Benchmark: import 1,000 two-page DOCX submissions into a fresh SQLite review.

    .venv/bin/python benchmarks/import_docx.py [--files 1000] [--profile]

Generates the files into a temporary folder (not timed), creates a fresh SQLite
database and review there, then imports every file through
``stocktake.report.importing.import_paths`` and reports the wall time, the
per-file rate, the CPU time of the process (a fairer figure on a busy machine) and the
peak memory (resident set size from getrusage, and the
Python heap peak from tracemalloc when ``--tracemalloc`` is given; tracemalloc
slows the run, so it is off for the timing). Target: under 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SYSTEMS = ["Velbrook and Ostley ICS", "Saltmere Coast ICS", "Carrowfold ICS", "Dunmarrow and Hensby ICS"]
KINDS = ["Hospitals NHS Foundation Trust", "Community Health NHS Trust", "Mental Health NHS Trust",
         "Hospice", "Metropolitan Borough Council", "Integrated Care Board", "GP Federation"]
PLACES = ["Ashby", "Brackenfield", "Corrow", "Dunmere", "Elsby", "Fallowfield", "Gransby", "Holme",
          "Ingleby", "Jarrow Vale", "Kettlewick", "Lowbridge"]
DOMAINS = ["Governance", "Clinical and Quality Processes", "Support Processes", "People",
           "Inequalities", "Leadership and Culture"]
SENTENCES = [
    "Daily system calls replaced three separate escalation meetings and saved senior time",
    "Staff were redeployed to the discharge hub after a half-day induction",
    "Video consultations kept outpatient clinics running when rooms were closed",
    "Community connectors phoned people on the shielding list every week",
    "The board met weekly in a shorter format with a published decision log",
    "Agency spending rose sharply when sickness absence peaked in January",
]


def _base_docx() -> bytes:
    """One two-page submission with placeholders, built once with python-docx."""
    import docx

    document = docx.Document()
    document.add_heading("Submission from @@ORG@@", level=0)
    document.add_paragraph("Organisation: @@ORG@@")
    document.add_paragraph("System: @@SYSTEM@@")
    for d, domain in enumerate(DOMAINS):
        document.add_heading(domain, level=1)
        for section, count in (("Key achievements", 3), ("Challenges", 2), ("Significant learning", 1)):
            document.add_heading(section, level=2)
            for i in range(count):
                text = SENTENCES[(d + i) % len(SENTENCES)]
                document.add_paragraph(f"{text} (@@N@@-{d}-{i}).", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def generate(folder: Path, count: int) -> list[Path]:
    base = _base_docx()
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        parts = {info: archive.read(info.filename) for info in archive.infolist()}
    paths = []
    for n in range(count):
        org = f"{PLACES[n % len(PLACES)]} {KINDS[(n // len(PLACES)) % len(KINDS)]}"
        system = SYSTEMS[n % len(SYSTEMS)]
        path = folder / f"submission-{n:04d}.docx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for info, data in parts.items():
                if info.filename == "word/document.xml":
                    data = (data.replace(b"@@ORG@@", org.encode()).replace(b"@@SYSTEM@@", system.encode())
                            .replace(b"@@N@@", str(n).encode()))
                out.writestr(info.filename, data)
        paths.append(path)
    return paths


def _setup(data_dir: Path):
    os.environ["STOCKTAKE_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stocktake.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from stocktake.analysis.framework import default_framework
    from stocktake.reviews import actions
    from stocktake.reviews.models import OrganisationLevel, OrganisationType

    framework = actions.create_framework(spec=default_framework(), by=None)
    region = actions.create_organisation(name="Northmere Region", level=OrganisationLevel.REGION,
                                         kind=OrganisationType.OTHER, by=None)
    return actions.create_review(title="Benchmark", slug="benchmark", framework=framework,
                                 region=region, by=None)


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    return peak / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile")
    parser.add_argument("--tracemalloc", action="store_true", help="also report the Python heap peak")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stocktake-bench-") as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "in").mkdir()
        started = time.perf_counter()
        paths = generate(tmp_path / "in", args.files)
        print(f"generated {len(paths)} files ({sum(p.stat().st_size for p in paths) / 1e6:.1f} MB) "
              f"in {time.perf_counter() - started:.1f} s")
        review = _setup(tmp_path / "data")
        from stocktake.collect.actions import start_import_batch
        from stocktake.collect.models import Finding
        from stocktake.report.importing import import_paths

        if args.tracemalloc:
            import tracemalloc

            tracemalloc.start()
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        rss_before = _peak_rss_mb()
        started, cpu_started = time.perf_counter(), time.process_time()
        # One import batch, as `stocktake import` records (so the run can be undone).
        batch = start_import_batch(review=review, by=None)
        results = import_paths(review=review, paths=[tmp_path / "in"], by=None, batch=batch)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        if profiler:
            import pstats

            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        failed = [r for r in results if not r.ok]
        findings = Finding.objects.filter(review=review).count()
        print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
        print(f"imported {len(results) - len(failed)} of {len(results)} files, {findings} findings, "
              f"in {elapsed:.1f} s wall ({elapsed / max(len(results), 1) * 1000:.1f} ms per file), "
              f"{cpu:.1f} s CPU")
        print(f"peak RSS {_peak_rss_mb():.0f} MB (before importing: {rss_before:.0f} MB)")
        if args.tracemalloc:
            current, peak = tracemalloc.get_traced_memory()
            print(f"tracemalloc peak {peak / 1e6:.1f} MB")
        if failed:
            print(f"first failure: {failed[0].error}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
