"""Learning from confirmed codes: example prototypes whose weight is chosen by the examples.

Every backend scores a finding ``x`` against each item ``j`` (a theme or a
domain) with a zero-shot similarity ``s_j(x)``. Confirmed examples add

    s'_j(x) = s_j(x) + beta * w_j * (cos(x, c_j) - mu_j)

- ``c_j`` is the normalised centroid of item ``j``'s examples, ``mu_j`` the mean
  of ``cos(e, c_j)`` over the examples of *other* items (0 when there are
  none): an item with examples gains only on findings more like its examples
  than examples of other items are, and loses on findings less like them, so
  items without examples are not pushed down. The bonus does not depend on
  which other findings are coded in the same batch;
- ``w_j = n_j / (n_j + PRIOR_COUNT)`` grows with the item's ``n_j`` examples;
- ``beta`` is chosen, each time the coder is fitted, by **leave-one-out over
  the confirmed examples themselves**: each example is scored with the other
  examples' centroids and the ``beta`` (from :data:`BETAS`, 0 included) under
  which most examples are coded to their own label wins (ties: the higher
  log-likelihood at a softer temperature, then the smaller beta). When the
  examples do not help predict one another (too few, or the framework's own
  words already do better) ``beta`` is 0 and the zero-shot scores stand.
  Choosing by log-likelihood at the coder's own sharp temperature was too
  cautious: it kept ``beta`` near 0 where examples helped on review-style
  statements (docs/quality.md).

With at least :data:`LR_MIN_PER_ITEM` examples on at least two items, a
logistic regression on the features is blended into the probabilities, with
a weight that grows with the number of examples and with the share of items
covered.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

PRIOR_COUNT = 2.0
# prototype = (1 - mix) * cosine to centroid + mix * cosine to the nearest example; 0.5 gave
# no gain over 0 in cross-validation on the tuning half, so it is off.
NEAREST_MIX = 0.0
BETAS = (0.0, 0.25, 0.5, 0.75, 1.0)
TIE_SOFTENING = 3.0
LR_MIN_PER_ITEM = 5
LR_WEIGHT = 0.5
CHUNK = 4096


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores / temperature
    z -= z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def _dense(matrix) -> np.ndarray:
    return matrix.toarray() if sp.issparse(matrix) else np.asarray(matrix)


def _row_norms(matrix) -> np.ndarray:
    if sp.issparse(matrix):
        return np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return np.linalg.norm(matrix, axis=1)


@dataclass
class Learned:
    """What the examples taught about one kind of item (themes or domains)."""

    centroids: np.ndarray  # K × d, normalised; zero rows for items without examples
    counts: np.ndarray  # K
    beta: float
    mu: np.ndarray  # K, mean prototype similarity over the corpus
    E: object  # m × d example features
    labels: np.ndarray  # m
    lr: tuple | None = None  # (model, weight)

    @property
    def weights(self) -> np.ndarray:
        return self.beta * self.counts / (self.counts + PRIOR_COUNT)

    def adjust(self, sims: np.ndarray, X) -> np.ndarray:
        """Zero-shot similarities plus the example bonus (see the module docstring)."""
        if not self.beta:
            return sims
        proto = self.prototype(X)
        return sims + self.weights * (proto - self.mu) * (self.counts > 0)

    def prototype(self, X) -> np.ndarray:
        proto = _dense(X @ self.centroids.T)
        if not NEAREST_MIX:
            return proto
        near = np.zeros_like(proto)
        for start in range(0, X.shape[0], CHUNK):
            near[start:start + CHUNK] = _nearest_per_item(
                _dense(X[start:start + CHUNK] @ self.E.T), self.labels, len(self.counts))
        return (1 - NEAREST_MIX) * proto + NEAREST_MIX * near

    def probabilities(self, sims: np.ndarray, X, temperature: float) -> np.ndarray:
        probs = softmax(self.adjust(sims, X), temperature)
        if self.lr is not None:
            model, weight = self.lr
            lr_probs = np.zeros_like(probs)
            lr_probs[:, model.classes_] = model.predict_proba(X)
            probs = (1 - weight) * probs + weight * lr_probs
        return probs

    def nearest(self, X, pairs_i: np.ndarray, pairs_j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each (finding, item) pair: index of the nearest example of that item and its
        cosine (index -1 where the item has no examples)."""
        best = np.full(len(pairs_i), -1)
        sim = np.zeros(len(pairs_i))
        for start in range(0, len(pairs_i), CHUNK):
            stop = start + CHUNK
            rows = _dense(X[pairs_i[start:stop]] @ self.E.T)  # chunk × m
            same = self.labels[None, :] == pairs_j[start:stop, None]
            rows = np.where(same, rows, -np.inf)
            arg = rows.argmax(axis=1)
            val = rows[np.arange(len(arg)), arg]
            ok = np.isfinite(val)
            best[start:stop] = np.where(ok, arg, -1)
            sim[start:stop] = np.where(ok, val, 0.0)
        return best, sim


def _nearest_per_item(sims: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """n × K: the highest cosine to any example of each item (0 for items without)."""
    out = np.zeros((sims.shape[0], k))
    for j in np.unique(labels):
        out[:, j] = sims[:, labels == j].max(axis=1)
    return out


def _centroid_sums(E, labels: np.ndarray, k: int):
    m = E.shape[0]
    membership = sp.csr_matrix((np.ones(m), (labels, np.arange(m))), shape=(k, m))
    return _dense(membership @ E)  # K × d


def _loo_bonus(E, labels: np.ndarray, sums: np.ndarray, counts: np.ndarray, mu: np.ndarray):
    """Prototype bonus (before beta) of each example, its own item's centroid leaving it out."""
    norms = np.linalg.norm(sums, axis=1)
    dots = _dense(E @ sums.T)  # m × K: e_i · sum_j
    self_sq = _row_norms(E) ** 2
    rows = np.arange(len(labels))
    own = dots[rows, labels]
    own_norm = np.sqrt(np.maximum(norms[labels] ** 2 - 2 * own + self_sq, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        cos = np.where(norms > 0, dots / np.where(norms > 0, norms, 1), 0.0)
        cos[rows, labels] = np.where(own_norm > 1e-12, (own - self_sq) / own_norm, 0.0)
    if NEAREST_MIX:
        pairwise = _dense(E @ E.T)
        np.fill_diagonal(pairwise, -np.inf)
        near = _nearest_per_item(pairwise, labels, len(counts))
        near[~np.isfinite(near)] = 0.0
        cos = (1 - NEAREST_MIX) * cos + NEAREST_MIX * near
    n = np.tile(counts.astype(float), (len(labels), 1))
    n[rows, labels] -= 1
    weights = n / (n + PRIOR_COUNT)
    return weights * (cos - mu) * (n > 0)


def choose_beta(zero_shot_E: np.ndarray, bonus: np.ndarray, labels: np.ndarray,
                temperature: float) -> float:
    """The beta under which most examples are coded right by the others, leaving each out.

    Ties are broken by the leave-one-out log-likelihood of the labels at a softer
    temperature, then by the smaller beta.
    """
    rows = np.arange(len(labels))
    best, best_value = 0.0, -np.inf
    for beta in BETAS:
        scores = zero_shot_E + beta * bonus
        right = float(np.mean(scores.argmax(axis=1) == labels))
        probs = softmax(scores, temperature * TIE_SOFTENING)
        value = right + 1e-3 * float(np.log(np.maximum(probs[rows, labels], 1e-12)).mean())
        if value > best_value + 1e-9:
            best, best_value = beta, value
    return best


def _baseline(learned: Learned) -> np.ndarray:
    """mu_j: mean prototype similarity of the examples of other items to item j."""
    labels, centroids = learned.labels, learned.centroids
    cos = learned.prototype(learned.E)  # m × K
    others = labels[:, None] != np.arange(centroids.shape[0])[None, :]
    n = others.sum(axis=0)
    return np.where(n > 0, (cos * others).sum(axis=0) / np.maximum(n, 1), 0.0)


def learn(E, labels: np.ndarray, k: int, zero_shot_E: np.ndarray,
          temperature: float, *, seed: int = 0) -> Learned | None:
    """Fit prototypes (and maybe a classifier) from ``m`` labelled example rows of ``E``."""
    if E is None or not len(labels) or not k:
        return None
    sums = _centroid_sums(E, labels, k)
    counts = np.bincount(labels, minlength=k)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    centroids = np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)
    learned = Learned(centroids=centroids, counts=counts, beta=0.0, mu=np.zeros(k), E=E,
                      labels=labels)
    learned.mu = _baseline(learned)
    bonus = _loo_bonus(E, labels, sums, counts, learned.mu)
    learned.beta = choose_beta(zero_shot_E, bonus, labels, temperature)
    learned.lr = _logistic(E, labels, counts, k, seed)
    return learned


def _logistic(E, labels: np.ndarray, counts: np.ndarray, k: int, seed: int):
    if (counts >= LR_MIN_PER_ITEM).sum() < 2:
        return None
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=10.0, max_iter=2000, random_state=seed)
    model.fit(E, labels)
    coverage = (counts > 0).sum() / k
    weight = LR_WEIGHT * coverage * len(labels) / (len(labels) + 20)
    return model, weight
