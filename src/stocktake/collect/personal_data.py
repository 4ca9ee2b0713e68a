"""Personal data flagged in findings and examples: who sees what (read-only; the changes
are actions in :mod:`stocktake.collect.actions`).

Detection is :mod:`stocktake.analysis.pii`. Each item found becomes a
:class:`~stocktake.collect.models.PersonalDataFlag`: *flagged* until a lead decides,
then *redacted* (the text now says ``[NHS number]`` …) or *kept*. The one rule for
showing text: leads see it as stored, with the flags; everyone else, the report and
the exports see it with every *flagged* item replaced by its placeholder
(:func:`shown_text`), so nothing flagged leaks before a lead has decided.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from stocktake.analysis import pii
from stocktake.collect.models import (
    Example,
    Finding,
    PersonalDataFlag,
    PersonalDataStatus,
)
from stocktake.reviews.permissions import Access

# The text fields scanned, per model.
FINDING_FIELDS = ("text",)
EXAMPLE_FIELDS = ("title", "synopsis")


def shown_text(text: str, flags: Iterable) -> str:
    """``text`` with every *flagged* (undecided) item of ``flags`` replaced by its placeholder."""
    pending = [f for f in flags if f.status == PersonalDataStatus.FLAGGED]
    return pii.redact(text, pending) if pending else text


def hide_in_answers(texts: dict[str, str]) -> dict[str, str]:
    """A web form's answers with every item of personal data found in them replaced by its
    placeholder: the answers are the source of findings whose flags a lead decides one by
    one, so whoever may not see flagged text sees none of it here either."""
    return {key: pii.redact(text, pii.detect(text)) if text else text
            for key, text in texts.items()}


def sees_personal_data(access: Access | None) -> bool:
    """Leads see flagged text as stored (to decide on it); nobody else does."""
    return access is not None and access.has("manage_review")


def pending_flags(*, findings: Iterable[int] = (), examples: Iterable[int] = (),
                  review_id: int | None = None) -> dict[tuple[str, int, str], list[PersonalDataFlag]]:
    """The undecided flags of these findings and examples, by ("finding" or "example", id, field)."""
    finding_ids, example_ids = list(findings), list(examples)
    found: dict[tuple[str, int, str], list[PersonalDataFlag]] = defaultdict(list)
    if not finding_ids and not example_ids:
        return found
    if review_id is not None and len(finding_ids) + len(example_ids) > 500:
        # A whole review (the report, an export): one query by review, matched in memory.
        wanted_findings, wanted_examples = set(finding_ids), set(example_ids)
        chosen = PersonalDataFlag.objects.filter(review_id=review_id)
    else:
        wanted_findings = wanted_examples = None
        chosen = PersonalDataFlag.objects.filter(
            Q(finding_id__in=finding_ids) | Q(example_id__in=example_ids))
    flags = chosen.filter(status=PersonalDataStatus.FLAGGED).only("finding_id", "example_id", "field", "kind",
                                               "start", "end", "status")
    for flag in flags:
        if wanted_findings is not None and not (flag.finding_id in wanted_findings
                                                or flag.example_id in wanted_examples):
            continue
        if flag.finding_id:
            found[("finding", flag.finding_id, flag.field)].append(flag)
        else:
            found[("example", flag.example_id, flag.field)].append(flag)
    return found


def hide_flagged(objects: Iterable, access: Access | None = None) -> list:
    """Replace flagged items in the text of these findings or examples, in memory, for
    someone who may not see them (everyone but leads; ``access`` None: the report and
    exports). Returns the objects. The objects are for showing only: never save them.
    """
    objects = list(objects)
    if sees_personal_data(access) or not objects:
        return objects
    findings = [o.pk for o in objects if isinstance(o, Finding)]
    examples = [o.pk for o in objects if isinstance(o, Example)]
    pending = pending_flags(findings=findings, examples=examples,
                            review_id=getattr(objects[0], "review_id", None))
    if not pending:
        return objects
    for obj in objects:
        model = "finding" if isinstance(obj, Finding) else "example"
        for field in (FINDING_FIELDS if model == "finding" else EXAMPLE_FIELDS):
            flags = pending.get((model, obj.pk, field))
            if flags:
                setattr(obj, field, shown_text(getattr(obj, field), flags))
    return objects


@dataclass(frozen=True)
class FlagView:
    """One flag as a lead sees it on the finding page."""

    id: int
    kind: str
    label: str  # "NHS number"
    text: str  # the flagged characters, or the placeholder once redacted
    field: str
    status: str
    status_label: str


def flags_of(obj, access: Access) -> list[FlagView]:
    """The flags of a finding or an example, for a lead; empty for anyone else."""
    if not sees_personal_data(access):
        return []
    key = {"finding": obj} if isinstance(obj, Finding) else {"example": obj}
    views = []
    for flag in PersonalDataFlag.objects.filter(**key).order_by("field", "start"):
        text = getattr(obj, flag.field, "")
        views.append(FlagView(
            id=flag.pk, kind=flag.kind, label=pii.LABELS[flag.kind], field=flag.field,
            text=text[flag.start:flag.end], status=flag.status,
            status_label=flag.get_status_display()))
    return views


def review_counts(review) -> dict[str, int]:
    """How many flags the review has in each status (for the lead's dashboard)."""
    rows = (PersonalDataFlag.objects.filter(review=review).order_by()
            .values("status").annotate(n=Count("id")))
    counts = {status: 0 for status in PersonalDataStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def flagged_findings(access: Access):
    """The findings with undecided personal data that a lead may see (newest first)."""
    if not sees_personal_data(access):
        return Finding.objects.none()
    return (Finding.objects.visible_to(access)
            .filter(personal_data_flags__status=PersonalDataStatus.FLAGGED)
            .distinct().order_by("-id"))


def flagged_examples(access: Access):
    if not sees_personal_data(access):
        return Example.objects.none()
    return (Example.objects.visible_to(access)
            .filter(personal_data_flags__status=PersonalDataStatus.FLAGGED)
            .distinct().order_by("-id"))
