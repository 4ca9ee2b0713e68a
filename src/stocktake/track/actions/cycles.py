"""Stocktake cycles: start one (carrying over the review's items), issue owners' personal
links, record their use, and close a cycle (its entries frozen).

Sending the emails is :mod:`stocktake.track.cycle_requests` (as invitations are
:mod:`stocktake.collect.invitations`); these actions only change the database.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from stocktake.collect.tokens import hash_token, new_token
from stocktake.core import audit
from stocktake.core.errors import InvalidInput, InvalidTransition
from stocktake.report.models import Recommendation, RecommendationStatus
from stocktake.reviews import actions as review_actions
from stocktake.reviews.models import OrganisationLevel, Review, Role
from stocktake.reviews.orgtree import OrgTree
from stocktake.track.actions.cycle_entries import SPREAD
from stocktake.track.models import (
    CycleEntry,
    CycleStatus,
    Innovation,
    StocktakeCycle,
    SystemStatus,
    UpdateRequest,
)

MAX_TITLE = 255


@transaction.atomic
def start_cycle(*, review: Review, title: str, opens_on: dt.date, deadline: dt.date, by,
                note: str = "", reminders_from: dt.date | None = None) -> StocktakeCycle:
    """Start the review's next stocktake cycle (number N + 1) and carry over its items: every
    published recommendation (one entry per system where it is tracked per system) and every
    innovation logged in the review or by an organisation of its region, each with its
    standing now. One cycle is open at a time. ``reminders_from``: the first day the daily
    reminder job reminds owners (None: from the day it opens)."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if not review.is_published:
        raise InvalidTransition("A stocktake follows a published report: publish the report "
                                "before starting a cycle")
    title = " ".join((title or "").split())
    if not title:
        raise InvalidInput("Enter a title for the cycle")
    if len(title) > MAX_TITLE:
        raise InvalidInput(f"The title must be {MAX_TITLE} characters or fewer")
    check_dates(opens_on=opens_on, deadline=deadline, reminders_from=reminders_from)
    still_open = review.stocktake_cycles.filter(status=CycleStatus.OPEN).first()
    if still_open is not None:
        raise InvalidTransition(f"Cycle {still_open.number} ({still_open.title}) is still open: "
                                "close it before starting the next")
    number = (review.stocktake_cycles.aggregate(n=Max("number"))["n"] or 0) + 1
    cycle = StocktakeCycle.objects.create(
        review=review, number=number, title=title, opens_on=opens_on, deadline=deadline,
        reminders_from=reminders_from, note=note.strip(), created_by=by if getattr(by, "is_authenticated", False) else None)
    recommendations, innovations = _carry_over(cycle)
    audit.record(actor=by, verb="cycle.started", subject=cycle, review=review, number=number,
                 recommendations=recommendations, innovations=innovations)
    return cycle


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def check_dates(*, opens_on: dt.date | None, deadline: dt.date | None,
                reminders_from: dt.date | None = None) -> None:
    """InvalidInput, naming the date at fault, unless the cycle opens on or before its
    deadline and reminders (if dated) start between the two."""
    if opens_on is None or deadline is None:
        raise InvalidInput("Enter the date the cycle opens and its deadline")
    if deadline < opens_on:
        raise InvalidInput(f"The deadline ({_day(deadline)}) must be on or after the date "
                           f"the cycle opens ({_day(opens_on)})")
    if reminders_from is not None and not opens_on <= reminders_from <= deadline:
        raise InvalidInput(f"Reminders must start between the day the cycle opens "
                           f"({_day(opens_on)}) and its deadline ({_day(deadline)}): "
                           f"{_day(reminders_from)} is not")


@transaction.atomic
def set_cycle_dates(*, cycle: StocktakeCycle, deadline: dt.date,
                    reminders_from: dt.date | None, by) -> StocktakeCycle:
    """Move an open cycle's deadline and the date reminders start (None: from the day it
    opens). A closed cycle's dates are its record and stay as they were."""
    cycle = StocktakeCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != CycleStatus.OPEN:
        raise InvalidTransition(f"Cycle {cycle.number} is closed: its dates are kept as they "
                                "were")
    check_dates(opens_on=cycle.opens_on, deadline=deadline, reminders_from=reminders_from)
    changed = {name: value.isoformat() if value else None
               for name, value in (("deadline", deadline), ("reminders_from", reminders_from))
               if getattr(cycle, name) != value}
    if not changed:
        return cycle
    cycle.deadline, cycle.reminders_from = deadline, reminders_from
    cycle.save(update_fields=["deadline", "reminders_from"])
    audit.record(actor=by, verb="cycle.dates_changed", subject=cycle, review=cycle.review,
                 number=cycle.number, **changed)
    return cycle


def cycle_innovations(review: Review):
    """The innovations a review's cycles follow: logged in the review, or by an organisation
    of its region (the region and everything below it)."""
    condition = Q(review=review)
    if review.region_id:
        condition |= Q(organisation_id__in=OrgTree.shared().descendants(review.region_id))
    return Innovation.objects.filter(condition)


def _carry_over(cycle: StocktakeCycle) -> tuple[int, int]:
    review = cycle.review
    recs = list(Recommendation.objects.filter(review=review)
                .exclude(status=RecommendationStatus.DRAFT).order_by("number"))
    systems = None
    per_system_rows: dict[int, list[tuple[int, str, str]]] = {}
    for rec_id, org_id, status, rag in SystemStatus.objects.filter(
            recommendation__in=[r for r in recs if r.per_system]).values_list(
            "recommendation_id", "organisation_id", "status", "rag"):
        per_system_rows.setdefault(rec_id, []).append((org_id, status, rag))
    entries = []
    for rec in recs:
        if rec.per_system:
            rows = per_system_rows.get(rec.pk)
            if rows is None:  # no status recorded per system yet: each starts from the whole
                if systems is None:
                    systems = ([s.id for s in OrgTree.shared().below(
                        review.region_id, levels=[OrganisationLevel.SYSTEM])]
                        if review.region_id else [])
                rows = [(system_id, rec.status, rec.rag) for system_id in systems]
            entries.extend(CycleEntry(cycle=cycle, recommendation=rec, organisation_id=org_id,
                                      status=status, rag=rag or "")
                           for org_id, status, rag in rows)
        else:
            entries.append(CycleEntry(cycle=cycle, recommendation=rec, status=rec.status,
                                      rag=rec.rag or ""))
    innovations = list(cycle_innovations(review).annotate(
        spread=Count("adoptions", filter=Q(adoptions__status__in=SPREAD)))
        .values_list("pk", "organisation_id", "outcome", "spread"))
    entries.extend(CycleEntry(cycle=cycle, innovation_id=pk, organisation_id=org_id,
                              outcome=outcome, adoptions=spread)
                   for pk, org_id, outcome, spread in innovations)
    CycleEntry.objects.bulk_create(entries, batch_size=1000)
    return len(recs), len(innovations)


def _contact_account(*, email: str, name: str, by):
    """The account a link signs in: an existing one with this email, or a new one made with
    no usable password (docs/adr/0006)."""
    User = get_user_model()
    found = User.objects.filter(email__iexact=email).order_by("id").first()
    if found is not None:
        return found
    base = email.lower()[:140]
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return review_actions.create_user(username=username, email=email, full_name=name, by=by)


def check_open(cycle: StocktakeCycle) -> None:
    if cycle.status != CycleStatus.OPEN:
        raise InvalidTransition(f"Cycle {cycle.number} is closed: its links no longer work, so "
                                "no requests or reminders can be sent")


@transaction.atomic
def issue_update_request(*, cycle: StocktakeCycle, organisation, contact_name: str, email: str,
                         by, reminder: bool = False) -> tuple[UpdateRequest, str]:
    """Issue a personal link asking ``organisation``'s contact for updates in ``cycle``: the
    contact gets an account (if they have none) and the action owner role for the
    organisation in this review. Returns (request, raw token): the token goes in the email
    only; its SHA-256 hash is kept."""
    check_open(cycle)
    contact_name, email = " ".join((contact_name or "").split()), (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(f"{email or 'The email address'} is not a valid email address "
                           f"(for {organisation.name})") from None
    contact = _contact_account(email=email, name=contact_name or email, by=by)
    review_actions.add_member(review=cycle.review, member=contact, role=Role.ACTION_OWNER,
                              organisation=organisation, by=by)
    token = new_token()
    request = UpdateRequest.objects.create(
        cycle=cycle, organisation=organisation, contact=contact, email=email,
        token_hash=hash_token(token), reminder=reminder,
        created_by=by if getattr(by, "is_authenticated", False) else None)
    audit.record(actor=by, verb="cycle.reminder_created" if reminder else "cycle.request_created",
                 subject=request, review=cycle.review, cycle=cycle.number,
                 organisation=organisation.pk, contact=contact.pk)
    return request, token


@transaction.atomic
def mark_request_sent(*, request: UpdateRequest, by) -> UpdateRequest:
    request.sent_at = timezone.now()
    request.save(update_fields=["sent_at"])
    audit.record(actor=by, verb="cycle.request_sent", subject=request,
                 review=request.cycle.review, cycle=request.cycle.number,
                 organisation=request.organisation_id, reminder=request.reminder)
    return request


@transaction.atomic
def revoke_update_request(*, request: UpdateRequest, by, reason: str = "revoked") -> UpdateRequest:
    if request.revoked_at is None:
        request.revoked_at = timezone.now()
        request.save(update_fields=["revoked_at"])
        audit.record(actor=by, verb="cycle.request_revoked", subject=request,
                     review=request.cycle.review, cycle=request.cycle.number, reason=reason)
    return request


@transaction.atomic
def revoke_organisation_links(*, cycle: StocktakeCycle, organisation, by) -> int:
    """Stop every live link of ``organisation`` in ``cycle`` (a lead's "Stop links working")."""
    live = list(UpdateRequest.objects.filter(cycle=cycle, organisation=organisation,
                                             revoked_at__isnull=True))
    for request in live:
        revoke_update_request(request=request, by=by, reason="stopped by lead")
    return len(live)


@transaction.atomic
def record_request_used(*, request: UpdateRequest) -> UpdateRequest:
    """The contact followed the link and signed in (the contact is the actor)."""
    request.last_used_at = timezone.now()
    request.save(update_fields=["last_used_at"])
    audit.record(actor=request.contact, verb="cycle.request_used", subject=request,
                 review=request.cycle.review, cycle=request.cycle.number)
    return request


@transaction.atomic
def close_cycle(*, cycle: StocktakeCycle, by) -> StocktakeCycle:
    """Close the cycle: its entries are frozen as its record, and its links stop working."""
    cycle = StocktakeCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status == CycleStatus.CLOSED:
        raise InvalidTransition(f"Cycle {cycle.number} is already closed")
    cycle.status, cycle.closed_at = CycleStatus.CLOSED, timezone.now()
    cycle.save(update_fields=["status", "closed_at"])
    revoked = UpdateRequest.objects.filter(cycle=cycle, revoked_at__isnull=True).update(
        revoked_at=cycle.closed_at)
    audit.record(actor=by, verb="cycle.closed", subject=cycle, review=cycle.review,
                 number=cycle.number, links_ended=revoked)
    return cycle
