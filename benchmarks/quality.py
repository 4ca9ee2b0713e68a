"""Agreement of the automatic coding with the labelled sets: prints the tables in docs/quality.md.

    .venv/bin/python benchmarks/quality.py [--backends tfidf,semantic,ensemble] [--draws 10]

The sets are in src/stocktake/analysis/labelled (see its docstring). For each
set and backend: the naive TF-IDF baseline, zero-shot agreement, and the mean
agreement with 3 confirmed examples per theme over ``--draws`` random draws
(the examples are drawn from the set and the rest of it is coded, with and
without them). Polarity is measured on each set with the model trained on the
other sets (on the held-out set, the shipped model). Backends whose extra is
not installed are skipped with a note.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from stocktake.analysis import calibration, evaluation  # noqa: E402
from stocktake.analysis.backends import get_backend  # noqa: E402
from stocktake.analysis.labelled import HELD_OUT, SETS, load_set  # noqa: E402

REVIEW_STYLE = ("pandemic", "winter", "vaccination")


def pct(value) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def coding_table(backends: list[str], draws: int) -> tuple[str, list, list]:
    lines = [
        "| Set | Coder | Top-1 | Macro-F1 | Top theme among labels | Domain | "
        "Domain, descriptions alone | "
        "+3 examples per theme: top-1 | Lift (points; worst, best draw) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    calibrated, held_out = [], []
    for name in SETS + HELD_OUT:
        labelled = load_set(name)
        naive = evaluation.naive_top1(labelled.framework, labelled.rows)
        held = " (held out)" if name in HELD_OUT else ""
        lines.append(
            f"| {name}{held} ({len(labelled.rows)}) | naive TF-IDF to descriptions | "
            f"{pct(naive)} | | | | | | |"
        )
        # Domains: a development set is scored by the domain model trained on the others.
        model = evaluation.domain_model_for(name)
        for backend in backends:
            zero = evaluation.agreement(
                labelled.framework, labelled.rows, backend=backend, domains=model
            )
            alone = evaluation.agreement(
                labelled.framework, labelled.rows, backend=backend, domains=None
            ).domain
            if backend == "tfidf" and name in REVIEW_STYLE:
                calibrated.append(zero)
            if backend == "tfidf" and name in HELD_OUT:
                held_out.append(zero)
            lift = evaluation.example_lift(labelled, backend=backend, count=draws)
            lines.append(
                f"| {name} | `{backend}` | {pct(zero.top1)} | {pct(zero.macro_f1)} | "
                f"{pct(zero.any_label)} | {pct(zero.domain)} | {pct(alone)} | "
                f"{pct(lift.with_examples)} | "
                f"{100 * lift.lift:+.1f} ({100 * min(lift.lifts):+.1f}, "
                f"{100 * max(lift.lifts):+.1f}) |"
            )
    return "\n".join(lines), calibrated, held_out


def polarity_table() -> str:
    lines = ["| Set | Cue rules alone | Model trained on the other sets |", "|---|---|---|"]
    for name in SETS + HELD_OUT:
        model, rules = evaluation.polarity_agreement(name)
        lines.append(f"| {name} | {pct(rules)} | {pct(model)} |")
    return "\n".join(lines)


def calibration_table(results) -> str:
    lines = ["| Top score | Findings | Mean top score | Top theme right |", "|---|---|---|---|"]
    for (low, high), count, mean, right in evaluation.calibration(results):
        label = f"≥ {low}" if high > 1 else (f"< {high}" if low == 0 else f"{low}–{high}")
        lines.append(f"| {label} | {count} | {mean:.2f} | {pct(right)} |")
    return "\n".join(lines)


def reliability_table(results) -> str:
    """Raw and calibrated (stocktake.analysis.calibration) top scores on the held-out set."""
    out = []
    for kind, scores, right in (
        ("themes", [s for a in results for s in a.scores], [r for a in results for r in a.right]),
        (
            "domains",
            [s for a in results for s in a.domain_scores],
            [r for a in results for r in a.domain_right],
        ),
    ):
        for label, shown in (("raw", scores), ("calibrated", calibration.calibrated(scores, kind))):
            error, rows = calibration.reliability(shown, right)
            out.append(f"{kind}, {label} scores: ECE {error:.3f}")
            out.append("| Score | Findings | Mean score | Right |\n|---|---|---|---|")
            out += [
                f"| {low:.1f}–{high:.1f} | {n} | {mean:.2f} | {pct(share)} |"
                for low, high, n, mean, share in rows
            ]
            out.append("")
    return "\n".join(out)


def curve_table() -> str:
    lines = ["| Corrections | Top-1 on the rest | Domain on the rest |", "|---|---|---|"]
    for point in evaluation.learning_curve(load_set(HELD_OUT[0]), counts=(0, 20, 50, 100)):
        lines.append(f"| {point.corrections} | {pct(point.top1)} | {pct(point.domain)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="tfidf,semantic,ensemble")
    parser.add_argument("--draws", type=int, default=10)
    args = parser.parse_args()
    available = []
    for backend in (b for b in args.backends.split(",") if b):
        try:
            get_backend(backend)
            available.append(backend)
        except Exception as exc:  # an extra not installed: say so and go on
            print(f"skipping {backend}: {exc}", file=sys.stderr)
    started = time.perf_counter()
    table, calibrated, held_out = coding_table(available, args.draws)
    print(table, "\n")
    if held_out:
        print(reliability_table(held_out), "\n")
        print(curve_table(), "\n")
    print(polarity_table(), "\n")
    if calibrated:
        print(calibration_table(calibrated), "\n")
    cpu = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    print(
        f"{time.strftime('%Y-%m-%d')}, {platform.machine()} with {cpu} cores, "
        f"Python {platform.python_version()}, {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
