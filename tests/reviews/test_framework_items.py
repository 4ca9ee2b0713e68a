"""A framework's domains and themes as pages read them (kept in the process)."""

from stocktake.analysis.framework import FrameworkSpec, ItemSpec
from stocktake.reviews import actions
from stocktake.reviews.frameworks import items_of


def test_items_are_the_frameworks_own_in_order(world):
    framework = world.framework
    items = items_of(framework)
    assert list(items.domains) == list(framework.domains.order_by("position", "id"))
    assert list(items.themes) == list(framework.themes.order_by("position", "id"))
    assert items_of(framework) is items  # read once


def test_another_framework_gets_its_own_items(world):
    items_of(world.framework)
    other = actions.create_framework(spec=FrameworkSpec(
        key="other", name="Other", description="",
        domains=(ItemSpec(key="only-domain", name="Only domain", description="", keywords=()),),
        themes=(ItemSpec(key="only-theme", name="Only theme", description="", keywords=()),)),
        by=None)
    items = items_of(other)
    assert [t.key for t in items.themes] == ["only-theme"]
    assert [d.key for d in items.domains] == ["only-domain"]
    assert [t.key for t in items_of(world.framework).themes] != ["only-theme"]
