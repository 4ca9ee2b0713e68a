"""Feedback on an innovation, summarised: how much is positive or negative, and the
comments that best represent each side (plain Python, no Django, no network).

Each comment's polarity comes from :mod:`stocktake.analysis.polarity_model` (achievement
reads as positive, challenge as negative). The most representative comments of a group
are those closest (cosine, TF-IDF over the coder's terms) to the group's centroid: what
most of the group says, not the loudest or the longest comment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from stocktake.analysis import polarity_model
from stocktake.analysis.polarity import ACHIEVEMENT, CHALLENGE, MIXED, NEUTRAL
from stocktake.analysis.similar import fit_tfidf

POSITIVE, NEGATIVE = "positive", "negative"
MIXED_FEEDBACK, NEUTRAL_FEEDBACK = "mixed", "neutral"
_FROM_POLARITY = {ACHIEVEMENT: POSITIVE, CHALLENGE: NEGATIVE, MIXED: MIXED_FEEDBACK,
                  NEUTRAL: NEUTRAL_FEEDBACK}
LABELS = {POSITIVE: "Positive", NEGATIVE: "Negative", MIXED_FEEDBACK: "Mixed",
          NEUTRAL_FEEDBACK: "Neutral"}
REPRESENTATIVE = 3


def polarities(texts: Sequence[str]) -> list[str]:
    """positive, negative, mixed or neutral for each comment."""
    if not texts:
        return []
    return [_FROM_POLARITY[p] for p in polarity_model.polarities(list(texts))]


@dataclass(frozen=True)
class Summary:
    total: int
    counts: dict[str, int]  # polarity -> how many
    ratings: tuple[int, ...]  # the ratings given (1-5)
    representative: dict[str, tuple[int, ...]]  # polarity -> positions of its best comments

    @property
    def mean_rating(self) -> float | None:
        return round(sum(self.ratings) / len(self.ratings), 1) if self.ratings else None


def representative(texts: Sequence[str], *, k: int = REPRESENTATIVE) -> list[int]:
    """Positions of the ``k`` texts nearest the centroid of all of them (ties: earlier first)."""
    if not texts:
        return []
    _, matrix = fit_tfidf(texts)
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    scores = np.asarray(matrix @ centroid).ravel()
    order = sorted(range(len(texts)), key=lambda i: (-round(float(scores[i]), 6), i))
    return order[:k]


def summarise(texts: Sequence[str], polarity: Sequence[str],
              ratings: Sequence[int | None] = (), *, k: int = REPRESENTATIVE) -> Summary:
    """Counts per polarity and the most representative comments of each polarity."""
    if len(polarity) != len(texts):
        raise ValueError("one polarity per text")
    counts = {key: 0 for key in LABELS}
    groups: dict[str, list[int]] = {key: [] for key in LABELS}
    for index, p in enumerate(polarity):
        key = p if p in LABELS else NEUTRAL_FEEDBACK
        counts[key] += 1
        groups[key].append(index)
    best = {key: tuple(members[i] for i in representative([texts[m] for m in members], k=k))
            for key, members in groups.items() if members}
    return Summary(total=len(texts), counts=counts,
                   ratings=tuple(r for r in ratings if r is not None), representative=best)
