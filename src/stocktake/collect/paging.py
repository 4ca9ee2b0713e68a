"""Paging through a large queryset of findings without sorting whole rows, or counting twice.

Django's Paginator slices its object list with LIMIT/OFFSET; on 100,000 findings
ordered by organisation name the database sorts every selected column, text
included, to return 50 rows. :class:`IdsFirst` asks for the ids of the page
once (a narrow sort), keeps them under a version the caller supplies (for
findings, ``stocktake.assess.counts.data_version``), and reads a page's rows by
primary key, so paging neither sorts nor counts again until the data change.

The lists are kept in this process (:data:`KEPT` of them, least recently used
dropped first), not in Django's cache: a cache pickles what it keeps, and
unpickling 100,000 ids on every request cost more than the query it saved.
Each process of ``stocktake serve`` keeps its own; the version in the key tells
every process when the data changed.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet

KEPT = 64
_kept: OrderedDict[str, tuple] = OrderedDict()
_lock = threading.Lock()
_reading = threading.Lock()


def query_key(queryset: QuerySet, *extra) -> str:
    """A digest of the SQL and parameters ``queryset`` would run (scopes differ, digests differ)."""
    try:
        sql = str(queryset.query)
    except EmptyResultSet:  # .none(): nothing to run
        sql = "empty"
    return hashlib.sha256("|".join([sql, *map(str, extra)]).encode()).hexdigest()


def key_of(*parts) -> str:
    """A digest of ``parts`` (their ``str``), for :func:`cached_list`'s ``key``."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def cached_list(queryset: QuerySet | Callable[[], QuerySet], *, version: str,
                key: str | None = None) -> tuple:
    """``tuple(queryset)``, kept in this process until ``version`` changes (for small rows:
    ids, or values).

    ``key``: what names the query, instead of its SQL (compiling a query with
    subqueries costs about a millisecond); it must tell apart every query that can
    give different rows under the same ``version`` (scope and filters). With a key,
    ``queryset`` may be a function that builds the query, called only on a miss."""
    if key is None:
        queryset = queryset() if callable(queryset) else queryset
        key = query_key(queryset)
    key = f"{key}:{version}"
    with _lock:
        rows = _kept.get(key)
        if rows is not None:
            _kept.move_to_end(key)
            return rows
    with _reading:  # threads that miss together wait for the first read
        with _lock:
            rows = _kept.get(key)
        if rows is None:
            rows = tuple(queryset() if callable(queryset) else queryset)
    with _lock:
        _kept[key] = rows
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return rows


class IdsFirst:
    """A sliceable, countable stand-in for ``queryset`` to hand to a Paginator.

    The ordered ids of the whole queryset are read once per ``version`` (one
    narrow sort) and kept; a page is a slice of them and one query by primary key.
    """

    def __init__(self, queryset: QuerySet | Callable[[], QuerySet], *, version: str,
                 rows: QuerySet | None = None, key: str | None = None):
        """``rows``: where to read a page's rows by id (default ``queryset``). Pass the
        scoped queryset without the filters, so a page's rows are read by primary key
        alone instead of running the filters (a theme's subquery) again.
        ``key``: names the query instead of its SQL (see :func:`cached_list`); then
        ``queryset`` may be a function that builds it, called only when the ids are not
        kept (``rows`` is then required)."""
        if rows is None and callable(queryset):
            raise TypeError("rows is required when the queryset is built on demand")
        self.queryset = queryset
        self.version = version
        self.rows = queryset if rows is None else rows
        self.key = key
        self._ids: tuple[int, ...] | None = None

    def ids(self) -> tuple[int, ...]:
        if self._ids is None:  # the Paginator counts, then slices: look the list up once
            built = self.queryset
            self._ids = cached_list(
                (lambda: built().values_list("pk", flat=True)) if callable(built)
                else built.values_list("pk", flat=True),
                version=self.version, key=None if self.key is None else f"{self.key}:ids")
        return self._ids

    def count(self) -> int:
        return len(self.ids())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        ids = self.ids()[index]
        rows = self.rows.order_by().in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]
