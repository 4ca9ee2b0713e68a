"""The innovations register: logging, editing, importing and coding innovations.

Every action takes keyword arguments and the actor as ``by`` (None: the command line or
the system), runs in one transaction and writes an audit event that names what changed,
never its contents (no lead's name or email). Who may do what comes from
:mod:`stocktake.track.scopes`: a user logs and edits for the organisations they may log
for, and a lead or reviewer (who curates a region's register) accepts or changes themes.

Coding: :func:`code_innovations` codes innovations to their framework's themes with the
analysis library's coder (the linked review's framework, else the default one).
:func:`log_innovation` codes the one innovation at once (a single text codes in tens of
milliseconds); imports queue :func:`code_innovations_task` for the background worker.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from stocktake.analysis.base import APPLIES_THRESHOLD
from stocktake.analysis.coder import TfidfCoder
from stocktake.analysis.framework import default_framework
from stocktake.core import audit
from stocktake.core.edits import apply_changes, check_fields, check_revision
from stocktake.core.errors import InvalidInput, NotAllowed
from stocktake.reviews.frameworks import spec_for
from stocktake.reviews.models import Framework, Organisation, Review, Theme
from stocktake.reviews.orgtree import OrgTree
from stocktake.track.innovation_import import ImportPlan
from stocktake.track.models import Innovation
from stocktake.track.scopes import innovation_scope

TEXT_LIMITS = {"title": 255, "unit": 255, "place": 255, "lead_name": 255, "lead_email": 254}
EDITABLE = ("organisation", "unit", "place", "title", "what_changed", "started_on", "lead_name",
            "lead_email", "benefits", "risks", "support_needed", "review")
LABELS = {"title": "The title", "what_changed": "What changed", "unit": "The business unit",
          "place": "The place", "lead_name": "Who leads it", "lead_email": "The lead's email"}
MAX_SUGGESTED = 3


def _clean(value: str) -> str:
    return (value or "").strip()


def _check_text(fields: dict) -> dict:
    cleaned = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = _clean(value)
            limit = TEXT_LIMITS.get(name)
            if limit and len(value) > limit:
                raise InvalidInput(f"{LABELS.get(name, name)} must be {limit} characters or "
                                   "fewer")
        cleaned[name] = value
    if "title" in cleaned and not cleaned["title"]:
        raise InvalidInput("Enter a short title for the innovation")
    if "what_changed" in cleaned and not cleaned["what_changed"]:
        raise InvalidInput("Describe what changed")
    started = cleaned.get("started_on")
    if started is not None and started > timezone.localdate():
        raise InvalidInput("The date it started must be today or in the past")
    return cleaned


def _may_log(by, organisation: Organisation) -> None:
    if by is None:
        return
    if not innovation_scope(by).may_log_for(organisation.pk):
        raise NotAllowed(f"You may not log innovations for {organisation.name}")


@transaction.atomic
def log_innovation(
    *, organisation: Organisation, title: str, what_changed: str, by, unit: str = "",
    place: str = "", started_on: dt.date | None = None, lead_name: str = "",
    lead_email: str = "", benefits: str = "", risks: str = "", support_needed: str = "",
    review: Review | None = None, findings: Sequence = (), source: str = "form",
    code: bool = True,
) -> Innovation:
    """Log one innovation for ``organisation`` (which ``by`` must be allowed to log for)."""
    _may_log(by, organisation)
    fields = _check_text(dict(title=title, what_changed=what_changed, unit=unit, place=place,
                              started_on=started_on, lead_name=lead_name, lead_email=lead_email,
                              benefits=benefits, risks=risks, support_needed=support_needed))
    innovation = Innovation.objects.create(
        organisation=organisation, review=review, source=source,
        logged_by=by if getattr(by, "is_authenticated", False) else None, **fields)
    if findings:
        innovation.findings.set(findings)
    audit.record(actor=by, verb="innovation.logged", subject=innovation, review=review,
                 organisation=organisation.pk, source=source, findings=len(findings))
    if code:
        _code([innovation])
    return innovation


@transaction.atomic
def update_innovation(*, innovation: Innovation, by, revision: int | None = None,
                      **changes) -> list[str]:
    """Edit an innovation's fields; returns the names of those that changed.

    ``revision``: the one the editor loaded (EditConflict if someone saved since). A
    change of what it says is coded again unless a lead has confirmed its themes.
    """
    check_fields(changes, allowed=EDITABLE, what="an innovation")
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    scope = innovation_scope(by) if by is not None else None
    if scope is not None and not scope.may_edit(innovation):
        raise NotAllowed("You may not edit this innovation")
    check_revision(innovation, revision, what="this innovation")
    if "organisation" in changes and scope is not None and changes["organisation"] is not None \
            and not scope.may_log_for(changes["organisation"].pk):
        raise NotAllowed(f"You may not log innovations for {changes['organisation'].name}")
    changes = _check_text(changes)
    changed = apply_changes(innovation, changes)
    if not changed:
        return []
    innovation.revision += 1
    innovation.save()
    audit.record(actor=by, verb="innovation.updated", subject=innovation,
                 review=innovation.review, fields=changed)
    if {"title", "what_changed", "review"} & set(changed) and not innovation.themes_confirmed:
        _code([innovation])
    return changed


@transaction.atomic
def set_innovation_themes(*, innovation: Innovation, themes: Iterable[Theme], by,
                          revision: int | None = None) -> Innovation:
    """A lead accepts (or changes) the themes an innovation is coded to; the coder leaves
    confirmed themes alone from then on."""
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    if by is not None and not innovation_scope(by).may_curate(innovation.organisation_id):
        raise NotAllowed("Only a lead or reviewer of the region may confirm an innovation's "
                         "themes")
    check_revision(innovation, revision, what="this innovation")
    themes = list(themes)
    framework = framework_for(innovation)
    if any(t.framework_id != getattr(framework, "pk", None) for t in themes):
        raise InvalidInput("Choose themes of the innovation's framework")
    innovation.themes.set(themes)
    innovation.themes_confirmed = True
    innovation.revision += 1
    innovation.save(update_fields=["themes_confirmed", "revision", "updated_at"])
    audit.record(actor=by, verb="innovation.themes_confirmed", subject=innovation,
                 review=innovation.review, themes=sorted(t.key for t in themes))
    return innovation


@transaction.atomic
def link_findings(*, innovation: Innovation, by, link: Iterable = (),
                  unlink: Iterable = ()) -> list[int]:
    """Link findings that describe an innovation (``link``) and unlink others (``unlink``);
    the caller passes findings ``by`` may see, of the innovation's organisation or below
    it. Findings named in neither stay as they are. Returns the linked ids."""
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    scope = innovation_scope(by) if by is not None else None
    if scope is not None and not (scope.may_edit(innovation)
                                  or scope.may_curate(innovation.organisation_id)):
        raise NotAllowed("You may not change this innovation's findings")
    link, unlink = list(link), list(unlink)
    below = OrgTree.shared().descendants(innovation.organisation_id)
    if any(f.organisation_id not in below for f in link):
        raise InvalidInput("Link only findings of the innovation's own organisation")
    innovation.findings.remove(*unlink)
    innovation.findings.add(*link)
    ids = sorted(innovation.findings.values_list("id", flat=True))
    audit.record(actor=by, verb="innovation.findings_linked", subject=innovation,
                 review=innovation.review, linked=sorted(f.pk for f in link),
                 unlinked=sorted(f.pk for f in unlink))
    return ids


# -- coding -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _default_key() -> str:
    """The default framework's key (read from its file once: an innovation's page asks)."""
    return default_framework().key


def default_stored_framework() -> Framework | None:
    """The stored copy of the default framework (else the newest framework), for
    innovations logged outside any review."""
    key = _default_key()
    return (Framework.objects.filter(key=key).first()
            or Framework.objects.order_by("-created_at", "-id").first())


def framework_for(innovation: Innovation, default: Framework | None = None) -> Framework | None:
    if innovation.review_id is not None:
        return innovation.review.framework
    return default if default is not None else default_stored_framework()


def innovation_text(innovation: Innovation) -> str:
    return "\n".join(part for part in (innovation.title, innovation.what_changed,
                                       innovation.benefits) if part)


def _code(innovations: Sequence[Innovation]) -> int:
    """Code ``innovations`` (grouped by framework); themes follow the suggestion unless a
    lead has confirmed them. Returns how many were coded."""
    default = default_stored_framework()
    groups: dict[int, list[Innovation]] = defaultdict(list)
    frameworks: dict[int, Framework] = {}
    for innovation in innovations:
        framework = framework_for(innovation, default)
        if framework is None:
            continue
        frameworks[framework.pk] = framework
        groups[framework.pk].append(innovation)
    now = timezone.now()
    coded = 0
    for framework_id, items in groups.items():
        framework = frameworks[framework_id]
        themes = {t.key: t for t in framework.themes.all()}
        if not themes:
            continue
        texts = [innovation_text(i) for i in items]
        coder = TfidfCoder(spec_for(framework))  # theme scores only: no polarity, no reasons
        coder.fit(texts)
        scores = coder.score_matrix(texts)[0]
        keys = coder.theme_keys
        for innovation, row in zip(items, scores, strict=True):
            ranked = sorted(range(len(keys)), key=lambda j, row=row: (-row[j], j))
            innovation.theme_suggestions = [[keys[j], round(float(row[j]), 3)]
                                            for j in ranked[:MAX_SUGGESTED]]
            innovation.coded_at = now
            innovation.save(update_fields=["theme_suggestions", "coded_at"])
            if not innovation.themes_confirmed:
                applies = [keys[j] for n, j in enumerate(ranked[:MAX_SUGGESTED])
                           if n == 0 or row[j] >= APPLIES_THRESHOLD]
                innovation.themes.set([themes[k] for k in applies if k in themes])
            coded += 1
    return coded


@transaction.atomic
def code_innovations(*, innovations: Iterable[Innovation], by) -> int:
    """Code (again) the given innovations; audited with the count only."""
    items = list(Innovation.objects.filter(pk__in=[i.pk for i in innovations])
                 .select_related("review__framework"))
    coded = _code(items)
    audit.record(actor=by, verb="innovations.coded", count=coded)
    return coded


@task()
def code_innovations_task(ids: list[int]) -> int:
    """The background task for imports and batches: code the innovations named by id."""
    return code_innovations(innovations=Innovation.objects.filter(pk__in=ids), by=None)


def queue_coding(ids: list[int]) -> None:
    """Code ``ids`` in the background once the current transaction commits."""
    if ids:
        transaction.on_commit(lambda: code_innovations_task.enqueue(list(ids)))


# -- import -------------------------------------------------------------------------------


@transaction.atomic
def import_innovations(*, plan: ImportPlan, by, review: Review | None = None,
                       coding: str = "background") -> list[Innovation]:
    """Log every row of a checked import plan, or none: a plan with a problem is refused,
    naming each problem row. ``coding``: "background" (the worker codes them once this
    commits), "now" (here, for the command line) or "none"."""
    if plan.problems:
        raise InvalidInput("The file has problems; nothing was imported:\n"
                           + "\n".join(plan.problems))
    if not plan.rows:
        raise InvalidInput("The file has no innovations to import")
    scope = innovation_scope(by) if by is not None else None
    organisations = {o.pk: o for o in Organisation.objects.filter(
        pk__in={row.organisation_id for row in plan.rows})}
    made = []
    for row in plan.rows:
        organisation = organisations.get(row.organisation_id)
        if organisation is None:
            raise InvalidInput(f"Row {row.number}: the organisation is no longer in the register")
        if scope is not None and not scope.may_log_for(organisation.pk):
            raise NotAllowed(f"Row {row.number}: you may not log innovations for "
                             f"{organisation.name}")
        fields = _check_text(dict(
            title=row.title, what_changed=row.what_changed or row.title, unit=row.unit,
            place=row.place, started_on=row.started_on, lead_name=row.lead_name,
            lead_email=row.lead_email, benefits=row.benefits, risks=row.risks,
            support_needed=row.support_needed))
        made.append(Innovation(organisation=organisation, review=review, source="import",
                               logged_by=by if getattr(by, "is_authenticated", False) else None,
                               **fields))
    created = Innovation.objects.bulk_create(made)
    audit.record(actor=by, verb="innovations.imported", review=review, count=len(created),
                 file=plan.file_name[:120])
    if coding == "now":
        _code(list(Innovation.objects.filter(pk__in=[i.pk for i in created])
                   .select_related("review__framework")))
    elif coding == "background":
        queue_coding([i.pk for i in created])
    return created
