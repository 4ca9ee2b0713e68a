"""Agreement of the analysis with hand-coded statements (plain Python, no Django).

Used by ``benchmarks/quality.py`` (the tables in docs/quality.md) and by
``tests/analysis/test_evaluation.py``. Every measure here takes a labelled set
from :mod:`stocktake.analysis.labelled`.

- :func:`naive_top1`: the plain baseline the issue names — TF-IDF cosine
  between a statement and each theme's description, best theme wins;
- :func:`agreement`: the coder's top-1 theme, macro-F1, "any" (the top theme
  is the primary theme or one the coder of the set said also applies), domain;
- :func:`example_lift`: repeated random draws of ``per_theme`` statements per
  theme as confirmed examples, the rest coded with and without them;
- :func:`polarity_agreement`: the polarity model trained on the *other* sets
  and scored on this one (it is never scored on its own training data);
- :func:`calibration`: how often the top theme is right, by top score.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from stocktake.analysis import domain_model, polarity, polarity_model
from stocktake.analysis.backends import get_backend
from stocktake.analysis.framework import FrameworkSpec
from stocktake.analysis.labelled import SETS, LabelledSet, load_set


def macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    scores = []
    for key in sorted(set(truth)):
        tp = sum(t == key and p == key for t, p in zip(truth, predicted))
        fp = sum(t != key and p == key for t, p in zip(truth, predicted))
        fn = sum(t == key and p != key for t, p in zip(truth, predicted))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


def naive_top1(framework: FrameworkSpec, rows: Sequence[dict]) -> float:
    texts = [r["text"] for r in rows]
    descriptions = [t.description or t.name for t in framework.themes]
    vectorizer = TfidfVectorizer().fit(texts + descriptions)
    sims = (vectorizer.transform(texts) @ vectorizer.transform(descriptions).T).toarray()
    return float(
        np.mean([framework.themes[j].key == r["theme"] for j, r in zip(sims.argmax(axis=1), rows)])
    )


@dataclass(frozen=True)
class Agreement:
    top1: float
    macro_f1: float
    any_label: float
    domain: float | None
    scores: tuple[float, ...]  # top score per statement
    right: tuple[bool, ...]  # top theme equals the label, per statement
    domain_scores: tuple[float, ...] = ()  # top domain score per statement
    domain_right: tuple[bool, ...] = ()


DEFAULT = "default"


def domain_model_for(name: str) -> domain_model.DomainModel:
    """The domain model to score set ``name`` with: trained on the *other* development sets
    (the shipped model for a held-out set, which it never saw)."""
    if name not in SETS:
        return domain_model.default_model()
    return domain_model.train([r for other in SETS if other != name for r in load_set(other).rows])


def agreement(
    framework: FrameworkSpec,
    rows: Sequence[dict],
    *,
    backend: str = "tfidf",
    examples=None,
    domains=DEFAULT,
) -> Agreement:
    """``domains``: the domain model to use (None: the framework's descriptions alone;
    by default the shipped one)."""
    coder = get_backend(backend)(framework, seed=0)
    if domains != DEFAULT:
        coder.use_domain_model(domains)
    if examples:
        coder.fit_examples(examples)
    texts = [r["text"] for r in rows]
    themes, d_probs, _ = coder.fit(texts).score_matrix(texts)
    keys = [t.key for t in framework.themes]
    predicted = [keys[j] for j in themes.argmax(axis=1)]
    truth = [r["theme"] for r in rows]
    right = tuple(p == t for p, t in zip(predicted, truth))
    domain, d_scores, d_right = None, (), ()
    if d_probs is not None:
        d_keys = [d.key for d in framework.domains]
        d_right = tuple(d_keys[j] == r["domain"] for j, r in zip(d_probs.argmax(axis=1), rows))
        domain = float(np.mean(d_right))
        d_scores = tuple(d_probs.max(axis=1).tolist())
    return Agreement(
        domain_scores=d_scores,
        domain_right=d_right,
        top1=float(np.mean(right)),
        macro_f1=macro_f1(truth, predicted),
        any_label=float(
            np.mean([p == r["theme"] or p in r["also"] for p, r in zip(predicted, rows)])
        ),
        domain=domain,
        scores=tuple(themes.max(axis=1).tolist()),
        right=right,
    )


@dataclass(frozen=True)
class Lift:
    zero_shot: float  # mean top-1 on the coded statements without examples
    with_examples: float  # mean top-1 on the same statements with the examples
    lifts: tuple[float, ...]  # per draw

    @property
    def lift(self) -> float:
        return self.with_examples - self.zero_shot


def draws(rows: Sequence[dict], *, count: int, per_theme: int, seed: int = 0):
    """(examples, coded) pairs: ``per_theme`` random statements of each theme, and the rest."""
    rng = random.Random(seed)
    by_theme = defaultdict(list)
    for row in rows:
        by_theme[row["theme"]].append(row)
    for _ in range(count):
        chosen = [
            r
            for key in sorted(by_theme)
            for r in rng.sample(by_theme[key], min(per_theme, len(by_theme[key])))
        ]
        ids = {id(r) for r in chosen}
        yield chosen, [r for r in rows if id(r) not in ids]


def example_lift(
    labelled: LabelledSet,
    *,
    backend: str = "tfidf",
    count: int = 10,
    per_theme: int = 3,
    seed: int = 0,
) -> Lift:
    zero, lifted = [], []
    for chosen, coded in draws(labelled.rows, count=count, per_theme=per_theme, seed=seed):
        examples = [(r["text"], r["theme"], r["domain"]) for r in chosen]
        zero.append(agreement(labelled.framework, coded, backend=backend).top1)
        lifted.append(agreement(labelled.framework, coded, backend=backend, examples=examples).top1)
    return Lift(
        float(np.mean(zero)), float(np.mean(lifted)), tuple(b - a for a, b in zip(zero, lifted))
    )


def polarity_agreement(name: str) -> tuple[float, float]:
    """(model trained on the other sets, cue rules alone) agreement on set ``name``."""
    rows = load_set(name).rows
    others = [r for other in SETS if other != name for r in load_set(other).rows]
    predicted = polarity_model.train(others).classify([r["text"] for r in rows])
    model = float(np.mean([p == r["polarity"] for p, r in zip(predicted, rows)]))
    rules = float(np.mean([polarity.rule_classify(r["text"]) == r["polarity"] for r in rows]))
    return model, rules


BUCKETS = ((0.0, 0.5), (0.5, 0.8), (0.8, 0.95), (0.95, 1.01))


def calibration(
    results: Sequence[Agreement],
) -> list[tuple[tuple[float, float], int, float, float]]:
    """Per top-score bucket: (bucket, statements, mean top score, share right)."""
    scores = np.array([s for a in results for s in a.scores])
    right = np.array([r for a in results for r in a.right])
    out = []
    for low, high in BUCKETS:
        inside = (scores >= low) & (scores < high)
        if inside.any():
            out.append(
                (
                    (low, high),
                    int(inside.sum()),
                    float(scores[inside].mean()),
                    float(right[inside].mean()),
                )
            )
    return out


@dataclass(frozen=True)
class CurvePoint:
    corrections: int
    top1: float  # mean over the draws, on the statements not corrected
    domain: float | None


def learning_curve(
    labelled: LabelledSet,
    *,
    counts=(0, 20, 50),
    draws: int = 3,
    backend: str = "tfidf",
    seed: int = 0,
) -> list[CurvePoint]:
    """Agreement after a reviewer has corrected ``n`` statements chosen at random (not per
    theme, as they come in a queue): each correction becomes a confirmed example with its
    theme and domain, and the rest of the set is coded."""
    rng = random.Random(seed)
    rows = list(labelled.rows)
    picks = [rng.sample(range(len(rows)), max(counts)) for _ in range(draws)]
    out = []
    for n in counts:
        top1, domain = [], []
        for pick in picks:
            chosen = set(pick[:n])
            examples = [(rows[i]["text"], rows[i]["theme"], rows[i]["domain"]) for i in chosen]
            coded = [r for i, r in enumerate(rows) if i not in chosen]
            result = agreement(labelled.framework, coded, backend=backend, examples=examples)
            top1.append(result.top1)
            if result.domain is not None:
                domain.append(result.domain)
        out.append(CurvePoint(n, float(np.mean(top1)), float(np.mean(domain)) if domain else None))
    return out
