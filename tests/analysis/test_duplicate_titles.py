"""Likely duplicate examples by title and synopsis (plain Python)."""

from __future__ import annotations

import random
import string

import numpy as np
import pytest

from stocktake.analysis import duplicate_titles as dup


def test_terms_ignore_case_punctuation_common_words_plurals_and_order():
    assert dup.terms("The Staff rest-hubs, for all!") == ["staff", "rest", "hub", "all"]
    assert dup.terms("Therapies and classes") == ["therapy", "class"]
    assert dup.terms("Analysis status approaches boxes houses") == [
        "analysis", "status", "approach", "box", "house"]
    pairs = dup.likely_duplicates(["Staff rest hubs", "Rest hubs for staff", "Virtual wards"],
                                  ["", "", ""])
    assert pairs == {(0, 1): 1.0}


def test_near_identical_synopses_count_even_when_titles_differ():
    synopsis = "Patients followed up by video within two weeks of discharge, saving journeys."
    pairs = dup.likely_duplicates(
        ["Video follow-up", "Remote outpatient reviews", "Night-time rest hubs"],
        [synopsis, synopsis.replace("two", "three"), "Rest and support on every site."])
    assert list(pairs) == [(0, 1)] and 0.8 <= pairs[(0, 1)] < 1.0
    short = dup.likely_duplicates(["Video", "Rest hubs"], ["See above.", "See above."])
    assert short == {}  # a short synopsis alone says too little


def test_exact_against_every_pair_compared():
    rng = random.Random(3)
    words = ["".join(rng.choices(string.ascii_lowercase, k=5)) for _ in range(60)]
    titles = [" ".join(rng.choices(words, k=rng.randint(1, 4))) for _ in range(150)]
    texts = [" ".join(rng.choices(words, k=rng.randint(0, 12))) for _ in range(150)]
    found = dup.likely_duplicates(titles, texts)
    expected = {}
    long = [dup.terms(x) if len(dup.terms(x)) >= dup.MIN_SYNOPSIS_TERMS else [] for x in texts]
    for values, threshold in (([dup.terms(t) for t in titles], dup.TITLE_THRESHOLD),
                              (long, dup.SYNOPSIS_THRESHOLD),
                              ([dup.terms(t) + dup.terms(x) for t, x in zip(titles, texts)],
                               dup.TEXT_THRESHOLD)):
        X = dup._vectors(values).toarray()
        scores = X @ X.T
        for i, j in zip(*np.nonzero(np.triu(scores >= threshold - 1e-6, k=1))):
            expected[(int(i), int(j))] = max(expected.get((int(i), int(j)), 0.0),
                                             round(min(float(scores[i, j]), 1.0), 4))
    assert found.keys() == expected.keys() and len(found) > 5
    assert all(found[k] == pytest.approx(expected[k], abs=1e-3) for k in found)


def test_many_copies_of_one_title_stop_at_the_limit():
    titles = ["Good practice"] * 300 + ["Something else entirely"]
    pairs = dup.likely_duplicates(titles, [""] * 301, limit=100)
    assert len(pairs) == 100 and all(b < 300 for _, b in pairs)


def test_small_and_empty_input():
    assert dup.likely_duplicates([], []) == {}
    assert dup.likely_duplicates(["Only one"], [""]) == {}
    assert dup.likely_duplicates(["!!", "??"], ["", ""]) == {}
    with pytest.raises(ValueError):
        dup.likely_duplicates(["a"], [])
