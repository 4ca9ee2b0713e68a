"""Feedback summaries: polarity per comment, counts and the most representative comments."""

from __future__ import annotations

import pytest

from stocktake.analysis.feedback import polarities, representative, summarise


def test_representative_comments_are_those_most_like_the_rest():
    texts = ["Video clinics saved patients long journeys to clinic.",
             "Saved me a long journey to the clinic.",
             "The car park was full.",
             "Clinic by video saved a journey."]
    assert set(representative(texts, k=2)) <= {0, 1, 3}
    assert 2 not in representative(texts, k=3)
    assert representative([]) == []


def test_summary_counts_each_polarity_and_the_ratings():
    texts = ["Excellent, it worked well", "Could not get it to work", "Fine", "Saved time"]
    summary = summarise(texts, ["positive", "negative", "neutral", "positive"], [5, 2, None, 4])
    assert summary.counts == {"positive": 2, "negative": 1, "mixed": 0, "neutral": 1}
    assert summary.mean_rating == 3.7 and summary.total == 4
    assert sorted(summary.representative["positive"]) == [0, 3]
    assert summary.representative["negative"] == (1,)
    with pytest.raises(ValueError):
        summarise(texts, ["positive"])


def test_polarity_reads_praise_and_complaint():
    assert polarities(["Staff said it worked well and saved them time.",
                       "Patients could not join the call and appointments were missed."]) == [
        "positive", "negative"]
    assert polarities([]) == []
