"""Emergent themes: labelled clusters of findings the framework did not anticipate (no Django).

Which findings
--------------
With theme scores (from :func:`stocktake.analysis.backends.code_findings` or the
coder's ``score_matrix``), a finding is *unfitted* when its top theme score is
below ``fit_threshold`` (:data:`FIT_THRESHOLD`); only unfitted findings are
clustered. Without scores, or with ``include_all=True``, every finding is.

How
---
1. TF-IDF vectors on the coder's terms (:func:`stocktake.analysis.similar.fit_tfidf`).
2. LSA: :class:`~sklearn.decomposition.TruncatedSVD` to :data:`LSA_DIMS`
   dimensions, rows renormalised (so Euclidean distance ranks like cosine).
3. k-means (:class:`~sklearn.cluster.KMeans`, seeded) on a fixed sample of at
   most :data:`FIT_SAMPLE` findings, for several k between ``k_min`` and
   ``k_max``; the silhouette on a fixed sub-sample of at most
   :data:`SILHOUETTE_SAMPLE` findings decides: the smallest k
   whose silhouette is within :data:`SILHOUETTE_TOLERANCE` (relative) of the best
   (text silhouettes are low and flat, and fewer, broader themes read better).
   With more findings than the sample, every finding then goes to its nearest
   centre and :data:`REFINE_ROUNDS` rounds of spherical k-means (cosine) over
   all of them refine the centres — linear in the number of findings.
4. Clusters smaller than ``min_size`` are dropped (their findings count as
   unclustered).
5. Label: class-based TF-IDF — for each term, the share of the cluster's
   findings using it times the log of how much more often the cluster uses it
   than the rest of the input does — bigrams preferred (× :data:`BIGRAM_BOOST`),
   a word already inside a chosen bigram skipped, shown in the commonest
   unstemmed spelling within the cluster. The *representative* finding is the
   one closest to the cluster's centroid.

Everything is seeded: the same texts, scores and seed give the same output.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

from stocktake.analysis import text as textlib
from stocktake.analysis.similar import fit_tfidf

FIT_THRESHOLD = 0.5
MIN_SIZE = 3
K_MIN = 2
K_MAX = 30
K_CANDIDATES = 8
LSA_DIMS = 100
FIT_SAMPLE = 5000
KMEANS_INIT = 4
REFINE_ROUNDS = 5
SILHOUETTE_SAMPLE = 2000
SILHOUETTE_TOLERANCE = 0.15
LABEL_TERMS = 3
TERMS_SHOWN = 8
BIGRAM_BOOST = 1.5
SURFACE_SAMPLE = 200
# A label word must be used by at least this share of the group's findings.
LABEL_COVERAGE = 0.15

# Words that say nothing about a topic in learning-review prose: they may
# appear inside a phrase ("mental health", "bank staff") but never as a label
# or distinctive term on their own.
GENERIC_WORDS = (
    "able also among across agreed been care change changed day days early felt "
    "health helped hour hours list made many meant month months needed new "
    "otherwise per cent people phoned put service services staff team teams "
    "time times took use used week weekly work worked year years patient patients since "
    "extra general local short ask asked january february march april may june july "
    "august september october november december not no"
)
GENERIC_STEMS = frozenset(textlib.stem(word) for word in GENERIC_WORDS.split())


@dataclass(frozen=True)
class EmergentTheme:
    key: str  # "emergent-1", … in order of size
    label: str  # top distinctive terms, " / "-joined
    terms: list[tuple[str, float]]  # distinctive terms, best first, with c-TF-IDF score
    members: list[int]  # positions in the input, closest to the centroid first
    representative: int  # position of the finding closest to the centroid
    cohesion: float  # mean cosine of members to the centroid (LSA space)
    closeness: list[float] = field(default_factory=list)  # each member's cosine, as members

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class EmergentResult:
    themes: list[EmergentTheme]
    considered: list[int]  # positions that were clustered (unfitted, or all)
    unclustered: list[int]  # considered, but in no theme of at least min_size
    parameters: dict = field(default_factory=dict)


def unfitted(top_scores: Sequence[float], threshold: float = FIT_THRESHOLD) -> list[int]:
    """Positions whose top theme score is below ``threshold``."""
    return [i for i, score in enumerate(top_scores) if score < threshold]


def top_scores_of(results) -> list[float]:
    """Top theme score of each :class:`~stocktake.analysis.coder.CodeResult`."""
    return [r.themes[0][1] if r.themes else 0.0 for r in results]


def emergent_themes(
    texts: Sequence[str], *, top_scores: Sequence[float] | None = None,
    fit_threshold: float = FIT_THRESHOLD, include_all: bool = False, seed: int = 0,
    min_size: int = MIN_SIZE, k: int | None = None, k_min: int = K_MIN, k_max: int = K_MAX,
    matrix: sp.spmatrix | None = None, names: Sequence[str] | None = None,
) -> EmergentResult:
    """Cluster the unfitted findings (or all) into labelled emergent themes.

    ``matrix`` and ``names`` (a TF-IDF matrix of all ``texts`` and its feature
    names, e.g. from the coder) save vectorising twice; otherwise they are fitted here.
    """
    texts = [str(t or "") for t in texts]
    if top_scores is not None and len(top_scores) != len(texts):
        raise ValueError("top_scores must be as long as texts")
    if include_all or top_scores is None:
        considered = list(range(len(texts)))
    else:
        considered = unfitted(top_scores, fit_threshold)
    params = {"seed": seed, "fit_threshold": None if include_all or top_scores is None
              else fit_threshold, "min_size": min_size, "k_min": k_min, "k_max": k_max,
              "lsa_dims": LSA_DIMS, "k": None}
    if len(considered) < max(2 * min_size, 3):
        return EmergentResult([], considered, list(considered), params)
    if matrix is None or names is None:
        vectorizer, matrix = fit_tfidf(texts)
        names = vectorizer.get_feature_names_out()
    X_all = sp.csr_matrix(matrix)
    X = X_all[considered]
    Z = _lsa(X, seed)
    labels, chosen = _cluster(Z, seed=seed, k=k, k_min=k_min, k_max=k_max, min_size=min_size)
    params["k"] = chosen
    themes, unclustered = _themes(texts, considered, X_all, names, Z, labels, min_size)
    return EmergentResult(themes, considered, unclustered, params)


# --------------------------------------------------------------------------- clustering


def _lsa(X: sp.csr_matrix, seed: int) -> np.ndarray:
    dims = min(LSA_DIMS, X.shape[0] - 1, X.shape[1] - 1)
    if dims < 2:
        return normalize(X.toarray()).astype(np.float32)
    svd = TruncatedSVD(n_components=dims, algorithm="randomized", n_iter=4, random_state=seed)
    Z = svd.fit_transform(X)
    return normalize(Z).astype(np.float32)


def _k_values(n: int, k: int | None, k_min: int, k_max: int, min_size: int) -> list[int]:
    if k is not None:
        return [max(1, min(k, n))]
    upper = max(2, min(k_max, n // max(min_size, 1), n - 1))
    lower = max(2, min(k_min, upper))
    if upper - lower + 1 <= K_CANDIDATES:
        return list(range(lower, upper + 1))
    grid = np.geomspace(lower, upper, K_CANDIDATES)
    return sorted({int(round(v)) for v in grid})


def _fit(Z: np.ndarray, k: int, seed: int) -> KMeans:
    return KMeans(n_clusters=k, n_init=KMEANS_INIT, random_state=seed).fit(Z)


def _refine(Z: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Assign every finding to the nearest centre (cosine), a few Lloyd rounds on all of them."""
    centres = normalize(centres).astype(np.float32)
    labels = np.zeros(len(Z), dtype=np.int64)
    for _ in range(REFINE_ROUNDS):
        labels = np.concatenate([np.argmax(Z[i:i + 20_000] @ centres.T, axis=1)
                                 for i in range(0, len(Z), 20_000)])
        sums = np.zeros_like(centres)
        np.add.at(sums, labels, Z)
        filled = np.linalg.norm(sums, axis=1) > 0
        centres[filled] = normalize(sums[filled])
    return labels


def _cluster(Z: np.ndarray, *, seed: int, k: int | None, k_min: int, k_max: int,
             min_size: int) -> tuple[np.ndarray, int]:
    """Choose k on a fixed sample, then label every finding (see the module docstring)."""
    rng = np.random.default_rng(seed)
    sample = np.sort(rng.choice(len(Z), size=min(len(Z), FIT_SAMPLE), replace=False))
    scored = sample[np.sort(rng.choice(len(sample), size=min(len(sample), SILHOUETTE_SAMPLE),
                                       replace=False))] if len(sample) else sample
    Zs = Z[sample]
    candidates = _k_values(len(Z), k, k_min, k_max, min_size)
    tried = []
    for candidate in candidates:
        model = _fit(Zs, min(candidate, len(Zs)), seed)
        labels = model.predict(Z[scored])
        score = (float(silhouette_score(Z[scored], labels, metric="euclidean"))
                 if 2 <= len(np.unique(labels)) < len(scored) else -1.0)
        tried.append((candidate, score, model))
    # Text silhouettes are low and flat: take the fewest clusters close to the best.
    best = max(score for _, score, _ in tried)
    good_enough = best - max(SILHOUETTE_TOLERANCE * abs(best), 0.005)
    chosen, _, model = next(t for t in tried if t[1] >= good_enough)
    if len(sample) == len(Z):
        return model.labels_.astype(np.int64), chosen
    return _refine(Z, model.cluster_centers_), chosen


# --------------------------------------------------------------------------- labelling


def _themes(texts, considered, X_all, names, Z, labels, min_size):
    considered = np.asarray(considered)
    groups = []
    for label in np.unique(labels):
        rows = np.flatnonzero(labels == label)
        if len(rows) >= min_size:
            groups.append(rows)
    groups.sort(key=lambda rows: (-len(rows), int(considered[rows].min())))
    B = X_all.copy()
    B.data[:] = 1.0
    df_all = np.asarray(B.sum(axis=0)).ravel()
    n_all = B.shape[0]
    names = np.asarray(names, dtype=object)
    bigram = np.array([" " in str(n) for n in names], dtype=bool)
    themes, clustered = [], set()
    for number, rows in enumerate(groups, start=1):
        centroid = Z[rows].mean(axis=0)
        centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
        sims = Z[rows] @ centroid
        order = np.lexsort((considered[rows], -np.round(sims, 6)))
        members = [int(p) for p in considered[rows][order]]
        sample = [texts[m] for m in members[:SURFACE_SAMPLE]]
        terms = distinctive_terms(B, members, df_all, n_all, names, bigram, 2 * TERMS_SHOWN)
        shown = readable_terms(terms, sample)
        common = readable_terms(distinctive_terms(
            B, members, df_all, n_all, names, bigram, 2 * LABEL_TERMS,
            min_count=math.ceil(LABEL_COVERAGE * len(members))), sample)
        label_terms = common if len(common) >= 2 else shown
        themes.append(EmergentTheme(
            key=f"emergent-{number}", label=" / ".join(t for t, _ in label_terms[:LABEL_TERMS]),
            terms=shown[:TERMS_SHOWN], members=members, representative=members[0],
            cohesion=round(float(sims.mean()), 4),
            closeness=[round(float(v), 4) for v in sims[order]],
        ))
        clustered.update(members)
    unclustered = [int(p) for p in considered if int(p) not in clustered]
    return themes, unclustered


def distinctive_scores(in_count: np.ndarray, n_in: int, df_all: np.ndarray,
                       n_all: int) -> np.ndarray:
    """Class-based TF-IDF of each term for a group against the rest of the input.

    ``share_in * log(share_in / share_out)`` with add-one smoothing, 0 where the
    group uses a term no more often than the rest does.
    """
    share_in = in_count / max(n_in, 1)
    share_out = (df_all - in_count + 1.0) / (max(n_all - n_in, 0) + 2.0)
    lift = np.log(np.maximum(share_in, 1e-12) / share_out)
    return np.where(lift > 0, share_in * lift, 0.0)


def distinctive_terms(B, members, df_all, n_all, names, bigram, limit: int = TERMS_SHOWN,
                      exclude: frozenset[str] = frozenset(),
                      min_count: int | None = None) -> list[tuple[str, float]]:
    """Up to ``limit`` (stemmed) terms most distinctive of the findings at ``members``.

    ``B`` is the binary finding × term matrix, ``df_all`` its column sums;
    terms with a word in ``exclude`` (say, the group's own name) are skipped, and
    terms used by fewer than ``min_count`` of the group's findings (default: 5%,
    at least 2, of groups of four or more).
    """
    in_count = np.asarray(B[members].sum(axis=0)).ravel()
    scores = distinctive_scores(in_count, len(members), df_all, n_all)
    floor = max(2, math.ceil(0.05 * len(members))) if len(members) >= 4 else 1
    if min_count is not None:
        floor = max(floor, min_count)
    scores[in_count < floor] = 0.0
    scores = np.where(bigram, scores * BIGRAM_BOOST, scores)
    top = np.argsort(-scores, kind="stable")[: 6 * limit]
    picked: list[tuple[str, float]] = []
    covered: set[str] = set()
    for j in top:
        if scores[j] <= 0 or len(picked) >= limit:
            break
        term = str(names[j])
        if term.isdigit() or any(part.isdigit() for part in term.split()):
            continue
        parts = term.split(" ")
        if covered.intersection(parts):  # "car park" shown: not "park", nor "converted car"
            continue
        if all(part in GENERIC_STEMS for part in parts):  # "took", "per cent": no topic
            continue
        if (len(parts) == 2 and parts[0] == parts[1]) or exclude.intersection(parts):
            continue
        covered.update(parts)
        picked.append((term, round(float(scores[j]), 4)))
    return picked


def readable_terms(terms: list[tuple[str, float]], sample_texts: list[str]) -> list[tuple[str, float]]:
    """Stems shown in the commonest spelling the sample uses; one phrase once.

    A term none of the sample spells (it came from a synonym expansion) is left out.
    """
    spellings: dict[str, Counter] = {}
    for text in sample_texts:
        for word in textlib.words(text):
            if word not in textlib.STOP_WORDS:
                spellings.setdefault(textlib.stem(word), Counter())[word] += 1
    out, seen = [], set()
    for term, score in terms:
        counters = [spellings.get(part) for part in term.split(" ")]
        if not all(counters):
            continue
        shown = " ".join(min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for c in counters)
        if shown not in seen:
            seen.add(shown)
            out.append((shown, score))
    return out


def split_in_two(texts: Sequence[str], *, seed: int = 0) -> tuple[list[int], list[int]]:
    """Positions of ``texts`` re-clustered into two groups (larger first), by k-means on
    their TF-IDF/LSA vectors, seeded: the same texts and seed give the same split.

    ValueError with fewer than four texts (each half needs two)."""
    texts = [str(t or "") for t in texts]
    if len(texts) < 4:
        raise ValueError("A theme needs at least four findings to be split in two")
    _, matrix = fit_tfidf(texts)
    Z = _lsa(sp.csr_matrix(matrix), seed)
    labels = _fit(Z, 2, seed).labels_
    groups = [[int(i) for i in np.flatnonzero(labels == label)] for label in (0, 1)]
    if not groups[0] or not groups[1]:  # identical texts: halve them in order
        half = len(texts) // 2
        groups = [list(range(half, len(texts))), list(range(half))]
    groups.sort(key=lambda g: (-len(g), g[0]))
    return groups[0], groups[1]
