"""What the emergent themes pages read (read only; changes are in ``actions``).

Members are counted and quoted among the findings the reader may see (the caller
passes ``Finding.objects.visible_to(access)``); spread across systems is one
aggregate query per run, rolled up to systems with the organisation tree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from stocktake.analysis.consensus import pattern_of
from stocktake.assess.models import EmergentMember, EmergentRun, EmergentTheme
from stocktake.collect.personal_data import hide_flagged
from stocktake.reviews.orgtree import OrgTree

QUOTES = 3
QUOTE_POOL = 12  # the closest members quotes are chosen from (one per organisation first)


@dataclass(frozen=True)
class ThemeSummary:
    theme: EmergentTheme
    size: int  # members the reader can see
    systems: tuple[str, ...]
    organisation_count: int
    pattern: str
    total_systems: int
    quotes: tuple  # Finding objects, personal data hidden as the reader must see it


def runs_of(review) -> QuerySet:
    return EmergentRun.objects.filter(review=review).select_related("created_by")


def themes_of(run: EmergentRun) -> list[EmergentTheme]:
    return list(run.themes.select_related("promoted_to").order_by("number"))


def total_systems(findings: QuerySet, tree: OrgTree) -> int:
    orgs = findings.order_by().values_list("organisation_id", flat=True).distinct()
    return len({s.id for o in orgs if (s := tree.system_of(o)) is not None})


def summaries(
    run: EmergentRun,
    findings: QuerySet,
    *,
    access,
    tree: OrgTree,
    themes: list[EmergentTheme] | None = None,
) -> list[ThemeSummary]:
    """Each theme's size, spread and pattern across systems, and its quotes."""
    themes = themes_of(run) if themes is None else themes
    members = EmergentMember.objects.filter(theme__run=run, finding__in=findings)
    per_org: dict[int, Counter] = defaultdict(Counter)
    for theme_id, org_id, n in (
        members.order_by()
        .values("theme_id", "finding__organisation_id")
        .annotate(n=Count("id"))
        .values_list("theme_id", "finding__organisation_id", "n")
    ):
        per_org[theme_id][org_id] += n
    pool = list(
        members.filter(position__lt=QUOTE_POOL)
        .order_by("theme_id", "position")
        .select_related("finding")
    )
    shown = {f.pk: f for f in hide_flagged([m.finding for m in pool], access)}
    quotes: dict[int, list] = defaultdict(list)
    for strict in (True, False):
        for m in pool:
            chosen = quotes[m.theme_id]
            finding = shown[m.finding_id]
            if len(chosen) >= QUOTES or finding in chosen:
                continue
            if strict and finding.organisation_id in {f.organisation_id for f in chosen}:
                continue
            chosen.append(finding)
    total = total_systems(findings, tree)
    out = []
    for theme in themes:
        orgs = per_org.get(theme.pk, Counter())
        by_system: Counter = Counter()
        for org_id, n in orgs.items():
            by_system[tree.system_name(org_id)] += n
        out.append(
            ThemeSummary(
                theme=theme,
                size=sum(orgs.values()),
                systems=tuple(sorted(set(by_system) - {""})),
                organisation_count=len(orgs),
                pattern=pattern_of(by_system, total),
                total_systems=total,
                quotes=tuple(quotes.get(theme.pk, ())),
            )
        )
    return out


def members_shown(theme: EmergentTheme, findings: QuerySet, limit: int) -> list:
    """The first ``limit`` of the theme's findings the reader may see, closest to its centre
    first (Finding objects with their organisation)."""
    rows = (
        theme.members.filter(finding__in=findings)
        .order_by("position", "id")
        .select_related("finding__organisation")[:limit]
    )
    return [m.finding for m in rows]


@dataclass(frozen=True)
class Match:
    theme: EmergentTheme
    other: EmergentTheme | None
    shared: int
    overlap: float  # Jaccard: shared / in either


@dataclass(frozen=True)
class Comparison:
    matches: list[Match]
    together: float  # of findings clustered in both runs, the share whose best match holds them
    in_both: int


def compare(first: EmergentRun, second: EmergentRun) -> Comparison:
    """Each theme of ``first`` with the theme of ``second`` sharing most of its findings."""

    def groups(run):
        found: dict[int, set[int]] = defaultdict(set)
        for theme_id, finding_id in EmergentMember.objects.filter(theme__run=run).values_list(
            "theme_id", "finding_id"
        ):
            found[theme_id].add(finding_id)
        return found

    a, b = groups(first), groups(second)
    themes_b = {t.pk: t for t in themes_of(second)}
    all_b = set().union(*b.values()) if b else set()
    matches, kept = [], 0
    for theme in themes_of(first):
        members = a.get(theme.pk, set())
        best, shared, overlap = None, 0, 0.0
        for other_id, others in b.items():
            n = len(members & others)
            if not n:
                continue
            jaccard = n / len(members | others)
            if (jaccard, n, -other_id) > (overlap, shared, -(best.pk if best else 0)):
                best, shared, overlap = themes_b.get(other_id), n, jaccard
        kept += shared
        matches.append(Match(theme, best, shared, round(overlap, 3)))
    in_both = len(set().union(*a.values()) & all_b) if a else 0
    return Comparison(matches, round(kept / in_both, 3) if in_both else 0.0, in_both)
