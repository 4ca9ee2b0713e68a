"""Paging through a large queryset of findings without sorting whole rows, or counting twice.

Django's Paginator slices its object list with LIMIT/OFFSET; on 100,000 findings
ordered by organisation name the database sorts every selected column, text
included, to return 50 rows. :class:`IdsFirst` asks for the ids of the page
first (a narrow sort), then for those rows by primary key; its count is kept in
Django's cache under a version the caller supplies (for findings,
``stocktake.assess.counts.data_version``), so paging does not count again until
the data change.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet

CACHE_SECONDS = 600


def query_key(queryset: QuerySet, *extra) -> str:
    """A digest of the SQL and parameters ``queryset`` would run (scopes differ, digests differ)."""
    try:
        sql = str(queryset.query)
    except EmptyResultSet:  # .none(): nothing to run
        sql = "empty"
    return hashlib.sha256("|".join([sql, *map(str, extra)]).encode()).hexdigest()


class IdsFirst:
    """A sliceable, countable stand-in for ``queryset`` to hand to a Paginator."""

    def __init__(self, queryset: QuerySet, *, version: str):
        self.queryset = queryset
        self.version = version

    def count(self) -> int:
        key = f"stocktake:count:{query_key(self.queryset)}:{self.version}"
        count = cache.get(key)
        if count is None:
            count = self.queryset.count()
            cache.set(key, count, CACHE_SECONDS)
        return count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        ids = list(self.queryset.values_list("pk", flat=True)[index])
        rows = self.queryset.order_by().in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]
