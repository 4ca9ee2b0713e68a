"""What every coding backend shares: results, examples, scoring and explanations (no Django).

A backend subclasses :class:`SimilarityCoder` and supplies four hooks:

- ``_build(texts, example_texts)``: prepare its feature space from the findings
  to be coded and the examples (TF-IDF fits its vocabulary here);
- ``_features(texts)``: one L2-normalised row per text (sparse or dense);
- ``_zero_shot(X, kind)``: cosine similarity of each row to each theme
  (``kind="themes"``) or domain (``"domains"``), from the framework's words;
- ``_term_reasons(X, rows, items)``: a short reason for each (finding, theme)
  pair, e.g. the words that matched ("" when it has none);
- optionally ``_learning_features(X)``: the rows that confirmed examples are
  compared in (``X`` itself unless the backend widens it).

The base class adds what confirmed examples teach (:mod:`.learning`), turns
similarities into probabilities (``softmax(similarity / temperature)``, a
temperature per backend chosen by log-loss on labelled statements), ranks
themes and domains, explains every listed theme and classifies polarity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from stocktake.analysis import domain_model, learning, polarity_model
from stocktake.analysis.errors import InputError
from stocktake.analysis.framework import FrameworkSpec

APPLIES_THRESHOLD = 0.2
SNIPPET = 70
EXAMPLE_REASON_MIN = 0.25  # cosine to the nearest confirmed example worth mentioning


@dataclass(frozen=True)
class CodeResult:
    """What the analysis says about one finding."""

    themes: list[tuple[str, float]]  # every theme, best first
    domain: tuple[str, float] | None  # best domain, or None when the framework has none
    polarity: str
    explanation: str
    domains: list[tuple[str, float]] = field(default_factory=list)  # every domain, best first
    reasons: dict[str, str] = field(default_factory=dict)  # listed theme → why

    @property
    def top_theme(self) -> str:
        return self.themes[0][0]

    @property
    def matched(self) -> bool:
        """False when nothing in the finding pointed to any theme (every score equal)."""
        return len(self.themes) < 2 or self.themes[0][1] - self.themes[-1][1] > 1e-6

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


def as_example(item, index: int) -> Example:
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


def _check_key(example: Example, index: int, attr: str, known: list[str], framework) -> None:
    value = getattr(example, attr)
    if value is not None and value not in known:
        raise InputError(
            f"example {index} ({example.text[:60]!r}) names {attr} {value!r}, which is not in "
            f"framework {framework.key!r}; {attr}s are: {', '.join(known) or '(none)'}"
        )


def snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1].rstrip() + "…"


_DEFAULT = object()  # the domain model not chosen yet: the default one where it applies


class SimilarityCoder:
    """Zero-shot similarity to the framework, plus learning from confirmed examples."""

    name = "base"
    temperature = 0.02
    domain_temperature = 0.03

    def __init__(self, framework: FrameworkSpec, *, seed: int = 0, workers: int = 1):
        if not framework.themes:
            raise InputError(f"Framework {framework.key!r} has no themes to code to")
        self.framework = framework
        self.seed = seed
        self.workers = workers
        self.theme_keys = [t.key for t in framework.themes]
        self.domain_keys = [d.key for d in framework.domains]
        self.examples: list[Example] = []
        self._texts: list[str] | None = None
        self._learned: dict[str, learning.Learned | None] | None = None
        self._learning_cache: tuple | None = None
        self._domain_model = _DEFAULT

    @property
    def domain_model(self) -> domain_model.DomainModel | None:
        """The learned domain model (:mod:`.domain_model`) used beside the framework's domain
        descriptions, or None (descriptions alone)."""
        if self._domain_model is _DEFAULT:
            self._domain_model = (domain_model.default_model()
                                  if domain_model.default_model_applies(self.domain_keys)
                                  else None)
        return self._domain_model

    def use_domain_model(self, model: domain_model.DomainModel | None):
        """Code domains with ``model`` (None: from the framework's descriptions alone)."""
        self._domain_model = model
        self._learned = None
        return self

    @property
    def parameters(self) -> dict:
        learned = self._learned or {}
        theme = learned.get("themes")
        return {
            "backend": self.name, "temperature": self.temperature,
            "domain_model": self.domain_model is not None,
            "domain_temperature": self.domain_temperature,
            "applies_threshold": APPLIES_THRESHOLD, "examples": len(self.examples),
            "example_prior_count": learning.PRIOR_COUNT,
            "example_beta": theme.beta if theme is not None else None,
            "lr_min_per_theme": learning.LR_MIN_PER_ITEM, "lr_weight": learning.LR_WEIGHT,
        }

    # -- input -----------------------------------------------------------------
    def fit_examples(self, examples: Iterable):
        """Learn from confirmed codings: ``(text, theme_key)``, ``(text, theme_key, domain_key)``
        or mappings with ``text``, ``theme``, ``domain`` (theme or domain may be None)."""
        parsed = []
        for index, item in enumerate(examples, start=1):
            example = as_example(item, index)
            if not example.text.strip():
                raise InputError(f"Example {index} has no text")
            _check_key(example, index, "theme", self.theme_keys, self.framework)
            _check_key(example, index, "domain", self.domain_keys, self.framework)
            parsed.append(example)
        self.examples.extend(parsed)
        self._learned = None
        return self

    def fit(self, texts: Sequence[str]):
        """Prepare for coding ``texts`` (TF-IDF fits its vocabulary on them and the examples)."""
        self._texts = [str(t or "") for t in texts]
        self._learned = None
        return self

    # -- hooks -----------------------------------------------------------------
    def _build(self, texts: list[str], example_texts: list[str]) -> None:
        raise NotImplementedError

    def _features(self, texts: Sequence[str]):
        raise NotImplementedError

    def _zero_shot(self, X, kind: str) -> np.ndarray:
        raise NotImplementedError

    def _term_reasons(self, X, rows: np.ndarray, items: np.ndarray) -> list[str]:
        return [""] * len(rows)

    def _learning_features(self, X):
        return X

    def _learning_rows(self, X):
        """:meth:`_learning_features` of ``X``, computed once for the themes, the domains
        and the explanations of one batch."""
        cached = self._learning_cache
        if cached is not None and cached[0] is X:
            return cached[1]
        rows = self._learning_features(X)
        self._learning_cache = (X, rows)
        return rows

    # -- learning --------------------------------------------------------------
    def _prepare(self) -> dict:
        if self._learned is not None:
            return self._learned
        texts = self._texts or []
        self._build(texts, [e.text for e in self.examples])
        learned: dict[str, learning.Learned | None] = {"themes": None, "domains": None}
        for kind, attr, keys, temperature in (
            ("themes", "theme", self.theme_keys, self.temperature),
            ("domains", "domain", self.domain_keys, self.domain_temperature),
        ):
            labelled = [(e.text, keys.index(getattr(e, attr))) for e in self.examples
                        if getattr(e, attr) is not None]
            if not labelled or not keys:
                continue
            example_texts = [t for t, _ in labelled]
            E = self._features(example_texts)
            labels = np.array([label for _, label in labelled])
            learned[kind] = learning.learn(self._learning_features(E), labels, len(keys),
                                           self._scores(E, example_texts, kind), temperature,
                                           seed=self.seed)
        self._learned = learned
        return learned

    def score_matrix(self, texts: Sequence[str]):
        """(theme probabilities n×T, domain probabilities n×D or None, features)."""
        if self._texts is None:
            self.fit(texts)
        learned = self._prepare()
        X = self._features(texts)
        themes = self._probabilities(X, texts, "themes", learned["themes"], self.temperature)
        domains = None
        if self.domain_keys:
            domains = self._probabilities(X, texts, "domains", learned["domains"],
                                          self.domain_temperature)
        return themes, domains, X

    def _scores(self, X, texts: Sequence[str], kind: str) -> np.ndarray:
        """The zero-shot scores of ``X`` (the features of ``texts``); for domains, weighed
        with the learned domain model where it applies (:mod:`.domain_model`)."""
        sims = self._zero_shot(X, kind)
        model = self.domain_model if kind == "domains" else None
        if model is None:
            return sims
        prior = model.prior([str(t or "") for t in texts], self.domain_keys,
                            self.domain_temperature)
        return sims if prior is None else domain_model.ZERO_SHOT_WEIGHT * sims + prior

    def _probabilities(self, X, texts, kind, learned, temperature) -> np.ndarray:
        sims = self._scores(X, texts, kind)
        if learned is None:
            return learning.softmax(sims, temperature)
        return learned.probabilities(sims, self._learning_rows(X), temperature)

    # -- explanations ----------------------------------------------------------
    def explain(self, X, themes: np.ndarray, threshold: float = APPLIES_THRESHOLD):
        """Per finding, {theme key: reason} for the top theme and every theme ≥ threshold."""
        listed = themes >= threshold
        listed[np.arange(len(themes)), themes.argmax(axis=1)] = True
        rows, items = np.nonzero(listed)
        reasons = self._term_reasons(X, rows, items)
        learned = (self._learned or {}).get("themes")
        if learned is not None and len(rows):
            example_texts = [e.text for e in self.examples if e.theme is not None]
            nearest, sims = learned.nearest(self._learning_rows(X), rows, items)
            for p in np.flatnonzero((nearest >= 0) & ((sims >= EXAMPLE_REASON_MIN)
                                                      | (np.array(reasons) == ""))):
                like = f"like confirmed example “{snippet(example_texts[nearest[p]])}”"
                reasons[p] = f"{reasons[p]}; {like}" if reasons[p] else like
        out: list[dict[str, str]] = [{} for _ in range(len(themes))]
        keys = self.theme_keys
        for r, j, reason in zip(rows.tolist(), items.tolist(), reasons):
            out[r][keys[j]] = reason or "no theme words matched"
        return out

    # -- coding ----------------------------------------------------------------
    def code_arrays(self, texts: Sequence[str], *, threshold: float = APPLIES_THRESHOLD) -> Coded:
        """Everything :meth:`code` says, as arrays (fast to write out in bulk)."""
        texts = [str(t or "") for t in texts]
        pending = polarity_model.start(texts, workers=self.workers)
        themes, domains, X = self.score_matrix(texts)
        reasons = self.explain(X, themes, threshold)
        return Coded(themes=themes, domains=domains, reasons=reasons, polarities=pending(),
                     theme_keys=self.theme_keys, domain_keys=self.domain_keys)

    def code(self, texts: Sequence[str], *, threshold: float = APPLIES_THRESHOLD
             ) -> list[CodeResult]:
        if not len(texts):
            return []
        return self.code_arrays(texts, threshold=threshold).results()


@dataclass
class Coded:
    """Theme and domain probabilities (n×T, n×D or None), reasons and polarity per finding."""

    themes: np.ndarray
    domains: np.ndarray | None
    reasons: list[dict[str, str]]
    polarities: list[str]
    theme_keys: list[str]
    domain_keys: list[str]

    def __len__(self) -> int:
        return len(self.polarities)

    def theme_order(self) -> np.ndarray:
        return np.argsort(-self.themes, axis=1, kind="stable")

    def domain_order(self) -> np.ndarray | None:
        return None if self.domains is None else np.argsort(-self.domains, axis=1, kind="stable")

    def explanation(self, i: int, ranked_keys) -> str:
        """The top theme's reason, then `` | key: reason`` for each other listed theme."""
        why = self.reasons[i]
        return why.get(ranked_keys[0], "") + "".join(
            f" | {key}: {why[key]}" for key in ranked_keys[1:] if key in why)

    def results(self) -> list[CodeResult]:
        order, d_order = self.theme_order(), self.domain_order()
        keys, d_keys = self.theme_keys, self.domain_keys
        out = []
        for i in range(len(self)):
            row = self.themes[i].tolist()
            ranked = [(keys[j], row[j]) for j in order[i].tolist()]
            d_ranked: list[tuple[str, float]] = []
            if d_order is not None:
                d_row = self.domains[i].tolist()
                d_ranked = [(d_keys[j], d_row[j]) for j in d_order[i].tolist()]
            out.append(CodeResult(
                themes=ranked, domain=d_ranked[0] if d_ranked else None,
                polarity=self.polarities[i], domains=d_ranked, reasons=self.reasons[i],
                explanation=self.explanation(i, [k for k, _ in ranked])))
        return out
