"""The domain model: a statement's domain learned from hand-coded statements (no Django).

Domains are broad and shared between reviews (governance, clinical and quality,
support processes, people, inequalities, leadership and culture: DOMAIN.md),
while themes are particular to each framework. So unlike themes, domains can be
*learned*: a logistic regression is trained, once per process, on every
statement of the labelled sets of :data:`stocktake.analysis.labelled.SETS`
(about 900, never the held-out set). Its features are

- the statement's normalised words and word pairs (:func:`text.analyse`, the
  coder's own normalisation; TF-IDF, sublinear, seen in at least two training
  statements);
- its concept profile: which health-and-care concepts of :mod:`.concepts` it
  activates ("wobble rooms" → staff wellbeing), weighted ``CONCEPT_WEIGHT``, so
  that the model generalises past the words of the four sets.

The coder combines the model with the framework's own domain descriptions
(:meth:`DomainModel.prior`): the domain logit is
``log P_model(domain) + ZERO_SHOT_WEIGHT * similarity / temperature``. The model
only applies when every domain key of the framework is one it was trained on;
a framework with other domains is coded from its descriptions alone.

The constants were chosen by leave-one-set-out on the four development sets
(each set scored by a model trained on the other three; docs/quality.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from stocktake.analysis import concepts
from stocktake.analysis import text as textlib
from stocktake.analysis.labelled import all_rows

C = 3.0
CONCEPT_WEIGHT = 0.5
ZERO_SHOT_WEIGHT = 0.5
FLOOR = 1e-6


def _identity(doc):
    return doc


def _concept_profile(texts: Sequence[str], width: int) -> sp.csr_matrix:
    rows, cols, data = [], [], []
    for i, activated in enumerate(concepts.activations(list(texts))):
        for c, w in activated.items():
            rows.append(i)
            cols.append(c)
            data.append(w)
    return normalize(sp.csr_matrix((data, (rows, cols)), shape=(len(texts), width)))


class DomainModel:
    def __init__(self, vectorizer: TfidfVectorizer, model: LogisticRegression, width: int):
        self.vectorizer = vectorizer
        self.model = model
        self.width = width
        self.keys = [str(k) for k in getattr(model, "classes_", [])]

    def _features(self, texts: Sequence[str]):
        words = self.vectorizer.transform([textlib.analyse(str(t or "")) for t in texts])
        if not CONCEPT_WEIGHT or not self.width:
            return words
        return sp.hstack([words, CONCEPT_WEIGHT * _concept_profile(texts, self.width)]).tocsr()

    def applies_to(self, keys: Sequence[str]) -> bool:
        return bool(keys) and set(keys) <= set(self.keys)

    def log_probabilities(self, texts: Sequence[str], keys: Sequence[str]) -> np.ndarray:
        """n × len(keys): log P(domain | text), renormalised over ``keys``."""
        probs = self.model.predict_proba(self._features(texts))
        probs = probs[:, [self.keys.index(k) for k in keys]]
        probs /= np.maximum(probs.sum(axis=1, keepdims=True), FLOOR)
        return np.log(np.maximum(probs, FLOOR))

    def prior(self, texts: Sequence[str], keys: Sequence[str], temperature: float):
        """What the model adds to the zero-shot similarities of ``texts`` to domains ``keys``
        (``temperature`` × log-probability; see the module docstring), or None when the
        framework's domains are not all ones the model knows. Blank texts get nothing."""
        if not self.applies_to(keys) or not len(texts):
            return None
        out = temperature * self.log_probabilities(texts, keys)
        blank = np.array([not str(t or "").strip() for t in texts])
        out[blank] = 0.0
        return out


def train(rows: Sequence[dict]) -> DomainModel:
    """A model from rows with ``text`` and ``domain``."""
    rows = [r for r in rows if r.get("domain")]
    texts = [r["text"] for r in rows]
    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=2)
    vectorizer.fit([textlib.analyse(t) for t in texts])
    width = len(concepts.concept_documents())
    trained = DomainModel(vectorizer, LogisticRegression(C=C, max_iter=5000), width)
    trained.model.fit(trained._features(texts), [r["domain"] for r in rows])
    trained.keys = [str(k) for k in trained.model.classes_]
    return trained


@lru_cache(maxsize=1)
def default_model() -> DomainModel:
    return train(all_rows())


# The domain keys the labelled sets use (DOMAIN.md's six): the default model knows these.
KNOWN_KEYS = frozenset(
    {
        "governance",
        "clinical-quality",
        "support-processes",
        "people",
        "inequalities",
        "leadership-culture",
    }
)


def default_model_applies(keys: Sequence[str]) -> bool:
    """Whether the default model can code a framework with domain ``keys`` (without training
    it when it cannot)."""
    return bool(keys) and set(keys) <= KNOWN_KEYS
