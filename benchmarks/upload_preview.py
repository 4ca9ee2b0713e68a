"""Benchmark: the upload preview of a 5,000-row table, as the browser asks for it.

    .venv/bin/python benchmarks/upload_preview.py [--rows 5000]

Creates a fresh SQLite review and a lead in a temporary data dir, uploads a CSV of
``--rows`` rows (one finding per row, 40 organisations) through the web upload, then
times, through Django's test client: the preview page (read, organisations resolved,
the first 50 items rendered), moving to the next 50 items (the choices posted and
the page read again), and Confirm import (one batch). Reports the page sizes too: a
preview of a long file shows 50 items a page, so its size does not grow with the file.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_docx import _setup  # noqa: E402  (the same fresh review)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stocktake-bench-") as tmp:
        os.environ["STOCKTAKE_BACKGROUND_IMPORT_MB"] = "50"  # time the page itself, not the worker
        review = _setup(Path(tmp) / "data")
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.test import Client

        from stocktake.collect.models import Finding
        from stocktake.reviews import actions
        from stocktake.reviews.models import Role

        lead = actions.create_user(username="lead", by=None, password="a-long-password-here")
        actions.add_member(review=review, member=lead, role=Role.LEAD, by=None)
        rows = "".join(f"Partner {n % 40} Trust,Finding {n}: the discharge hub kept beds free "
                       f"on weekends and staff knew who to call.\n" for n in range(args.rows))
        data = ("Organisation,Finding\n" + rows).encode()
        client = Client(HTTP_HOST="localhost")
        client.force_login(lead)
        upload = client.post(f"/reviews/{review.slug}/upload/",
                             {"files": [SimpleUploadedFile("long.csv", data)]})
        url = upload["Location"]
        timings = {}
        started = time.perf_counter()
        page = client.get(url)
        timings["preview"] = (time.perf_counter() - started, len(page.content))
        started = time.perf_counter()
        moved = client.post(url, {"shown-1": ["finding-0"], "leave-1": ["finding-0"], "goto": "1:2"})
        page = client.get(moved["Location"])
        timings["next 50 items"] = (time.perf_counter() - started, len(page.content))
        assert b"items 51 to 100" in page.content, "the second page was not shown"
        started = time.perf_counter()
        done = client.post(url + "confirm/", {"file": ["1"]})
        timings["confirm import"] = (time.perf_counter() - started, len(done.content))
        imported = Finding.objects.filter(review=review).count()
        print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
              f"{args.rows} rows, {len(data) / 1e6:.2f} MB")
        for name, (seconds, size) in timings.items():
            print(f"{name}: {seconds:.2f} s, page {size / 1e3:.0f} kB")
        print(f"imported {imported} findings (one left out)")
        return 0 if imported == args.rows - 1 else 1


if __name__ == "__main__":
    sys.exit(main())
