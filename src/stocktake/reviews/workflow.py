"""The review workflow: states and the one table of allowed transitions.

Actions call :func:`check_transition` before changing a review's status;
ARCHITECTURE.md shows the diagram generated from this table by
``stocktake manage statemachine`` (a test keeps the two in step).
"""

from __future__ import annotations

from django.db import models

from stocktake.core.errors import InvalidTransition


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    COLLECTING = "collecting", "Collecting submissions"
    ASSESSING = "assessing", "Assessing"
    REPORTING = "reporting", "Reporting"
    TRACKING = "tracking", "Tracking (report published)"
    CLOSED = "closed", "Closed"


S = ReviewStatus

# from-state -> the states it may move to
VALID_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.COLLECTING},
    S.COLLECTING: {S.ASSESSING, S.DRAFT},
    S.ASSESSING: {S.REPORTING, S.COLLECTING},
    S.REPORTING: {S.TRACKING, S.ASSESSING},
    S.TRACKING: {S.CLOSED},
    S.CLOSED: set(),
}

# States in which the report counts as published: contributors then see all
# submitted material, not only their own organisation's.
PUBLISHED_STATES = {S.TRACKING, S.CLOSED}


def check_transition(current: str, new: str) -> None:
    """Refuse a move the table does not allow, naming statuses by their values.

    ``str()`` of a status member is its value, so a message never shows an
    enum's repr (``ReviewStatus.TRACKING``) whether it is given members or strings.
    """
    current, new = str(current), str(new)
    if new in VALID_TRANSITIONS.get(current, set()):
        return
    if new == current:
        raise InvalidTransition(f"The review is already {current}")
    allowed = ", ".join(sorted(str(state) for state in VALID_TRANSITIONS.get(current, set())))
    raise InvalidTransition(
        f"A review cannot move from {current} to {new}; from {current} it can move to: "
        f"{allowed or 'nothing (it is closed)'}"
    )


def mermaid_diagram() -> str:
    """The transitions table as a Mermaid state diagram (for ARCHITECTURE.md)."""
    lines = ["stateDiagram-v2", f"    [*] --> {S.DRAFT.value}"]
    for source, targets in VALID_TRANSITIONS.items():
        for target in sorted(targets):
            lines.append(f"    {source} --> {target}")
    lines.append(f"    {S.CLOSED.value} --> [*]")
    return "\n".join(lines)
