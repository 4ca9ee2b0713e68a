"""Which uncoded findings a reviewer should look at next (plain Python, no Django).

:func:`suggest_next` codes the findings with what the reviewers have confirmed
so far and picks the ``k`` most informative:

- **uncertainty**: ``1 - (p1 - p2)``, where ``p1`` and ``p2`` are the scores of
  a finding's two best themes: a finding the coder cannot decide between two
  themes teaches it most once a reviewer decides;
- **diversity**: picked greedily (maximal marginal relevance), each next
  finding maximising ``uncertainty - DIVERSITY * (highest cosine to a finding
  already picked)``, so the list is not ten near-copies of one statement.

Findings whose text is already a confirmed example are skipped, and of findings
with the same text (ignoring spacing and case) only the first is considered.
Ties go to the earlier finding, so the same input gives the same list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from stocktake.analysis.backends import get_backend
from stocktake.analysis.framework import FrameworkSpec

DIVERSITY = 1.0
POOL = 2000  # the most uncertain findings considered for the diverse pick


def margins(themes: np.ndarray) -> np.ndarray:
    """p1 - p2 for each row of a theme-probability matrix (1 with a single theme)."""
    if themes.shape[1] < 2:
        return np.ones(themes.shape[0])
    top2 = -np.partition(-themes, 1, axis=1)[:, :2]
    return top2[:, 0] - top2[:, 1]


def _unit_rows(X):
    if sp.issparse(X):
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        return sp.diags(1 / np.where(norms > 0, norms, 1)) @ X
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return X / np.where(norms > 0, norms, 1)


def diverse_pick(uncertainty: np.ndarray, X, k: int, candidates: np.ndarray) -> list[int]:
    """Greedy maximal marginal relevance over ``candidates`` (indices into X)."""
    if not len(candidates) or k <= 0:
        return []
    V = _unit_rows(X[candidates])
    sims = V @ V.T
    sims = sims.toarray() if sp.issparse(sims) else np.asarray(sims)
    u = uncertainty[candidates]
    closest = np.zeros(len(candidates))
    chosen = np.zeros(len(candidates), dtype=bool)
    picked: list[int] = []
    for _ in range(min(k, len(candidates))):
        gain = np.where(chosen, -np.inf, u - DIVERSITY * closest)
        best = int(np.argmax(gain))  # first of equals: the earlier finding
        picked.append(int(candidates[best]))
        chosen[best] = True
        closest = np.maximum(closest, sims[best])
    return picked


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def suggest_next(framework: FrameworkSpec, texts: Sequence[str], examples: Iterable = (),
                 k: int = 10, *, backend: str = "tfidf", seed: int = 0) -> list[int]:
    """Indices into ``texts`` of the ``k`` findings most worth a reviewer's look, best first."""
    texts = [str(t or "") for t in texts]
    if not texts or k <= 0:
        return []
    coder = get_backend(backend)(framework, seed=seed)
    coder.fit_examples(examples)
    themes, _, X = coder.fit(texts).score_matrix(texts)
    uncertainty = 1.0 - margins(themes)
    seen = {_key(e.text) for e in coder.examples}
    open_ = []
    for i, text in enumerate(texts):
        key = _key(text)
        if key and key not in seen:
            seen.add(key)
            open_.append(i)
    open_ = np.array(open_, dtype=np.int64)
    if not len(open_):
        return []
    order = open_[np.argsort(-uncertainty[open_], kind="stable")][:max(POOL, k)]
    return diverse_pick(uncertainty, X, k, np.sort(order))


def uncertainty(scores: Sequence[float]) -> float:
    """``1 - (p1 - p2)`` for one finding's theme scores, best first (0 with a single theme)."""
    if len(scores) < 2:
        return 0.0
    return float(1.0 - (scores[0] - scores[1]))


def review_order(texts: Sequence[str], uncertainties: Sequence[float]) -> list[int]:
    """Indices into ``texts``, most worth a reviewer's look first, worked out once per run.

    Most uncertain first (ties to the earlier finding); a finding whose text
    (ignoring spacing and case) repeats an earlier one goes to the end, so the
    top of the list is not copies of one statement. The cheap part of
    :func:`suggest_next`, for storing beside the machine codes.
    """
    seen: set[str] = set()
    first, repeats = [], []
    for i in sorted(range(len(texts)), key=lambda i: (-uncertainties[i], i)):
        key = _key(str(texts[i] or ""))
        (repeats if key in seen else first).append(i)
        seen.add(key)
    return first + repeats
