"""The polarity model: cue-rule scores and words, weighed by a logistic regression.

Features of a statement:

- its words and word pairs (TF-IDF, sublinear, seen in at least two training
  statements), so that "held outside", "went live" or "no beds" count even
  when the cue lexicon lacks them;
- six numbers from the cue rules (:func:`stocktake.analysis.polarity.score`):
  log achievement weight, log challenge weight, contrasting clauses, a
  statement of intent, no cue at all, and length, scaled by ``RULE_WEIGHT``.

The model is trained, once per process, on every statement of the labelled
sets shipped in :mod:`stocktake.analysis.labelled` (about 900); training takes
well under a second and is deterministic. Its agreement is measured on each
set by training on the others (``benchmarks/quality.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from stocktake.analysis import polarity as rules
from stocktake.analysis.labelled import all_rows

RULE_WEIGHT = 2.0
C = 3.0


def rule_features(texts: Sequence[str]) -> np.ndarray:
    out = np.zeros((len(texts), 6))
    for i, text in enumerate(texts):
        pos, neg, contrast = rules.score(text)
        out[i] = (np.log1p(pos), np.log1p(neg), float(contrast), float(rules.is_intent(text)),
                  float(pos == 0 and neg == 0), np.log1p(len(text.split())) / 4)
    return out * RULE_WEIGHT


class PolarityModel:
    def __init__(self, vectorizer: TfidfVectorizer, model: LogisticRegression):
        self.vectorizer = vectorizer
        self.model = model

    def _features(self, texts: Sequence[str]):
        return sp.hstack([self.vectorizer.transform(texts),
                          sp.csr_matrix(rule_features(texts))]).tocsr()

    def classify(self, texts: Sequence[str]) -> list[str]:
        texts = [str(t or "") for t in texts]
        if not texts:
            return []
        labels = self.model.predict(self._features(texts)).tolist()
        return [label if text.strip() else rules.NEUTRAL for label, text in zip(labels, texts)]


def train(rows: Sequence[dict]) -> PolarityModel:
    """A model from rows with ``text`` and ``polarity``."""
    texts = [row["text"] for row in rows]
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    vectorizer.fit(texts)
    model = LogisticRegression(C=C, max_iter=5000)
    trained = PolarityModel(vectorizer, model)
    model.fit(trained._features(texts), [row["polarity"] for row in rows])
    return trained


@lru_cache(maxsize=1)
def default_model() -> PolarityModel:
    return train(all_rows())


def classify(text: str) -> str:
    """achievement, challenge, mixed or neutral for one statement (the trained model)."""
    return polarities([text])[0]


def polarities(texts: Iterable[str]) -> list[str]:
    """The polarity of each text: the cue rules' scores and the words, weighed by a model
    trained on the labelled statements."""
    return default_model().classify(list(texts))


PARALLEL_MIN = 20_000


def start(texts: list[str], *, workers: int = 1):
    """Begin classifying ``texts``; returns a function that waits for and gives the list.

    With ``workers`` > 1 and many texts, the work runs in a forked process while
    the caller goes on (the coder scores themes meanwhile); otherwise it runs
    when the function is called.
    """
    import multiprocessing

    if workers <= 1 or len(texts) < PARALLEL_MIN or \
            "fork" not in multiprocessing.get_all_start_methods():
        return lambda: polarities(texts)
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    future = pool.submit(polarities, texts)

    def result() -> list[str]:
        try:
            return future.result()
        finally:
            pool.shutdown()

    return result
