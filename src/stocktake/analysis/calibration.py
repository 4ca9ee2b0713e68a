"""Calibrated confidence: a shown score of 0.8 is right about 80% of the time (no Django).

The coder's scores are softmax probabilities at one temperature per backend;
they rank well but are over-confident at the top (docs/quality.md). This module
maps a top score to the share of statements whose top theme (or domain) was
right at that score on the development sets, by **isotonic regression** (a
monotone step function, so the order of scores is kept), fitted by
``benchmarks/calibrate.py`` on the four development sets of
:mod:`stocktake.analysis.labelled` and shipped as ``calibration.json``, one map
per backend (``tfidf`` and ``ensemble``: their raw scores mean different
things). A backend without a map (``semantic``, a recorded import) has no
calibrated confidence: :func:`has_map` says so and pages show the raw score.
Domain points come from the domain model trained on the *other* sets
(:func:`stocktake.analysis.evaluation.domain_model_for`), as a review's
statements are new to it.

Reliability on the held-out set (expected calibration error and a table) is in
docs/quality.md. Only the scores shown to people are mapped; thresholds inside
the coder (which themes apply) keep the raw probabilities.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.isotonic import IsotonicRegression

PATH = Path(__file__).with_name("calibration.json")
KINDS = ("themes", "domains")


@lru_cache(maxsize=1)
def _maps() -> dict[str, dict[str, tuple[np.ndarray, np.ndarray]]]:
    data = json.loads(PATH.read_text(encoding="utf-8"))
    return {
        backend: {
            kind: (np.asarray(fitted[kind]["x"], float), np.asarray(fitted[kind]["y"], float))
            for kind in KINDS
            if kind in fitted
        }
        for backend, fitted in data.items()
    }


def has_map(backend: str | None) -> bool:
    """Whether scores of ``backend`` have a calibration."""
    return backend in _maps()


def calibrated(scores, kind: str = "themes", backend: str = "tfidf"):
    """The calibrated confidence of ``backend``'s raw top ``scores`` (a float or an array),
    in [0, 1]; ValueError for a backend without a map (:func:`has_map`)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    if not has_map(backend):
        raise ValueError(f"no calibration for backend {backend!r}")
    x, y = _maps()[backend][kind]
    out = np.interp(np.clip(np.asarray(scores, float), 0.0, 1.0), x, y)
    return float(out) if np.ndim(out) == 0 else out


def fit(scores, right) -> dict[str, list[float]]:
    """The isotonic map from raw scores to the share right, as breakpoints {x, y}."""
    model = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip")
    model.fit(np.asarray(scores, float), np.asarray(right, float))
    x = np.concatenate([[0.0], model.X_thresholds_, [1.0]])
    y = np.concatenate([[model.y_thresholds_[0]], model.y_thresholds_, [model.y_thresholds_[-1]]])
    return {"x": [round(v, 5) for v in x.tolist()], "y": [round(v, 5) for v in y.tolist()]}


BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)


def reliability(
    scores, right, bins=BINS
) -> tuple[float, list[tuple[float, float, int, float, float]]]:
    """(expected calibration error, [(low, high, count, mean score, share right)])."""
    scores, right = np.asarray(scores, float), np.asarray(right, float)
    rows, error = [], 0.0
    for low, high in zip(bins[:-1], bins[1:]):
        inside = (scores >= low) & (scores < high)
        if inside.any():
            mean, share = float(scores[inside].mean()), float(right[inside].mean())
            rows.append((low, min(high, 1.0), int(inside.sum()), mean, share))
            error += inside.sum() / len(scores) * abs(mean - share)
    return float(error), rows
