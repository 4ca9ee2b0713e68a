"""Reading the innovations register: filters, counts aggregated in the database, pages.

Everything starts from the innovations a user sees,
:func:`stocktake.track.scopes.innovations_visible_to`, so a page, an export and the
command line see the same innovations. A page costs a fixed number of
queries whatever its size: the filtered rows (one page, organisation and thread joined,
themes prefetched in one more), and one grouped count per filter.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from stocktake.reviews.models import Theme
from stocktake.reviews.orgtree import OrgTree
from stocktake.track.models import DecisionOutcome, GoldenThread, Innovation

PAGE_SIZE = 25
MAX_QUERY = 200


@dataclass(frozen=True)
class Filters:
    organisation: int | None = None  # this organisation and everything below it
    theme: int | None = None
    thread: int | None = None  # 0: in no thread
    outcome: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, params) -> Filters:
        def number(name):
            value = str(params.get(name, "")).strip()
            return int(value) if value.isdigit() else None

        outcome = params.get("outcome", "")
        return cls(organisation=number("organisation"), theme=number("theme"),
                   thread=number("thread"),
                   outcome=outcome if outcome in DecisionOutcome.values else "",
                   q=" ".join(str(params.get("q", "")).split())[:MAX_QUERY])

    def as_query(self) -> dict[str, str]:
        """The filters as GET parameters (those set only)."""
        return {k: str(v) for k, v in (("organisation", self.organisation),
                                       ("theme", self.theme), ("thread", self.thread),
                                       ("outcome", self.outcome), ("q", self.q))
                if v not in (None, "")}

    @property
    def any(self) -> bool:
        return bool(self.as_query())


def filtered(visible: QuerySet, filters: Filters, tree: OrgTree | None = None) -> QuerySet:
    """The innovations of ``visible`` (:func:`innovations_visible_to`) that pass ``filters``
    (not ordered, not paged)."""
    qs = visible
    if filters.organisation is not None:
        tree = tree or OrgTree.shared()
        qs = qs.filter(organisation_id__in=tree.descendants(filters.organisation))
    if filters.theme is not None:
        qs = qs.filter(themes__id=filters.theme)
    if filters.thread == 0:
        qs = qs.filter(golden_thread__isnull=True)
    elif filters.thread is not None:
        qs = qs.filter(golden_thread_id=filters.thread)
    if filters.outcome:
        qs = qs.filter(outcome=filters.outcome)
    for word in filters.q.split()[:8]:
        qs = qs.filter(Q(title__icontains=word) | Q(what_changed__icontains=word)
                       | Q(unit__icontains=word) | Q(place__icontains=word)
                       | Q(benefits__icontains=word))
    return qs


def ordered(queryset: QuerySet) -> QuerySet:
    """The register's order: newest first."""
    return queryset.order_by("-created_at", "-id")


def rows(queryset: QuerySet) -> QuerySet:
    """What a list or an export shows of each innovation, without a query per row."""
    return ordered(queryset.select_related("organisation", "golden_thread", "review")
                   .prefetch_related("themes"))


def rows_by_id() -> QuerySet:
    """Where a list reads its page's rows by id (:class:`stocktake.collect.paging.IdsFirst`),
    the ids chosen already through the user's scope: what :func:`rows` adds to each."""
    return rows(Innovation.objects.all())


@dataclass(frozen=True)
class Option:
    value: int | str
    label: str
    count: int


@dataclass(frozen=True)
class Options:
    """The choices of the register's filters, each with how many innovations it has."""

    organisations: list[Option]
    themes: list[Option]
    threads: list[Option]
    outcomes: list[Option]


def organisation_options(visible: QuerySet, tree: OrgTree,
                         within: frozenset[int] | None = None) -> list[Option]:
    """Each organisation with innovations the user sees, and each above them (a system, a
    region) that is ``within`` the user's scope (None: any), with the number in it and
    below it; one grouped query."""
    per_org = dict(visible.order_by().values("organisation_id")
                   .annotate(n=Count("id")).values_list("organisation_id", "n"))
    totals: dict[int, int] = {}
    for org_id, n in per_org.items():
        for node in [tree.get(org_id), *tree.ancestors(org_id)]:
            if node is not None:
                totals[node.id] = totals.get(node.id, 0) + n
    return sorted((Option(org_id, tree.get(org_id).name, n) for org_id, n in totals.items()
                   if tree.get(org_id) is not None and (within is None or org_id in within)),
                  key=lambda o: o.label.lower())


def theme_options(queryset: QuerySet) -> list[Option]:
    found = (Theme.objects.filter(innovations__in=queryset.values("id"))
             .values("id", "name", "framework__name").annotate(n=Count("innovations"))
             .order_by("framework__name", "position", "id"))
    frameworks = {r["framework__name"] for r in found}
    return [Option(r["id"], r["name"] if len(frameworks) < 2 else
                   f"{r['name']} ({r['framework__name']})", r["n"]) for r in found]


def thread_options(queryset: QuerySet) -> list[Option]:
    found = (GoldenThread.objects.filter(innovations__in=queryset.values("id"))
             .values("id", "name", "organisation__name").annotate(n=Count("innovations"))
             .order_by("name", "id"))
    names = [r["name"] for r in found]
    out = [Option(r["id"], r["name"] if names.count(r["name"]) == 1 else
                  f"{r['name']} ({r['organisation__name']})", r["n"]) for r in found]
    loose = queryset.filter(golden_thread__isnull=True).count()
    return out + ([Option(0, "In no golden thread", loose)] if loose else [])


def outcome_options(queryset: QuerySet) -> list[Option]:
    counts = dict(queryset.order_by().values("outcome").annotate(n=Count("id"))
                  .values_list("outcome", "n"))
    return [Option(value, label, counts[value]) for value, label in DecisionOutcome.choices
            if counts.get(value)]
