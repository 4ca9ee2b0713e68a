"""Analysis backends by name (no Django here).

A backend is a callable ``factory(framework, *, seed) -> coder`` where the coder
has ``fit_examples(examples)``, ``fit(texts)``, ``code(texts) -> list[CodeResult]``
and a ``parameters`` dict (recorded with each analysis run).

- ``tfidf`` (default): :class:`stocktake.analysis.coder.TfidfCoder`, offline,
  no model download.
- ``semantic``: sentence-embedding backend, an optional extra
  (``pip install stocktake[semantic]``); a placeholder until it is built.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

from stocktake.analysis.coder import TfidfCoder
from stocktake.analysis.errors import InputError
from stocktake.analysis.framework import FrameworkSpec

DEFAULT_BACKEND = "tfidf"

Backend = Callable[..., object]


def _semantic_check() -> None:
    if importlib.util.find_spec("sentence_transformers") is None:
        raise InputError(
            "the semantic backend needs `pip install stocktake[semantic]` "
            "(sentence_transformers is not installed); the tfidf backend works offline"
        )


def _semantic(framework: FrameworkSpec, *, seed: int = 0):
    _semantic_check()
    raise InputError("the semantic backend is not available in this version; use tfidf")


# A factory may carry ``check``: called by get_backend so a missing extra fails early.
_semantic.check = _semantic_check


_REGISTRY: dict[str, Backend] = {"tfidf": TfidfCoder, "semantic": _semantic}


def register_backend(name: str, factory: Backend) -> None:
    """Add (or replace) a backend under ``name``."""
    _REGISTRY[name] = factory


def backend_names() -> list[str]:
    return sorted(_REGISTRY)


def get_backend(name: str | None = None) -> Backend:
    """The factory for backend ``name`` (the default when None); InputError when unknown."""
    name = name or DEFAULT_BACKEND
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
