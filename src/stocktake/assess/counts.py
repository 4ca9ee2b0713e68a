"""How many findings count under each theme, domain, polarity and organisation.

Aggregate queries (GROUP BY) over a queryset of findings the caller has already
scoped (``Finding.objects.visible_to(access)``), so the database does the
counting and a page costs a few queries whatever the size of the review. The
rule for which themes a finding counts under is the one in
:mod:`stocktake.assess.themes`; :meth:`DashboardCounts.from_rows` applies it in
Python to rows, and a test checks both give the same numbers.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, QuerySet

from stocktake.assess.models import Code
from stocktake.assess.themes import counted_codes
from stocktake.collect.models import Finding
from stocktake.collect.paging import query_key
from stocktake.core.models import AuditEvent

# How long counts may be kept when nothing changes (they are keyed by the data version).
CACHE_SECONDS = 600

Key = int | None  # a domain id, or None for "no domain"


@dataclass(frozen=True)
class DashboardCounts:
    """Finding counts of one scope: by domain, by theme × domain, polarity and organisation.

    ``theme_domain`` counts a finding once under each theme it counts towards;
    ``coded_by_domain`` counts findings that count towards at least one theme,
    so "not coded" is ``by_domain - coded_by_domain``. Only ``theme_ids`` count.
    """

    by_domain: dict[Key, int] = field(default_factory=dict)
    theme_domain: dict[tuple[int, Key], int] = field(default_factory=dict)
    coded_by_domain: dict[Key, int] = field(default_factory=dict)
    polarity: dict[str, int] = field(default_factory=dict)
    organisations: dict[int, int] = field(default_factory=dict)
    # What these counts are kept under (scope, themes and data version; see
    # cached_dashboard_counts): the same key, the same counts. Empty when not kept.
    key: str = field(default="", compare=False)

    @property
    def total(self) -> int:
        return sum(self.by_domain.values())

    def not_coded(self, domain_id: Key) -> int:
        return self.by_domain.get(domain_id, 0) - self.coded_by_domain.get(domain_id, 0)

    @classmethod
    def from_rows(cls, findings: Iterable[Mapping], counted: Mapping[int, set[int]],
                  theme_ids: Iterable[int]) -> DashboardCounts:
        """The same counts from finding rows (``id``, ``domain_id``, ``organisation_id``,
        ``polarity``) and :func:`stocktake.assess.themes.counted_themes` (no database)."""
        theme_ids = set(theme_ids)
        by_domain, theme_domain, coded = Counter(), Counter(), Counter()
        polarity, organisations = Counter(), Counter()
        for f in findings:
            domain = f["domain_id"]
            by_domain[domain] += 1
            polarity[f["polarity"]] += 1
            organisations[f["organisation_id"]] += 1
            themes = counted.get(f["id"], set()) & theme_ids
            for theme in themes:
                theme_domain[theme, domain] += 1
            coded[domain] += bool(themes)
        return cls(by_domain=dict(by_domain), theme_domain=dict(theme_domain),
                   coded_by_domain={k: v for k, v in coded.items() if v},
                   polarity=dict(polarity), organisations=dict(organisations))


def _grouped(queryset: QuerySet, *names: str, distinct: str | None = None) -> dict:
    counted = Count(distinct, distinct=True) if distinct else Count("pk")
    rows = queryset.order_by().values(*names).annotate(n=counted).values_list(*names, "n")
    if len(names) == 1:
        return {row[0]: row[1] for row in rows}
    return {tuple(row[:-1]): row[-1] for row in rows}


def dashboard_counts(findings: QuerySet, *, theme_ids: Iterable[int]) -> DashboardCounts:
    """:class:`DashboardCounts` of ``findings`` (already scoped) in five aggregate queries."""
    codes = counted_codes(findings).filter(theme_id__in=list(theme_ids))
    return DashboardCounts(
        by_domain=_grouped(findings, "domain_id"),
        theme_domain=_grouped(codes, "theme_id", "finding__domain_id", distinct="finding_id"),
        coded_by_domain=_grouped(codes, "finding__domain_id", distinct="finding_id"),
        polarity=_grouped(findings, "polarity"),
        organisations=_grouped(findings, "organisation_id"),
    )


def data_version(review) -> str:
    """Changes whenever the review's findings, codes or anything else an action touches may have.

    Every action records an audit event (with the review, or without one for
    organisations and users), so the newest event of each kind moves on with
    every change; the newest ids of findings and codes also catch rows added
    outside actions (test data, the load benchmark). Four MAX subqueries in one
    query, each answered from an index (a COUNT would read whole tables). Rows changed or
    deleted outside actions are not seen.
    """
    event, finding, code = (AuditEvent._meta.db_table, Finding._meta.db_table,
                            Code._meta.db_table)
    with connection.cursor() as cursor:  # one round trip, no ORM compiling: every page asks
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {event} WHERE review_id = %s), "
            f"(SELECT MAX(id) FROM {event} WHERE review_id IS NULL), "
            f"(SELECT MAX(id) FROM {finding}), (SELECT MAX(id) FROM {code})", [review.pk])
        newest = cursor.fetchone()
    parts = [review.pk, review.updated_at.isoformat(), *newest]
    return "|".join(str(part) for part in parts)


_COUNTING = threading.Lock()

def cached_dashboard_counts(findings: QuerySet, *, review, theme_ids: Iterable[int]
                            ) -> DashboardCounts:
    """:func:`dashboard_counts`, kept (in Django's cache) until the review's data change.

    Keyed by :func:`data_version` and by the scoped query itself, so two users
    share counts only when they may see exactly the same findings.
    """
    theme_ids = sorted(theme_ids)
    key = f"stocktake:dashboard:{query_key(findings, theme_ids)}:{data_version(review)}"
    counts = cache.get(key)
    if counts is None:
        with _COUNTING:  # threads that miss together wait for the first count
            counts = cache.get(key)
            if counts is None:
                counts = replace(dashboard_counts(findings, theme_ids=theme_ids), key=key)
                cache.set(key, counts, CACHE_SECONDS)
    return counts
