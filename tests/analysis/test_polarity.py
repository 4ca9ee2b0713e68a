import pytest

from stocktake.analysis.polarity import rule_classify
from stocktake.analysis.polarity_model import classify, polarities


@pytest.mark.parametrize("text, expected", [
    ("We successfully set up a new discharge hub.", "achievement"),
    ("Teams struggled with a shortage of PPE.", "challenge"),
    ("There was a lack of clear guidance.", "challenge"),
    ("No delays were reported.", "achievement"),
    ("The new rota was not well received.", "challenge"),
    ("Delays were reduced by half.", "achievement"),
    ("We reduced waiting times for assessment.", "achievement"),
    ("We could not recruit enough staff.", "challenge"),
    ("Video clinics worked well, but older patients found them difficult.", "mixed"),
    ("Despite staff shortages, the team successfully set up a new clinic.", "mixed"),
    ("Uptake improved; however, pressure on the team grew.", "mixed"),
    ("The board meets monthly.", "neutral"),
    ("The trust will review its discharge policy next year.", "neutral"),
])
def test_rules(text, expected):
    assert rule_classify(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("We successfully set up a new discharge hub.", "achievement"),
    ("Teams struggled with a shortage of PPE.", "challenge"),
    ("We could not recruit enough staff.", "challenge"),
    ("Crews held outside for six hours; 12-hour breaches every night.", "challenge"),
    ("The virtual ward went live in March and has been mainstreamed.", "achievement"),
    ("Video clinics worked well, but older patients found them difficult.", "mixed"),
])
def test_the_model(text, expected):
    assert classify(text) == expected


def test_many_texts_at_once():
    assert polarities(["Successfully introduced.", "Serious delays.", ""])[1:] == [
        "challenge", "neutral"]
