"""The one search query: ranked matches of a review's index that the user may see.

:func:`search` returns a :class:`Results` that Django's Paginator pages: ``count()`` is one
COUNT over the matches, a slice one ranked page (LIMIT/OFFSET). Both are a single SQL
statement on the index (:mod:`.index`), chosen by ``connection.vendor``:

- SQLite: ``search_index MATCH ?`` (FTS5), ranked by ``bm25`` (lower is better);
- PostgreSQL: ``vector @@ websearch_to_tsquery('english', ?)`` over the GIN index, ranked
  by ``ts_rank_cd``.

Scoping: each source's rows are kept only where its scoped, filtered queryset
(:mod:`.sources`, built on ``visible_to``) holds the row — a correlated EXISTS on the
row's primary key, so the database checks only the rows that matched. Nothing outside
the user's scope can come back, whatever the index holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models.expressions import RawSQL

from stocktake.assess.search import sources as registry
from stocktake.assess.search.index import SLOTS, TABLE
from stocktake.assess.search.terms import Terms


@dataclass(frozen=True)
class Hit:
    source: str  # a source key
    id: int
    rank: float


class Results:
    """A ranked search, evaluated lazily a page at a time (for ``Paginator``)."""

    def __init__(self, where: str, params: list, *, rank: str, rank_params: list,
                 descending: bool):
        self._where, self._params = where, params
        self._rank, self._rank_params, self._descending = rank, rank_params, descending
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            if not self._where:
                self._count = 0
            else:
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT count(*) FROM {self._where}", self._params)
                    self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Hit]:
        if not isinstance(index, slice):
            raise TypeError("Search results are read a page (a slice) at a time")
        if not self._where:
            return []
        start, stop = index.start or 0, index.stop
        order = "DESC" if self._descending else "ASC"
        sql = (f"SELECT {TABLE}.rowid, {self._rank} AS score FROM {self._where} "
               f"ORDER BY score {order}, {TABLE}.rowid LIMIT %s OFFSET %s")
        codes = registry.by_code()
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self._rank_params, *self._params,
                                 (stop - start) if stop is not None else -1, start])
            rows = cursor.fetchall()
        return [Hit(codes[rowid % SLOTS].key, rowid // SLOTS, float(score))
                for rowid, score in rows if rowid % SLOTS in codes]


def search(*, scope: registry.Scope, terms: Terms, filters: registry.SearchFilters) -> Results:
    """The matches of ``terms`` in the review of ``scope`` that its user may see, narrowed
    by ``filters``, best first. No terms: no results (the page asks for some)."""
    clauses, params = [], []
    for source in registry.searchable(scope.access):
        if filters.kinds and source.key not in filters.kinds:
            continue
        rows = source.scoped(scope, filters)
        if rows is None:
            continue
        try:
            sql, sub_params = (rows.order_by().filter(pk=RawSQL(f"{TABLE}.rowid / {SLOTS}", ()))
                               .values("pk").query.sql_with_params())
        except EmptyResultSet:  # the user sees none of this source's rows
            continue
        clauses.append(f"({TABLE}.rowid %% {SLOTS} = {source.code} AND EXISTS ({sql}))")
        params.extend(sub_params)
    postgres = connection.vendor == "postgresql"
    if not terms or not clauses:
        return Results("", [], rank="0", rank_params=[], descending=False)
    if postgres:
        match = (f"{TABLE} WHERE {TABLE}.vector @@ websearch_to_tsquery('english', %s) "
                 f"AND {TABLE}.review_id = %s")
        rank = f"ts_rank_cd({TABLE}.vector, websearch_to_tsquery('english', %s))"
        query = terms.websearch()
    else:
        match = f"{TABLE} WHERE {TABLE} MATCH %s AND {TABLE}.review_id = %s"
        rank = f"bm25({TABLE})"
        query = terms.fts5()
    where = f"{match} AND ({' OR '.join(clauses)})"
    return Results(where, [query, scope.access.review_id, *params], rank=rank,
                   rank_params=[query] if postgres else [], descending=postgres)


def load(access, hits: list[Hit]) -> list[tuple[Hit, registry.Item]]:
    """Each hit with its item (a hit whose row has just gone is left out), in rank order."""
    wanted: dict[str, list[int]] = {}
    for hit in hits:
        wanted.setdefault(hit.source, []).append(hit.id)
    items = {key: registry.SOURCES[key].load(access, ids) for key, ids in wanted.items()}
    return [(hit, items[hit.source][hit.id]) for hit in hits if hit.id in items[hit.source]]
