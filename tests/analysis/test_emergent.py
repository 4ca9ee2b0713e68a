"""Emergent themes: labelled, deterministic clusters of findings (no database)."""

from __future__ import annotations

import pytest

from stocktake.analysis.backends import code_findings
from stocktake.analysis.emergent import emergent_themes, top_scores_of, unfitted
from stocktake.analysis.framework import default_framework
from tests.analysis.explore_data import constructed_findings

ROWS = constructed_findings()
TEXTS = [r["text"] for r in ROWS]


def _summary(result):
    return [(t.key, t.label, t.terms, t.members, t.representative, t.cohesion)
            for t in result.themes]


def test_three_clear_groups_come_out_labelled():
    result = emergent_themes(TEXTS, seed=0)
    assert result.parameters["k"] == 3
    assert len(result.themes) == 3 and not result.unclustered
    by_group = {}
    for theme in result.themes:
        groups = {ROWS[m]["group"] for m in theme.members}
        assert len(groups) == 1, (theme.label, groups)
        by_group[groups.pop()] = theme
    assert set(by_group) == {"virtual-wards", "food-banks", "estates"}
    assert "virtual ward" in by_group["virtual-wards"].label
    assert "food bank" in by_group["food-banks"].label
    assert "estates" in by_group["estates"].label
    for group, theme in by_group.items():
        assert ROWS[theme.representative]["group"] == group
        assert theme.representative == theme.members[0]
        assert theme.size == 8


def test_labels_are_readable_words_not_stems():
    result = emergent_themes(TEXTS, seed=0)
    words = {w for r in ROWS for w in r["text"].lower().replace(",", " ").replace(".", " ").split()}
    for theme in result.themes:
        for term, score in theme.terms:
            assert score > 0
            assert all(part in words for part in term.split()), term


def test_same_input_and_seed_give_the_same_output():
    assert _summary(emergent_themes(TEXTS, seed=7)) == _summary(emergent_themes(TEXTS, seed=7))


def test_a_fixed_number_of_themes_and_min_size():
    result = emergent_themes(TEXTS, seed=0, k=6, min_size=5)
    assert result.parameters["k"] == 6
    assert all(t.size >= 5 for t in result.themes)
    clustered = {m for t in result.themes for m in t.members}
    assert clustered.isdisjoint(result.unclustered)
    assert sorted(clustered | set(result.unclustered)) == list(range(len(TEXTS)))


def test_only_unfitted_findings_are_clustered_unless_all():
    scores = [0.9 if r["group"] == "virtual-wards" else 0.3 for r in ROWS]
    result = emergent_themes(TEXTS, top_scores=scores, fit_threshold=0.5, seed=0)
    assert set(result.considered) == set(unfitted(scores, 0.5))
    assert all(ROWS[m]["group"] != "virtual-wards" for t in result.themes for m in t.members)
    everything = emergent_themes(TEXTS, top_scores=scores, include_all=True, seed=0)
    assert len(everything.considered) == len(TEXTS)


def test_with_the_coder_scores():
    results = code_findings(default_framework(), TEXTS)
    result = emergent_themes(TEXTS, top_scores=top_scores_of(results), seed=0)
    assert result.considered == unfitted(top_scores_of(results))


@pytest.mark.parametrize("texts", [[], ["one finding"], ["a", "b", "c", "d", "e"]])
def test_too_few_findings_give_no_themes(texts):
    result = emergent_themes(texts, seed=0)
    assert result.themes == []
    assert result.unclustered == list(range(len(texts)))


def test_mismatched_scores_are_refused():
    with pytest.raises(ValueError):
        emergent_themes(TEXTS, top_scores=[0.1])
