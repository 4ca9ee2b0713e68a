"""Precision and recall of personal-data detection on a labelled set; prints docs/privacy.md's tables.

    .venv/bin/python benchmarks/pii_quality.py [--misses] [--speed N]

The set is ``benchmarks/data/pii_labelled.txt`` (invented sentences in the style of
learning-review submissions; ``[[kind|text]]`` marks each item). A detected span counts
as right when its kind and its exact characters match a labelled one ("strict"); the
"overlap" columns also count a span of the right kind that overlaps a labelled one
(e.g. "Sarah" for "Sarah Jones"). ``--misses`` lists every false positive and false
negative; ``--speed N`` times :func:`detect` over N findings' worth of generated text.
"""

from __future__ import annotations

import argparse
import platform
import random
import re
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from stocktake.analysis import pii  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "pii_labelled.txt"
# Written after the rules were frozen; never used to change them.
HELD_OUT = ROOT / "benchmarks" / "data" / "pii_heldout.txt"
# Written after the layout rules (labels, sign-offs, signature blocks) were frozen.
HELD_OUT_LAYOUT = ROOT / "benchmarks" / "data" / "pii_heldout_layout.txt"
KIND_OF = {"nhs": pii.NHS_NUMBER, "email": pii.EMAIL, "phone": pii.UK_PHONE,
           "postcode": pii.UK_POSTCODE, "name": pii.PERSON_NAME}
_MARK = re.compile(r"\[\[(\w+)\|([^\]]+)\]\]")


@dataclass(frozen=True)
class Labelled:
    text: str
    spans: tuple[pii.Span, ...]


def parse_line(line: str) -> Labelled:
    """A line of the set: plain text, and its spans from the [[kind|text]] marks."""
    text, spans, pos = [], [], 0
    length = 0
    for match in _MARK.finditer(line):
        before = line[pos:match.start()]
        text.append(before)
        length += len(before)
        kind, item = KIND_OF[match.group(1)], match.group(2)
        spans.append(pii.Span(kind, length, length + len(item), item))
        text.append(item)
        length += len(item)
        pos = match.end()
    text.append(line[pos:])
    return Labelled("".join(text), tuple(spans))


def load(path: Path = DATA) -> list[Labelled]:
    """The set's items; a literal ``\\n`` in a line is a line break (signature blocks)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [parse_line(line.replace("\\n", "\n")) for line in lines
            if line.strip() and not line.startswith("#")]


def score(items: list[Labelled], *, overlap: bool = False) -> dict[str, dict[str, int]]:
    """True positives, false positives and false negatives per kind."""
    counts = {kind: {"tp": 0, "fp": 0, "fn": 0} for kind in pii.KINDS}
    for item in items:
        found = pii.detect(item.text)
        for kind in pii.KINDS:
            gold = [s for s in item.spans if s.kind == kind]
            got = [s for s in found if s.kind == kind]
            if overlap:
                hit_gold = [g for g in gold if any(s.start < g.end and g.start < s.end for s in got)]
                hit_got = [s for s in got if any(s.start < g.end and g.start < s.end for g in gold)]
            else:
                keys = {(g.start, g.end) for g in gold}
                hit_got = [s for s in got if (s.start, s.end) in keys]
                hit_gold = hit_got
            counts[kind]["tp"] += len(hit_gold)
            counts[kind]["fn"] += len(gold) - len(hit_gold)
            counts[kind]["fp"] += len(got) - len(hit_got)
    return counts


def ratios(c: dict[str, int]) -> tuple[float | None, float | None]:
    precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else None
    recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else None
    return precision, recall


def pct(value) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def table(items: list[Labelled]) -> str:
    strict, loose = score(items), score(items, overlap=True)
    lines = ["| Kind | Labelled | Found | Precision | Recall | Precision (overlap) | Recall (overlap) |",
             "|---|---|---|---|---|---|---|"]
    totals = {"strict": {"tp": 0, "fp": 0, "fn": 0}, "loose": {"tp": 0, "fp": 0, "fn": 0}}
    for kind in pii.KINDS:
        s, o = strict[kind], loose[kind]
        for key in ("tp", "fp", "fn"):
            totals["strict"][key] += s[key]
            totals["loose"][key] += o[key]
        p, r = ratios(s)
        po, ro = ratios(o)
        lines.append(f"| {pii.LABELS[kind]} | {s['tp'] + s['fn']} | {s['tp'] + s['fp']} | "
                     f"{pct(p)} | {pct(r)} | {pct(po)} | {pct(ro)} |")
    p, r = ratios(totals["strict"])
    po, ro = ratios(totals["loose"])
    lines.append(f"| **all** | {totals['strict']['tp'] + totals['strict']['fn']} | "
                 f"{totals['strict']['tp'] + totals['strict']['fp']} | {pct(p)} | {pct(r)} | "
                 f"{pct(po)} | {pct(ro)} |")
    return "\n".join(lines)


def misses(items: list[Labelled]) -> list[str]:
    out = []
    for item in items:
        found = {(s.kind, s.start, s.end) for s in pii.detect(item.text)}
        gold = {(s.kind, s.start, s.end) for s in item.spans}
        for kind, start, end in sorted(found - gold):
            out.append(f"FP {kind}: {item.text[start:end]!r} in {item.text!r}")
        for kind, start, end in sorted(gold - found):
            out.append(f"FN {kind}: {item.text[start:end]!r} in {item.text!r}")
    return out


def speed(n: int) -> str:
    """detect() over n generated findings (review-style sentences, 1 in 20 with personal data)."""
    rng = random.Random(1)
    items = load()
    texts = [rng.choice(items).text for _ in range(n)]
    chars = sum(len(t) for t in texts)
    started, cpu = time.perf_counter(), time.process_time()
    flagged = sum(1 for t in texts if pii.detect(t))
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    return (f"{n:,} findings ({chars / 1e6:.1f} million characters): {took:.2f} s wall, "
            f"{cpu:.2f} s CPU, {n / cpu:,.0f} findings a CPU second; {flagged:,} with personal data")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every error")
    parser.add_argument("--speed", type=int, default=0, metavar="N",
                        help="also time detect() over N findings")
    args = parser.parse_args(argv)
    for title, path in (("Development set", DATA), ("Held-out set", HELD_OUT),
                        ("Second held-out set (layout)", HELD_OUT_LAYOUT)):
        report(title, load(path), show_misses=args.misses)
    if args.speed:
        print("\n" + speed(args.speed))


def report(title: str, items: list[Labelled], *, show_misses: bool) -> None:
    print(f"{title}: {len(items)} sentences, {sum(len(i.spans) for i in items)} labelled items, "
          f"{sum(1 for i in items if not i.spans)} sentences with none; "
          f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"{date.today().isoformat()}\n")
    print(table(items))
    if show_misses:
        print("\n" + "\n".join(misses(items)))
    print()


if __name__ == "__main__":
    main()
