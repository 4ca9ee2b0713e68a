"""Analysis backends by name (no Django here).

A backend is a callable ``factory(framework, *, seed, workers=1) -> coder`` where
the coder has ``fit_examples(examples)``, ``fit(texts)``,
``code(texts, threshold=…) -> list[CodeResult]``, ``score_matrix(texts)`` and a
``parameters`` dict (recorded with each analysis run).

- ``tfidf``: :class:`stocktake.analysis.coder.TfidfCoder`, offline, no model
  download; the default when the semantic extra is not installed.
- ``semantic``: sentence embeddings (:mod:`stocktake.analysis.semantic`), an
  optional extra (``pip install stocktake[semantic]``) with a model on disk.
- ``ensemble``: the mean of tfidf and semantic; the default (:func:`default_backend`)
  where the extra and its model are installed, because it beats ``tfidf`` on the
  held-out set (docs/quality.md).

A factory may carry ``check`` (called by :func:`get_backend` so a missing extra
fails before any work) and ``takes_model`` (it accepts ``model=``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from stocktake.analysis import semantic
from stocktake.analysis.base import CodeResult
from stocktake.analysis.coder import TfidfCoder
from stocktake.analysis.errors import InputError
from stocktake.analysis.framework import FrameworkSpec

DEFAULT_BACKEND = "tfidf"  # the fallback, always available
PREFERRED_BACKEND = "ensemble"  # when the semantic extra and a model on disk are installed

Backend = Callable[..., object]


def _semantic(framework, **options):
    return semantic.SemanticCoder(framework, **options)


def _ensemble(framework, **options):
    return semantic.EnsembleCoder(framework, **options)


for _factory in (_semantic, _ensemble):
    _factory.check = semantic.check_installed
    _factory.takes_model = True

_REGISTRY: dict[str, Backend] = {"tfidf": TfidfCoder, "semantic": _semantic,
                                 "ensemble": _ensemble}


def register_backend(name: str, factory: Backend) -> None:
    """Add (or replace) a backend under ``name``."""
    _REGISTRY[name] = factory


def backend_names() -> list[str]:
    return sorted(_REGISTRY)


def available_backends() -> list[str]:
    """The backends that can run here (an optional one whose packages are missing is left out)."""
    usable = []
    for name in backend_names():
        try:
            get_backend(name)
        except InputError:
            continue
        usable.append(name)
    return usable


def default_backend() -> str:
    """``ensemble`` where sentence-transformers and a model on disk are installed (it beats
    ``tfidf`` on the held-out set: docs/quality.md), else ``tfidf``."""
    try:
        semantic.check_installed()
        semantic.model_location()
    except InputError:
        return DEFAULT_BACKEND
    return PREFERRED_BACKEND


def get_backend(name: str | None = None) -> Backend:
    """The factory for backend ``name`` (:func:`default_backend` when None); InputError when
    unknown."""
    name = name or default_backend()
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise InputError(
            f"unknown analysis backend {name!r}; known backends: {', '.join(backend_names())}"
        ) from None
    check = getattr(factory, "check", None)
    if check is not None:
        check()
    return factory


def code_findings(
    framework: FrameworkSpec, texts: Sequence[str], *, examples=None, backend: str | None = None,
    seed: int = 0, **options,
) -> list[CodeResult]:
    """Code each text to the framework's themes and domains with ``backend`` (all in memory)."""
    coder = get_backend(backend)(framework, seed=seed, **options)
    if examples:
        coder.fit_examples(examples)
    coder.fit(texts)
    return coder.code(texts)
