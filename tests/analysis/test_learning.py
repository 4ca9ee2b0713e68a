"""Learning from confirmed examples, explanations for every listed theme, active learning."""

import numpy as np

from stocktake.analysis import learning
from stocktake.analysis.active import margins, review_order, suggest_next, uncertainty
from stocktake.analysis.backends import code_findings
from stocktake.analysis.coder import TfidfCoder
from stocktake.analysis.framework import default_framework

FRAMEWORK = default_framework()


def test_examples_that_predict_each_other_get_weight_and_the_weight_is_recorded():
    examples = [("A frailty huddle for the neighbourhood meets daily.", "focus-on-place"),
                ("The neighbourhood frailty huddle brought GPs and council staff together.",
                 "focus-on-place"),
                ("Frailty huddles in each neighbourhood met every morning.", "focus-on-place"),
                ("Tablets let care home residents see their GP by video.", "technology"),
                ("Care homes were given tablets for video calls.", "technology")]
    coder = TfidfCoder(FRAMEWORK).fit_examples(examples).fit(["The frailty huddle meets daily."])
    result = coder.code(["The frailty huddle meets daily."])[0]
    assert coder.parameters["example_beta"] > 0
    assert result.top_theme == "focus-on-place"
    assert "confirmed example" in result.explanation


def test_choose_beta_is_zero_when_examples_do_not_help():
    zero_shot = np.array([[0.9, 0.1], [0.1, 0.9]])
    misleading = np.array([[-0.5, 0.5], [0.5, -0.5]])
    assert learning.choose_beta(zero_shot, misleading, np.array([0, 1]), 0.05) == 0.0
    assert learning.choose_beta(zero_shot * 0, -misleading, np.array([0, 1]), 0.05) > 0


def test_weight_grows_with_the_number_of_examples():
    counts = np.array([1, 3, 10])
    learned = learning.Learned(centroids=np.eye(3), counts=counts, beta=1.0, mu=np.zeros(3),
                               E=np.eye(3), labels=np.arange(3))
    assert list(np.argsort(learned.weights)) == [0, 1, 2]


def test_every_listed_theme_has_a_reason():
    text = ("Staff redeployed to the virtual ward were offered psychological support and rest "
            "spaces, and new volunteers joined the rota.")
    result = code_findings(FRAMEWORK, [text])[0]
    listed = result.applies()
    assert set(result.reasons) == {key for key, _ in listed}
    assert all(result.reasons[key] for key, _ in listed)
    assert result.explanation.startswith(result.reasons[result.top_theme])
    for key, _ in listed[1:]:
        assert f" | {key}: " in result.explanation


def test_lower_threshold_lists_and_explains_more_themes():
    text = ["Staff redeployed to the virtual ward were offered psychological support."]
    coder = TfidfCoder(FRAMEWORK)
    strict = coder.fit(text).code(text, threshold=0.9)[0]
    loose = coder.code(text, threshold=0.0)[0]
    assert len(strict.reasons) == 1 and len(loose.reasons) == len(FRAMEWORK.themes)


def test_margins():
    assert np.allclose(margins(np.array([[0.6, 0.3, 0.1], [0.4, 0.1, 0.5]])), [0.3, 0.1])
    assert np.allclose(margins(np.array([[1.0]])), [1.0])


def test_suggest_next_prefers_uncertain_varied_and_uncoded_findings():
    clear = "Outpatient follow-ups moved to video consultations on a virtual ward with apps."
    torn = "Volunteers from the council helped staff wellbeing with rest spaces in the borough."
    texts = [clear, torn, torn + " ", "zzz", clear]
    picked = suggest_next(FRAMEWORK, texts, [(texts[3], "technology")], k=2)
    assert len(picked) == 2 and 3 not in picked
    assert picked[0] == 1  # the most torn finding first
    assert not {1, 2} <= set(picked)  # its near copy is not also picked
    assert suggest_next(FRAMEWORK, texts, k=10) == suggest_next(FRAMEWORK, texts, k=10)
    assert suggest_next(FRAMEWORK, [], k=3) == [] and suggest_next(FRAMEWORK, texts, k=0) == []


def test_review_order_puts_uncertain_first_and_repeats_last():
    assert uncertainty([0.9, 0.05, 0.05]) == np.float64(1 - 0.85)
    assert uncertainty([1.0]) == 0.0
    # "  a " is the most uncertain; "A" repeats it, so it goes last; ties keep their order
    assert review_order(["A", "b", "  a ", "c"], [0.5, 0.2, 0.9, 0.5]) == [2, 3, 1, 0]
