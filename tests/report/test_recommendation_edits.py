"""Editing a recommendation: text, number, section, theme, owner and the findings it cites."""

from __future__ import annotations

import pytest

from stocktake.analysis.framework import FrameworkSpec, ItemSpec
from stocktake.core.errors import InvalidInput
from stocktake.core.models import AuditEvent
from stocktake.report.actions import update_recommendation
from stocktake.reviews.actions import create_framework


def first(world):
    return world.review.recommendations.get(number=1)


def test_update_recommendation_changes_fields_and_audits_their_names(world, themes):
    lena, video = world.users["lena"], world.findings["ashby"][0]
    rec = update_recommendation(
        recommendation=first(world), by=lena, text=" Agree one data request a fortnight. ",
        number=5, section="Data", theme=themes["technology"], owner=world.orgs["bracken"],
        findings=[video])
    rec.refresh_from_db()
    assert (rec.number, rec.text, rec.section) == (5, "Agree one data request a fortnight.", "Data")
    assert (rec.theme, rec.owner) == (themes["technology"], world.orgs["bracken"])
    assert list(rec.findings.all()) == [video]
    event = AuditEvent.objects.get(verb="recommendation.updated")
    assert event.actor == lena and event.details == {
        "number": 5, "fields": ["findings", "number", "owner", "section", "text", "theme"]}


def test_unchanged_values_record_nothing(world):
    rec = first(world)
    update_recommendation(recommendation=rec, text=rec.text, findings=list(rec.findings.all()),
                          by=None)
    assert not AuditEvent.objects.filter(verb="recommendation.updated").exists()


@pytest.mark.parametrize("changes,message", [
    ({"text": " "}, "needs its text"),
    ({"number": 2}, "Recommendation 2 already exists in winter-2025"),
    ({"number": 0}, "whole number of 1 or more"),
    ({"number": "3"}, "whole number of 1 or more"),
    ({"status": "completed"}, "'status' of a recommendation cannot be changed"),
])
def test_update_recommendation_refuses_bad_values(world, changes, message):
    with pytest.raises(InvalidInput, match=message):
        update_recommendation(recommendation=first(world), by=None, **changes)
    assert first(world).text == "Agree one regional data request per week."


def test_theme_and_findings_must_come_from_the_review(world, five_systems):
    foreign = five_systems.findings.first()
    with pytest.raises(InvalidInput, match="only findings of its own review"):
        update_recommendation(recommendation=first(world), findings=[foreign], by=None)
    spec = FrameworkSpec(name="Other", key="other", themes=(ItemSpec(key="t", name="T"),))
    theme = create_framework(spec=spec, by=None).themes.get()
    with pytest.raises(InvalidInput, match="not part of this review's framework"):
        update_recommendation(recommendation=first(world), theme=theme, by=None)
