"""Converting stored frameworks to and from their plain-data form; a framework's items
as pages read them."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import NamedTuple

from django.db.models import Count

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

    Every action that changes a framework's items (the framework editor's, in
    ``reviews.actions``) raises the framework's ``revision``, so pages need not ask on
    every request (two queries on the findings list, one on a finding). Kept under the
    framework's id, creation time (a test database may hand a rolled-back id to a new
    framework) and revision. Retired items are included (codes still name them). The
    rows are shared between requests: read them, never change them."""
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


def spec_for(framework: Framework, *, active_only: bool = False) -> FrameworkSpec:
    """The framework as plain data; ``active_only`` leaves retired items out (what the
    coders and the heading matcher offer: nothing new is coded to a retired theme)."""
    def items(queryset):
        if active_only:
            queryset = queryset.filter(retired=False)
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


def _relations_to(model):
    """Every relation that points at ``model`` (hidden ones too: ``related_name="+"``)."""
    return [relation for relation in model._meta.get_fields(include_hidden=True)
            if relation.auto_created and not relation.concrete]


def uses_by_item(model, framework: Framework) -> dict[int, int]:
    """For a framework's themes or domains (``model``): item id -> how many rows (codes,
    findings, sections, report texts, innovations …) name it. One grouped query per
    relation, found from Django's relations so a new one is never missed."""
    uses: dict[int, int] = {}
    for relation in _relations_to(model):
        name = relation.field.name
        rows = (relation.related_model._base_manager
                .filter(**{f"{name}__framework": framework}).order_by()
                .values_list(name).annotate(n=Count("pk")))
        for item_id, n in rows:
            uses[item_id] = uses.get(item_id, 0) + n
    return uses


def item_uses(item) -> int:
    """How many rows name this theme or domain (see :func:`uses_by_item`)."""
    return sum(relation.related_model._base_manager.filter(**{relation.field.name: item})
               .count() for relation in _relations_to(type(item)))
