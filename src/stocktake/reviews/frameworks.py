"""Converting stored frameworks to and from their plain-data form; a framework's items
as pages read them."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import NamedTuple

from stocktake.analysis.framework import FrameworkSpec, ItemSpec
from stocktake.reviews.models import Domain, Framework, Theme

KEPT = 16
_kept: OrderedDict[tuple, FrameworkItems] = OrderedDict()
_lock = threading.Lock()


class FrameworkItems(NamedTuple):
    domains: tuple[Domain, ...]
    themes: tuple[Theme, ...]


def items_of(framework: Framework) -> FrameworkItems:
    """The framework's domains and themes, each in order, read once in this process.

    ``create_framework`` writes them with the framework and only ``add_theme`` adds to
    them afterwards, moving the framework's ``revision`` on, so pages need not ask on
    every request (two queries on the findings list, one on a finding). Kept under the
    framework's id, creation time (a test database may hand a rolled-back id to a new
    framework) and revision. The rows are shared between requests: read them, never
    change them."""
    key = (framework.pk, framework.created_at, framework.revision)
    with _lock:
        items = _kept.get(key)
        if items is not None:
            _kept.move_to_end(key)
            return items
    items = FrameworkItems(tuple(framework.domains.order_by("position", "id")),
                           tuple(framework.themes.order_by("position", "id")))
    with _lock:
        _kept[key] = items
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return items


def spec_for(framework: Framework) -> FrameworkSpec:
    def items(queryset):
        return tuple(
            ItemSpec(key=i.key, name=i.name, description=i.description, keywords=tuple(i.keywords))
            for i in queryset.order_by("position", "id")
        )

    return FrameworkSpec(
        key=framework.key,
        name=framework.name,
        description=framework.description,
        domains=items(framework.domains),
        themes=items(framework.themes),
    )
