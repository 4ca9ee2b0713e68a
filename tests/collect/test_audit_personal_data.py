"""The audit trail names people by id, never by email address (issue 8, item 5)."""

from __future__ import annotations

import importlib
import re

from django.apps import apps

from stocktake.collect import actions
from stocktake.core import audit
from stocktake.core.models import AuditEvent
from stocktake.reviews import actions as review_actions

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
scrub = importlib.import_module("stocktake.collect.migrations.0004_scrub_audit_personal_data")


def emails_in_details() -> list[tuple[str, dict]]:
    return [(e.verb, e.details) for e in AuditEvent.objects.all() if EMAIL.search(str(e.details))]


def invite_everyone(world):
    """Every action that touches a contact: invite, change contact, send, remind, use, stop."""
    lena = world.users["lena"]
    first, _ = actions.invite_contact(review=world.review, organisation=world.orgs["bracken"],
                                      contact_name="Bea Bracken", email="bea@example.org", by=lena)
    actions.mark_sent(invitation=first, by=lena)
    again, _ = actions.invite_contact(review=world.review, organisation=world.orgs["bracken"],
                                      contact_name="Bo Bracken", email="bo@example.org", by=lena)
    actions.mark_sent(invitation=again, by=lena)
    actions.replace_unused_links(invitation=again, by=lena)
    reminder, _ = actions.issue_reminder(participant=again.participant, by=lena)
    actions.mark_sent(invitation=reminder, by=lena)
    actions.record_link_used(invitation=reminder)
    actions.revoke_invitations(participant=again.participant, by=lena)
    review_actions.create_user(username="carol@example.org", email="carol@example.org", by=lena)
    return first, again


def test_no_action_writes_an_email_address_to_the_audit_trail(world):
    first, again = invite_everyone(world)
    assert AuditEvent.objects.filter(verb="invitation.sent").count() == 2
    assert emails_in_details() == []
    created = AuditEvent.objects.get(verb="invitation.created", subject_id=str(first.pk))
    assert created.details["contact"] == first.contact_id
    assert created.details["participant"] == first.participant_id
    added = AuditEvent.objects.filter(verb="member.added").order_by("pk").last()
    assert added.details["member"] == again.contact_id


def test_the_migration_scrubs_emails_written_before(world):
    first, _ = invite_everyone(world)
    lena = world.users["lena"]
    old = [
        audit.record(actor=lena, verb="invitation.created", subject=first, review=world.review,
                     organisation="Brackenford", email="bea@example.org"),
        audit.record(actor=lena, verb="participant.contact_changed", subject=first.participant,
                     review=world.review, email="bo@example.org"),
        audit.record(actor=lena, verb="member.added", review=world.review,
                     member=first.contact.get_username(), role="contributor"),
        audit.record(actor=lena, verb="user.created", subject=first.contact,
                     username=first.contact.get_username()),
        audit.record(actor=lena, verb="note", review=world.review, to=["x@example.org"], n=3),
    ]
    assert len(emails_in_details()) == 5
    scrub.forwards(apps, None)
    assert emails_in_details() == []
    details = [AuditEvent.objects.get(pk=e.pk).details for e in old]
    assert details == [
        {"organisation": "Brackenford", "contact": first.contact_id}, {},
        {"member": first.contact_id, "role": "contributor"}, {}, {"n": 3},
    ]
