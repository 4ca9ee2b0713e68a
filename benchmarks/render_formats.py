"""Time the report's renderers (HTML, Word, PDF) on a large report made in memory.

    PYTHONPATH=src .venv/bin/python benchmarks/render_formats.py \
        [--themes 60] [--systems 8] [--recommendations 500] [--examples 2000] [--soffice]

The data is tests/report/synthetic.py's: every part filled, 7 citations per
recommendation (5 printed), 3 quotes per theme. Prints wall time, size and pages
per format (wall and CPU time: on a shared machine CPU time is the steadier figure);
``--soffice`` also times LibreOffice converting the Word file to PDF
(the engine docs/adr/0008-pdf-engine.md compares). Results go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stocktake.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--themes", type=int, default=60)
    parser.add_argument("--systems", type=int, default=8)
    parser.add_argument("--recommendations", type=int, default=500)
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--soffice", action="store_true", help="also time LibreOffice's PDF")
    args = parser.parse_args()

    import django

    django.setup()
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from tests.report.synthetic import synthetic_report

    from stocktake.report.render.docx import render_docx
    from stocktake.report.render.html import render_html
    from stocktake.report.render.pdf import render_pdf

    def pages(path: Path) -> int:
        with path.open("rb") as handle:
            return sum(1 for _ in PDFPage.create_pages(PDFDocument(PDFParser(handle))))

    data = synthetic_report(themes=args.themes, systems=args.systems,
                            recommendations=args.recommendations, examples=args.examples)
    print(f"{args.themes} themes, {args.systems} systems, {args.recommendations} "
          f"recommendations, {args.examples} examples; load {os.getloadavg()[0]:.1f}")
    total = total_cpu = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, render in (("html", render_html), ("docx", render_docx), ("pdf", render_pdf)):
            start, cpu = time.perf_counter(), time.process_time()
            output = render(data)
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            total += seconds
            total_cpu += cpu
            path = folder / f"report.{name}"
            path.write_bytes(output.encode() if isinstance(output, str) else output)
            extra = f", {pages(path)} pages" if name == "pdf" else ""
            print(f"{name:5} {seconds:7.1f} s wall {cpu:7.1f} s CPU "
                  f"{path.stat().st_size / 1e6:6.1f} MB{extra}")
        print(f"all   {total:7.1f} s wall {total_cpu:7.1f} s CPU")
        if args.soffice:
            start = time.perf_counter()
            subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/profile",
                            "--headless", "--convert-to", "pdf", "--outdir", str(folder / "lo"),
                            str(folder / "report.docx")], check=True, capture_output=True)
            converted = folder / "lo" / "report.pdf"
            print(f"LibreOffice docx->pdf {time.perf_counter() - start:.1f} s, "
                  f"{pages(converted)} pages")
    print(f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
