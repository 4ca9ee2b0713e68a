"""The report's examples and case studies page: rows as the page shows them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils import timezone

from stocktake.reviews.orgtree import OrgTree
from stocktake.web.presenters.links import finding_address, review_address

PAGE_SIZE = 50  # examples per page
SUGGESTIONS_SHOWN = 3  # possible duplicates named per example
LEFT_OUT_SHOWN = 100  # examples left out listed on the page (the CLI lists them all)


@dataclass(frozen=True)
class Merged:
    """An example merged into the one shown: its title and organisation, to unmerge."""

    id: int
    title: str
    organisation: str


@dataclass(frozen=True)
class Suggestion:
    """A possible duplicate of the example shown, with the link that confirms a merge."""

    id: int
    title: str
    organisation: str
    score: str  # "93% alike"
    merge_href: str


@dataclass(frozen=True)
class ExampleRow:
    id: int
    revision: int
    domain: str
    system: str
    organisation: str
    title: str
    synopsis: str
    merged: tuple[Merged, ...]
    suggestions: tuple[Suggestion, ...]
    from_finding: str  # the finding's page, when marked from one

    @property
    def also_from(self) -> str:
        """"Also from Brackenford Community Services, Ashby General" ("" when none)."""
        names = []
        for item in self.merged:
            if item.organisation != self.organisation and item.organisation not in names:
                names.append(item.organisation)
        return ", ".join(names)


@dataclass(frozen=True)
class DomainGroup:
    name: str
    rows: tuple[ExampleRow, ...]


def _organisation(tree: OrgTree, org_id: int | None) -> str:
    return tree.name(org_id, missing="Not recorded") if org_id else "Not recorded"


def merge_href(slug: str, *ids: int, keep: int | None = None) -> str:
    """The merge confirmation for ``ids``; ``keep``: the one offered as staying."""
    query = "&".join(f"ids={int(i)}" for i in ids) + (f"&keep={int(keep)}" if keep else "")
    return f"{review_address('report_example_merge', slug)}?{query}"


def example_groups(examples: Sequence, *, slug: str, tree: OrgTree,
                   merged: Mapping[int, Sequence], duplicates: Mapping[int, Sequence],
                   by_id: Mapping[int, object]) -> list[DomainGroup]:
    """``examples`` (one page, in report order) grouped by domain, each with what was merged
    into it and its possible duplicates (``duplicates``: id → [(other id, score)])."""
    groups: list[DomainGroup] = []
    rows: list[ExampleRow] = []
    current = None
    for example in examples:
        domain = example.domain.name if example.domain_id else "No domain"
        if domain != current and rows:
            groups.append(DomainGroup(current, tuple(rows)))
            rows = []
        current = domain
        suggestions = []
        for other_id, score in duplicates.get(example.pk, ())[:SUGGESTIONS_SHOWN]:
            other = by_id.get(other_id)
            if other is None:
                continue
            suggestions.append(Suggestion(
                id=other.pk, title=other.title,
                organisation=_organisation(tree, other.organisation_id),
                score=f"{round(score * 100)}% alike",
                merge_href=merge_href(slug, example.pk, other.pk, keep=example.pk)))
        rows.append(ExampleRow(
            id=example.pk, revision=example.revision, domain=domain,
            system=tree.system_name(example.organisation_id) or "Not in a system",
            organisation=_organisation(tree, example.organisation_id),
            title=example.title, synopsis=example.synopsis,
            merged=tuple(Merged(id=m.pk, title=m.title,
                                organisation=_organisation(tree, m.organisation_id))
                         for m in merged.get(example.pk, ())),
            suggestions=tuple(suggestions),
            from_finding=(finding_address("finding", slug, example.finding_id)
                          if example.finding_id else ""),
        ))
    if rows:
        groups.append(DomainGroup(current, tuple(rows)))
    return groups


@dataclass(frozen=True)
class LeftOutRow:
    id: int
    revision: int
    title: str
    organisation: str
    domain: str
    reason: str


def left_out_rows(examples: Iterable, *, tree: OrgTree) -> list[LeftOutRow]:
    return [LeftOutRow(id=e.pk, revision=e.revision, title=e.title,
                       organisation=_organisation(tree, e.organisation_id),
                       domain=e.domain.name if e.domain_id else "No domain",
                       reason=e.excluded_reason) for e in examples]


@dataclass(frozen=True)
class CaseStudyRow:
    id: int
    revision: int
    title: str
    person: str
    organisation: str
    text: str
    consent: str  # "Recorded by Lena Lead on 3 March 2025: signed form", or "Not recorded"
    consent_recorded: bool
    excluded: bool
    in_report: bool
    first: bool
    last: bool


def _who(user) -> str:
    if user is None:
        return "the command line"
    return user.get_full_name() or user.username


def consent_text(study) -> str:
    if not study.consent_recorded:
        return "Not recorded"
    when = (timezone.localtime(study.consent_recorded_at).strftime("%-d %B %Y")
            if study.consent_recorded_at else "an unknown date")
    return f"{study.consent_note} (recorded by {_who(study.consent_recorded_by)} on {when})"


def case_study_rows(studies: Sequence, *, tree: OrgTree) -> list[CaseStudyRow]:
    """Case studies in report order (consent_recorded_by selected)."""
    return [CaseStudyRow(
        id=s.pk, revision=s.revision, title=s.title, person=s.person or "Not recorded",
        organisation=_organisation(tree, s.organisation_id), text=s.text,
        consent=consent_text(s), consent_recorded=s.consent_recorded, excluded=s.excluded,
        in_report=s.consent_recorded and not s.excluded,
        first=index == 0, last=index == len(studies) - 1,
    ) for index, s in enumerate(studies)]
