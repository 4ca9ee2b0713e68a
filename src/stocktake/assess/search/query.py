"""The one search query: ranked matches of a review's index that the user may see.

:func:`search` returns :class:`Results`, which Django's Paginator pages. The ranked ids of
every match the user may see are read by one SQL statement on the index (:mod:`.index`),
chosen by ``connection.vendor``, and kept in the process under the scope, the search and
the review's data version (``collect.paging.cached_list``, as the findings list keeps its
ids), so paging, counting and other users with the same scope read no index again until
the review's data change:

- SQLite: ``search_index MATCH 'body : (…) AND review : "r<id>"'`` (FTS5), ranked by
  ``bm25`` on the text (lower is better);
- PostgreSQL: ``vector @@ websearch_to_tsquery('english', …)`` over the GIN index and the
  review's rows, ranked by ``ts_rank_cd``.

Scoping: each source's rows are kept only where its scoped, filtered queryset
(:mod:`.sources`, built on ``visible_to``) holds the row — on SQLite a correlated EXISTS on
the row's primary key (only the rows that matched are checked), on PostgreSQL ``IN`` the
scoped ids (hashed once; its planner ran a theme filter's subquery per matched row). Nothing outside
the user's scope can come back, whatever the index holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models.expressions import RawSQL

from stocktake.assess.search import sources as registry
from stocktake.assess.search.index import SLOTS, TABLE, review_token
from stocktake.assess.search.terms import Terms
from stocktake.collect.models import scope_key
from stocktake.collect.paging import cached_list, key_of


@dataclass(frozen=True)
class Hit:
    source: str  # a source key
    id: int


class Results:
    """A ranked search: its row ids read once (and kept), paged by slicing."""

    def __init__(self, ranked: Callable[[], tuple[int, ...]]):
        self._ranked = ranked
        self._rowids: tuple[int, ...] | None = None

    def rowids(self) -> tuple[int, ...]:
        if self._rowids is None:
            self._rowids = self._ranked()
        return self._rowids

    def count(self) -> int:
        return len(self.rowids())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Hit]:
        if not isinstance(index, slice):
            raise TypeError("Search results are read a page (a slice) at a time")
        codes = registry.by_code()
        return [
            Hit(codes[rowid % SLOTS].key, rowid // SLOTS)
            for rowid in self.rowids()[index]
            if rowid % SLOTS in codes
        ]


def search(
    *,
    scope: registry.Scope,
    terms: Terms,
    filters: registry.SearchFilters,
    version: str | None = None,
) -> Results:
    """The matches of ``terms`` in the review of ``scope`` that its user may see, narrowed
    by ``filters``, best first. No terms: no results (the page asks for some).

    ``version``: the review's data version (``assess.counts.data_version``); with it the
    ranked ids are kept in the process until it changes."""
    sources = [
        s for s in registry.searchable(scope.access) if not filters.kinds or s.key in filters.kinds
    ]
    if not terms or not sources:
        return Results(tuple)

    def ranked() -> tuple[int, ...]:
        return _ranked(scope, terms, filters, sources)

    if version is None:
        return Results(ranked)
    below = sorted(scope.below(filters.organisation)) if filters.organisation is not None else None
    key = key_of(
        "search", *scope_key(scope.access), [s.key for s in sources], terms.phrases, filters, below
    )
    return Results(lambda: cached_list(ranked, version=version, key=key))


def _ranked(
    scope: registry.Scope,
    terms: Terms,
    filters: registry.SearchFilters,
    sources: list[registry.SearchSource],
) -> tuple[int, ...]:
    """Every matching row id the user may see, best first (one statement)."""
    postgres = connection.vendor == "postgresql"
    clauses, params = [], []
    for source in sources:
        rows = source.scoped(scope, filters)
        if rows is None:
            continue
        try:
            if postgres:  # hashed once (a theme's subquery, per row, took seconds)
                sql, sub_params = rows.order_by().values("pk").query.sql_with_params()
                test = f"{TABLE}.rowid / {SLOTS} IN ({sql})"
            else:  # per matched row, by primary key: SQLite builds no hash of the scope
                sql, sub_params = (
                    rows.order_by()
                    .filter(pk=RawSQL(f"{TABLE}.rowid / {SLOTS}", ()))
                    .values("pk")
                    .query.sql_with_params()
                )
                test = f"EXISTS ({sql})"
        except EmptyResultSet:  # the user sees none of this source's rows
            continue
        clauses.append(f"({TABLE}.rowid %% {SLOTS} = {source.code} AND {test})")
        params.extend(sub_params)
    if not clauses:
        return ()
    review_id = scope.access.review_id
    if postgres:
        sql = (
            f"SELECT {TABLE}.rowid FROM {TABLE}, websearch_to_tsquery('english', %s) AS q "
            f"WHERE {TABLE}.vector @@ q AND {TABLE}.review_id = %s "
            f"AND ({' OR '.join(clauses)}) "
            f"ORDER BY ts_rank_cd({TABLE}.vector, q) DESC, {TABLE}.rowid"
        )
        match = [terms.websearch(), review_id]
    else:
        sql = (
            f"SELECT {TABLE}.rowid FROM {TABLE} WHERE {TABLE} MATCH %s "
            f"AND ({' OR '.join(clauses)}) "
            f"ORDER BY bm25({TABLE}, 1.0, 0.0), {TABLE}.rowid"
        )
        match = [f'body : ({terms.fts5()}) AND review : "{review_token(review_id)}"']
    if postgres:
        with transaction.atomic(), connection.cursor() as cursor:
            # The scope's subqueries make the planner's estimate large enough to compile the
            # query (JIT): on 100,000 findings 1.4 s of compiling for 0.1 s of work.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(sql, [*match, *params])
            return tuple(row[0] for row in cursor.fetchall())
    # No transaction on SQLite: ours begin IMMEDIATE, which would queue readers behind writers.
    with connection.cursor() as cursor:
        cursor.execute(sql, [*match, *params])
        return tuple(row[0] for row in cursor.fetchall())


def load(access, hits: list[Hit]) -> list[tuple[Hit, registry.Item]]:
    """Each hit with its item (a hit whose row has just gone is left out), in rank order."""
    wanted: dict[str, list[int]] = {}
    for hit in hits:
        wanted.setdefault(hit.source, []).append(hit.id)
    items = {key: registry.SOURCES[key].load(access, ids) for key, ids in wanted.items()}
    return [(hit, items[hit.source][hit.id]) for hit in hits if hit.id in items[hit.source]]
