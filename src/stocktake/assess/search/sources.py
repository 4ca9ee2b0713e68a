"""What search looks through: a registry of sources, one per kind of text.

A source says, for the one query function (:mod:`.query`):

- ``key`` and ``code``: its name in URLs and its number in the index's row ids (the
  migration that installs its triggers uses the same code, :mod:`.index`);
- ``searchable(access)``: whether this user may search it at all;
- ``scoped(scope, filters)``: the rows this user may see, narrowed by the search's
  filters, as a queryset (the query asks it only about the rows that matched), or None
  when the filters leave this source out (a theme filter leaves out submissions'
  sections, which have no themes);
- ``load(access, ids)``: those rows, as :class:`Item` for showing (text with flagged
  personal data replaced for those who may not see it).

Adding a source — the reflection app's session notes, say — is one migration calling
``index.install_source`` for its table with a new code, and one :func:`register` call in
that app's ``AppConfig.ready`` (see ARCHITECTURE.md, "Search").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from stocktake.assess.models import Memo, MemoKind
from stocktake.assess.themes import with_theme
from stocktake.collect.models import (
    Finding,
    Polarity,
    SectionKind,
    Submission,
    SubmissionSection,
)
from stocktake.collect.personal_data import hide_flagged
from stocktake.reviews.permissions import Access


@dataclass(frozen=True)
class SearchFilters:
    """The search page's filters; an empty value leaves that filter off."""

    domain: str = ""  # a domain key
    theme: str = ""  # a theme key
    organisation: int | None = None  # an organisation: it and everything below it
    polarity: str = ""
    kinds: tuple[str, ...] = ()  # source keys; empty: every source the user may search


@dataclass(frozen=True)
class Scope:
    """What a source needs to narrow its rows: the user's access, and the review's
    organisations (``descendants``), domains and themes as loaded once per request."""

    access: Access
    tree: object
    domains: tuple = ()
    themes: tuple = ()

    def below(self, organisation: int) -> set[int]:
        return self.tree.descendants(organisation)

    def domain_id(self, key: str) -> int:
        return next((d.id for d in self.domains if d.key == key), 0)

    def theme_id(self, key: str) -> int:
        return next((t.id for t in self.themes if t.key == key), 0)


@dataclass(frozen=True)
class Item:
    """One search result's content, for the page: what it is and where it sits."""

    key: str  # the source
    id: int
    text: str
    organisation_id: int | None = None
    details: dict = field(default_factory=dict)  # source-specific: names, kinds, ids


@dataclass(frozen=True)
class SearchSource:
    key: str
    code: int
    label: str  # plural, for the kind filter: "Findings"
    searchable: Callable[[Access], bool]
    scoped: Callable[[Scope, SearchFilters], QuerySet | None]
    load: Callable[[Access, list[int]], dict[int, Item]]


SOURCES: dict[str, SearchSource] = {}


def register(source: SearchSource) -> None:
    """Add a source (once per key and code; called at import or in an AppConfig.ready)."""
    for other in SOURCES.values():
        if other.key != source.key and other.code == source.code:
            raise ValueError(
                f"Search sources {other.key} and {source.key} share code {source.code}"
            )
    SOURCES[source.key] = source


def by_code() -> dict[int, SearchSource]:
    return {source.code: source for source in SOURCES.values()}


def searchable(access: Access) -> list[SearchSource]:
    """The sources this user may search, in their order of registration."""
    return [source for source in SOURCES.values() if source.searchable(access)]


# -- findings -------------------------------------------------------------------------------


def _findings(scope: Scope, filters: SearchFilters) -> QuerySet:
    rows = Finding.objects.visible_to(scope.access)
    if filters.domain:
        rows = rows.filter(domain_id=scope.domain_id(filters.domain))
    if filters.organisation is not None:
        rows = rows.filter(organisation_id__in=scope.below(filters.organisation))
    if filters.polarity:
        rows = rows.filter(polarity=filters.polarity)
    if filters.theme:
        rows = with_theme(rows, scope.theme_id(filters.theme))
    return rows


def _load_findings(access: Access, ids: list[int]) -> dict[int, Item]:
    rows = hide_flagged(
        Finding.objects.visible_to(access).filter(pk__in=ids).select_related("domain").order_by(),
        access,
    )
    return {
        f.pk: Item(
            "finding",
            f.pk,
            f.text,
            f.organisation_id,
            {
                "domain": f.domain.name if f.domain else "",
                "polarity": f.polarity,
                "section": f.get_section_display(),
            },
        )
        for f in rows
    }


# -- submissions' sections ------------------------------------------------------------------

# A polarity filter keeps the sections written as that polarity's heading.
SECTION_OF_POLARITY = {
    Polarity.ACHIEVEMENT: SectionKind.ACHIEVEMENTS,
    Polarity.CHALLENGE: SectionKind.CHALLENGES,
}


def _sections(scope: Scope, filters: SearchFilters) -> QuerySet | None:
    if filters.theme:
        return None  # sections are not coded to themes
    rows = SubmissionSection.objects.filter(
        submission__in=Submission.objects.visible_to(scope.access)
    )
    if filters.domain:
        rows = rows.filter(domain_id=scope.domain_id(filters.domain))
    if filters.organisation is not None:
        rows = rows.filter(
            submission__participant__organisation_id__in=scope.below(filters.organisation)
        )
    if filters.polarity:
        kind = SECTION_OF_POLARITY.get(filters.polarity)
        if kind is None:
            return None
        rows = rows.filter(kind=kind)
    return rows


def _load_sections(access: Access, ids: list[int]) -> dict[int, Item]:
    rows = (
        SubmissionSection.objects.filter(
            submission__in=Submission.objects.visible_to(access), pk__in=ids
        )
        .select_related("domain", "submission__participant")
        .order_by()
    )
    return {
        s.pk: Item(
            "section",
            s.pk,
            s.text,
            s.submission.participant.organisation_id,
            {
                "domain": s.domain.name if s.domain else "",
                "section": s.get_kind_display(),
                "submission_id": s.submission_id,
                "participant_id": s.submission.participant_id,
                "draft": s.submission.status != "submitted",
            },
        )
        for s in rows
    }


# -- memos ----------------------------------------------------------------------------------


def _memos(scope: Scope, filters: SearchFilters) -> QuerySet:
    """Memos the user may read; a filter narrows them through what they are about (a memo on
    a finding by its finding, on a theme by its theme, on an organisation by it); a memo on
    the review is about no domain, theme, organisation or polarity."""
    rows = Memo.objects.visible_to(scope.access)
    if filters.domain:
        rows = rows.filter(finding__domain_id=scope.domain_id(filters.domain))
    if filters.polarity:
        rows = rows.filter(finding__polarity=filters.polarity)
    if filters.organisation is not None:
        below = scope.below(filters.organisation)
        rows = rows.filter(Q(organisation_id__in=below) | Q(finding__organisation_id__in=below))
    if filters.theme:
        theme_id = scope.theme_id(filters.theme)
        counted = with_theme(Finding.objects.visible_to(scope.access), theme_id)
        rows = rows.filter(Q(theme_id=theme_id) | Q(finding__in=counted.values("pk")))
    return rows


def _load_memos(access: Access, ids: list[int]) -> dict[int, Item]:
    rows = (
        Memo.objects.visible_to(access)
        .filter(pk__in=ids)
        .select_related("finding", "theme", "author")
        .order_by()
    )
    return {
        m.pk: Item(
            "memo",
            m.pk,
            m.text,
            m.organisation_id or (m.finding.organisation_id if m.finding else None),
            {
                "kind": m.kind,
                "kind_label": MemoKind(m.kind).label,
                "finding_id": m.finding_id,
                "theme": m.theme.name if m.theme else "",
                "theme_key": m.theme.key if m.theme else "",
                "organisation": m.organisation_id,
                "author": _name(m.author),
                "updated_at": m.updated_at,
            },
        )
        for m in rows
    }


def _name(user) -> str:
    if user is None:
        return "Someone no longer here"
    return user.get_full_name() or user.get_username()


def _coders(access: Access) -> bool:
    return access.has("code_findings")


register(SearchSource("finding", 1, "Findings", lambda access: True, _findings, _load_findings))
register(SearchSource("section", 2, "Submissions", lambda access: True, _sections, _load_sections))
register(SearchSource("memo", 3, "Memos", _coders, _memos, _load_memos))
