"""Building stocktake cycles for tests, through actions only."""

from __future__ import annotations

import datetime as dt

from stocktake.report import actions as report_actions
from stocktake.reviews import actions
from stocktake.track import actions as track_actions

OPENS, DEADLINE = dt.date(2027, 3, 1), dt.date(2027, 3, 31)


def publish(world):
    review, lena = world.review, world.users["lena"]
    for status in ("assessing", "reporting"):
        review = actions.change_review_status(review=review, status=status, by=lena)
    return report_actions.publish_report(review=review, by=lena, reason="Testing")


def start(world, title="Stocktake 2027", review=None):
    return track_actions.start_cycle(review=review or world.review, title=title, opens_on=OPENS,
                                     deadline=DEADLINE, by=world.users["lena"])


def progress(rec, status, by, **extra):
    """An update on ``rec``: it counts in the review's open cycle."""
    return track_actions.record_progress(recommendation=rec, status=status, by=by, **extra)


LINK = "https://stocktake.test/cycle-link/"
EVIDENCE = "https://intranet.example.nhs.uk/board-papers/2027-05"


def link_for(token: str) -> str:
    return LINK + token + "/"
