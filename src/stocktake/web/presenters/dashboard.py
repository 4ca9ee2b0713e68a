"""The review dashboard: counts, the theme × domain matrix, polarity and organisations.

Everything here is computed from counts the view fetched through the
``visible_to(access)`` querysets (aggregate queries in
:mod:`stocktake.assess.counts`), so a user only ever counts what they may see.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from stocktake.assess.counts import DashboardCounts
from stocktake.collect.models import Polarity, SubmissionStatus
from stocktake.reviews.orgtree import OrgTree
from stocktake.web.presenters.labels import plural, polarity_tag
from stocktake.web.presenters.links import NONE, findings_url


@dataclass(frozen=True)
class Cell:
    count: int
    href: str

    @property
    def label(self) -> str:
        return str(self.count)


@dataclass(frozen=True)
class Column:
    text: str
    href: str


@dataclass(frozen=True)
class MatrixRow:
    text: str
    href: str
    cells: list[Cell]
    total: Cell


@dataclass(frozen=True)
class Matrix:
    """Rows are themes (plus "not coded"), columns are domains (plus "no domain")."""

    columns: list[Column]
    rows: list[MatrixRow]
    all_findings: MatrixRow  # findings per domain, each counted once

    @property
    def is_empty(self) -> bool:
        return self.all_findings.total.count == 0


def theme_domain_matrix(
    *,
    slug: str,
    domains: Sequence,
    themes: Sequence,
    counts: DashboardCounts,
) -> Matrix:
    """Count findings coded to each theme, split by domain.

    ``domains`` and ``themes`` have ``id``, ``key`` and ``name``; ``counts``
    come from :func:`stocktake.assess.counts.dashboard_counts` (which themes a
    finding counts under is :mod:`stocktake.assess.themes`). A finding coded to
    two themes counts once in each theme's row.
    """
    domain_key = {d.id: d.key for d in domains}
    has_no_domain = any(n and d not in domain_key for d, n in counts.by_domain.items())
    column_keys = [d.key for d in domains] + ([NONE] if has_no_domain else [])
    columns = [Column(d.name, findings_url(slug, domain=d.key)) for d in domains]
    if has_no_domain:
        columns.append(Column("No domain", findings_url(slug, domain=NONE)))

    # (theme key, domain key) -> count; theme key NONE is "not coded to a theme".
    counts_by_key: Counter = Counter()
    theme_key = {t.id: t.key for t in themes}
    for domain_id, n in counts.by_domain.items():
        dkey = domain_key.get(domain_id, NONE)
        counts_by_key["*", dkey] += n
        counts_by_key[NONE, dkey] += counts.not_coded(domain_id)
    for (theme_id, domain_id), n in counts.theme_domain.items():
        if theme_id in theme_key:
            counts_by_key[theme_key[theme_id], domain_key.get(domain_id, NONE)] += n
    counts = counts_by_key

    def row(text: str, tkey: str | None) -> MatrixRow:
        key = "*" if tkey is None else tkey
        cells = [
            Cell(counts[key, dkey], findings_url(slug, domain=dkey, theme=tkey))
            for dkey in column_keys
        ]
        total = Cell(sum(c.count for c in cells), findings_url(slug, theme=tkey))
        return MatrixRow(text, total.href, cells, total)

    rows = [row(t.name, t.key) for t in themes]
    rows.append(row("Not coded to a theme", NONE))
    return Matrix(columns=columns, rows=rows, all_findings=row("All findings", None))


@dataclass(frozen=True)
class CountLink:
    text: str
    count: int
    href: str
    tag: dict | None = None


def polarity_counts(*, slug: str, counts: Mapping[str, int]) -> list[CountLink]:
    """One line per polarity, in the framework's order, zeros included."""
    return [
        CountLink(p.label, counts.get(p.value, 0), findings_url(slug, polarity=p.value),
                  tag=polarity_tag(p.value))
        for p in Polarity
    ]


@dataclass
class SystemGroup:
    name: str
    count: int
    href: str | None
    organisations: list[CountLink] = field(default_factory=list)


def organisation_counts(
    *, slug: str, per_org: Mapping[int, int], tree: OrgTree
) -> list[SystemGroup]:
    """Findings per system, and within it per organisation (largest first, then by name)."""
    groups: dict[int | None, SystemGroup] = {}
    for org_id, count in per_org.items():
        system = tree.system_of(org_id)
        key = system.id if system else None
        if key not in groups:
            groups[key] = SystemGroup(
                name=system.name if system else "Not in a system",
                count=0,
                href=findings_url(slug, organisation=system.id) if system else None,
            )
        groups[key].count += count
        groups[key].organisations.append(
            CountLink(tree.name(org_id), count, findings_url(slug, organisation=org_id))
        )
    for group in groups.values():
        group.organisations.sort(key=lambda c: (-c.count, c.text))
    return sorted(groups.values(), key=lambda g: (g.href is None, -g.count, g.name))


@dataclass(frozen=True)
class Headline:
    """The counts at the top of the dashboard."""

    submitted: int
    draft: int
    findings: int
    examples: int
    recommendations: int
    organisations: int = 0  # organisations the submitted submissions come from

    @classmethod
    def from_counts(cls, *, submissions: Mapping[str, int], findings: int, examples: int,
                    recommendations: int, organisations: int = 0) -> Headline:
        return cls(
            submitted=submissions.get(SubmissionStatus.SUBMITTED, 0),
            draft=submissions.get(SubmissionStatus.DRAFT, 0),
            findings=findings, examples=examples, recommendations=recommendations,
            organisations=organisations,
        )

    @property
    def submissions_text(self) -> str:
        """Submissions and the organisations they come from, counted apart (an organisation
        may send a file and a form): "22 submissions from 20 organisations, 1 in draft"."""
        sent = plural(self.submitted, "submission")
        if self.submitted:
            sent += f" from {plural(self.organisations, 'organisation')}"
        return f"{sent}, {self.draft} in draft"

    @property
    def findings_text(self) -> str:
        return plural(self.findings, "finding")


def visibility_note(access) -> str | None:
    """A sentence saying what this user cannot see yet, or None when they see it all."""
    if access.has("view_all_submitted"):
        return None
    if access.sees_all_submitted:
        return None
    if access.own_organisations():
        return ("You can see your own organisation's material, drafts included. "
                "Everyone's submitted material opens to you when the report is published.")
    if access.own_organisations("action_owner"):
        return ("You can see the recommendations your organisation owns. "
                "Submitted material opens to you when the report is published.")
    return "Submitted material opens to you when the report is published."
