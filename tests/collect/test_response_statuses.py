"""Statuses read from answers: a labelled set of invented answers, scored per class.

The set (fixtures/response_statuses.tsv) is our own wording in the styles of
government responses, NHS/ICS progress reports and inquiry responses, with hard
cases (negated acceptance, "agrees … however … will not", "the first part",
"notes", "delayed", "superseded"). Each class must stay at or above its floor.
"""

from collections import Counter
from pathlib import Path

import pytest

from stocktake.collect.importers.model import RESPONSE_STATUSES
from stocktake.collect.importers.status_rules import status_of

ROWS = [line.rstrip("\n").split("\t", 1)
        for line in (Path(__file__).parent / "fixtures" / "response_statuses.tsv").read_text(encoding="utf-8")
        .splitlines() if line.strip() and not line.startswith("#")]

# measured 6 December 2026: every class 100%; the floor leaves room for one slip in ten
FLOOR = 0.9


def test_the_labelled_set_covers_every_status():
    counts = Counter(status for status, _ in ROWS)
    assert set(counts) == set(RESPONSE_STATUSES)
    assert len(ROWS) >= 120 and min(counts.values()) >= 10


@pytest.mark.parametrize("status", RESPONSE_STATUSES)
def test_accuracy_per_status_stays_above_its_floor(status):
    answers = [text for expected, text in ROWS if expected == status]
    wrong = [(text, status_of(text)) for text in answers if status_of(text) != status]
    assert 1 - len(wrong) / len(answers) >= FLOOR, wrong


@pytest.mark.parametrize(("answer", "status"), [
    ("The Government does not accept this recommendation.", "not_accepted"),
    ("The Government agrees with the aim. However, it will not legislate.", "accepted_in_part"),
    ("We accept the first part of the recommendation.", "accepted_in_part"),
    ("The Department welcomes the Committee's report.", "noted"),
    ("Agreed funding covers two of the three councils.", "unknown"),  # "Agreed" is no label here
    ("Delayed until the spring.", "in_progress"),
    ("Superseded by the national programme.", "complete"),
    ("Not started.", "accepted"),
    ("", "unknown"),
])
def test_hard_cases(answer, status):
    assert status_of(answer) == status
