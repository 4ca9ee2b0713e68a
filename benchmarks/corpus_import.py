"""Scores the report and response importer on the real documents of ``../shared/corpus``.

    PYTHONPATH=src python benchmarks/corpus_import.py [--corpus DIR] [--formats pdf,text] [--perf]

For each report: recommendations found with the right number (label), missing and
over-imported. For each response: responses found and linked to a recommendation
number of the report, and how far the statuses agree with the corpus README's
reference counts (sum over statuses of min(found, reference) / reference total).
Each PDF is read as a PDF and, when ``pdftotext`` (poppler-utils) is installed, as the
text that ``pdftotext -layout`` exports from it ("text") and as the text it exports in
reading order without ``-layout`` ("raw", as copying out of a viewer gives). A scan reads "needs OCR" until text
recognition is available. ``--perf`` also times a generated 200-page text PDF (needs
fpdf2). Skips cleanly (exit 0) when the corpus folder is absent.

The expectations below are the README's "What a correct import finds": counts,
numbering and reference status counts, nothing from the documents themselves.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from stocktake.collect.importers import NoTextLayer, extract

ROOT = Path(__file__).resolve().parents[1]
# ../shared/corpus beside the checkout (or beside a folder above it, for a git worktree)
DEFAULT_CORPUS = next((p / "shared" / "corpus" for p in ROOT.parents if (p / "shared" / "corpus").is_dir()),
                      ROOT.parent / "shared" / "corpus")

# folder -> (expected recommendation labels, reference response statuses, response is a scan)
EXPECTED = {
    "behaviour-change": ([f"8.{n}" for n in range(1, 34)],
                         {"accepted": 19, "accepted_in_part": 12, "not_accepted": 2}, False),
    "post-office-horizon": ([str(n) for n in range(1, 20)],
                            {"accepted": 17, "accepted_in_part": 1, "not_accepted": 1}, True),
    "space-economy": ([str(n) for n in range(1, 41)],
                      {"accepted": 21, "accepted_in_part": 19}, False),
}


def _as_text(pdf: Path, workdir: Path, *, layout: bool = True) -> Path | None:
    if not shutil.which("pdftotext"):
        return None
    out = workdir / f"{pdf.parent.name}-{pdf.stem}{'' if layout else '-raw'}.txt"
    options = ["-layout"] if layout else []
    subprocess.run(["pdftotext", *options, str(pdf), str(out)], check=True, capture_output=True)
    return out


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]{3,}", text.lower()))


def aligned(report, response) -> int | None:
    """How many recommendations carry the number under which the response quotes their text."""
    quoted = {r.label: _words(r.recommendation_text) for r in response.responses if r.recommendation_text}
    if not quoted:
        return None
    count = 0
    for rec in report.recommendations:
        words, other = _words(rec.text), quoted.get(rec.label, set())
        if words and other and len(words & other) / min(len(words), len(other)) >= 0.6:
            count += 1
    return count


def score_report(path: Path, expected: list[str]) -> dict:
    started = time.perf_counter()
    x = extract(path)
    seconds = time.perf_counter() - started
    labels = [r.label for r in x.recommendations]
    right = len(set(labels) & set(expected))
    with_section = sum(1 for r in x.recommendations if r.section)
    return {"seconds": seconds, "found": len(labels), "right": right, "missing": len(expected) - right,
            "over": len(labels) - right, "expected": len(expected), "sections": with_section,
            "responses": len(x.responses), "extraction": x}


def score_response(path: Path, expected_labels: list[str], reference: dict[str, int]) -> dict:
    started = time.perf_counter()
    if path.suffix == ".txt" and not path.read_text(encoding="utf-8", errors="replace").strip():
        return {"needs_ocr": True, "seconds": 0.0}
    try:
        x = extract(path)
    except NoTextLayer:
        return {"needs_ocr": True, "seconds": time.perf_counter() - started}
    seconds = time.perf_counter() - started
    labels = {r.label for r in x.responses}
    linked = len(labels & set(expected_labels))
    counts = Counter(r.status for r in {r.label: r for r in x.responses}.values())
    total = sum(reference.values())
    agreement = sum(min(counts.get(status, 0), n) for status, n in reference.items()) / total
    return {"seconds": seconds, "found": len(x.responses), "linked": linked, "expected": len(expected_labels),
            "statuses": dict(counts), "agreement": agreement, "recommendations": len(x.recommendations),
            "extraction": x}


def _perf(pages: int = 200) -> float | None:
    try:
        from fpdf import FPDF
    except ImportError:
        return None
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    sentence = ("The system coordination centre met every morning and the teams agreed the day's "
                "priorities together, which kept discharges moving through the winter. ")
    page = 0
    number = 0
    while pdf.page_no() < pages:
        page += 1
        pdf.set_font("Helvetica", "B", 14)
        pdf.multi_cell(0, 8, f"{page}. Theme {page}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        for _ in range(4):
            pdf.multi_cell(0, 5.5, sentence * 4, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        pdf.set_font("Helvetica", "B", 11)
        pdf.multi_cell(0, 5.5, "Recommendations", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        for _ in range(2):
            number += 1
            pdf.multi_cell(0, 5.5, f"{number}. Every system should keep a named lead for the work "
                                   f"described above.", new_x="LMARGIN", new_y="NEXT")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long-report.pdf"
        pdf.output(str(path))
        started = time.perf_counter()
        extract(path)
        return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--formats", default="pdf,text,raw",
                        help="pdf, text (pdftotext -layout), raw (pdftotext in reading order), comma-separated")
    parser.add_argument("--only", help="one folder of the corpus (e.g. space-economy)")
    parser.add_argument("--perf", action="store_true", help="also time a generated 200-page text PDF")
    args = parser.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if args.perf:
        seconds = _perf()
        print("200-page text PDF: " + ("skipped (fpdf2 not installed)" if seconds is None
                                       else f"{seconds:.1f} s"))
    if not args.corpus.is_dir():
        print(f"corpus folder {args.corpus} is absent: skipped")
        return 0
    totals = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for folder, (labels, reference, scan) in EXPECTED.items():
            if args.only and folder != args.only:
                continue
            base = args.corpus / folder
            if not base.is_dir():
                print(f"{folder}: absent, skipped")
                continue
            for fmt in formats:
                report = base / "report.pdf"
                response = base / "response.pdf"
                if fmt in ("text", "raw"):
                    report = _as_text(report, Path(tmp), layout=fmt == "text")
                    response = _as_text(response, Path(tmp), layout=fmt == "text")
                    if report is None:
                        print(f"{folder} [text]: pdftotext not installed, skipped")
                        continue
                r = score_report(report, labels)
                totals[f"{fmt} right"] += r["right"]
                totals[f"{fmt} over"] += r["over"]
                totals[f"{fmt} expected"] += r["expected"]
                print(f"{folder} report [{fmt}]: {r['right']}/{r['expected']} with the right number, "
                      f"{r['missing']} missing, {r['over']} over-imported, {r['sections']} with a section, "
                      f"{r['responses']} responses; {r['seconds']:.1f} s")
                s = score_response(response, labels, reference)
                if s.get("needs_ocr"):
                    print(f"{folder} response [{fmt}]: needs OCR (no text layer)")
                    continue
                both = aligned(r["extraction"], s["extraction"])
                if both is not None:
                    totals[f"{fmt} aligned"] += both
                    totals[f"{fmt} aligned of"] += r["expected"]
                print(f"{folder} response [{fmt}]: {s['found']} responses, {s['linked']}/{s['expected']} "
                      f"linked by number, statuses {s['statuses']} vs reference {reference} "
                      f"(agreement {s['agreement']:.0%}), {s['recommendations']} recommendations "
                      f"also taken; {s['seconds']:.1f} s")
                if both is not None:
                    print(f"{folder} [{fmt}]: {both}/{r['expected']} recommendations carry the number "
                          "under which the response quotes their text")
    for fmt in formats:
        expected = totals[f"{fmt} expected"]
        if expected:
            print(f"[{fmt}] recommendations: {totals[f'{fmt} right']}/{expected} "
                  f"({totals[f'{fmt} right'] / expected:.0%}) with the right number, "
                  f"over-import {totals[f'{fmt} over']} ({totals[f'{fmt} over'] / expected:.0%}); "
                  f"checked against the responses' quotations: {totals[f'{fmt} aligned']}/"
                  f"{totals[f'{fmt} aligned of']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
