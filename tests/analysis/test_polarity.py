import json
from pathlib import Path

import pytest

from stocktake.analysis.polarity import classify, polarities

DATA = Path(__file__).parent / "data" / "labelled.jsonl"


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
    assert classify(text) == expected


def test_many_texts_at_once():
    assert polarities(["Successfully introduced.", "Serious delays.", ""]) == [
        "achievement", "challenge", "neutral"]


def test_agreement_on_the_labelled_set():
    rows = [json.loads(line) for line in DATA.read_text().splitlines()]
    held_out = [r for r in rows if r["id"] % 2 == 0]
    agree = sum(classify(r["text"]) == r["polarity"] for r in held_out) / len(held_out)
    assert agree >= 0.65, agree
