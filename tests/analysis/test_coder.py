import dataclasses

import numpy as np
import pytest

from stocktake.analysis.backends import backend_names, code_findings, get_backend, register_backend
from stocktake.analysis.coder import APPLIES_THRESHOLD, CodeResult, TfidfCoder
from stocktake.analysis.errors import InputError
from stocktake.analysis.framework import ItemSpec, default_framework

FRAMEWORK = default_framework()
TEXTS = [
    "Outpatient follow-ups moved to video consultations within two weeks.",
    "Staff rest hubs offered psychological support around the clock.",
    "Daily data requests from the regional team duplicated local reporting.",
    "Over a hundred nurses were redeployed to critical care after short training.",
    "Outreach clinics raised vaccine uptake among homeless people and ethnic minority groups.",
    "Patients were monitored at home on a virtual ward with pulse oximeters.",
]
EXPECTED = ["technology", "staff-wellbeing", "regional-relationship", "new-workforce",
            "inequalities-vulnerable", "technology"]


def test_codes_obvious_statements():
    results = code_findings(FRAMEWORK, TEXTS)
    assert [r.top_theme for r in results] == EXPECTED
    assert results[1].domain[0] == "people"
    assert results[0].polarity == "achievement"
    assert results[2].polarity == "challenge"


def test_scores_are_probabilities_over_all_themes():
    for result in code_findings(FRAMEWORK, TEXTS + ["", "zzz qqq"]):
        assert [k for k, _ in result.themes] != []
        assert sorted(k for k, _ in result.themes) == sorted(t.key for t in FRAMEWORK.themes)
        scores = [s for _, s in result.themes]
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert scores == sorted(scores, reverse=True)
        assert sum(scores) == pytest.approx(1.0)
        assert 0.0 <= result.domain[1] <= 1.0


def test_nothing_matched_is_uniform_and_says_so():
    result = code_findings(FRAMEWORK, ["zzz qqq"])[0]
    assert result.themes[0][1] == pytest.approx(1 / len(FRAMEWORK.themes))
    assert result.explanation == "no theme words matched"
    assert result.applies() == [result.themes[0]]


def test_explanation_names_matched_terms():
    result = code_findings(FRAMEWORK, TEXTS)[5]
    assert result.explanation.startswith("matched: ")
    assert "virtual" in result.explanation
    assert "virtual ward" in result.explanation


def test_applies_keeps_top_and_those_over_threshold():
    result = CodeResult(themes=[("a", 0.15), ("b", 0.14), ("c", 0.7)][::-1], domain=None,
                        polarity="neutral", explanation="")
    assert [k for k, _ in result.applies()] == ["c"]
    assert [k for k, _ in result.applies(0.1)] == ["c", "b", "a"]
    assert 0 < APPLIES_THRESHOLD < 1


def test_to_dict_shape():
    data = code_findings(FRAMEWORK, TEXTS[:1])[0].to_dict("f-1")
    assert set(data) == {"id", "themes", "domain", "polarity", "explanation"}
    assert data["id"] == "f-1"
    assert set(data["themes"][0]) == {"key", "score"}
    assert set(data["domain"]) == {"key", "score"}


def test_framework_without_domains_gives_no_domain():
    spec = dataclasses.replace(FRAMEWORK, domains=())
    result = code_findings(spec, TEXTS[:1])[0]
    assert result.domain is None and result.to_dict()["domain"] is None


def test_deterministic():
    examples = [(TEXTS[1], "staff-wellbeing", "people")] * 6 + [(TEXTS[0], "technology")] * 6
    first = [r.to_dict() for r in code_findings(FRAMEWORK, TEXTS, examples=examples, seed=3)]
    second = [r.to_dict() for r in code_findings(FRAMEWORK, TEXTS, examples=examples, seed=3)]
    assert first == second


def test_examples_pull_scores_towards_their_theme():
    text = ["The frailty huddle now meets every morning."]
    before = dict(code_findings(FRAMEWORK, text)[0].themes)["focus-on-place"]
    examples = [("A frailty huddle for the neighbourhood meets daily.", "focus-on-place")] * 3
    after = code_findings(FRAMEWORK, text, examples=examples)[0]
    assert dict(after.themes)["focus-on-place"] > before
    assert after.top_theme == "focus-on-place"
    assert "confirmed example" in after.explanation


def test_more_examples_count_for_more_and_enable_the_classifier():
    coder = TfidfCoder(FRAMEWORK)
    coder.fit_examples([("Frailty huddles met every morning.", "focus-on-place", "clinical-quality")]
                       * 5 + [("Tablets in care homes.", "technology")] * 5)
    coder.fit(["A frailty huddle."])
    assert coder._prepare()["themes"].lr is not None
    assert coder.code(["A frailty huddle."])[0].top_theme == "focus-on-place"
    assert coder.parameters["examples"] == 10


def test_unknown_theme_in_examples_names_the_example():
    with pytest.raises(InputError, match=r"example 2 .*'no-such-theme'.*full-system-working"):
        code_findings(FRAMEWORK, TEXTS, examples=[(TEXTS[0], "technology"),
                                                  ("Some text", "no-such-theme")])


def test_unknown_domain_and_malformed_examples():
    with pytest.raises(InputError, match="names domain 'nowhere'"):
        TfidfCoder(FRAMEWORK).fit_examples([{"text": "x", "theme": None, "domain": "nowhere"}])
    with pytest.raises(InputError, match="example 1: expected"):
        TfidfCoder(FRAMEWORK).fit_examples(["just text"])
    with pytest.raises(InputError, match="Example 1 has no text"):
        TfidfCoder(FRAMEWORK).fit_examples([("  ", "technology")])


def test_empty_input_and_empty_framework():
    assert code_findings(FRAMEWORK, []) == []
    with pytest.raises(InputError, match="no themes"):
        TfidfCoder(dataclasses.replace(FRAMEWORK, themes=()))


def test_tiny_framework_names_only():
    spec = dataclasses.replace(FRAMEWORK, themes=(ItemSpec("digital", "Digital"),
                                                  ItemSpec("people", "People")), domains=())
    results = code_findings(spec, ["Digital tools for people", "Digital first"])
    assert results[1].top_theme == "digital"


def test_registry():
    assert get_backend() is TfidfCoder and get_backend("tfidf") is TfidfCoder
    assert {"tfidf", "semantic"} <= set(backend_names())
    with pytest.raises(InputError, match="unknown analysis backend 'bert'.*semantic, tfidf"):
        get_backend("bert")
    with pytest.raises(InputError, match="unknown analysis backend"):
        code_findings(FRAMEWORK, TEXTS, backend="bert")


def test_semantic_placeholder_says_how_to_install(monkeypatch):
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    with pytest.raises(InputError, match=r"pip install stocktake\[semantic\]"):
        get_backend("semantic")


def test_registered_backend_is_used(monkeypatch):
    from stocktake.analysis import backends

    monkeypatch.setattr(backends, "_REGISTRY", dict(backends._REGISTRY))
    register_backend("upper", TfidfCoder)
    assert code_findings(FRAMEWORK, TEXTS[:1], backend="upper")[0].top_theme == "technology"


def test_scales_with_vectorised_scoring():
    rng = np.random.default_rng(0)
    texts = [TEXTS[i] + f" item {n}" for n, i in enumerate(rng.integers(0, 6, 3000))]
    results = code_findings(FRAMEWORK, texts)
    assert len(results) == 3000
