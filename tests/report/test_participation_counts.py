"""The report counts invitations and submissions apart, and says so truthfully."""

from __future__ import annotations

import pytest

from stocktake.report.build import build_report
from stocktake.report.data import Participation
from stocktake.reviews import actions


def _taking_part(invited, submitted, uninvited, systems=("A", "B")) -> Participation:
    return Participation(organisations=(), invited_count=invited, submitted_count=submitted,
                         submissions_submitted=submitted, systems=systems, finding_count=0,
                         submitted_uninvited=uninvited)


@pytest.mark.parametrize("counts, words", [
    ((20, 22, 2), "20 organisations were invited; 22 organisations sent submissions, 2 of them "
                  "without an invitation, across 2 systems."),
    ((3, 2, 0), "3 organisations were invited; 2 organisations sent submissions, across 2 "
                "systems."),
    ((0, 1, 1), "0 organisations were invited; 1 organisation sent a submission, without an "
                "invitation, across 2 systems."),
    ((1, 2, 2), "1 organisation was invited; 2 organisations sent submissions, all without an "
                "invitation, across 2 systems."),
])
def test_who_took_part_in_words(counts, words):
    assert _taking_part(*counts).sentence == words


def test_only_participants_actually_invited_count_as_invited(world):
    review = world.review
    ashby = review.participants.get(organisation=world.orgs["ashby"])
    bracken = review.participants.get(organisation=world.orgs["bracken"])
    actions.mark_invited(participant=bracken, by=world.users["lena"])
    taking_part = build_report(review).participation
    # Ashby submitted without being invited; Brackenford was invited and is still drafting.
    assert (taking_part.invited_count, taking_part.submitted_count,
            taking_part.submitted_uninvited) == (1, 1, 1)
    rows = {row.name: row for row in taking_part.organisations}
    assert not rows[ashby.organisation.name].invited and rows[bracken.organisation.name].invited
    assert taking_part.sentence.startswith("1 organisation was invited; 1 organisation sent a "
                                           "submission, without an invitation")
