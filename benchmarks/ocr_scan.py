"""Benchmark: read a scanned PDF by text recognition (tesseract), page by page.

    .venv/bin/python benchmarks/ocr_scan.py [PDF]

Defaults to the 16-page scanned government response in ``../shared/corpus``
(skipped, exit 0, when that folder is absent). Reports the wall time, the time of
each page, the CPU time of this process and of tesseract (its child processes), the
load average, and how many findings and words came out. Prints none of the text.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpus" / "post-office-horizon" / "response.pdf"
sys.path.insert(0, str(ROOT / "src"))

from stocktake.collect.importers import extract, ocr  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=DEFAULT)
    args = parser.parse_args()
    if not args.pdf.exists():
        print(f"skipped: {args.pdf} is not here")
        return 0
    if ocr.tesseract() is None:
        print(f"skipped: tesseract is not installed ({ocr.INSTALL})")
        return 0
    marks: list[float] = []
    start = time.perf_counter()
    extraction = extract(args.pdf, progress=lambda done, total: marks.append(time.perf_counter()))
    wall = time.perf_counter() - start
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    pages = [b - a for a, b in zip([start, *marks], marks)]
    words = sum(len(f.text.split()) for f in extraction.findings) + sum(
        len(r.text.split()) for r in extraction.recommendations) + sum(
        len(r.text.split()) for r in extraction.responses)
    print(f"machine: {platform.node()} {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"file: {args.pdf.name}, {len(pages)} pages at {ocr.DPI} dpi")
    print(f"wall: {wall:.1f} s ({wall / max(len(pages), 1):.1f} s a page; slowest page "
          f"{max(pages, default=0):.1f} s)")
    print(f"cpu: this process {me.ru_utime + me.ru_stime:.1f} s, tesseract "
          f"{children.ru_utime + children.ru_stime:.1f} s")
    print(f"out: {len(extraction.findings)} findings, {len(extraction.recommendations)} "
          f"recommendations, {len(extraction.responses)} responses, {words} words, "
          f"{len(extraction.problems)} problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
