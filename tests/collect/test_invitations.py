"""Invitations and reminders, sent through a real SMTP server on 127.0.0.1 (aiosmtpd).

Lena invites Brackenford's contact; the email arrives with a personal link; the
link opens only Brackenford's form; reminders send new links; revoking or the
review closing stops them working.
"""

from __future__ import annotations

import datetime as dt
import email
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.test import Client

from stocktake.collect.models import Invitation, SubmissionSection
from stocktake.collect.tokens import hash_token
from stocktake.core.models import AuditEvent
from stocktake.reviews import actions as review_actions
from tests.personas import PASSWORD

REVIEW = "/reviews/winter-2025/"
PARTICIPATION = REVIEW + "participation/"
LINK = re.compile(r"http://testserver/invitations/([A-Za-z0-9_-]+)/")


class Inbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted"

    def body(self, index: int = -1) -> str:
        return self.messages[index].get_payload(decode=True).decode()

    def link(self, index: int = -1) -> str:
        return LINK.search(self.body(index)).group(0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox(settings):
    """A real SMTP server on a random local port, and Django's SMTP backend pointed at it."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield handler
    controller.stop()


def invite(client, world, org="bracken", name="Bea Bracken", address="bea@example.org"):
    return client.post(PARTICIPATION + "invite/", {
        "organisation": str(world.orgs[org].pk), "contact_name": name, "email": address})


def participant(world, org="bracken"):
    return world.review.participants.get(organisation=world.orgs[org])


def test_the_invitation_arrives_by_smtp_with_a_personal_link(world, login, inbox):
    lena = login(world.users["lena"])
    response = invite(lena, world)
    assert response.status_code == 302 and response["Location"] == PARTICIPATION
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["X-Envelope-To"] == "bea@example.org"
    assert message["Subject"] == "Your invitation to Winter 2025 learning review"
    body = inbox.body()
    assert "Dear Bea Bracken" in body and "Lena Lead has invited Brackenford" in body
    token = LINK.search(body).group(1)
    stored = Invitation.objects.get()
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    assert stored.sent_at is not None
    p = participant(world)
    assert (p.contact_name, p.contact_email) == ("Bea Bracken", "bea@example.org")
    assert p.invited_at is not None
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"invitation.created", "invitation.sent", "participant.invited"} <= verbs
    page = lena.get(PARTICIPATION).content.decode()
    assert "Invitation sent to bea@example.org" in page
    assert "Link not used yet" in page


def test_the_link_opens_only_that_organisations_form(world, login, inbox):
    invite(login(world.users["lena"]), world)
    link = inbox.link()
    contact = Client()
    page = contact.get(link)
    assert page.status_code == 200
    assert "Write the submission from Brackenford" in page.content.decode()
    assert contact.get(REVIEW).status_code == 302  # the GET alone signs nobody in
    response = contact.post(link)
    form = f"{REVIEW}participants/{participant(world).pk}/submission/"
    assert response.status_code == 302 and response["Location"] == form
    html = contact.get(form).content.decode()
    assert "DRAFT-ONLY" not in html and "<textarea" in html
    contact.post(form, {"people--challenges": "Written by Bea", "action": "save"})
    assert SubmissionSection.objects.filter(text="Written by Bea").exists()
    ashby_form = f"{REVIEW}participants/{participant(world, 'ashby').pk}/submission/"
    assert contact.get(ashby_form).status_code == 404
    assert contact.get(REVIEW + "upload/").status_code == 403
    assert contact.get(PARTICIPATION).status_code == 403
    assert Invitation.objects.get().last_used_at is not None


def test_a_revoked_link_or_a_closed_review_stops_the_link(world, login, inbox):
    lena = login(world.users["lena"])
    invite(lena, world)
    link = inbox.link()
    lena_user = world.users["lena"]
    yesterday = dt.date.today() - dt.timedelta(days=1)
    review_actions.update_review(review=world.review, closes_on=yesterday, by=lena_user)
    assert "This link does not work" in Client().get(link).content.decode()
    assert Client().post(link).status_code == 404
    review_actions.update_review(review=world.review, closes_on=None, by=lena_user)
    assert Client().get(link).status_code == 200
    lena.post(f"{PARTICIPATION}{participant(world).pk}/revoke/")
    assert Client().get(link).status_code == 404
    assert Client().get("/invitations/not-a-real-token/").status_code == 404


def test_reminders_send_a_new_link_and_show_the_date(world, login, inbox):
    lena = login(world.users["lena"])
    invite(lena, world)
    first = inbox.link()
    response = lena.post(f"{PARTICIPATION}{participant(world).pk}/remind/")
    assert response.status_code == 302
    assert len(inbox.messages) == 2
    assert inbox.messages[1]["Subject"].startswith("Reminder:")
    assert inbox.link() != first
    page = lena.get(PARTICIPATION).content.decode()
    assert "Reminder sent to bea@example.org" in page
    assert "None sent" not in page.split("Brackenford")[1].split("</tr>")[0]
    assert Client().get(first).status_code == 200  # the earlier link still works
    assert AuditEvent.objects.filter(verb="reminder.sent").count() == 1


def test_remind_all_reminds_only_who_has_not_submitted(world, login, inbox):
    lena = login(world.users["lena"])
    invite(lena, world, org="ashby", name="Connie Contributor", address="connie@example.org")
    invite(lena, world)
    inbox.messages.clear()
    response = lena.post(PARTICIPATION + "remind-all/")
    assert response.status_code == 302
    assert [m["X-Envelope-To"] for m in inbox.messages] == ["bea@example.org"]
    page = lena.get(PARTICIPATION).content.decode()
    assert "Reminders sent to 1 participant: Brackenford" in page


def test_a_failed_email_leaves_no_working_link(world, login, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    response = invite(login(world.users["lena"]), world)
    html = response.content.decode()
    assert response.status_code == 200 and "nhsuk-error-summary" in html
    assert "The email to bea@example.org could not be sent" in html
    assert Invitation.objects.get().revoked_at is not None


def test_invite_form_errors_use_the_error_summary(world, login):
    html = login(world.users["lena"]).post(PARTICIPATION + "invite/", {
        "organisation": "", "contact_name": "", "email": "not-an-email"}).content.decode()
    assert "nhsuk-error-summary" in html
    for message, anchor in [("Select the organisation to invite", "organisation"),
                            ("Enter the contact&#39;s full name", "contact_name"),
                            ("Enter an email address in the correct format", "email")]:
        assert message in html and f'href="#{anchor}"' in html
    assert not Invitation.objects.exists()


def test_a_link_never_signs_in_an_account_with_a_password(world, login, inbox):
    # An account that signs in with a password has the contact's email address.
    review_actions.create_user(username="lena-at-home", email="lena@example.org",
                               password=PASSWORD, by=None)
    invite(login(world.users["lena"]), world, name="Lena Lead", address="lena@example.org")
    link = inbox.link()
    visitor = Client()
    html = visitor.get(link).content.decode()
    assert "Sign in to continue" in html and "Continue to the submission form" not in html
    visitor.post(link)
    assert visitor.get(REVIEW).status_code == 302  # still signed out


def test_the_contact_gets_a_contributor_account_without_a_password(world, login, inbox):
    invite(login(world.users["lena"]), world)
    account = get_user_model().objects.get(email="bea@example.org")
    assert not account.has_usable_password()
    assert account.memberships.get().role == "contributor"
    assert account.memberships.get().organisation == world.orgs["bracken"]


@pytest.mark.parametrize("name,status", [("ravi", 403), ("vera", 403), ("owen", 403),
                                         ("connie", 403), ("colin", 403), ("sam", 404)])
def test_only_the_lead_invites_and_reminds(world, login, name, status, inbox):
    client = login(world.users[name])
    assert client.get(PARTICIPATION).status_code == status
    assert client.get(PARTICIPATION + "invite/").status_code == status
    assert invite(client, world).status_code == status
    assert client.post(f"{PARTICIPATION}{participant(world).pk}/remind/").status_code == status
    assert client.post(PARTICIPATION + "remind-all/").status_code == status
    assert inbox.messages == [] and not Invitation.objects.exists()


def test_reminders_need_a_post_with_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["lena"])
    assert client.get(PARTICIPATION + "remind-all/").status_code == 405
    assert client.post(PARTICIPATION + "remind-all/").status_code == 403


def test_closed_reviews_send_no_invitations(world, login, inbox):
    lena = world.users["lena"]
    review_actions.change_review_status(review=world.review, status="assessing", by=lena)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    review_actions.update_review(review=world.review, closes_on=yesterday, by=lena)
    html = invite(login(lena), world).content.decode()
    assert "The review has closed" in html
    assert inbox.messages == []


def row_of(page: str, organisation: str) -> str:
    return page.split(f">{organisation}")[1].split("</tr>")[0]


def test_stopped_links_get_no_reminder_until_the_lead_invites_again(world, login, inbox):
    lena = login(world.users["lena"])
    invite(lena, world)
    invite(lena, world, org="ashby", name="Connie Contributor", address="connie@example.org")
    bracken = participant(world)
    lena.post(f"{PARTICIPATION}{bracken.pk}/revoke/")
    assert Invitation.objects.get(participant=bracken).revoke_reason == "stopped"
    inbox.messages.clear()
    lena.post(f"{PARTICIPATION}{bracken.pk}/remind/")
    page = lena.get(PARTICIPATION).content.decode()
    assert "links were stopped, so no reminder was sent" in page.replace("&#39;", "'")
    assert inbox.messages == []
    assert not Invitation.objects.filter(participant=bracken, revoked_at__isnull=True).exists()
    row = row_of(page, "Brackenford")
    assert "Send reminder" not in row and "Links stopped" in row
    assert "Remind all who have not submitted (0)" not in page

    lena.post(PARTICIPATION + "remind-all/")  # Ashby has submitted: nobody else to remind
    page = lena.get(PARTICIPATION).content.decode()
    assert "1 participant skipped because you stopped their links" in page
    assert inbox.messages == []

    invite(lena, world)  # a fresh invitation turns reminders back on
    assert lena.post(f"{PARTICIPATION}{bracken.pk}/remind/").status_code == 302
    assert inbox.messages[-1]["Subject"].startswith("Reminder:")
    assert Client().get(inbox.link()).status_code == 200


def test_inviting_again_ends_the_earlier_unused_link(world, login, inbox):
    lena = login(world.users["lena"])
    invite(lena, world)
    first = inbox.link()
    invite(lena, world)
    second = inbox.link()
    page = lena.get(PARTICIPATION).content.decode()
    assert "The 1 earlier unused link sent to Brackenford" in page and "no longer works." in page
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    assert Invitation.objects.filter(revoke_reason="replaced").count() == 1


def test_participation_status_is_coherent_for_imported_and_drafting_participants(world, login):
    from stocktake.report.importing import import_document
    from tests.collect.conftest import SUBMISSIONS

    lena = login(world.users["lena"])
    import_document(review=world.review, path=SUBMISSIONS / "ostley-community-health.txt",
                    by=world.users["lena"])
    colin = Client()
    colin.force_login(world.users["colin"])
    participant_id = participant(world).pk
    colin.post(f"{REVIEW}participants/{participant_id}/submission/",
               {"people--challenges": "Recruiting stayed hard.", "action": "save"})
    page = lena.get(PARTICIPATION).content.decode()
    ostley = row_of(page, "Ostley")
    assert "Submitted" in ostley and "Submission imported from a file" in ostley
    assert ostley.count("Not invited") == 1 and "Not submitted" not in ostley
    assert "Draft saved" in row_of(page, "Brackenford")
