"""Asking owners for their updates in a stocktake cycle: personal links sent by email.

Mirrors :mod:`stocktake.collect.invitations` (docs/adr/0006): the actions in
:mod:`stocktake.track.actions.cycles` issue and end links; this module finds a link from
its token, says whether it still works, works out whom to ask, writes the email and sends
it through Django's email framework. A link whose email could not be sent is revoked at
once, so no working link exists that nobody received. A link works until the cycle closes
or the lead stops it; each reminder sends a new one.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from stocktake.collect.tokens import hash_token
from stocktake.core.errors import InvalidInput
from stocktake.reviews.models import Membership, Organisation, Participant, Role
from stocktake.track import actions
from stocktake.track.actions.cycles import check_open
from stocktake.track.models import CycleEntry, CycleStatus, StocktakeCycle, UpdateRequest

LinkFor = Callable[[str], str]  # raw token -> the absolute URL to put in the email


def find(token: str) -> UpdateRequest | None:
    """The request a token belongs to (live or not), or None."""
    if not token or len(token) > 100:
        return None
    return (UpdateRequest.objects.select_related("cycle__review", "organisation", "contact")
            .filter(token_hash=hash_token(token)).first())


def is_live(request: UpdateRequest) -> bool:
    return request.revoked_at is None and request.cycle.status == CycleStatus.OPEN


def may_sign_in(request: UpdateRequest) -> bool:
    """Only accounts made for links are signed in by one; anyone with a password (or staff)
    signs in as usual, so a leaked link cannot open a more powerful account."""
    contact = request.contact
    return (contact.is_active and not contact.has_usable_password()
            and not contact.is_staff and not contact.is_superuser)


# -- who is asked ------------------------------------------------------------------------

def owner_expression():
    """An entry's owner organisation: its own (a system, an innovation's organisation), else
    its recommendation's owner."""
    return Coalesce(F("organisation_id"), F("recommendation__owner_id"))


@dataclass(frozen=True)
class OwnerProgress:
    organisation_id: int
    name: str
    items: int
    updated: int  # items with at least one update in this cycle
    contact: str  # the email the last link went to ("" none sent)
    last_sent: dt.datetime | None
    live_links: int

    @property
    def answered(self) -> bool:
        return self.items > 0 and self.updated == self.items

    @property
    def waiting(self) -> int:
        return self.items - self.updated


def owner_progress(cycle: StocktakeCycle) -> list[OwnerProgress]:
    """Per owner organisation: its items in the cycle, how many it has updated, its links."""
    counts = (CycleEntry.objects.filter(cycle=cycle).annotate(owner=owner_expression())
              .exclude(owner=None).values("owner")
              .annotate(items=Count("id"), updated=Count("id", filter=Q(updates__gt=0))))
    rows = {row["owner"]: row for row in counts}
    names = dict(Organisation.objects.filter(pk__in=rows).values_list("pk", "name"))
    sent: dict[int, UpdateRequest] = {}
    live: dict[int, int] = {}
    for request in UpdateRequest.objects.filter(cycle=cycle).order_by("created_at", "id"):
        if request.sent_at:
            sent[request.organisation_id] = request
        if request.revoked_at is None and request.sent_at:
            live[request.organisation_id] = live.get(request.organisation_id, 0) + 1
    return sorted((OwnerProgress(
        organisation_id=org_id, name=names.get(org_id, ""), items=row["items"],
        updated=row["updated"], contact=sent[org_id].email if org_id in sent else "",
        last_sent=sent[org_id].sent_at if org_id in sent else None,
        live_links=live.get(org_id, 0)) for org_id, row in rows.items()),
        key=lambda o: o.name.lower())


def known_contact(cycle: StocktakeCycle, organisation_id: int) -> tuple[str, str] | None:
    """Whom to ask for an organisation: the contact of its latest link in this review's cycles,
    else its action owner in the review, else the contact it gave as a participant."""
    review = cycle.review
    last = (UpdateRequest.objects.filter(cycle__review=review, organisation_id=organisation_id,
                                         sent_at__isnull=False)
            .select_related("contact").order_by("-created_at", "-id").first())
    if last is not None:
        return last.contact.get_full_name() or last.email, last.email
    member = (Membership.objects.filter(review=review, role=Role.ACTION_OWNER,
                                        organisation_id=organisation_id)
              .exclude(user__email="").select_related("user").order_by("id").first())
    if member is not None:
        return member.user.get_full_name() or member.user.email, member.user.email
    participant = (Participant.objects.filter(review=review, organisation_id=organisation_id)
                   .exclude(contact_email="").first())
    if participant is not None:
        return participant.contact_name or participant.contact_email, participant.contact_email
    return None


# -- the email ---------------------------------------------------------------------------

def compose(request: UpdateRequest, link: str, *, items: int, sender_name: str = "") -> EmailMessage:
    cycle, organisation = request.cycle, request.organisation.name
    review = cycle.review
    name = request.contact.get_full_name() or "colleague"
    things = f"{items} item{'s' if items != 1 else ''}"
    opener = (f"This is a reminder that {organisation} has not yet updated every item it owns "
              f"in {cycle.title}." if request.reminder else
              f"{sender_name or 'The review lead'} has started {cycle.title}, a stocktake of "
              f"{review.title}, and asks {organisation} for an update.")
    body = "\n".join([
        f"Dear {name},", "",
        opener, "",
        f"{organisation} owns {things} in this stocktake: recommendations of the report and "
        "innovations. For each, say where it stands now – its status, a red, amber or green "
        "rating, what has been done and the evidence – using your personal link:", "",
        link, "",
        f"Please update them by {cycle.deadline:%-d %B %Y}.", "",
        f"The link is for you only: anyone who has it can update {organisation}'s items. "
        "It works until the stocktake closes.", "",
        "stocktake",
    ])
    subject = (f"Reminder: your update for {cycle.title}" if request.reminder
               else f"Your update for {cycle.title}")
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[request.email])


def _deliver(request: UpdateRequest, token: str, link_for: LinkFor, by, items: int):
    sender = by.get_full_name() if getattr(by, "is_authenticated", False) else ""
    try:
        compose(request, link_for(token), items=items, sender_name=sender).send()
    except (OSError, smtplib.SMTPException) as exc:
        actions.revoke_update_request(request=request, by=by, reason="email not sent")
        raise InvalidInput(f"The email to {request.email} could not be sent "
                           f"({exc.__class__.__name__}); try again later") from None
    return actions.mark_request_sent(request=request, by=by)


def send_one(*, cycle: StocktakeCycle, organisation, contact_name: str, email: str, by,
             link_for: LinkFor, reminder: bool = False) -> UpdateRequest:
    """Ask one organisation (perhaps a new contact) for its updates: a new personal link."""
    items = {o.organisation_id: o.items for o in owner_progress(cycle)}
    if organisation.pk not in items:
        raise InvalidInput(f"{organisation.name} owns nothing in cycle {cycle.number}")
    request, token = actions.issue_update_request(
        cycle=cycle, organisation=organisation, contact_name=contact_name, email=email, by=by,
        reminder=reminder)
    return _deliver(request, token, link_for, by, items[organisation.pk])


@dataclass
class Sent:
    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # asked before (send) / recently (remind)
    answered: list[str] = field(default_factory=list)  # every item updated: no reminder
    no_contact: list[str] = field(default_factory=list)
    stopped: list[str] = field(default_factory=list)  # the lead stopped their links
    failed: list[str] = field(default_factory=list)  # one line each, naming the organisation


def send_requests(*, cycle: StocktakeCycle, by, link_for: LinkFor) -> Sent:
    """Email every owner organisation not yet asked in this cycle its personal link."""
    check_open(cycle)
    result = Sent()
    for owner in owner_progress(cycle):
        if owner.last_sent is not None:
            result.already.append(owner.name)
            continue
        _send(cycle, owner, by, link_for, result, reminder=False)
    return result


def reminders_due(cycle: StocktakeCycle, today: dt.date) -> bool:
    """Whether the daily reminder job reminds in ``cycle`` on ``today``: it is open and its
    reminder date (if the lead set one) has come."""
    return cycle.status == CycleStatus.OPEN and (
        cycle.reminders_from is None or cycle.reminders_from <= today)


def remind(*, cycle: StocktakeCycle, by, link_for: LinkFor, every: dt.timedelta | None = None,
           now: dt.datetime | None = None) -> Sent:
    """Remind the owner organisations with items not yet updated in this cycle: a new link
    each. ``every``: leave out those sent a link less than this long ago (for a daily cron)."""
    if cycle.status != CycleStatus.OPEN:
        raise InvalidInput(f"Cycle {cycle.number} is closed, so no reminders can be sent")
    now = now or timezone.now()
    result = Sent()
    for owner in owner_progress(cycle):
        if owner.answered:
            result.answered.append(owner.name)
        elif owner.last_sent is None:
            result.no_contact.append(owner.name)  # never asked: send the request first
        elif owner.live_links == 0:
            result.stopped.append(owner.name)
        elif every is not None and now - owner.last_sent < every:
            result.already.append(owner.name)
        else:
            _send(cycle, owner, by, link_for, result, reminder=True)
    return result


def _send(cycle, owner: OwnerProgress, by, link_for, result: Sent, *, reminder: bool) -> None:
    contact = known_contact(cycle, owner.organisation_id)
    if contact is None:
        result.no_contact.append(owner.name)
        return
    organisation = Organisation.objects.get(pk=owner.organisation_id)
    try:
        request, token = actions.issue_update_request(
            cycle=cycle, organisation=organisation, contact_name=contact[0], email=contact[1],
            by=by, reminder=reminder)
        _deliver(request, token, link_for, by, owner.items)
        result.sent.append(owner.name)
    except InvalidInput as exc:
        result.failed.append(f"{owner.name}: {exc}")
