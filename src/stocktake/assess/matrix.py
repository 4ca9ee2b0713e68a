"""The theme matrix: themes × systems (or × a system's organisations, or × domains).

Counts come from two aggregate queries over the findings the caller has scoped
(``Finding.objects.visible_to(access)``), grouped by theme, organisation (or
domain) and polarity under the counting rule of :mod:`stocktake.assess.themes`;
organisations are rolled up to their system in memory from the organisation
tree. The counts, and what the pages derive from them, are kept in the process
(:func:`matrix_model`) under the scoped query, the review's
:func:`~stocktake.assess.counts.data_version` and the organisations' version, so
a page view reads them as they are until the data change, whatever the size of
the review.

Which themes are *consistent* (raised in all or nearly all systems) or
*distinctive* (raised in one or two) is the analysis library's rule,
:func:`stocktake.analysis.consensus.pattern_of` — the one the report uses. Their
representative quotes are chosen by :func:`stocktake.analysis.consensus.pick_quotes`
(typical of the theme, from different organisations and systems) among a bounded,
deterministic set of each theme's findings, once per set of counts; undecided
personal data is hidden in the chosen quotes for each reader who may not see it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from django.db.models import Count, QuerySet

from stocktake.analysis.consensus import CONSISTENT, DISTINCTIVE, pattern_of, pick_quotes
from stocktake.analysis.similar import fit_tfidf
from stocktake.assess.counts import data_version
from stocktake.assess.themes import counted_codes, with_theme
from stocktake.collect.models import Finding, Polarity
from stocktake.collect.paging import query_key
from stocktake.collect.personal_data import hide_flagged, sees_personal_data
from stocktake.core.kept import Kept
from stocktake.reviews.orgtree import OrgTree

SYSTEMS = "systems"
ORGANISATIONS = "organisations"
DOMAINS = "domains"
VIEWS = (SYSTEMS, ORGANISATIONS, DOMAINS)
NONE = "none"  # the column of findings with no system, or no domain
# Findings read per flagged theme to choose its quotes from (the lowest ids first).
QUOTE_CANDIDATES = 300
QUOTES = 2

Triple = tuple[int, int | None, str]  # theme id, organisation (or domain) id, polarity


@dataclass(frozen=True)
class MatrixCounts:
    """Findings per (theme, organisation, polarity) and per (theme, domain, polarity).

    A finding counts once under each theme it counts towards (see
    :mod:`stocktake.assess.themes`); ``organisations`` are those with any finding
    in scope, coded or not (they say how many systems took part)."""

    by_org: dict[Triple, int] = field(default_factory=dict)
    by_domain: dict[Triple, int] = field(default_factory=dict)
    organisations: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Cell:
    total: int = 0
    achievements: int = 0
    challenges: int = 0

    def plus(self, polarity: str, n: int) -> Cell:
        return Cell(
            self.total + n,
            self.achievements + (n if polarity == Polarity.ACHIEVEMENT else 0),
            self.challenges + (n if polarity == Polarity.CHALLENGE else 0),
        )


@dataclass(frozen=True)
class Column:
    """One column: a system, an organisation or a domain (``key`` as the URL names it)."""

    key: str
    name: str
    organisation_id: int | None = None  # for the findings list's organisation filter
    domain_key: str = ""  # for its domain filter


@dataclass(frozen=True)
class Grid:
    columns: tuple[Column, ...]
    cells: dict[int, dict[str, Cell]]  # theme id -> column key -> cell
    totals: dict[int, Cell]  # theme id -> every column together


@dataclass(frozen=True)
class Reach:
    """Who raised a theme: its systems, and the pattern the analysis gives it."""

    pattern: str
    systems: tuple[str, ...]
    total_systems: int


@dataclass(frozen=True)
class Quote:
    finding_id: int
    text: str
    organisation: str
    system: str


def matrix_counts(findings: QuerySet, *, theme_ids: Iterable[int]) -> MatrixCounts:
    """:class:`MatrixCounts` of ``findings`` (already scoped) in three aggregate queries."""
    codes = counted_codes(findings).filter(theme_id__in=list(theme_ids)).order_by()

    def grouped(column: str) -> dict[Triple, int]:
        rows = (
            codes.values("theme_id", column, "finding__polarity")
            .annotate(n=Count("finding_id", distinct=True))
            .values_list("theme_id", column, "finding__polarity", "n")
        )
        return {(theme, key, polarity): n for theme, key, polarity, n in rows}

    return MatrixCounts(
        by_org=grouped("finding__organisation_id"),
        by_domain=grouped("finding__domain_id"),
        organisations=frozenset(
            findings.order_by().values_list("organisation_id", flat=True).distinct()
        ),
    )


# What is kept in this process: at most KEPT values, least recently used dropped first.
KEPT = 64
_kept = Kept(KEPT).get


@dataclass(frozen=True)
class MatrixModel:
    """Everything the matrix pages derive from the counts, made once per ``key``."""

    key: str  # names the scope, the themes, the data version and the organisations' version
    counts: MatrixCounts
    by_system: Grid
    reach: dict[int, Reach]
    systems: tuple  # systems with findings in scope, by name


def matrix_model(
    findings: QuerySet, *, review, theme_ids: Iterable[int], tree: OrgTree
) -> MatrixModel:
    """The counts of ``findings`` (already scoped), the systems grid and each theme's reach,
    kept in this process until the review's data or the organisations change."""
    theme_ids = sorted(theme_ids)
    key = f"stocktake:matrix:{query_key(findings, theme_ids)}:{data_version(review)}:{tree.version}"

    def make() -> MatrixModel:
        counts = matrix_counts(findings, theme_ids=theme_ids)
        return MatrixModel(
            key=key,
            counts=counts,
            by_system=systems_grid(counts, tree),
            reach=reach_of_themes(counts, tree),
            systems=tuple(systems_in(counts, tree)),
        )

    if tree.version is None:  # a tree that cannot say when it changes: nothing kept
        return make()
    return _kept(key, make)


def _system(tree: OrgTree, org_id: int | None):
    return tree.system_of(org_id) if org_id is not None else None


def systems_grid(counts: MatrixCounts, tree: OrgTree) -> Grid:
    """Themes × systems (findings of organisations outside any system in a last column)."""
    cells: dict[int, dict[str, Cell]] = defaultdict(dict)
    totals: dict[int, Cell] = {}
    names: dict[str, Column] = {}
    for org_id in counts.organisations:
        system = _system(tree, org_id)
        key = str(system.id) if system else NONE
        if key not in names:
            names[key] = (
                Column(key, system.name, organisation_id=system.id)
                if system
                else Column(NONE, "Not in a system")
            )
    for (theme, org_id, polarity), n in counts.by_org.items():
        system = _system(tree, org_id)
        key = str(system.id) if system else NONE
        cells[theme][key] = cells[theme].get(key, Cell()).plus(polarity, n)
        totals[theme] = totals.get(theme, Cell()).plus(polarity, n)
    columns = sorted((c for c in names.values() if c.key != NONE), key=lambda c: c.name)
    if NONE in names:
        columns.append(names[NONE])
    return Grid(tuple(columns), dict(cells), totals)


def organisations_grid(counts: MatrixCounts, tree: OrgTree, system_id: int) -> Grid:
    """Themes × the organisations of one system that have findings in scope."""
    cells: dict[int, dict[str, Cell]] = defaultdict(dict)
    totals: dict[int, Cell] = {}
    inside = {
        o for o in counts.organisations if (s := _system(tree, o)) is not None and s.id == system_id
    }
    for (theme, org_id, polarity), n in counts.by_org.items():
        if org_id in inside:
            key = str(org_id)
            cells[theme][key] = cells[theme].get(key, Cell()).plus(polarity, n)
            totals[theme] = totals.get(theme, Cell()).plus(polarity, n)
    columns = sorted(
        (Column(str(o), tree.name(o), organisation_id=o) for o in inside), key=lambda c: c.name
    )
    return Grid(tuple(columns), dict(cells), totals)


def domains_grid(counts: MatrixCounts, domains: Sequence) -> Grid:
    """Themes × the framework's domains (and "No domain" when any finding has none)."""
    cells: dict[int, dict[str, Cell]] = defaultdict(dict)
    totals: dict[int, Cell] = {}
    keys = {d.id: d.key for d in domains}
    for (theme, domain_id, polarity), n in counts.by_domain.items():
        key = keys.get(domain_id, NONE)
        cells[theme][key] = cells[theme].get(key, Cell()).plus(polarity, n)
        totals[theme] = totals.get(theme, Cell()).plus(polarity, n)
    columns = [Column(d.key, d.name, domain_key=d.key) for d in domains]
    if any(NONE in row for row in cells.values()):
        columns.append(Column(NONE, "No domain", domain_key=NONE))
    return Grid(tuple(columns), dict(cells), totals)


def systems_in(counts: MatrixCounts, tree: OrgTree) -> list:
    """The systems with findings in scope, by name (the organisations view's choices)."""
    found = {s.id: s for o in counts.organisations if (s := _system(tree, o)) is not None}
    return sorted(found.values(), key=lambda s: s.name)


def reach_of_themes(counts: MatrixCounts, tree: OrgTree) -> dict[int, Reach]:
    """Each theme's systems and pattern (consistent, distinctive, shared) by the analysis's rule."""
    total = len({s.id for o in counts.organisations if (s := _system(tree, o)) is not None})
    by_system: dict[int, Counter] = defaultdict(Counter)
    for (theme, org_id, _), n in counts.by_org.items():
        system = _system(tree, org_id)
        by_system[theme][system.name if system else ""] += n
    return {
        theme: Reach(
            pattern=pattern_of(systems, total),
            systems=tuple(sorted(set(systems) - {""})),
            total_systems=total,
        )
        for theme, systems in by_system.items()
    }


def flagged(reach: dict[int, Reach]) -> list[int]:
    """The themes whose message is consistent or distinctive, by id."""
    return sorted(t for t, r in reach.items() if r.pattern in (CONSISTENT, DISTINCTIVE))


def message_quotes(
    findings: QuerySet, *, model: MatrixModel, access, tree: OrgTree, limit: int = QUOTES
) -> dict[int, list[Quote]]:
    """Representative quotes of each flagged theme, as ``access`` may read them.

    Chosen once per ``model`` (on the findings' stored text; kept in the process), then
    undecided personal data hidden in the chosen few for a reader who may not see it."""
    key = f"{model.key}:quotes:{limit}"
    chosen = _kept(key, lambda: _quotes(findings, flagged(model.reach), tree, limit))
    return _shown(chosen, access)


def _quotes(findings, theme_ids, tree, limit) -> dict[int, list[Quote]]:
    out = {}
    for theme_id in theme_ids:
        rows = list(
            with_theme(findings, theme_id)
            .order_by("id")
            .values_list("id", "text", "organisation_id")[:QUOTE_CANDIDATES]
        )
        if not rows:
            out[theme_id] = []
            continue
        texts = [text for _, text, _ in rows]
        systems = [tree.system_name(org) for _, _, org in rows]
        orgs = [str(org or "") for _, _, org in rows]
        _, matrix = fit_tfidf(texts)
        chosen = pick_quotes(
            range(len(rows)),
            texts=texts,
            systems=systems,
            organisations=orgs,
            matrix=matrix,
            limit=limit,
        )
        out[theme_id] = [
            Quote(rows[i][0], texts[i], tree.name(rows[i][2]), systems[i]) for i in chosen
        ]
    return out


def _shown(quotes: dict[int, list[Quote]], access) -> dict[int, list[Quote]]:
    if sees_personal_data(access):
        return quotes
    ids = [q.finding_id for chosen in quotes.values() for q in chosen]
    if not ids:
        return quotes
    rows = hide_flagged(
        list(Finding.objects.filter(pk__in=ids).only("id", "text", "review_id")), access
    )
    texts = {f.pk: f.text for f in rows}
    return {
        theme: [replace(q, text=texts.get(q.finding_id, q.text)) for q in chosen]
        for theme, chosen in quotes.items()
    }
