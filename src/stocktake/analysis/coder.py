"""Coding findings to themes and domains: the offline "tfidf" backend (no Django here).

How a finding is scored against a theme
---------------------------------------
1. Text is normalised by :mod:`stocktake.analysis.text` (light stemming,
   abbreviation and synonym expansion, stop words out) and turned into word
   unigrams and bigrams.
2. A TF-IDF space (sublinear tf, l2 rows) is fitted on the findings being coded,
   any confirmed examples and the framework's own texts.
3. Each theme (and domain) becomes a vector: its name, its description and its
   keywords, keywords weighted up (``KEYWORD_WEIGHT``), widened by the terms of
   the health-and-care concepts its words activate (:mod:`.concepts`, weight
   ``CONCEPT_WEIGHT``): "wellbeing of staff" reaches "burnout" and "wobble
   rooms". Morphological variants
   the stemmer misses are caught by character n-gram similarity between words:
   a corpus word whose character 3–5-grams are close to a theme word (cosine ≥
   ``CHAR_MATCH``) inherits part of that word's weight (``SOFT_WEIGHT``).
4. The zero-shot similarity of a finding to a theme is the cosine of the two
   vectors: one sparse × dense product for all findings and all themes.
5. Confirmed examples add a prototype bonus whose weight the examples choose
   themselves by leave-one-out (:mod:`stocktake.analysis.learning`). Examples
   are compared in the TF-IDF space beside each text's concept profile
   (``CONCEPT_FEATURE_WEIGHT``), so an example about "cold-chain fridges" also
   speaks for a finding about "vaccine storage".

What a score means
------------------
Theme scores are ``softmax(similarity / TEMPERATURE)`` over the framework's
themes: for each finding they lie in [0, 1], sum to 1 and read as "the
probability that this theme is the finding's main theme". ``TEMPERATURE`` was
chosen to minimise mean log-loss over the labelled sets in
:mod:`stocktake.analysis.labelled` (0.02–0.03 were within 1%). A finding that
matches nothing gets 1/T for each of its T themes. Domain scores are the same over domains.

A finding is often about more than one theme; :data:`APPLIES_THRESHOLD`
(0.2, nearly twice the 1/9 a theme gets by default in the nine-theme
framework) is the score at which a theme is taken to apply. The top theme
always applies. :meth:`CodeResult.applies` lists the themes that do, and every
listed theme has a reason in the explanation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from stocktake.analysis import concepts
from stocktake.analysis import text as textlib
from stocktake.analysis.base import (  # noqa: F401 - re-exported for callers
    APPLIES_THRESHOLD,
    CodeResult,
    Example,
    SimilarityCoder,
)
from stocktake.analysis.framework import FrameworkSpec, ItemSpec

TEMPERATURE = 0.025
DOMAIN_TEMPERATURE = 0.04
KEYWORD_WEIGHT = 2.0
NAME_WEIGHT = 1.5
DESCRIPTION_WEIGHT = 1.0
CHAR_MATCH = 0.6
SOFT_WEIGHT = 0.5
CONCEPT_WEIGHT = 0.5
CONCEPT_FEATURE_WEIGHT = 0.5
EXPLAIN_TERMS = 4


class _Space:
    """The item vectors (themes or domains) in the TF-IDF space."""

    def __init__(self, vectorizer: TfidfVectorizer, items: Sequence[ItemSpec], names,
                 concept_rows: sp.csr_matrix):
        vocab_size = len(vectorizer.vocabulary_)
        rows = []
        for item in items:
            parts = [(item.name, NAME_WEIGHT), (item.description, DESCRIPTION_WEIGHT)]
            parts += [(k, KEYWORD_WEIGHT / max(1.0, len(item.keywords) ** 0.5))
                      for k in item.keywords]
            texts = [p for p, _ in parts if p]
            weights = np.array([w for p, w in parts if p])
            vectors = vectorizer.transform([textlib.analyse(t) for t in texts])
            rows.append(sp.csr_matrix(weights @ vectors.toarray()) if texts else
                        sp.csr_matrix((1, vocab_size)))
        exact = normalize(sp.vstack(rows).tocsr())
        if CONCEPT_WEIGHT:
            exact = normalize(exact + CONCEPT_WEIGHT * _widened(concept_rows, items))
        self.dense = normalize(exact + SOFT_WEIGHT * _soft_spread(exact, names)).toarray()

    def similarity(self, X) -> np.ndarray:
        return np.asarray(X @ self.dense.T)


def _concept_rows(vectorizer: TfidfVectorizer) -> sp.csr_matrix:
    """Each concept of the lexicon as a normalised row of the TF-IDF space."""
    documents = concepts.concept_documents()
    if not documents:
        return sp.csr_matrix((0, len(vectorizer.vocabulary_)))
    return normalize(vectorizer.transform(documents)).tocsr()


def _widened(documents: sp.csr_matrix, items: Sequence[ItemSpec]) -> sp.csr_matrix:
    """Each item's activated concepts' terms (:mod:`.concepts`), as one normalised row."""
    weights = concepts.activations([item.text for item in items])
    if not any(weights):
        return sp.csr_matrix((len(items), documents.shape[1]))
    rows, cols, data = [], [], []
    for i, activated in enumerate(weights):
        for c, w in activated.items():
            rows.append(i)
            cols.append(c)
            data.append(w)
    A = sp.csr_matrix((data, (rows, cols)), shape=(len(items), documents.shape[0]))
    return normalize(A @ documents)


def _soft_spread(items: sp.csr_matrix, names: np.ndarray) -> sp.csr_matrix:
    """Spread each item's unigram weights to corpus words with similar spelling."""
    unigram = np.array([" " not in n and n != "|" for n in names], dtype=bool)
    item_cols = np.unique(items.indices)
    item_cols = item_cols[unigram[item_cols]]
    corpus_cols = np.flatnonzero(unigram)
    if not len(item_cols) or not len(corpus_cols):
        return sp.csr_matrix(items.shape)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    chars.fit(names[corpus_cols])
    a = chars.transform(names[corpus_cols])
    b = chars.transform(names[item_cols])
    sim = (a @ b.T).tocoo()  # corpus words × item words
    keep = (sim.data >= CHAR_MATCH) & (corpus_cols[sim.row] != item_cols[sim.col])
    spread = sp.csr_matrix(
        (sim.data[keep], (item_cols[sim.col[keep]], corpus_cols[sim.row[keep]])),
        shape=(items.shape[1], items.shape[1]),
    )
    return items @ spread


class TfidfCoder(SimilarityCoder):
    """The default backend: TF-IDF similarity to the framework's own words, learning from examples."""

    name = "tfidf"
    temperature = TEMPERATURE
    domain_temperature = DOMAIN_TEMPERATURE

    def __init__(self, framework: FrameworkSpec, *, seed: int = 0, workers: int = 1):
        super().__init__(framework, seed=seed, workers=workers)
        self._space = None

    @property
    def parameters(self) -> dict:
        return {**super().parameters, "keyword_weight": KEYWORD_WEIGHT,
                "char_match": CHAR_MATCH, "soft_weight": SOFT_WEIGHT}

    def _build(self, texts: list[str], example_texts: list[str]) -> None:
        items = (*self.framework.themes, *self.framework.domains)
        for item in items:
            for keyword in item.keywords:
                textlib.prefer_surface(keyword)
        unique = list(dict.fromkeys(texts))
        docs = [textlib.analyse(t) for t in unique]
        extra = [textlib.analyse(t) for t in example_texts] + [textlib.analyse(i.text)
                                                               for i in items]
        vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, norm="l2",
                                     dtype=np.float64)
        matrix = vectorizer.fit_transform(docs + extra).tocsr()
        names = vectorizer.get_feature_names_out()
        concept_rows = _concept_rows(vectorizer)
        self._space = {
            "vectorizer": vectorizer, "names": names,
            "rows": {t: i for i, t in enumerate(unique)}, "X": matrix[: len(unique)],
            "concepts": concept_rows,
            "themes": _Space(vectorizer, self.framework.themes, names, concept_rows),
            "domains": (_Space(vectorizer, self.framework.domains, names, concept_rows)
                        if self.framework.domains else None),
        }

    def _features(self, texts: Sequence[str]):
        space = self._space
        rows = space["rows"]
        if all(t in rows for t in texts):
            index = np.fromiter((rows[t] for t in texts), dtype=np.int64, count=len(texts))
            if len(index) == space["X"].shape[0] and (index == np.arange(len(index))).all():
                return space["X"]
            return space["X"][index]
        return space["vectorizer"].transform([textlib.analyse(str(t or "")) for t in texts])

    def _zero_shot(self, X, kind: str) -> np.ndarray:
        return self._space[kind].similarity(X)

    def _learning_features(self, X):
        """X beside its concept profile: examples generalise beyond their literal words."""
        rows = self._space["concepts"]
        if not CONCEPT_FEATURE_WEIGHT or not rows.shape[0]:
            return X
        profile = normalize(X @ rows.T)
        return normalize(sp.hstack([X, CONCEPT_FEATURE_WEIGHT * profile]).tocsr())

    def _term_reasons(self, X, rows: np.ndarray, items: np.ndarray) -> list[str]:
        """"matched: …" with the terms that contribute most to each (finding, theme) pair."""
        return term_reasons(X, rows, items, self._space["themes"].dense, self._space["names"])


def _identity(doc):
    return doc


def term_reasons(X, rows: np.ndarray, items: np.ndarray, dense: np.ndarray, names) -> list[str]:
    """Vectorised: for each pair, the features of X[row] weighted by dense[item], best first."""
    X = X.tocsr()
    lengths = np.diff(X.indptr)[rows]
    pair = np.repeat(np.arange(len(rows)), lengths)
    starts = np.repeat(X.indptr[rows] - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    nz = starts + np.arange(len(pair))
    cols = X.indices[nz]
    contrib = X.data[nz] * dense[items[pair], cols]
    order = np.lexsort((-contrib, pair))
    pair, cols, contrib = pair[order], cols[order], contrib[order]
    first = np.searchsorted(pair, pair)  # index where each pair's run starts
    keep = (np.arange(len(pair)) - first < 2 * EXPLAIN_TERMS) & (contrib > 1e-9)
    pair, cols = pair[keep], cols[keep]
    used, inverse = np.unique(cols, return_inverse=True)
    words = [textlib.surface(n) for n in names[used]]
    terms = [words[k] for k in inverse.tolist()]
    bounds = np.searchsorted(pair, np.arange(len(rows) + 1)).tolist()
    return [_matched(terms[bounds[p]:bounds[p + 1]]) for p in range(len(rows))]


def _matched(candidates: list[str]) -> str:
    if not candidates:
        return ""
    # A matched phrase stands for its words: "virtual ward", not also "virtual".
    covered = {w for term in candidates if " " in term for w in term.split()}
    picked: list[str] = []
    for term in candidates:
        if (" " in term or term not in covered) and term not in picked:
            picked.append(term)
    return "matched: " + ", ".join(picked[:EXPLAIN_TERMS])


# The name the brief and callers use for the default coder.
Coder = TfidfCoder
