"""Converting stored frameworks to and from their plain-data form."""

from __future__ import annotations

from stocktake.analysis.framework import FrameworkSpec, ItemSpec
from stocktake.reviews.models import Framework


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
