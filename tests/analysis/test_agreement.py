"""Agreement statistics against a reference implementation and published worked examples."""

import random

import pytest
from sklearn.metrics import cohen_kappa_score

from stocktake.analysis.agreement import (
    cohen_kappa,
    krippendorff_alpha,
    percent_agreement,
    strength,
    theme_agreement,
)


def test_kappa_by_hand():
    # 10 units, two coders, yes/no. Agree on 7 (4 yes-yes, 3 no-no).
    # p_o = 0.7; coder A says yes 6/10, B says yes 5/10:
    # p_e = 0.6*0.5 + 0.4*0.5 = 0.5; kappa = (0.7 - 0.5) / 0.5 = 0.4.
    a = ["y", "y", "y", "y", "y", "y", "n", "n", "n", "n"]
    b = ["y", "y", "y", "y", "n", "n", "y", "n", "n", "n"]
    assert cohen_kappa(a, b) == pytest.approx(0.4)


@pytest.mark.parametrize("seed", range(20))
def test_kappa_agrees_with_scikit_learn(seed):
    rng = random.Random(seed)
    labels = ["access", "workforce", "digital", "partnership"][: rng.randint(2, 4)]
    n = rng.randint(5, 80)
    a = [rng.choice(labels) for _ in range(n)]
    # the second coder agrees most of the time, so kappa spans the useful range
    b = [x if rng.random() < rng.random() else rng.choice(labels) for x in a]
    if len(set(a)) == 1 and set(a) == set(b):
        pytest.skip("one label only: undefined")
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))


def test_kappa_undefined_and_errors():
    assert cohen_kappa([], []) is None
    assert cohen_kappa(["y", "y"], ["y", "y"]) is None  # chance agreement is 1
    with pytest.raises(ValueError):
        cohen_kappa(["y"], ["y", "n"])


def test_krippendorff_worked_example():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
    # four observers, twelve units, nominal data with missing values; alpha = 0.743.
    observers = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    units = [list(column) for column in zip(*observers, strict=True)]
    assert krippendorff_alpha(units) == pytest.approx(0.743, abs=0.0005)


def test_krippendorff_two_coders_by_hand():
    # Two coders, 4 units: (a,a) (a,b) (b,b) (b,b). Coincidences: a-a 2, a-b 1, b-a 1,
    # b-b 4; n = 8, n_a = 3, n_b = 5. D_o = 2; D_e = 2 * 3 * 5 / 7 = 30/7.
    # alpha = 1 - 2 / (30/7) = 1 - 14/30 = 0.5333...
    units = [["a", "a"], ["a", "b"], ["b", "b"], ["b", "b"]]
    assert krippendorff_alpha(units) == pytest.approx(1 - 14 / 30)


def test_krippendorff_undefined():
    assert krippendorff_alpha([]) is None
    assert krippendorff_alpha([["a", None], [None, "b"]]) is None  # nothing pairable
    assert krippendorff_alpha([["a", "a"], ["a", "a"]]) is None  # one value only


def test_percent_agreement():
    assert percent_agreement([["a", "a"], ["a", "b"], ["b", "b", None], ["c"]]) == pytest.approx(
        2 / 3)
    assert percent_agreement([]) is None


def test_theme_agreement_per_theme_and_pooled():
    decisions = {
        1: [frozenset({"access"}), frozenset({"access"})],
        2: [frozenset({"access", "digital"}), frozenset({"digital"})],
        3: [frozenset(), frozenset({"workforce"})],
        4: [frozenset({"digital"}), frozenset({"digital"})],
        5: [frozenset({"access"})],  # coded by one coder only: left out
    }
    per_theme, pooled = theme_agreement(decisions, ["access", "digital", "workforce"])
    access = per_theme["access"]
    # access: coder 1 yes on units 1, 2; coder 2 yes on unit 1 → agree on 3 of 4
    assert access.units == 4
    assert access.percent == pytest.approx(0.75)
    assert access.disagreements == 1 and access.both_yes == 1
    assert access.kappa == pytest.approx(cohen_kappa_score([1, 1, 0, 0], [1, 0, 0, 0]))
    assert per_theme["digital"].percent == 1.0
    assert per_theme["digital"].kappa == pytest.approx(1.0)
    assert per_theme["workforce"].kappa == pytest.approx(0.0)
    assert pooled.units == 12
    assert pooled.disagreements == 2
    # pooled rows run theme by theme: access, digital, workforce over units 1-4
    first = [1, 1, 0, 0] + [0, 1, 0, 1] + [0, 0, 0, 0]
    second = [1, 0, 0, 0] + [0, 1, 0, 1] + [0, 0, 1, 0]
    assert pooled.kappa == pytest.approx(cohen_kappa_score(first, second))


def test_three_coders_have_alpha_not_kappa():
    decisions = {i: [frozenset({"a"}), frozenset({"a"}), frozenset()] for i in range(3)}
    decisions[3] = [frozenset(), frozenset(), frozenset()]
    per_theme, pooled = theme_agreement(decisions, ["a"])
    assert per_theme["a"].kappa is None
    assert per_theme["a"].alpha is not None
    assert pooled.units == 4


@pytest.mark.parametrize(("value", "words"), [
    (None, "not defined"), (-0.1, "poor"), (0.0, "slight"), (0.2, "slight"), (0.35, "fair"),
    (0.55, "moderate"), (0.7, "substantial"), (0.81, "almost perfect"), (1.0, "almost perfect"),
])
def test_strength_words(value, words):
    assert strength(value) == words
