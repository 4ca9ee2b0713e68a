"""Adding a theme to a framework (emergent themes promote one): key, position, revision."""

from __future__ import annotations

import pytest

from stocktake.core.errors import InvalidInput
from stocktake.core.models import AuditEvent
from stocktake.reviews.actions import add_theme
from stocktake.reviews.frameworks import items_of
from stocktake.reviews.models import Framework


def test_a_theme_is_added_at_the_end_and_pages_see_it(world):
    framework = world.framework
    before = items_of(framework).themes
    theme = add_theme(
        framework=framework,
        name="  Mutual   aid ",
        by=world.users["lena"],
        keywords=["mutual aid", "borrowed"],
        review=world.review,
    )
    assert (theme.key, theme.name, theme.keywords) == (
        "mutual-aid",
        "Mutual aid",
        ["mutual aid", "borrowed"],
    )
    assert theme.position == max(t.position for t in before) + 1
    fresh = Framework.objects.get(pk=framework.pk)
    assert fresh.revision == 1 and framework.revision == 1
    assert items_of(fresh).themes[-1] == theme and len(items_of(fresh).themes) == len(before) + 1
    event = AuditEvent.objects.get(verb="framework.theme_added")
    assert event.review == world.review and event.details["key"] == "mutual-aid"
    second = add_theme(framework=fresh, name="Mutual-aid!", by=None)
    assert second.key == "mutual-aid-2"


def test_bad_names_are_refused(world):
    with pytest.raises(InvalidInput, match="1 to 200"):
        add_theme(framework=world.framework, name=" ", by=None)
    existing = world.framework.themes.first()
    with pytest.raises(InvalidInput, match="already has a theme"):
        add_theme(framework=world.framework, name=existing.name.upper(), by=None)
