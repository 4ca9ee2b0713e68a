"""The learned domain model and the calibration of shown scores (no Django)."""

import numpy as np
import pytest

from stocktake.analysis import calibration, domain_model
from stocktake.analysis.coder import TfidfCoder
from stocktake.analysis.framework import FrameworkSpec, ItemSpec, default_framework

ROWS = [
    {
        "text": "The board signed the section 75 agreement and the pooled budget",
        "domain": "governance",
    },
    {
        "text": "Audit committee assurance on the contract and the finance plan",
        "domain": "governance",
    },
    {"text": "Sickness absence among nurses rose and vacancies stayed open", "domain": "people"},
    {"text": "Staff wellbeing hubs and rota changes helped retain nurses", "domain": "people"},
] * 3


def test_a_model_trained_on_rows_reads_new_statements():
    model = domain_model.train(ROWS)
    logp = model.log_probabilities(
        ["The board agreed the contract", "Nurses left the rota"], ["governance", "people"]
    )
    assert logp.shape == (2, 2)
    assert np.allclose(np.exp(logp).sum(axis=1), 1.0)
    assert logp[0].argmax() == 0 and logp[1].argmax() == 1


def test_the_model_applies_only_to_domains_it_knows():
    model = domain_model.train(ROWS)
    assert model.prior(["x"], ["governance", "elsewhere"], 0.04) is None
    prior = model.prior(["", "the board"], ["governance", "people"], 0.04)
    assert (prior[0] == 0).all() and prior[1][0] > prior[1][1]
    assert domain_model.default_model_applies([d.key for d in default_framework().domains])
    assert not domain_model.default_model_applies(["finance"])


def test_the_coder_uses_the_model_and_can_do_without_it():
    framework = FrameworkSpec(
        name="t",
        key="t",
        domains=(
            ItemSpec("governance", "Governance", "decisions"),
            ItemSpec("people", "People", "the workforce"),
        ),
        themes=(ItemSpec("a", "Alpha", "alpha"), ItemSpec("b", "Beta", "beta")),
    )
    texts = ["The audit committee signed off the contract", "Nurses on the rota"]
    with_model = TfidfCoder(framework).use_domain_model(domain_model.train(ROWS))
    without = TfidfCoder(framework).use_domain_model(None)
    assert [r.domain[0] for r in with_model.code(texts)] == ["governance", "people"]
    assert without.parameters["domain_model"] is False
    assert with_model.parameters["domain_model"] is True
    # a framework whose domains the default model does not know codes from descriptions
    other = FrameworkSpec(
        name="o", key="o", domains=(ItemSpec("x", "X"), ItemSpec("y", "Y")), themes=framework.themes
    )
    assert TfidfCoder(other).domain_model is None


def test_calibration_keeps_the_order_and_stays_in_range():
    scores = np.linspace(0, 1, 101)
    for kind in calibration.KINDS:
        mapped = calibration.calibrated(scores, kind)
        assert ((0 <= mapped) & (mapped <= 1)).all()
        assert (np.diff(mapped) >= -1e-12).all()
    assert isinstance(calibration.calibrated(0.5), float)
    with pytest.raises(ValueError, match="kind"):
        calibration.calibrated(0.5, "polarity")
    assert calibration.has_map("tfidf") and not calibration.has_map("semantic")
    with pytest.raises(ValueError, match="no calibration"):
        calibration.calibrated(0.5, backend="semantic")


def test_fit_and_reliability():
    scores = [0.1, 0.2, 0.3, 0.9, 0.95, 0.99]
    right = [0, 0, 1, 1, 1, 1]
    points = calibration.fit(scores, right)
    assert points["x"][0] == 0.0 and points["x"][-1] == 1.0
    error, rows = calibration.reliability(scores, right)
    assert 0 <= error <= 1 and sum(r[2] for r in rows) == len(scores)
