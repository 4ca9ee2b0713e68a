"""Consensus across systems: consistent and distinctive messages, quotes, system profiles."""

from __future__ import annotations

import pytest

from stocktake.analysis import consensus as cons
from stocktake.analysis.similar import fit_tfidf
from tests.analysis.explore_data import constructed_findings

ROWS = constructed_findings()
TEXTS = [r["text"] for r in ROWS]
SYSTEMS = [r["system"] for r in ROWS]
ORGS = [r["organisation"] for r in ROWS]


def _groups():
    members = {}
    for i, row in enumerate(ROWS):
        members.setdefault(row["group"], []).append(i)
    return [(key, key.replace("-", " "), members[key])
            for key in ("virtual-wards", "food-banks", "estates")] + [("unused", "Unused", [])]


def _messages(**kwargs):
    _, X = fit_tfidf(TEXTS)
    return {m.key: m for m in cons.consensus(_groups(), texts=TEXTS, systems=SYSTEMS,
                                             organisations=ORGS, matrix=X, **kwargs)}


@pytest.mark.parametrize("raised,total,expected", [
    (0, 5, cons.NOT_RAISED), (5, 5, cons.CONSISTENT), (4, 5, cons.CONSISTENT),
    (3, 5, cons.SHARED), (2, 5, cons.DISTINCTIVE), (1, 5, cons.DISTINCTIVE),
    (2, 3, cons.SHARED), (1, 2, cons.DISTINCTIVE), (2, 2, cons.CONSISTENT),
    (1, 1, cons.SHARED), (7, 10, cons.SHARED), (8, 10, cons.CONSISTENT),
])
def test_classify(raised, total, expected):
    assert cons.classify(raised, total) == expected


def test_consistent_and_distinctive_on_a_constructed_set():
    # The set has one or two findings per system; count every mention here.
    messages = _messages(min_findings=1)
    assert messages["virtual-wards"].pattern == cons.CONSISTENT  # all five systems
    assert messages["virtual-wards"].system_count == 5
    assert messages["food-banks"].pattern == cons.CONSISTENT  # four of five
    assert messages["estates"].pattern == cons.DISTINCTIVE
    assert messages["estates"].systems == ("Saltmere", "Velbrook")
    assert messages["unused"].pattern == cons.NOT_RAISED
    assert messages["estates"].organisation_count == 6
    assert all(m.total_systems == 5 for m in messages.values())


def test_thresholds_can_be_changed():
    messages = _messages(consistent_share=1.0, min_findings=1)
    assert messages["food-banks"].pattern == cons.SHARED


def test_single_mentions_do_not_make_a_consistent_message():
    # By default a system must give two findings to a message for it to count
    # towards consistency: virtual wards are mentioned once in some systems.
    assert _messages()["virtual-wards"].pattern == cons.SHARED


def test_quotes_come_from_different_organisations_and_systems():
    messages = _messages()
    for key in ("virtual-wards", "food-banks", "estates"):
        quotes = messages[key].quotes
        assert len(quotes) == 3
        assert len({ORGS[q] for q in quotes}) == 3
        assert all(ROWS[q]["group"] == key for q in quotes)
    assert len({SYSTEMS[q] for q in messages["virtual-wards"].quotes}) == 3
    assert _messages()["estates"].quotes == messages["estates"].quotes  # deterministic


def test_applied_from_matrix_matches_multi_label_rule():
    import numpy as np

    probs = np.array([[0.7, 0.25, 0.05], [0.1, 0.1, 0.8], [0.34, 0.33, 0.33]])
    assert cons.applied_from_matrix(probs, ["a", "b", "c"], 0.2) == [
        ["a", "b"], ["c"], ["a", "b", "c"]]


def test_system_profiles_name_what_is_distinctive():
    vectorizer, X = fit_tfidf(TEXTS)
    messages = list(_messages().values())
    profiles = {p.system: p for p in cons.system_profiles(
        TEXTS, systems=SYSTEMS, organisations=ORGS, matrix=X,
        names=vectorizer.get_feature_names_out(), messages=messages)}
    assert sorted(profiles) == sorted(set(SYSTEMS))
    saltmere = profiles["Saltmere"]
    assert any("estates" in term for term, _ in saltmere.terms)
    assert "estates" in saltmere.distinctive
    assert all("saltmere" not in term for term, _ in saltmere.terms)
    assert profiles["Carrowfold"].consistent_missing == ["food-banks"]
    for example in saltmere.examples:
        assert SYSTEMS[example] == "Saltmere"
    assert len({ORGS[e] for e in saltmere.examples}) == len(saltmere.examples)
