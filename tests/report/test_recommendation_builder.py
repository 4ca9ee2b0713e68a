"""The recommendations builder's actions: numbering while never published and frozen after,
moves, deletion, citations and the refusals each makes.

The persona world has recommendation 1 under regional-relationship (the framework's last
theme) and 2 under staff-wellbeing (fifth), so its numbers are not yet in reading order.
"""

from __future__ import annotations

import datetime as dt

import pytest

from stocktake.collect.importers import ExtractedResponse
from stocktake.collect.models import Finding
from stocktake.core.errors import EditConflict, InvalidInput
from stocktake.core.models import AuditEvent
from stocktake.report.actions import recommendations as actions
from stocktake.report.models import Recommendation
from stocktake.report.recommendation_queries import (
    citable_findings,
    grouped_recommendations,
    numbers_frozen,
    themes_in_order,
)
from stocktake.track.actions import record_responses
from tests.report.actions import publish_version


def numbered(review) -> list[tuple[int, str]]:
    """(number, first words) in number order."""
    return [(r.number, r.text.split()[0]) for r in review.recommendations.order_by("number")]


def by_text(review, start: str) -> Recommendation:
    return review.recommendations.get(text__startswith=start)


def test_adding_renumbers_through_the_report_in_reading_order(world, themes):
    lena = world.users["lena"]
    rec = actions.add_recommendation(
        review=world.review, text="Share one rota tool.", by=lena, theme=themes["technology"],
        owner=world.orgs["northfold"], lead_contact="Chief digital officer",
        due_date=dt.date(2026, 3, 31))
    # technology (4th) < staff-wellbeing (5th) < regional-relationship (9th), then no theme.
    assert numbered(world.review) == [(1, "Share"), (2, "Keep"), (3, "Agree")]
    assert (rec.number, rec.lead_contact, rec.due_date) == (1, "Chief digital officer",
                                                            dt.date(2026, 3, 31))
    actions.add_recommendation(review=world.review, text="Write it all down.", by=lena)
    actions.add_recommendation(review=world.review, text="Thank the staff.", by=lena,
                               theme=themes["staff-wellbeing"])
    # A new one goes to the end of its own section.
    assert numbered(world.review) == [(1, "Share"), (2, "Keep"), (3, "Thank"), (4, "Agree"),
                                      (5, "Write")]
    renumbered = AuditEvent.objects.filter(verb="recommendations.renumbered").first()
    assert renumbered.actor == lena and renumbered.review == world.review


def test_once_published_numbers_are_frozen(world, themes):
    lena = world.users["lena"]
    assert not numbers_frozen(world.review)
    publish_version(world.review, by=lena)
    assert numbers_frozen(world.review)
    actions.add_recommendation(review=world.review, text="Share one rota tool.", by=lena,
                               theme=themes["technology"])
    # The new one takes the next number; nothing is renumbered, though it reads first.
    assert numbered(world.review) == [(1, "Agree"), (2, "Keep"), (3, "Share")]
    rec = actions.move_to_theme(recommendation=by_text(world.review, "Agree"), by=lena,
                                theme=themes["focus-on-place"])
    assert (rec.number, rec.theme.key) == (1, "focus-on-place")
    assert numbered(world.review) == [(1, "Agree"), (2, "Keep"), (3, "Share")]
    with pytest.raises(InvalidInput, match="numbers are frozen"):
        actions.move_recommendation(recommendation=rec, direction="down", by=lena)
    with pytest.raises(InvalidInput, match="cannot be deleted: the report has been published"):
        actions.delete_recommendation(recommendation=rec, by=lena)
    assert not AuditEvent.objects.filter(verb="recommendations.renumbered").exists()
    assert world.review.recommendations.count() == 3


def test_moving_up_and_down_within_a_theme(world, themes):
    lena = world.users["lena"]
    wellbeing = themes["staff-wellbeing"]
    actions.add_recommendation(review=world.review, text="Thank the staff.", by=lena,
                               theme=wellbeing)
    actions.add_recommendation(review=world.review, text="Count the breaks.", by=lena,
                               theme=wellbeing)
    assert numbered(world.review) == [(1, "Keep"), (2, "Thank"), (3, "Count"), (4, "Agree")]
    rec = actions.move_recommendation(recommendation=by_text(world.review, "Count"),
                                      direction="up", by=lena)
    assert rec.number == 2
    assert numbered(world.review) == [(1, "Keep"), (2, "Count"), (3, "Thank"), (4, "Agree")]
    actions.move_recommendation(recommendation=by_text(world.review, "Keep"),
                                direction="down", by=lena)
    assert numbered(world.review) == [(1, "Count"), (2, "Keep"), (3, "Thank"), (4, "Agree")]
    event = AuditEvent.objects.filter(verb="recommendation.moved").order_by("-id").first()
    assert event.details == {"direction": "down", "number": 2, "changes": {"1": 2, "2": 1}}
    with pytest.raises(InvalidInput, match="already the first in its section"):
        actions.move_recommendation(recommendation=by_text(world.review, "Count"),
                                    direction="up", by=lena)
    with pytest.raises(InvalidInput, match="already the last in its section"):
        actions.move_recommendation(recommendation=by_text(world.review, "Agree"),
                                    direction="down", by=lena)
    with pytest.raises(InvalidInput, match="up or down"):
        actions.move_recommendation(recommendation=by_text(world.review, "Agree"),
                                    direction="sideways", by=lena)


def test_moving_to_another_theme_goes_to_its_end_and_renumbers(world, themes):
    lena = world.users["lena"]
    actions.add_recommendation(review=world.review, text="Thank the staff.", by=lena,
                               theme=themes["regional-relationship"])
    assert numbered(world.review) == [(1, "Keep"), (2, "Agree"), (3, "Thank")]
    keep = by_text(world.review, "Keep")
    moved = actions.move_to_theme(recommendation=keep, theme=themes["regional-relationship"],
                                  by=lena, expected_revision=keep.revision)
    assert numbered(world.review) == [(1, "Agree"), (2, "Thank"), (3, "Keep")]
    assert moved.number == 3 and moved.revision == keep.revision + 1
    # To no theme: the further recommendations, after every theme.
    actions.move_to_theme(recommendation=by_text(world.review, "Agree"), theme=None, by=lena)
    assert numbered(world.review) == [(1, "Thank"), (2, "Keep"), (3, "Agree")]
    groups = grouped_recommendations(world.review.recommendations.all(),
                                     themes_in_order(world.review))
    assert [(g.name, [r.number for r in g.recommendations]) for g in groups] == [
        (themes["regional-relationship"].name, [1, 2]),
        ("Further recommendations", [3])]


def test_a_stale_move_or_edit_is_refused(world, themes):
    lena, ravi = world.users["lena"], world.users["ravi"]
    rec = by_text(world.review, "Keep")
    seen = rec.revision
    actions.edit_recommendation(recommendation=rec, by=ravi, expected_revision=seen,
                                text="Keep the rest hubs funded for two winters.")
    with pytest.raises(EditConflict, match="changed by someone else"):
        actions.move_to_theme(recommendation=rec, theme=themes["technology"], by=lena,
                              expected_revision=seen)
    with pytest.raises(EditConflict):
        actions.edit_recommendation(recommendation=rec, by=lena, expected_revision=seen,
                                    text="Something else.")
    rec.refresh_from_db()
    assert (rec.text, rec.theme.key) == ("Keep the rest hubs funded for two winters.",
                                         "staff-wellbeing")


def test_edit_changes_fields_and_refuses_bad_values(world, themes):
    lena = world.users["lena"]
    rec = by_text(world.review, "Agree")
    rec = actions.edit_recommendation(
        recommendation=rec, by=lena, text="Agree one request a fortnight.",
        owner=world.orgs["eastmarsh"], lead_contact="  Director   of  strategy ",
        due_date=dt.date(2026, 1, 15))
    assert (rec.text, rec.owner, rec.lead_contact, rec.due_date) == (
        "Agree one request a fortnight.", world.orgs["eastmarsh"], "Director of strategy",
        dt.date(2026, 1, 15))
    assert rec.number == 1  # no theme change: nothing renumbered
    with pytest.raises(InvalidInput, match="needs its text"):
        actions.edit_recommendation(recommendation=rec, by=lena, text="  ")
    with pytest.raises(InvalidInput, match="must be a date"):
        actions.edit_recommendation(recommendation=rec, by=lena, due_date="tomorrow")
    with pytest.raises(InvalidInput, match="'number' of a recommendation cannot be changed"):
        actions.edit_recommendation(recommendation=rec, by=lena, number=4)
    with pytest.raises(InvalidInput, match="needs its text"):
        actions.add_recommendation(review=world.review, text=" ", by=lena)
    with pytest.raises(InvalidInput, match="must be a date"):
        actions.add_recommendation(review=world.review, text="x", by=lena, due_date="soon")
    assert world.review.recommendations.count() == 2


def test_delete_renumbers_the_rest_and_is_audited(world, themes):
    lena = world.users["lena"]
    actions.add_recommendation(review=world.review, text="Thank the staff.", by=lena)
    assert numbered(world.review) == [(1, "Keep"), (2, "Agree"), (3, "Thank")]
    number = actions.delete_recommendation(recommendation=by_text(world.review, "Keep"),
                                           by=lena)
    assert number == 1
    assert numbered(world.review) == [(1, "Agree"), (2, "Thank")]
    event = AuditEvent.objects.get(verb="recommendation.deleted")
    assert event.actor == lena and event.details == {"number": 1, "cited": 0}


def test_citing_and_unciting_findings(world):
    lena = world.users["lena"]
    video, hubs, data = world.findings["ashby"]
    (draft,) = world.findings["bracken"]
    rec = by_text(world.review, "Keep")
    revision = rec.revision
    assert actions.cite_finding(recommendation=rec, finding=hubs, by=lena) is True
    assert actions.cite_finding(recommendation=rec, finding=hubs, by=lena) is False
    assert actions.cite_finding(recommendation=rec, finding=video, by=lena) is True
    assert set(rec.findings.all()) == {hubs, video}
    assert actions.uncite_finding(recommendation=rec, finding=video, by=lena) is True
    assert actions.uncite_finding(recommendation=rec, finding=video, by=lena) is False
    assert list(rec.findings.all()) == [hubs]
    rec.refresh_from_db()
    assert rec.revision == revision  # an open edit form stays valid
    assert [e.details for e in AuditEvent.objects.filter(
        verb__in=["recommendation.cited", "recommendation.uncited"]).order_by("id")] == [
        {"number": 2, "finding": hubs.pk}, {"number": 2, "finding": video.pk},
        {"number": 2, "finding": video.pk}]
    with pytest.raises(InvalidInput, match="not submitted yet"):
        actions.cite_finding(recommendation=rec, finding=draft, by=lena)


def test_search_finds_submitted_findings_by_text_and_theme(coded, themes):
    everything = Finding.objects.filter(review=coded.review)
    video, hubs, data = coded.findings["ashby"]
    all_themes = themes_in_order(coded.review)
    assert list(citable_findings(everything, themes=all_themes)) == [video, hubs, data]
    assert list(citable_findings(everything, text="REST HUBS", themes=all_themes)) == [hubs]
    assert list(citable_findings(everything, theme="staff-wellbeing",
                                 themes=all_themes)) == [hubs]
    assert list(citable_findings(everything, text="rest", theme="technology",
                                 themes=all_themes)) == []


def test_an_answered_recommendation_cannot_be_deleted(world):
    lena = world.users["lena"]
    record_responses(review=world.review, by=lena, responses=[ExtractedResponse(
        label="1", number=1, status="accepted", text="Accepted: a weekly request from April.")])
    rec = by_text(world.review, "Agree")
    with pytest.raises(InvalidInput, match="it has 1 imported response"):
        actions.delete_recommendation(recommendation=rec, by=lena)
    assert actions.deletion_refusal(by_text(world.review, "Keep")) == ""
