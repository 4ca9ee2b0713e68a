"""The registers' data version: it moves on with every action, and only then."""

from __future__ import annotations

import pytest

from stocktake.track.actions import evaluation as ev
from stocktake.track.versions import registers_version
from tests.track.actions import log_innovation

pytestmark = pytest.mark.django_db


def test_the_version_moves_on_with_every_action(world):
    start = registers_version()
    assert registers_version() == start  # nothing changed: the same version
    made = log_innovation(
        organisation=world.orgs["ashby"],
        title="Virtual ward",
        what_changed="Monitoring at home.",
        by=world.users["connie"],
    )
    logged = registers_version()
    assert logged != start
    ev.record_adoption(
        innovation=made,
        organisation=world.orgs["bracken"],
        status="adopted",
        by=world.users["lena"],
    )
    adopted = registers_version()
    assert adopted != logged and registers_version() == adopted
