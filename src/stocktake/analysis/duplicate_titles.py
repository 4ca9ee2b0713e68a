"""Likely duplicate items by title and short text (best-practice examples), plain Python.

Each item's title, its text, and its title with its text become TF-IDF vectors over normalised
words: lower case, punctuation and common words dropped, plurals made singular, word
order ignored ("Staff rest hubs" and "Rest hubs for staff" are the same). Pairs whose
cosine reaches a threshold are found exactly, by sparse products in chunks (no n × n
matrix, no Python loop over pairs; see :func:`_pairs`): 2,000 examples take a tenth
of a second, 10,000 about two (benchmarks/example_duplicates.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from stocktake.analysis.similar import _expand, _identical_groups

# Cosine (0–1) at which two items look alike.
TITLE_THRESHOLD = 0.85
SYNOPSIS_THRESHOLD = 0.8  # texts compared on their own
TEXT_THRESHOLD = 0.75  # title and text together
# At most this many pairs from each comparison (hundreds of items sharing one title
# need fixing at the source, not 100,000 suggestions).
MAX_PAIRS = 2_000
MIN_SYNOPSIS_TERMS = 6  # a text compared on its own has at least this many words
CHUNK = 500  # rows multiplied at a time

# Words too common in titles to tell two apart.
STOP_WORDS = frozenset(
    "a an and are as at be by for from has have in into is it its of on or our over the their "
    "this to was we were with".split())

_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=65_536)
def _word(word: str) -> str:
    """A word as compared: "" for a common word, plurals made singular."""
    if word in STOP_WORDS:
        return ""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """``text`` as the words compared: lower case, no common words, plurals made singular."""
    return [w for w in map(_word, _WORD.findall(str(text or "").casefold())) if w]


def _vectors(documents: Sequence[list[str]]) -> sp.csr_matrix:
    """Unit TF-IDF rows of ``documents`` (each a list of terms)."""
    vectorizer = TfidfVectorizer(analyzer=_as_is, sublinear_tf=True, norm="l2", dtype=np.float32)
    try:
        return sp.csr_matrix(vectorizer.fit_transform(documents))
    except ValueError:  # no words at all (titles of punctuation only)
        return sp.csr_matrix((len(documents), 1), dtype=np.float32)


def _as_is(document: list[str]) -> list[str]:
    return document


def _pairs(X: sp.csr_matrix, threshold: float, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) of rows of ``X`` (unit rows) with cosine ≥ ``threshold``, and their
    scores; copies of one text first, at most ``limit``.

    Identical rows are grouped first (a title shared by hundreds costs one row); the
    distinct rows are then multiplied by their transpose ``CHUNK`` rows at a time, in
    sparse C code that touches only pairs sharing a word, and only pairs reaching the
    threshold are kept — so memory stays bounded by one chunk's products.
    """
    firsts, group_of = _identical_groups(X)
    distinct = X[firsts]
    transposed = distinct.T.tocsr()
    found, found_scores = [np.empty((0, 2), dtype=np.int64)], [np.empty(0)]
    for start in range(0, distinct.shape[0], CHUNK):
        block = (distinct[start:start + CHUNK] @ transposed).tocoo()
        rows = block.row.astype(np.int64) + start
        keep = (rows < block.col) & (block.data >= threshold - 1e-6)  # each pair once
        found.append(np.column_stack([rows[keep], block.col[keep].astype(np.int64)]))
        found_scores.append(block.data[keep].astype(np.float64))
    # Rows of ``distinct`` are the identical-row groups, as ``_expand`` takes them.
    return _expand(group_of, np.concatenate(found), np.concatenate(found_scores), limit)


def likely_duplicates(titles: Sequence[str], texts: Sequence[str], *,
                      title_threshold: float = TITLE_THRESHOLD,
                      text_threshold: float = TEXT_THRESHOLD,
                      limit: int = MAX_PAIRS) -> dict[tuple[int, int], float]:
    """{(i, j): score} for items ``i < j`` whose titles, texts (of at least
    ``MIN_SYNOPSIS_TERMS`` words), or titles with texts look alike; the score is the highest
    of the cosines that reached their threshold."""
    if len(titles) != len(texts):
        raise ValueError("titles and texts must be as long as each other")
    if len(titles) < 2:
        return {}
    best: dict[tuple[int, int], float] = {}
    title_terms = [terms(title) for title in titles]
    text_terms = [terms(text) for text in texts]
    passes = (
        (title_terms, title_threshold),
        # the same synopsis pasted under another title (a short one says too little)
        ([words if len(words) >= MIN_SYNOPSIS_TERMS else [] for words in text_terms],
         SYNOPSIS_THRESHOLD),
        ([a + b for a, b in zip(title_terms, text_terms)], text_threshold),
    )
    for values, threshold in passes:
        pairs, scores = _pairs(_vectors(values), threshold, limit)
        for (a, b), score in zip(pairs.tolist(), scores.tolist()):
            key = (min(a, b), max(a, b))
            best[key] = max(best.get(key, 0.0), round(min(score, 1.0), 4))
    return best
