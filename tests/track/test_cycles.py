"""Stocktake cycles: carrying over, personal links by email, reminders, entries, closing."""

import datetime as dt

import pytest
from django.core import mail

from stocktake.collect.tokens import hash_token
from stocktake.core.errors import InvalidInput, InvalidTransition
from stocktake.core.models import AuditEvent
from stocktake.reviews import actions as review_actions
from stocktake.reviews.models import Membership, OrganisationLevel, Role
from stocktake.track import actions as track_actions
from stocktake.track import cycle_requests
from stocktake.track.models import CycleEntry, UpdateRequest
from tests.track.cycle_helpers import (
    DEADLINE,
    EVIDENCE,
    LINK,
    OPENS,
    link_for,
    progress,
    publish,
    start,
)


@pytest.fixture
def published(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    publish(world)
    world.review.refresh_from_db()
    return world


def test_a_cycle_waits_for_publication(world):
    with pytest.raises(InvalidTransition, match="publish the report"):
        start(world)


def test_starting_carries_over_every_recommendation_with_its_standing(published):
    world = published
    rec = world.review.recommendations.get(number=1)
    progress(rec, "in_progress", world.users["owen"])
    cycle = start(world)
    assert cycle.number == 1 and cycle.status == "open"
    entries = {e.recommendation.number: e for e in CycleEntry.objects.filter(cycle=cycle)}
    assert set(entries) == {1, 2}
    assert entries[1].status == "in_progress" and entries[2].status == "agreed"
    assert all(e.updates == 0 for e in entries.values())
    event = AuditEvent.objects.get(verb="cycle.started")
    assert event.details == {"number": 1, "recommendations": 2, "innovations": 0}


def test_one_cycle_open_at_a_time_and_numbers_follow(published):
    world = published
    first = start(world)
    with pytest.raises(InvalidTransition, match="Cycle 1 .* is still open"):
        start(world, title="Another")
    track_actions.close_cycle(cycle=first, by=world.users["lena"])
    assert start(world, title="Stocktake 2028").number == 2


@pytest.mark.parametrize("title, opens, deadline, message", [
    ("", OPENS, DEADLINE, "Enter a title"),
    ("Stocktake", DEADLINE, OPENS, "must be on or after"),
])
def test_bad_cycle_details_are_refused(published, title, opens, deadline, message):
    with pytest.raises(InvalidInput, match=message):
        track_actions.start_cycle(review=published.review, title=title, opens_on=opens,
                                  deadline=deadline, by=published.users["lena"])


def test_updates_in_the_cycle_refresh_its_entries(published):
    world = published
    cycle = start(world)
    rec = world.review.recommendations.get(number=1)
    progress(rec, "completed", world.users["owen"], evidence_links=[EVIDENCE],
             note="Weekly return agreed")
    entry = CycleEntry.objects.get(cycle=cycle, recommendation=rec)
    assert (entry.status, entry.updates) == ("completed", 1)
    assert rec.progress_updates.get().cycle == cycle


def test_closing_freezes_the_entries_and_ends_the_links(published):
    world = published
    cycle = start(world)
    result = cycle_requests.send_requests(cycle=cycle, by=world.users["lena"], link_for=link_for)
    assert result.sent
    track_actions.close_cycle(cycle=cycle, by=world.users["lena"])
    rec = world.review.recommendations.get(number=1)
    progress(rec, "completed", world.users["owen"], evidence_links=[EVIDENCE],
             note="After the close")
    entry = CycleEntry.objects.get(cycle=cycle, recommendation=rec)
    assert (entry.status, entry.updates) == ("agreed", 0)
    assert not UpdateRequest.objects.filter(cycle=cycle, revoked_at__isnull=True).exists()
    with pytest.raises(InvalidTransition, match="already closed"):
        track_actions.close_cycle(cycle=cycle, by=world.users["lena"])


def test_requests_go_to_each_owner_with_a_hashed_personal_link(published):
    world = published
    cycle = start(world)
    result = cycle_requests.send_requests(cycle=cycle, by=world.users["lena"], link_for=link_for)
    # Ashby: its action owner Owen has no email, so the participant contact Connie is asked;
    # Brackenford gave no contact at all.
    assert result.sent == ["Ashby General Hospital NHS Foundation Trust"]
    assert result.no_contact == ["Brackenford Community Services NHS Trust"]
    message = mail.outbox[-1]
    assert message.to == ["connie@example.org"] and "31 March 2027" in message.body
    token = message.body.split(LINK)[1].split("/")[0]
    request = UpdateRequest.objects.get(cycle=cycle)
    assert request.token_hash == hash_token(token) and token not in request.token_hash
    assert request.sent_at is not None
    assert Membership.objects.filter(review=world.review, user=request.contact,
                                     role=Role.ACTION_OWNER,
                                     organisation=world.orgs["ashby"]).exists()
    assert cycle_requests.find(token) == request
    # Sending again asks only those not yet asked.
    again = cycle_requests.send_requests(cycle=cycle, by=world.users["lena"], link_for=link_for)
    assert again.sent == [] and again.already == ["Ashby General Hospital NHS Foundation Trust"]
    for event in AuditEvent.objects.filter(verb__startswith="cycle."):
        assert "@" not in str(event.details)


def test_a_lead_names_a_contact_for_an_organisation_without_one(published):
    world = published
    cycle = start(world)
    request = cycle_requests.send_one(cycle=cycle, organisation=world.orgs["bracken"],
                                      contact_name="Bea Bracken", email="bea@example.org",
                                      by=world.users["lena"], link_for=link_for)
    assert request.contact.email == "bea@example.org"
    assert mail.outbox[-1].to == ["bea@example.org"]
    with pytest.raises(InvalidInput, match="not a valid email address"):
        cycle_requests.send_one(cycle=cycle, organisation=world.orgs["bracken"],
                                contact_name="Bea", email="bea@", by=world.users["lena"],
                                link_for=link_for)
    with pytest.raises(InvalidInput, match="owns nothing"):
        cycle_requests.send_one(cycle=cycle, organisation=world.orgs["region"],
                                contact_name="Rita", email="rita@example.org",
                                by=world.users["lena"], link_for=link_for)


def test_reminders_go_only_to_owners_with_items_not_updated(published):
    world = published
    cycle = start(world)
    lena = world.users["lena"]
    cycle_requests.send_requests(cycle=cycle, by=lena, link_for=link_for)
    cycle_requests.send_one(cycle=cycle, organisation=world.orgs["bracken"],
                            contact_name="Bea Bracken", email="bea@example.org", by=lena,
                            link_for=link_for)
    progress(world.review.recommendations.get(number=1), "in_progress", world.users["owen"])
    mail.outbox.clear()
    result = cycle_requests.remind(cycle=cycle, by=lena, link_for=link_for)
    assert result.sent == ["Brackenford Community Services NHS Trust"]
    assert result.answered == ["Ashby General Hospital NHS Foundation Trust"]
    assert [m.to for m in mail.outbox] == [["bea@example.org"]]
    assert mail.outbox[0].subject.startswith("Reminder")
    reminder = UpdateRequest.objects.filter(cycle=cycle, reminder=True).get()
    first = UpdateRequest.objects.filter(cycle=cycle, reminder=False,
                                         organisation=world.orgs["bracken"]).get()
    assert reminder.token_hash != first.token_hash and first.revoked_at is None
    # A cron every day: not again within the week.
    later = cycle_requests.remind(cycle=cycle, by=lena, link_for=link_for,
                                  every=dt.timedelta(days=7))
    assert later.sent == [] and later.already == ["Brackenford Community Services NHS Trust"]
    # Stopped links: no reminder until asked again.
    track_actions.revoke_organisation_links(cycle=cycle, organisation=world.orgs["bracken"],
                                            by=lena)
    stopped = cycle_requests.remind(cycle=cycle, by=lena, link_for=link_for)
    assert stopped.stopped == ["Brackenford Community Services NHS Trust"]


def test_a_failed_email_leaves_no_working_link(published, settings):
    world = published
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    cycle = start(world)
    result = cycle_requests.send_requests(cycle=cycle, by=world.users["lena"], link_for=link_for)
    assert result.sent == [] and "could not be sent" in result.failed[0]
    assert UpdateRequest.objects.get(cycle=cycle).revoked_at is not None


def test_innovations_of_the_region_are_carried_over(published):
    world = published
    lena = world.users["lena"]
    region_one = track_actions.log_innovation(
        organisation=world.orgs["ashby"], title="Virtual ward", what_changed="Care at home.",
        by=lena, code=False)
    elsewhere_org = actions_create_outside_region(world)
    outside = track_actions.log_innovation(
        organisation=elsewhere_org, title="Elsewhere", what_changed="Not ours.",
        by=world.users["ada"], code=False)
    cycle = start(world)
    entries = CycleEntry.objects.filter(cycle=cycle, innovation__isnull=False)
    assert [(e.innovation_id, e.organisation_id, e.outcome) for e in entries] == [
        (region_one.pk, world.orgs["ashby"].pk, "undecided")]
    assert not entries.filter(innovation=outside).exists()
    owners = {o.name: o.items for o in cycle_requests.owner_progress(cycle)}
    assert owners["Ashby General Hospital NHS Foundation Trust"] == 2  # a recommendation too


def actions_create_outside_region(world):
    other = review_actions.create_organisation(name="Far Region", level=OrganisationLevel.REGION,
                                               by=world.users["ada"])
    return review_actions.create_organisation(name="Far Trust", parent=other,
                                              level=OrganisationLevel.ORGANISATION,
                                              by=world.users["ada"])


def test_merging_two_systems_keeps_one_entry_per_cycle(published):
    world = published
    lena, ada = world.users["lena"], world.users["ada"]
    rec = world.review.recommendations.get(number=2)
    track_actions.set_per_system(recommendation=rec, per_system=True, by=lena)
    first = start(world)
    track_actions.close_cycle(cycle=first, by=lena)
    second = start(world, title="Stocktake 2028")
    north, east = world.orgs["northfold"], world.orgs["eastmarsh"]
    review_actions.merge_organisations(keep=north, absorb=east, by=ada)
    for cycle in (first, second):
        rows = list(CycleEntry.objects.filter(cycle=cycle, recommendation=rec)
                    .values_list("organisation_id", flat=True))
        assert rows == [north.pk]


def test_a_lead_moves_the_deadline_and_the_reminder_date(published):
    world = published
    cycle = start(world)
    assert cycle_requests.reminders_due(cycle, OPENS)  # no date: from the day it opens
    later = DEADLINE + dt.timedelta(days=14)
    track_actions.set_cycle_dates(cycle=cycle, deadline=later, reminders_from=dt.date(2027, 3, 20),
                                  by=world.users["lena"])
    cycle.refresh_from_db()
    assert (cycle.deadline, cycle.reminders_from) == (later, dt.date(2027, 3, 20))
    event = AuditEvent.objects.filter(verb="cycle.dates_changed").get()
    assert event.details == {"number": 1, "deadline": "2027-04-14", "reminders_from": "2027-03-20"}
    assert not cycle_requests.reminders_due(cycle, dt.date(2027, 3, 19))
    assert cycle_requests.reminders_due(cycle, dt.date(2027, 3, 20))
    track_actions.set_cycle_dates(cycle=cycle, deadline=later, reminders_from=dt.date(2027, 3, 20),
                                  by=world.users["lena"])
    assert AuditEvent.objects.filter(verb="cycle.dates_changed").count() == 1  # nothing changed
    track_actions.close_cycle(cycle=cycle, by=world.users["lena"])
    cycle.refresh_from_db()
    assert not cycle_requests.reminders_due(cycle, dt.date(2027, 3, 25))
    with pytest.raises(InvalidTransition, match="closed"):
        track_actions.set_cycle_dates(cycle=cycle, deadline=DEADLINE, reminders_from=None,
                                      by=world.users["lena"])


@pytest.mark.parametrize("deadline, reminders, message", [
    (OPENS - dt.timedelta(days=1), None, "The deadline .28 February 2027. must be on or after"),
    (DEADLINE, OPENS - dt.timedelta(days=1), "Reminders must start between .* 28 February 2027 is not"),
    (DEADLINE, DEADLINE + dt.timedelta(days=1), "Reminders must start between"),
])
def test_bad_cycle_dates_are_refused(published, deadline, reminders, message):
    cycle = start(published)
    with pytest.raises(InvalidInput, match=message):
        track_actions.set_cycle_dates(cycle=cycle, deadline=deadline, reminders_from=reminders,
                                      by=published.users["lena"])
    cycle.refresh_from_db()
    assert (cycle.deadline, cycle.reminders_from) == (DEADLINE, None)
    track_actions.close_cycle(cycle=cycle, by=published.users["lena"])
    with pytest.raises(InvalidInput, match=message):  # the same rules when starting one
        track_actions.start_cycle(review=published.review, title="Again", opens_on=OPENS,
                                  deadline=deadline, reminders_from=reminders,
                                  by=published.users["lena"])
