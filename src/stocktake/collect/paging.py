"""Paging through a large queryset of findings without sorting whole rows, or counting twice.

Django's Paginator slices its object list with LIMIT/OFFSET; on 100,000 findings
ordered by organisation name the database sorts every selected column, text
included, to return 50 rows. :class:`IdsFirst` asks for the ids of the page
once (a narrow sort), keeps them in Django's cache under a version the caller
supplies (for findings, ``stocktake.assess.counts.data_version``), and reads a
page's rows by primary key, so paging neither sorts nor counts again until the
data change.
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


def cached_list(queryset: QuerySet, *, version: str) -> list:
    """``list(queryset)``, kept in Django's cache until ``version`` changes (for small rows:
    ids, or values)."""
    key = f"stocktake:list:{query_key(queryset)}:{version}"
    rows = cache.get(key)
    if rows is None:
        rows = list(queryset)
        cache.set(key, rows, CACHE_SECONDS)
    return rows


class IdsFirst:
    """A sliceable, countable stand-in for ``queryset`` to hand to a Paginator.

    The ordered ids of the whole queryset are read once per ``version`` (one
    narrow sort) and kept; a page is a slice of them and one query by primary key.
    """

    def __init__(self, queryset: QuerySet, *, version: str):
        self.queryset = queryset
        self.version = version

    def ids(self) -> list[int]:
        return cached_list(self.queryset.values_list("pk", flat=True), version=self.version)

    def count(self) -> int:
        return len(self.ids())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        ids = self.ids()[index]
        rows = self.queryset.order_by().in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]
