"""Likely duplicate items by title and short text (best-practice examples), plain Python.

Each item's title, and its title with its text, become TF-IDF vectors over normalised
words: lower case, punctuation and common words dropped, plurals made singular, word
order ignored ("Staff rest hubs" and "Rest hubs for staff" are the same). Pairs whose
cosine reaches a threshold are found with the exact near-duplicate search of
:meth:`stocktake.analysis.similar.SimilarityIndex.near_duplicates` (a prefix filter
instead of comparing every pair; no n × n matrix), so thousands of items take well
under a second (benchmarks/example_duplicates.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from stocktake.analysis.similar import SimilarityIndex

# Cosine (0–1) of the titles, or of title and text, at which two items look alike.
TITLE_THRESHOLD = 0.85
TEXT_THRESHOLD = 0.75
# At most this many pairs from each comparison (hundreds of items sharing one title
# need fixing at the source, not 100,000 suggestions).
MAX_PAIRS = 2_000

# Words too common in titles to tell two apart.
STOP_WORDS = frozenset(
    "a an and are as at be by for from has have in into is it its of on or our over the their "
    "this to was we were with".split())

_WORD = re.compile(r"[^\W_]+")


def terms(text: str) -> list[str]:
    """``text`` as the words compared: lower case, no common words, plurals made singular."""
    found = []
    for word in _WORD.findall(str(text or "").casefold()):
        if word in STOP_WORDS:
            continue
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        found.append(word)
    return found


def _index(texts: Sequence[str]) -> SimilarityIndex:
    vectorizer = TfidfVectorizer(analyzer=terms, sublinear_tf=True, norm="l2", dtype=np.float32)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no words at all (titles of punctuation only)
        matrix = sp.csr_matrix((len(texts), 1), dtype=np.float32)
    return SimilarityIndex(texts, matrix=matrix)


def likely_duplicates(titles: Sequence[str], texts: Sequence[str], *,
                      title_threshold: float = TITLE_THRESHOLD,
                      text_threshold: float = TEXT_THRESHOLD,
                      limit: int = MAX_PAIRS) -> dict[tuple[int, int], float]:
    """{(i, j): score} for items ``i < j`` whose titles, or titles with texts, look alike;
    the score is the higher of the two cosines."""
    if len(titles) != len(texts):
        raise ValueError("titles and texts must be as long as each other")
    if len(titles) < 2:
        return {}
    best: dict[tuple[int, int], float] = {}
    combined = [f"{title}\n{text}" for title, text in zip(titles, texts)]
    for values, threshold in ((titles, title_threshold), (combined, text_threshold)):
        for pair in _index(values).near_duplicates(threshold, limit=limit):
            key = (min(pair.first, pair.second), max(pair.first, pair.second))
            best[key] = max(best.get(key, 0.0), pair.score)
    return best
