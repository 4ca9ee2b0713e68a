"""Agreement of the automatic coding with the labelled set: prints the table in docs/quality.md.

    .venv/bin/python benchmarks/quality.py [--backends tfidf,semantic,ensemble] [--cv]

The labelled set is tests/analysis/data/labelled.jsonl: odd ids are the tuning
half (used to choose constants), even ids are held out. "+3 examples" takes the
first three tuning statements of each theme as confirmed examples and codes the
held-out half. ``--cv`` instead reports, on the tuning half only, the lift from
3 examples per theme over repeated random splits (3 examples / 4 evaluated per
theme): the number used to choose how examples are blended, never the held-out.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import random
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from stocktake.analysis.backends import get_backend  # noqa: E402
from stocktake.analysis.framework import ItemSpec, default_framework  # noqa: E402

DATA = ROOT / "tests" / "analysis" / "data" / "labelled.jsonl"
FRAMEWORK = default_framework()


def load_rows() -> tuple[list[dict], list[dict]]:
    rows = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
    return [r for r in rows if r["id"] % 2 == 1], [r for r in rows if r["id"] % 2 == 0]


def names_only(framework=FRAMEWORK):
    return dataclasses.replace(
        framework, themes=tuple(ItemSpec(t.key, t.name) for t in framework.themes),
        domains=tuple(ItemSpec(d.key, d.name) for d in framework.domains))


def examples_from(rows, per_theme: int) -> list[tuple[str, str, str]]:
    by_theme = defaultdict(list)
    for r in rows:
        by_theme[r["theme"]].append((r["text"], r["theme"], r["domain"]))
    return [e for items in by_theme.values() for e in items[:per_theme]]


def macro_f1(truth: list[str], predicted: list[str]) -> float:
    scores = []
    for key in sorted(set(truth)):
        tp = sum(t == key and p == key for t, p in zip(truth, predicted))
        fp = sum(t != key and p == key for t, p in zip(truth, predicted))
        fn = sum(t == key and p != key for t, p in zip(truth, predicted))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


def evaluate(rows, backend="tfidf", framework=FRAMEWORK, examples=None) -> dict:
    coder = get_backend(backend)(framework, seed=0)
    if examples:
        coder.fit_examples(examples)
    texts = [r["text"] for r in rows]
    results = coder.fit(texts).code(texts)
    themes = [res.top_theme for res in results]
    truth = [r["theme"] for r in rows]
    return {
        "top1": float(np.mean([p == t for p, t in zip(themes, truth)])),
        "macro_f1": macro_f1(truth, themes),
        "domain": float(np.mean([res.domain[0] == r["domain"] for res, r in zip(results, rows)])),
        "polarity": float(np.mean([res.polarity == r["polarity"]
                                   for res, r in zip(results, rows)])),
        "beta": coder.parameters.get("example_beta"),
    }


def baseline(rows, framework=FRAMEWORK) -> dict:
    """Plain TF-IDF cosine between a statement and each theme's description."""
    texts = [r["text"] for r in rows]
    descriptions = [t.description or t.name for t in framework.themes]
    vectorizer = TfidfVectorizer().fit(texts + descriptions)
    sims = (vectorizer.transform(texts) @ vectorizer.transform(descriptions).T).toarray()
    themes = [framework.themes[j].key for j in sims.argmax(axis=1)]
    truth = [r["theme"] for r in rows]
    return {"top1": float(np.mean([p == t for p, t in zip(themes, truth)])),
            "macro_f1": macro_f1(truth, themes)}


def cv_lift(tuning, backend="tfidf", framework=FRAMEWORK, splits=20, per_theme=3, seed=0):
    """Mean top-1 (zero-shot, with examples) over random splits of the tuning half."""
    rng = random.Random(seed)
    by_theme = defaultdict(list)
    for r in tuning:
        by_theme[r["theme"]].append(r)
    zero, with_examples = [], []
    for _ in range(splits):
        train, test = [], []
        for items in by_theme.values():
            chosen = rng.sample(items, per_theme)
            train += chosen
            test += [r for r in items if r not in chosen]
        zero.append(evaluate(test, backend, framework)["top1"])
        examples = [(r["text"], r["theme"], r["domain"]) for r in train]
        with_examples.append(evaluate(test, backend, framework, examples)["top1"])
    return float(np.mean(zero)), float(np.mean(with_examples))


def pct(value) -> str:
    return f"{100 * value:.1f}%"


def table(backends: list[str]) -> str:
    tuning, held_out = load_rows()
    examples = examples_from(tuning, 3)
    lines = ["| Coder | Examples | Top-1 tuning | Top-1 held-out | Macro-F1 held-out | "
             "Domain held-out | Polarity held-out |", "|---|---|---|---|---|---|---|"]
    for label, framework in (("", FRAMEWORK), (" (names-only framework)", names_only())):
        b_t, b_h = baseline(tuning, framework), baseline(held_out, framework)
        lines.append(f"| Naive TF-IDF to descriptions{label} | 0 | {pct(b_t['top1'])} | "
                     f"{pct(b_h['top1'])} | {pct(b_h['macro_f1'])} | – | – |")
        for backend in backends:
            for n, ex in (("0", None), ("3 per theme", examples)):
                # The examples come from the tuning half: its column is zero-shot only.
                tuned = pct(evaluate(tuning, backend, framework)["top1"]) if ex is None else "–"
                h = evaluate(held_out, backend, framework, ex)
                lines.append(
                    f"| `{backend}`{label} | {n} | {tuned} | {pct(h['top1'])} | "
                    f"{pct(h['macro_f1'])} | {pct(h['domain'])} | {pct(h['polarity'])} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="tfidf,semantic,ensemble")
    parser.add_argument("--cv", action="store_true", help="tuning-half cross-validation only")
    args = parser.parse_args()
    backends = [b for b in args.backends.split(",") if b]
    available = []
    for b in backends:
        try:
            get_backend(b)
            available.append(b)
        except Exception as exc:  # an extra not installed: say so and go on
            print(f"skipping {b}: {exc}", file=sys.stderr)
    started = time.perf_counter()
    if args.cv:
        tuning, _ = load_rows()
        for b in available:
            for label, fw in (("full", FRAMEWORK), ("names-only", names_only())):
                zero, lifted = cv_lift(tuning, b, fw)
                print(f"{b:9} {label:10} zero-shot {pct(zero)}  +3 examples {pct(lifted)}  "
                      f"lift {100 * (lifted - zero):+.1f} points")
        return
    print(table(available))
    cpu = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    print(f"\n{time.strftime('%Y-%m-%d')}, {platform.machine()} with {cpu} cores, "
          f"Python {platform.python_version()}, {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
