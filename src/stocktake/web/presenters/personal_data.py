"""Personal data flags for leads: the finding page's panel, the review's personal data page,
and the tag the upload preview puts on an item (see collect.personal_data)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from stocktake.analysis import pii
from stocktake.collect.models import PersonalDataStatus
from stocktake.collect.personal_data import FlagView

STATUS_TAGS = {
    PersonalDataStatus.FLAGGED: {"text": "Not decided", "classes": "nhsuk-tag--orange"},
    PersonalDataStatus.REDACTED: {"text": "Redacted", "classes": "nhsuk-tag--green"},
    PersonalDataStatus.KEPT: {"text": "Kept", "classes": "nhsuk-tag--grey"},
}


@dataclass(frozen=True)
class FlagRow:
    id: int
    label: str  # "Possible NHS number"
    kind_label: str  # "NHS number"
    text: str
    where: str  # "Text", "Title", "Synopsis"
    tag: dict
    pending: bool


@dataclass(frozen=True)
class Panel:
    """The personal data a lead decides on, for one finding or example."""

    rows: list[FlagRow]
    action: str
    subject: str  # "finding" or "example"
    subject_id: int
    next: str  # where the decision returns to

    @property
    def pending(self) -> int:
        return sum(1 for row in self.rows if row.pending)


def flag_rows(flags: Iterable[FlagView]) -> list[FlagRow]:
    return [FlagRow(id=f.id, label=f"Possible {f.label}", kind_label=f.label[0].upper() + f.label[1:],
                    text=f.text,
                    where=f.field.capitalize(), tag=STATUS_TAGS[f.status],
                    pending=f.status == PersonalDataStatus.FLAGGED)
            for f in flags]


def personal_data_panel(flags: list[FlagView], *, slug: str, finding_id: int) -> Panel | None:
    """The finding page's panel, for a lead (None when nothing was flagged or for anyone else)."""
    if not flags:
        return None
    return Panel(rows=flag_rows(flags), action=reverse("personal_data_decide", kwargs={"slug": slug}),
                 subject="finding", subject_id=finding_id,
                 next=reverse("finding", kwargs={"slug": slug, "finding_id": finding_id}))


def preview_tags(text: str) -> list[str]:
    """The upload preview's tags for one item's text: "Possible NHS number" … once each."""
    seen = []
    for span in pii.detect(text):
        label = f"Possible {span.label}"
        if label not in seen:
            seen.append(label)
    return seen


def decision_note(decision: str, count: int) -> str:
    items = f"{count} item{'s' if count != 1 else ''} of personal data"
    if decision == "keep":
        return f"Kept {items}: it will be shown as written."
    return f"Redacted {items}."
