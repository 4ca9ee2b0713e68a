"""Personal data flagged in findings, examples and other free text: who sees what
(read-only; the changes are actions in :mod:`stocktake.collect.actions`).

Detection is :mod:`stocktake.analysis.pii`. Each item found becomes a
:class:`~stocktake.collect.models.PersonalDataFlag`: *flagged* until a lead decides,
then *redacted* (the text now says ``[NHS number]`` …) or *kept*. The one rule for
showing text: leads see it as stored, with the flags; everyone else, the report and
the exports see it with every *flagged* item replaced by its placeholder
(:func:`shown_text`), so nothing flagged leaks before a lead has decided.

Besides findings and examples, any model of a higher app that declares the fields a
person writes in (``personal_data_fields``, and a ``GenericRelation`` named
``personal_data_flags``) is scanned the same way: recommendations, case studies and
responses to recommendations. Collect finds them through Django's app registry
(:func:`other_models`), so it never imports the apps above it.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
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


def other_models() -> list[type]:
    """The models besides findings and examples whose text is scanned: those declaring
    ``personal_data_fields`` (report.Recommendation, report.CaseStudy,
    track.RecommendationResponse), in a fixed order."""
    return sorted((m for m in apps.get_models()
                   if getattr(m, "personal_data_fields", None) and m not in (Finding, Example)),
                  key=lambda m: m._meta.label)


def fields_of(obj) -> tuple[str, ...]:
    """The text fields of ``obj`` (a finding, an example or another scanned object) that
    are checked for personal data."""
    if isinstance(obj, Finding):
        return FINDING_FIELDS
    if isinstance(obj, Example):
        return EXAMPLE_FIELDS
    return tuple(getattr(obj, "personal_data_fields", ()))


def subject_filter(obj) -> dict:
    """The flags of ``obj``, as keyword arguments to filter PersonalDataFlag by."""
    if isinstance(obj, Finding):
        return {"finding": obj}
    if isinstance(obj, Example):
        return {"example": obj}
    if not getattr(obj, "personal_data_fields", None):
        raise TypeError(f"{type(obj).__name__} declares no personal_data_fields")
    return {"content_type": ContentType.objects.get_for_model(obj), "object_id": obj.pk}


def subject_label(obj) -> str:
    """What ``obj`` is, for people: "Recommendation 3", "Case study: …", "Response to …"."""
    if isinstance(obj, Finding):
        return f"Finding {obj.pk}"
    if isinstance(obj, Example):
        return f"Example: {obj.title}"
    name = obj._meta.verbose_name
    return f"{name[:1].upper()}{name[1:]}: {obj}"


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


def awaits_lead(access: Access | None, obj) -> bool:
    """Whether ``obj`` holds possible personal data no lead has decided on, for someone who
    may not see it as written (so may not edit it either: the form would show it)."""
    return (not sees_personal_data(access)
            and PersonalDataFlag.objects.filter(**subject_filter(obj),
                                                status=PersonalDataStatus.FLAGGED).exists())


def shown_copy(obj, access: Access | None):
    """A copy of ``obj`` with undecided personal data replaced for ``access`` (for a page that
    also hands ``obj`` itself to an action, which must never see the replaced text)."""
    return hide_flagged([copy.copy(obj)], access)[0]


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
    """Replace flagged items in the text of these findings, examples or other scanned
    objects (recommendations, case studies, responses), in memory, for someone who may not
    see them (everyone but leads; ``access`` None: the report and exports). Returns the
    objects. The objects are for showing only: never save them.
    """
    objects = list(objects)
    if sees_personal_data(access) or not objects:
        return objects
    findings = [o.pk for o in objects if isinstance(o, Finding)]
    examples = [o.pk for o in objects if isinstance(o, Example)]
    pending = pending_flags(findings=findings, examples=examples,
                            review_id=getattr(objects[0], "review_id", None)) \
        if findings or examples else {}
    others = _pending_other([o for o in objects if not isinstance(o, Finding | Example)])
    if not pending and not others:
        return objects
    for obj in objects:
        if isinstance(obj, Finding | Example):
            model = "finding" if isinstance(obj, Finding) else "example"
            found = {field: pending.get((model, obj.pk, field)) for field in fields_of(obj)}
        else:
            found = {field: others.get((type(obj), obj.pk, field)) for field in fields_of(obj)}
        for field, flags in found.items():
            if flags:
                setattr(obj, field, shown_text(getattr(obj, field), flags))
    return objects


def _pending_other(objects: list) -> dict[tuple[type, int, str], list[PersonalDataFlag]]:
    """The undecided flags of other scanned objects, by (model, id, field)."""
    found: dict[tuple[type, int, str], list[PersonalDataFlag]] = defaultdict(list)
    by_model: dict[type, list[int]] = defaultdict(list)
    for obj in objects:
        if getattr(obj, "personal_data_fields", None):
            by_model[type(obj)].append(obj.pk)
    for model, ids in by_model.items():
        content_type = ContentType.objects.get_for_model(model)
        for start in range(0, len(ids), 500):
            flags = PersonalDataFlag.objects.filter(
                content_type=content_type, object_id__in=ids[start:start + 500],
                status=PersonalDataStatus.FLAGGED).only("object_id", "field", "kind", "start",
                                                         "end", "status")
            for flag in flags:
                found[(model, flag.object_id, flag.field)].append(flag)
    return found


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


def flagged_finding_ids(review_id: int) -> frozenset[int]:
    """The review's findings with any personal-data flag, decided or not (one query, as
    many rows as flags): a page that knows its findings are not among them need not ask
    :func:`hide_flagged` or :func:`flags_of` for them."""
    return frozenset(PersonalDataFlag.objects.filter(review_id=review_id, finding__isnull=False)
                     .order_by().values_list("finding_id", flat=True).distinct())


def flags_of(obj, access: Access) -> list[FlagView]:
    """The flags of a finding, an example or another scanned object, for a lead; empty for
    anyone else."""
    if not sees_personal_data(access):
        return []
    views = []
    for flag in PersonalDataFlag.objects.filter(**subject_filter(obj)).order_by("field", "start"):
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


def flagged_others(access: Access) -> list:
    """The recommendations, case studies and responses with undecided personal data that a
    lead may see (each model's own ``visible_to`` scope; oldest first within each)."""
    if not sees_personal_data(access):
        return []
    found = []
    for model in other_models():
        found += list(model.objects.visible_to(access)
                      .filter(personal_data_flags__status=PersonalDataStatus.FLAGGED)
                      .distinct().order_by("id")[:200])
    return found
