"""Coding findings to themes and domains: the offline "tfidf" backend (no Django here).

How a finding is scored against a theme
---------------------------------------
1. Text is normalised by :mod:`stocktake.analysis.text` (light stemming,
   abbreviation and synonym expansion, stop words out) and turned into word
   unigrams and bigrams.
2. A TF-IDF space (sublinear tf, l2 rows) is fitted on the findings being coded,
   any confirmed examples and the framework's own texts.
3. Each theme (and domain) becomes a vector: its name, its description and its
   keywords, keywords weighted up (``KEYWORD_WEIGHT``). Morphological variants
   the stemmer misses are caught by character n-gram similarity between words:
   a corpus word whose character 3–5-grams are close to a theme word (cosine ≥
   ``CHAR_MATCH``) inherits part of that word's weight (``SOFT_WEIGHT``).
4. The zero-shot similarity of a finding to a theme is the cosine of the two
   vectors: one sparse × dense product for all findings and all themes.
5. Confirmed examples (:meth:`TfidfCoder.fit_examples`) add a prototype: the
   centroid of a theme's examples in the same space. A theme's similarity
   becomes ``(1 - w) * zero_shot + w * PROTOTYPE_SCALE * prototype`` with
   ``w = n / (n + EXAMPLE_HALF)`` for its ``n`` examples, so examples count for
   more as more are confirmed. With at least ``LR_MIN_PER_THEME`` examples on
   at least two themes, a logistic regression on the TF-IDF features is
   blended into the final probabilities.

What a score means
------------------
Theme scores are ``softmax(similarity / TEMPERATURE)`` over the framework's
themes: for each finding they are non-negative and sum to 1, and read as "the
probability that this theme is the finding's main theme". ``TEMPERATURE`` was
chosen to minimise log-loss on the tuning half of the labelled set in
``tests/analysis/data``. A finding that matches nothing gets 1/T for each of
its T themes. Domain scores are the same over domains.

A finding is usually about more than one theme; :data:`APPLIES_THRESHOLD`
(0.2, nearly twice the 1/9 a theme gets by default in the nine-theme
framework) is the score at which a theme is taken to apply. The top theme
always applies. :meth:`CodeResult.applies` lists the themes that do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from stocktake.analysis import polarity as polarity_rules
from stocktake.analysis import text as textlib
from stocktake.analysis.errors import InputError
from stocktake.analysis.framework import FrameworkSpec, ItemSpec

APPLIES_THRESHOLD = 0.2
TEMPERATURE = 0.02
DOMAIN_TEMPERATURE = 0.03
KEYWORD_WEIGHT = 2.0
NAME_WEIGHT = 1.5
DESCRIPTION_WEIGHT = 1.0
CHAR_MATCH = 0.6
SOFT_WEIGHT = 0.5
EXAMPLE_HALF = 6.0
PROTOTYPE_SCALE = 0.5
NEIGHBOUR_WEIGHT = 0.2
LR_MIN_PER_THEME = 5
LR_WEIGHT = 0.5
EXPLAIN_TERMS = 4


@dataclass(frozen=True)
class CodeResult:
    """What the analysis says about one finding."""

    themes: list[tuple[str, float]]  # every theme, best first
    domain: tuple[str, float] | None  # best domain, or None when the framework has none
    polarity: str
    explanation: str
    domains: list[tuple[str, float]] = field(default_factory=list)  # every domain, best first

    @property
    def top_theme(self) -> str:
        return self.themes[0][0]

    def applies(self, threshold: float = APPLIES_THRESHOLD) -> list[tuple[str, float]]:
        """The themes taken to apply: the top one and any other scoring ≥ ``threshold``."""
        return [self.themes[0]] + [t for t in self.themes[1:] if t[1] >= threshold]

    def to_dict(self, id=None) -> dict:  # noqa: A002 - the JSONL field is called id
        return {
            "id": id,
            "themes": [{"key": key, "score": round(score, 4)} for key, score in self.themes],
            "domain": (
                {"key": self.domain[0], "score": round(self.domain[1], 4)}
                if self.domain else None
            ),
            "polarity": self.polarity,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Example:
    """A confirmed coding: a text with its theme and/or domain."""

    text: str
    theme: str | None = None
    domain: str | None = None


def _as_example(item, index: int) -> Example:
    if isinstance(item, Example):
        return item
    if isinstance(item, dict):
        return Example(str(item.get("text") or ""), item.get("theme"), item.get("domain"))
    if isinstance(item, (tuple, list)) and 2 <= len(item) <= 3:
        return Example(str(item[0] or ""), item[1], item[2] if len(item) == 3 else None)
    raise InputError(
        f"example {index}: expected (text, theme_key), (text, theme_key, domain_key) or a "
        f"mapping with text, theme and domain; got {item!r:.80}"
    )


def _softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores / temperature
    z -= z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


class _Space:
    """The TF-IDF space plus the item vectors (themes or domains) in it."""

    def __init__(self, vectorizer: TfidfVectorizer, items: Sequence[ItemSpec]):
        self.vectorizer = vectorizer
        self.items = tuple(items)
        vocab_size = len(vectorizer.vocabulary_)
        matrix = sp.lil_matrix((len(items), vocab_size))
        rows = []
        for item in items:
            parts = [(item.name, NAME_WEIGHT), (item.description, DESCRIPTION_WEIGHT)]
            parts += [(k, KEYWORD_WEIGHT / max(1.0, len(item.keywords) ** 0.5)) for k in item.keywords]
            texts = [p for p, _ in parts if p]
            weights = np.array([w for p, w in parts if p])
            vectors = vectorizer.transform([textlib.analyse(t) for t in texts])
            rows.append(sp.csr_matrix(weights @ vectors.toarray()) if texts else
                        sp.csr_matrix((1, vocab_size)))
        matrix = sp.vstack(rows).tocsr() if rows else sp.csr_matrix((0, vocab_size))
        self.exact = normalize(matrix)
        self.dense = normalize(self.exact + SOFT_WEIGHT * _soft_spread(self.exact, vectorizer)
                               ).toarray()

    def similarity(self, X: sp.csr_matrix) -> np.ndarray:
        return np.asarray(X @ self.dense.T)


def _soft_spread(items: sp.csr_matrix, vectorizer: TfidfVectorizer) -> sp.csr_matrix:
    """Spread each item's unigram weights to corpus words with similar spelling."""
    names = vectorizer.get_feature_names_out()
    unigram = np.array([" " not in n and n != "|" for n in names])
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


class TfidfCoder:
    """The default backend: TF-IDF similarity to the framework's own words, learning from examples."""

    name = "tfidf"

    def __init__(self, framework: FrameworkSpec, *, seed: int = 0):
        if not framework.themes:
            raise InputError(f"framework {framework.key!r} has no themes to code to")
        self.framework = framework
        self.seed = seed
        self.theme_keys = [t.key for t in framework.themes]
        self.domain_keys = [d.key for d in framework.domains]
        self.examples: list[Example] = []
        self._corpus: list[list[str]] | None = None
        self._docs: dict[str, list[str]] = {}
        self._fitted = None

    # -- configuration -------------------------------------------------------
    @property
    def parameters(self) -> dict:
        return {
            "temperature": TEMPERATURE, "applies_threshold": APPLIES_THRESHOLD,
            "keyword_weight": KEYWORD_WEIGHT, "char_match": CHAR_MATCH,
            "soft_weight": SOFT_WEIGHT, "example_half": EXAMPLE_HALF,
            "lr_min_per_theme": LR_MIN_PER_THEME, "lr_weight": LR_WEIGHT,
            "examples": len(self.examples),
        }

    def fit_examples(self, examples: Iterable) -> TfidfCoder:
        """Learn from confirmed codings: ``(text, theme_key)``, ``(text, theme_key, domain_key)``
        or mappings with ``text``, ``theme``, ``domain`` (theme or domain may be None)."""
        themes, domains = set(self.theme_keys), set(self.domain_keys)
        parsed = []
        for index, item in enumerate(examples, start=1):
            example = _as_example(item, index)
            if not example.text.strip():
                raise InputError(f"example {index} has no text")
            if example.theme is not None and example.theme not in themes:
                raise InputError(
                    f"example {index} ({example.text[:60]!r}) names theme {example.theme!r}, "
                    f"which is not in framework {self.framework.key!r}; "
                    f"themes are: {', '.join(self.theme_keys)}"
                )
            if example.domain is not None and example.domain not in domains:
                raise InputError(
                    f"example {index} ({example.text[:60]!r}) names domain {example.domain!r}, "
                    f"which is not in framework {self.framework.key!r}; "
                    f"domains are: {', '.join(self.domain_keys) or '(none)'}"
                )
            parsed.append(example)
        self.examples.extend(parsed)
        self._fitted = None
        return self

    def fit(self, texts: Sequence[str]) -> TfidfCoder:
        """Fit the TF-IDF space on the findings to be coded (and examples and framework)."""
        self._corpus = [textlib.analyse(t) for t in texts]
        self._docs = dict(zip(texts, self._corpus))
        self._fitted = None
        return self

    def _analyse(self, texts: Sequence[str]) -> list[list[str]]:
        docs = self._docs
        return [docs[t] if t in docs else textlib.analyse(t) for t in texts]

    # -- fitting -------------------------------------------------------------
    def _prepare(self):
        if self._fitted is not None:
            return self._fitted
        items = (*self.framework.themes, *self.framework.domains)
        for item in items:
            for keyword in item.keywords:
                textlib.prefer_surface(keyword)
        item_docs = [textlib.analyse(i.text) for i in items]
        example_docs = [textlib.analyse(e.text) for e in self.examples]
        corpus = (self._corpus or []) + example_docs + item_docs
        vectorizer = TfidfVectorizer(
            analyzer=lambda doc: doc, sublinear_tf=True, norm="l2", dtype=np.float64
        )
        vectorizer.fit(corpus)
        themes = _Space(vectorizer, self.framework.themes)
        domains = _Space(vectorizer, self.framework.domains) if self.framework.domains else None
        E = vectorizer.transform(example_docs) if example_docs else None
        fitted = {
            "vectorizer": vectorizer,
            "names": vectorizer.get_feature_names_out(),
            "themes": themes,
            "domains": domains,
            "theme_proto": self._prototypes(E, "theme", self.theme_keys),
            "domain_proto": self._prototypes(E, "domain", self.domain_keys),
            "theme_lr": self._logistic(E, "theme", self.theme_keys),
            "theme_examples": self._example_rows(E, "theme", self.theme_keys),
            "domain_lr": self._logistic(E, "domain", self.domain_keys),
        }
        self._fitted = fitted
        return fitted

    def _labelled(self, E, attr: str, keys: list[str]):
        index = {k: i for i, k in enumerate(keys)}
        rows = [(r, index[getattr(e, attr)]) for r, e in enumerate(self.examples)
                if getattr(e, attr) is not None]
        return rows

    def _example_rows(self, E, attr: str, keys: list[str]):
        rows = self._labelled(E, attr, keys)
        if not rows:
            return None
        r, c = np.array(rows).T
        return E[r], c

    def _prototypes(self, E, attr: str, keys: list[str]):
        rows = self._labelled(E, attr, keys)
        if not rows or not keys:
            return None
        r, c = np.array(rows).T
        membership = sp.csr_matrix((np.ones(len(r)), (c, r)), shape=(len(keys), E.shape[0]))
        counts = np.asarray(membership.sum(axis=1)).ravel()
        centroids = normalize(membership @ E).toarray()
        weights = counts / (counts + EXAMPLE_HALF)
        return centroids, weights, counts

    def _logistic(self, E, attr: str, keys: list[str]):
        rows = self._labelled(E, attr, keys)
        if not rows:
            return None
        r, c = np.array(rows).T
        counts = np.bincount(c, minlength=len(keys))
        if (counts >= LR_MIN_PER_THEME).sum() < 2:
            return None
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=10.0, max_iter=2000, random_state=self.seed)
        model.fit(E[r], c)
        coverage = (counts > 0).sum() / len(keys)
        weight = LR_WEIGHT * coverage * len(r) / (len(r) + 20)
        return model, weight

    # -- scoring -------------------------------------------------------------
    def _probabilities(self, X, space, proto, lr, temperature, examples=None):
        if proto is None:
            sims = space.similarity(X)
        else:
            # Rocchio: move each item's vector towards the centroid of its examples.
            centroids, weights, _ = proto
            moved = normalize((1 - weights)[:, None] * space.dense
                              + (weights * PROTOTYPE_SCALE)[:, None] * centroids)
            sims = np.asarray(X @ moved.T)
            if NEIGHBOUR_WEIGHT and examples is not None:
                # A finding very like one confirmed example follows it.
                E, labels = examples
                near = np.asarray((X @ E.T).todense()) if sp.issparse(X @ E.T) else X @ E.T
                best = np.zeros_like(sims)
                for j in np.unique(labels):
                    best[:, j] = near[:, labels == j].max(axis=1)
                sims = sims + NEIGHBOUR_WEIGHT * weights * best
        probs = _softmax(sims, temperature)
        if lr is not None:
            model, weight = lr
            lr_probs = np.zeros_like(probs)
            lr_probs[:, model.classes_] = model.predict_proba(X)
            probs = (1 - weight) * probs + weight * lr_probs
        return probs

    def score_matrix(self, texts: Sequence[str]):
        """(theme probabilities n×T, domain probabilities n×D or None, TF-IDF matrix)."""
        if self._corpus is None:
            self.fit(texts)
        fitted = self._prepare()
        X = fitted["vectorizer"].transform(self._analyse(texts))
        themes = self._probabilities(X, fitted["themes"], fitted["theme_proto"],
                                     fitted["theme_lr"], TEMPERATURE, fitted["theme_examples"])
        domains = None
        if fitted["domains"] is not None:
            domains = self._probabilities(X, fitted["domains"], fitted["domain_proto"],
                                          fitted["domain_lr"], DOMAIN_TEMPERATURE)
        return themes, domains, X

    def _explanations(self, X: sp.csr_matrix, top: np.ndarray) -> list[str]:
        fitted = self._fitted
        dense = fitted["themes"].dense
        names = fitted["names"]
        row_of = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
        contrib = X.data * dense[top[row_of], X.indices]
        order = np.lexsort((-contrib, row_of))
        counts = (fitted["theme_proto"][2] if fitted["theme_proto"] is not None
                  else np.zeros(len(self.theme_keys)))
        out = []
        for i in range(X.shape[0]):
            lo, hi = X.indptr[i], X.indptr[i + 1]
            candidates = []
            for j in order[lo:hi]:
                if contrib[j] <= 1e-9 or len(candidates) >= 2 * EXPLAIN_TERMS:
                    break
                candidates.append(textlib.surface(names[X.indices[j]]))
            # A matched phrase stands for its words: "virtual ward", not also "virtual".
            covered = {w for term in candidates if " " in term for w in term.split()}
            picked = []
            for term in candidates:
                if (" " in term or term not in covered) and term not in picked:
                    picked.append(term)
            picked = picked[:EXPLAIN_TERMS]
            parts = []
            if picked:
                parts.append("matched: " + ", ".join(picked))
            n = int(counts[top[i]])
            if n:
                parts.append(f"like {n} confirmed example{'s' if n != 1 else ''}")
            out.append("; ".join(parts) or "no theme words matched")
        return out

    def code(self, texts: Sequence[str]) -> list[CodeResult]:
        texts = [str(t or "") for t in texts]
        if not texts:
            return []
        themes, domains, X = self.score_matrix(texts)
        top = themes.argmax(axis=1)
        explanations = self._explanations(X, top)
        order = np.argsort(-themes, axis=1, kind="stable")
        if domains is not None:
            d_order = np.argsort(-domains, axis=1, kind="stable")
        polarities = polarity_rules.polarities(texts)
        keys, d_keys = self.theme_keys, self.domain_keys
        results = []
        for i in range(len(texts)):
            row = themes[i]
            ranked = [(keys[j], float(row[j])) for j in order[i]]
            if domains is not None:
                d_ranked = [(d_keys[j], float(domains[i, j])) for j in d_order[i]]
                domain = d_ranked[0]
            else:
                d_ranked, domain = [], None
            results.append(CodeResult(themes=ranked, domain=domain, polarity=polarities[i],
                                      explanation=explanations[i], domains=d_ranked))
        return results


# The name the brief and callers use for the default coder.
Coder = TfidfCoder


def code_findings(
    framework: FrameworkSpec, texts: Sequence[str], *, examples=None, backend: str = "tfidf",
    seed: int = 0,
) -> list[CodeResult]:
    """Code each text to the framework's themes and domains (see the module docstring)."""
    from stocktake.analysis.backends import get_backend

    coder = get_backend(backend)(framework, seed=seed)
    if examples:
        coder.fit_examples(examples)
    coder.fit(texts)
    return coder.code(texts)
