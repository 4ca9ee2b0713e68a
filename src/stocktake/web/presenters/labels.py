"""Words and tag colours for statuses, polarities and roles.

Every tag carries its meaning in its text; the colour only repeats it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from stocktake.assess.models import CodeOrigin
from stocktake.collect.models import Origin, Polarity, SectionKind, SubmissionStatus
from stocktake.core.text import join_names, plural  # noqa: F401 - plural also used by callers of this module
from stocktake.report.models import RecommendationStatus
from stocktake.reviews.models import Role
from stocktake.reviews.workflow import ReviewStatus
from stocktake.track.models import Rag, ResponseStatus

REVIEW_STATUS_COLOURS = {
    ReviewStatus.DRAFT: "grey",
    ReviewStatus.COLLECTING: "blue",
    ReviewStatus.ASSESSING: "purple",
    ReviewStatus.REPORTING: "yellow",
    ReviewStatus.TRACKING: "green",
    ReviewStatus.CLOSED: "white",
}
POLARITY_COLOURS = {
    Polarity.ACHIEVEMENT: "green",
    Polarity.CHALLENGE: "orange",
    Polarity.MIXED: "yellow",
    Polarity.NEUTRAL: "grey",
}
SUBMISSION_STATUS_COLOURS = {SubmissionStatus.DRAFT: "grey", SubmissionStatus.SUBMITTED: "green"}
RECOMMENDATION_STATUS_COLOURS = {
    RecommendationStatus.DRAFT: "grey",
    RecommendationStatus.AGREED: "blue",
    RecommendationStatus.IN_PROGRESS: "yellow",
    RecommendationStatus.COMPLETED: "green",
    RecommendationStatus.NOT_PROGRESSED: "red",
    RecommendationStatus.SUPERSEDED: "white",
    RecommendationStatus.NO_LONGER_RELEVANT: "white",
}
RAG_COLOURS = {Rag.RED: "red", Rag.AMBER: "orange", Rag.GREEN: "green"}
RESPONSE_STATUS_COLOURS = {
    ResponseStatus.ACCEPTED: "green",
    ResponseStatus.ACCEPTED_IN_PART: "yellow",
    ResponseStatus.NOT_ACCEPTED: "red",
    ResponseStatus.NOTED: "grey",
    ResponseStatus.IN_PROGRESS: "blue",
    ResponseStatus.COMPLETE: "green",
    ResponseStatus.UNKNOWN: "white",
}
# Leads first: the list of someone's roles reads from most to least powerful.
ROLE_ORDER = [Role.LEAD, Role.REVIEWER, Role.CONTRIBUTOR, Role.ACTION_OWNER, Role.VIEWER]


def _tag(choices, colours: dict, value: str) -> dict:
    """Parameters for the NHS.UK tag macro: ``{"text": ..., "colour": ...}``."""
    try:
        text = choices(value).label
    except ValueError:
        text = str(value).replace("_", " ").capitalize() or "Unknown"
    return {"text": text, "colour": colours.get(value, "grey")}


def review_status_tag(status: str) -> dict:
    return _tag(ReviewStatus, REVIEW_STATUS_COLOURS, status)


def polarity_tag(polarity: str) -> dict:
    return _tag(Polarity, POLARITY_COLOURS, polarity)


def submission_status_tag(status: str) -> dict:
    return _tag(SubmissionStatus, SUBMISSION_STATUS_COLOURS, status)


def recommendation_status_tag(status: str) -> dict:
    return _tag(RecommendationStatus, RECOMMENDATION_STATUS_COLOURS, status)


def rag_tag(rag: str) -> dict | None:
    """The RAG rating's tag; None when not rated."""
    return _tag(Rag, RAG_COLOURS, rag) if rag else None


def response_status_tag(status: str) -> dict:
    return _tag(ResponseStatus, RESPONSE_STATUS_COLOURS, status)


def polarity_label(polarity: str) -> str:
    return _tag(Polarity, {}, polarity)["text"]


def origin_label(origin: str) -> str:
    """Who set a finding's polarity: the source, the analysis or a reviewer."""
    return _tag(Origin, {}, origin)["text"]


def code_origin_label(origin: str) -> str:
    return _tag(CodeOrigin, {}, origin)["text"]


def section_label(section: str) -> str:
    return _tag(SectionKind, {}, section)["text"]


def roles_text(roles: Iterable[str], *, superuser: bool = False) -> str:
    """"Review lead and Contributor"; "Administrator" for a superuser without a role."""
    labels = [Role(role).label for role in ROLE_ORDER if role in set(roles)]
    if superuser:
        labels.insert(0, "Administrator")
    if not labels:
        return "No role"
    return join_names(labels)


def format_date(value: dt.date | dt.datetime | None, missing: str = "Not set") -> str:
    """NHS.UK style dates: "3 March 2025"."""
    if value is None:
        return missing
    return f"{value.day} {value:%B %Y}"


