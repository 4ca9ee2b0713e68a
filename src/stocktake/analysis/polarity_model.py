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

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from stocktake.analysis import polarity as rules

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
    from stocktake.analysis.labelled import all_rows

    return train(all_rows())
