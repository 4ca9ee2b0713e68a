"""The findings filters as a query: each narrows the scoped findings and never widens them."""

from __future__ import annotations

from stocktake.assess.actions import confirm_code
from stocktake.assess.finding_filters import NONE, FindingFilters, filter_findings
from stocktake.collect.models import Finding
from stocktake.reviews.permissions import access_for
from stocktake.web.views.base import organisation_tree


def _run(world, user, **values):
    access = access_for(world.users[user], world.review)
    scoped = Finding.objects.visible_to(access)
    themes = list(world.framework.themes.all())
    found = filter_findings(scoped, FindingFilters.from_values(values),
                            tree=organisation_tree(), themes=themes)
    return {f.text.split()[0] for f in found}


def test_no_filter_is_the_scoped_findings(world):
    assert _run(world, "lena") == {"Video", "Staff", "Daily"}
    assert _run(world, "colin") == {"DRAFT-ONLY:"}


def test_each_filter_narrows(world):
    assert _run(world, "lena", domain="people") == {"Staff"}
    assert _run(world, "lena", domain=NONE) == set()
    assert _run(world, "lena", q="regional") == {"Daily"}
    assert _run(world, "lena", organisation=str(world.orgs["northfold"].pk)) == {
        "Video", "Staff", "Daily"}
    assert _run(world, "lena", organisation=str(world.orgs["eastmarsh"].pk)) == set()


def test_the_theme_step_counts_reviewer_codes_and_stays_in_scope(world):
    theme = world.framework.themes.get(key="staff-wellbeing")
    staff = world.findings["ashby"][1]
    confirm_code(finding=staff, theme=theme, by=world.users["lena"])
    assert _run(world, "lena", theme="staff-wellbeing") == {"Staff"}
    assert _run(world, "lena", theme=NONE) == {"Video", "Daily"}
    assert _run(world, "lena", theme="no-such-theme") == set()
    # A draft the user cannot see never comes back, whatever it is coded to.
    assert _run(world, "connie", theme=NONE) == {"Video", "Daily"}
    assert "DRAFT-ONLY:" not in _run(world, "lena", theme=NONE)
