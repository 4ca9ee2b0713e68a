"""Findings: list rows, the detail page, the filter form's choices and pagination."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils import timezone
from markupsafe import Markup

from stocktake.analysis.calibration import calibrated, has_map
from stocktake.assess.models import CodeOrigin
from stocktake.collect.models import SubmissionStatus
from stocktake.core.text import join_names
from stocktake.reviews.orgtree import OrgTree
from stocktake.web.presenters.labels import (
    code_origin_label,
    format_date,
    origin_label,
    polarity_tag,
    section_label,
    submission_status_tag,
)
from stocktake.web.presenters.links import NONE, finding_url, recommendation_url, with_query

PAGE_SIZE = 50


@dataclass(frozen=True)
class FindingRow:
    id: int
    text: str
    href: str
    organisation: str
    domain: str
    polarity: dict
    draft: bool


# The fields finding_rows reads: a list page selects only these (``QuerySet.only``).
# Reading another field there would cost a query per row: add it here too.
ROW_FIELDS = ("id", "text", "organisation_id", "domain_id", "polarity", "submission_id",
              "domain__name", "submission__status")


def finding_rows(findings: Iterable, *, slug: str, tree: OrgTree) -> list[FindingRow]:
    """One row per finding (with ``domain`` and ``submission`` already selected, and at
    least :data:`ROW_FIELDS`)."""
    return [
        FindingRow(
            id=f.id,
            text=f.text,
            href=finding_url(slug, f.id),
            organisation=tree.name_with_system(f.organisation_id),
            domain=f.domain.name if f.domain_id else "No domain",
            polarity=polarity_tag(f.polarity),
            draft=f.submission.status == SubmissionStatus.DRAFT,
        )
        for f in findings
    ]


# -- the filter form -------------------------------------------------------------


def organisation_choices(org_ids: Iterable[int], tree: OrgTree) -> list[tuple[str, str]]:
    """Each system that has findings ("all organisations in it"), then each organisation."""
    org_ids = set(org_ids)
    systems = {s.id: s for s in (tree.system_of(o) for o in org_ids) if s is not None}
    choices = [
        (str(s.id), f"{s.name} – all organisations")
        for s in sorted(systems.values(), key=lambda s: s.name)
    ]
    orgs = sorted((o for o in org_ids if o not in systems), key=lambda o: tree.name(o))
    choices += [(str(o), tree.name_with_system(o)) for o in orgs]
    return choices


def domain_choices(domains: Sequence) -> list[tuple[str, str]]:
    return [(d.key, d.name) for d in domains] + [(NONE, "No domain")]


def theme_choices(themes: Sequence) -> list[tuple[str, str]]:
    return [(t.key, t.name) for t in themes] + [(NONE, "Not coded to a theme")]


def select_items(choices: Sequence[tuple[str, str]], selected: str | None, *,
                 any_label: str) -> list[dict]:
    """Items for the NHS.UK select macro, with an "any" first option."""
    selected = selected or ""
    items = [{"value": "", "text": any_label, "selected": selected == ""}]
    items += [{"value": v, "text": t, "selected": v == selected} for v, t in choices]
    return items


def filter_summary(labels: Mapping[str, str]) -> str:
    """"Showing findings where domain is People and polarity is Challenge"."""
    parts = [f"{name} is {value}" if name != "text" else f"the text contains “{value}”"
             for name, value in labels.items()]
    if not parts:
        return "Showing all findings you can see"
    return f"Showing findings where {join_names(parts)}"


# -- pagination ------------------------------------------------------------------


def pagination(page, *, base: str, params: Mapping[str, str]) -> dict | None:
    """Parameters for the NHS.UK pagination macro, or None for a single page.

    ``page`` is a Django ``Page``; links keep the current filters (``params``).
    """
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None

    def href(number: int) -> str:
        return with_query(base, {**params, "page": number if number > 1 else None})

    items = []
    for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": number, "href": href(number), "current": number == page.number})
    result: dict = {"items": items}
    if page.has_previous():
        result["previous"] = {"href": href(page.previous_page_number())}
    if page.has_next():
        result["next"] = {"href": href(page.next_page_number())}
    return result


# -- the detail page -------------------------------------------------------------


@dataclass(frozen=True)
class HumanCode:
    theme: str
    applies: bool
    decision: str
    by: str
    on: str
    theme_key: str = ""


def machine_score(score: float | None, *, top: bool, backend: str | None = "tfidf") -> str:
    """The machine's score, and for its top suggestion how often a top suggestion with
    that score from that backend was right on the labelled statements
    (:mod:`stocktake.analysis.calibration`; not for a backend without a calibration)."""
    if score is None:
        return "None"
    if not top or not has_map(backend):
        return f"{score:.2f}"
    return (f"{score:.2f} (right about {round(100 * calibrated(score, backend=backend))}% "
            "of the time)")


@dataclass(frozen=True)
class MachineCode:
    theme: str
    rank: int
    score: str
    explanation: str
    run: str
    counted: bool
    theme_key: str = ""
    decision: str = ""  # a reviewer's decision on the same theme: "Applies", "Rejected" or ""


@dataclass(frozen=True)
class LinkedRecommendation:
    number: str  # as printed in its source ("8.12"), else the report's number
    text: str
    href: str


@dataclass(frozen=True)
class FindingDetail:
    id: int
    text: str
    rows: list[dict]  # summary list rows: {"key": ..., "value": ...}
    human_codes: list[HumanCode]
    machine_codes: list[MachineCode]
    counted_themes: list[str]
    recommendations: list[LinkedRecommendation]
    draft: bool
    submission_tag: dict


def _name(user) -> str:
    if user is None:
        return "Unknown"
    return user.get_full_name() or user.get_username()


def _no_document(finding, tree: OrgTree) -> str:
    """Where a finding with no source document came from: its organisation's web form
    (``finding.submission`` with its participant selected), or not recorded."""
    submission = finding.submission
    if submission is None or submission.source_document_id is not None:
        return "Not recorded"
    by = tree.name(submission.participant.organisation_id)
    if submission.status == SubmissionStatus.SUBMITTED and submission.submitted_at:
        day = format_date(timezone.localtime(submission.submitted_at))
        return f"Web form (submitted by {by} on {day})"
    return f"Web form (a draft by {by}, not yet submitted)"


def _source(finding, tree: OrgTree, session: tuple[str, str] | None) -> dict:
    """The "Source document" row's value: the file, a reflection session (a link where the
    reader may open it: ``session`` is (title, address), or ("", "") when they may not),
    or the web form."""
    document = finding.source_document
    if document is not None:
        return {"text": document.original_name}
    if session is not None:
        title, href = session
        if href:
            return {"html": Markup('Notes of the reflection session <a href="{}">{}</a>').format(
                href, title)}
        return {"text": "Notes of a reflection session"}
    return {"text": _no_document(finding, tree)}


def finding_detail(finding, *, slug: str, tree: OrgTree, codes: Sequence,
                   counted: set[int], recommendations: Sequence,
                   session: tuple[str, str] | None = None) -> FindingDetail:
    """Everything the finding page shows.

    ``codes`` are the finding's Code objects (theme, analysis_run and
    confirmed_by selected); ``counted`` the theme ids it counts towards;
    ``recommendations`` the ones the user may see that cite it; ``session`` the reflection
    session it was made from (see :func:`_source`).
    """
    system = tree.system_of(finding.organisation_id)
    rows = [
        {"key": {"text": "Organisation"}, "value": {"text": tree.name(finding.organisation_id)}},
        {"key": {"text": "System"},
         "value": {"text": system.name if system else "Not in a system"}},
        {"key": {"text": "Domain"},
         "value": {"text": finding.domain.name if finding.domain_id else "No domain"}},
        {"key": {"text": "Section"}, "value": {"text": section_label(finding.section)}},
        {"key": {"text": "Polarity"},
         "value": {"text": f"{polarity_tag(finding.polarity)['text']} "
                           f"({origin_label(finding.polarity_origin).lower()})"}},
        {"key": {"text": "Source document"}, "value": _source(finding, tree, session)},
        {"key": {"text": "Location in source"},
         "value": {"text": finding.source_location or "Not recorded"}},
    ]
    human = [
        HumanCode(
            theme=c.theme.name, applies=c.applies,
            decision="Applies" if c.applies else "Rejected",
            by=_name(c.confirmed_by) if c.confirmed_by_id else "Unknown",
            on=format_date(c.confirmed_at or c.created_at, missing="Unknown"),
            theme_key=c.theme.key,
        )
        for c in codes if c.origin == CodeOrigin.HUMAN
    ]
    decisions = {h.theme_key: h.decision for h in human}
    machine = [
        MachineCode(
            theme=c.theme.name, rank=c.rank + 1,
            score=machine_score(c.score, top=c.rank == 0,
                                backend=c.analysis_run.backend if c.analysis_run_id else None),
            explanation=c.explanation or "None given",
            run=(f"{c.analysis_run.backend}, {format_date(c.analysis_run.created_at)}"
                 if c.analysis_run_id else code_origin_label(c.origin)),
            counted=c.theme_id in counted,
            theme_key=c.theme.key, decision=decisions.get(c.theme.key, ""),
        )
        for c in sorted((c for c in codes if c.origin == CodeOrigin.MACHINE), key=lambda c: c.rank)
    ]
    themes = sorted({c.theme.name for c in codes if c.theme_id in counted})
    return FindingDetail(
        id=finding.id,
        text=finding.text,
        rows=rows,
        human_codes=human,
        machine_codes=machine,
        counted_themes=themes,
        recommendations=[
            LinkedRecommendation(r.shown_number, r.text, recommendation_url(slug, r.number))
            for r in recommendations
        ],
        draft=finding.submission.status == SubmissionStatus.DRAFT,
        submission_tag=submission_status_tag(finding.submission.status),
    )


@dataclass(frozen=True)
class SimilarFinding:
    text: str
    href: str
    organisation: str
    similarity: str  # e.g. "72% similar"


def similar_rows(pairs: Sequence, *, slug: str, tree: OrgTree) -> list[SimilarFinding]:
    """(finding, score) pairs from :func:`stocktake.collect.similarity.queries.similar_findings`."""
    return [
        SimilarFinding(text=f.text, href=finding_url(slug, f.pk),
                       organisation=tree.name_with_system(f.organisation_id),
                       similarity=f"{round(score * 100)}% similar")
        for f, score in pairs
    ]
