"""Personal links to a participant's submission form, sent by email (docs/adr/0006).

The actions in :mod:`stocktake.collect.actions` create and end links; this module
finds a link from its token, says whether it still works, writes the email and
sends it through Django's email framework (``EMAIL_BACKEND``: the console by
default, SMTP when configured). A link whose email could not be sent is revoked
at once, so no working link exists that nobody received.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from stocktake.collect import actions
from stocktake.collect.models import Invitation, InvitationKind, Submission, SubmissionStatus
from stocktake.collect.tokens import hash_token
from stocktake.core.errors import InvalidInput
from stocktake.reviews.models import Participant, Review
from stocktake.reviews.workflow import ReviewStatus

LinkFor = Callable[[str], str]  # raw token -> the absolute URL to put in the email


def find(token: str) -> Invitation | None:
    """The invitation a token belongs to (live or not), or None."""
    if not token or len(token) > 100:
        return None
    return (Invitation.objects.select_related("review", "participant__organisation", "contact")
            .filter(token_hash=hash_token(token)).first())


def sending_refused(review: Review) -> str:
    """Why no invitation or reminder can be sent now ("" when one can): the form can be
    saved and submitted only while the review collects submissions, and a link only
    works until the review closes."""
    if not review_open(review):
        return "The review has closed, so a personal link would not work"
    if review.status != ReviewStatus.COLLECTING:
        return (f"The review is not collecting submissions (it is "
                f"{review.get_status_display().lower()}), so no invitations or reminders "
                "can be sent")
    return ""


def review_open(review: Review, today: dt.date | None = None) -> bool:
    """Links work until the review closes: its status is closed or its closing date passed."""
    today = today or timezone.localdate()
    if review.status == ReviewStatus.CLOSED:
        return False
    return review.closes_on is None or today <= review.closes_on


def is_live(invitation: Invitation, today: dt.date | None = None) -> bool:
    return invitation.revoked_at is None and review_open(invitation.review, today)


def may_sign_in(invitation: Invitation) -> bool:
    """Only accounts made for invitations are signed in by a link; anyone with a password
    (or staff) signs in as usual, so a leaked link cannot open a more powerful account."""
    contact = invitation.contact
    return (contact.is_active and not contact.has_usable_password()
            and not contact.is_staff and not contact.is_superuser)


def compose(invitation: Invitation, link: str, *, sender_name: str = "") -> EmailMessage:
    review, organisation = invitation.review, invitation.participant.organisation.name
    reminder = invitation.kind == InvitationKind.REMINDER
    name = invitation.participant.contact_name or "colleague"
    closes = (f"Submissions close on {review.closes_on:%-d %B %Y}." if review.closes_on
              else "")
    opener = (f"This is a reminder that {organisation}'s submission to {review.title} has not "
              "been submitted yet." if reminder else
              f"{sender_name or 'The review lead'} has invited {organisation} to take part in "
              f"{review.title}.")
    body = "\n".join([
        f"Dear {name},", "",
        opener, "",
        "Write your organisation's submission – key achievements, challenges, significant "
        "learning, examples of good practice and what should be kept, for each domain – "
        "using your personal link:", "",
        link, "",
        f"The link is for you only: anyone who has it can edit {organisation}'s submission. "
        "It works until the review closes. " + closes, "",
        "stocktake",
    ])
    subject = (f"Reminder: your submission to {review.title}" if reminder
               else f"Your invitation to {review.title}")
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[invitation.email])


def _deliver(invitation: Invitation, token: str, link_for: LinkFor, user) -> Invitation:
    sender = user.get_full_name() if getattr(user, "is_authenticated", False) else ""
    try:
        compose(invitation, link_for(token), sender_name=sender).send()
    except (OSError, smtplib.SMTPException) as exc:
        actions.revoke_invitation(invitation=invitation, by=user, reason="email not sent")
        raise InvalidInput(f"The email to {invitation.email} could not be sent "
                           f"({exc.__class__.__name__}); try again later") from None
    return actions.mark_sent(invitation=invitation, by=user)


def invite(*, review: Review, organisation, contact_name: str, email: str, by,
           link_for: LinkFor) -> Invitation:
    """Invite (or invite again) a participant's contact. Once the email is sent, the
    participant's earlier unused links stop working; ``invitation.replaced`` says how many."""
    if reason := sending_refused(review):
        raise InvalidInput(reason)
    invitation, token = actions.invite_contact(review=review, organisation=organisation,
                                               contact_name=contact_name, email=email, by=by)
    invitation = _deliver(invitation, token, link_for, by)
    invitation.replaced = actions.replace_unused_links(invitation=invitation, by=by)
    return invitation


def remind(*, participant: Participant, by, link_for: LinkFor) -> Invitation:
    if reason := sending_refused(participant.review):
        raise InvalidInput(reason)
    if has_submitted(participant):
        raise InvalidInput(f"{participant.organisation.name} has already submitted")
    invitation, token = actions.issue_reminder(participant=participant, by=by)
    return _deliver(invitation, token, link_for, by)


def has_submitted(participant: Participant) -> bool:
    return Submission.objects.filter(participant=participant,
                                     status=SubmissionStatus.SUBMITTED).exists()


@dataclass
class Reminders:
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one line each, naming the organisation
    skipped: list[str] = field(default_factory=list)  # never invited: no contact to remind
    stopped: list[str] = field(default_factory=list)  # the lead stopped their links
    refused: str = ""  # why none could be sent at all (the review is not collecting)


def draft_participant_ids(review: Review) -> set[int]:
    """Participants with a web-form draft saved and nothing submitted: for the lead's
    participation page, which says only that a draft exists (never what it says)."""
    return set(Submission.objects.filter(review=review, status=SubmissionStatus.DRAFT,
                                         source_document__isnull=True)
               .values_list("participant_id", flat=True))


def remind_all(*, review: Review, by, link_for: LinkFor) -> Reminders:
    """Remind every invited participant who has not submitted; one email each. Participants
    whose links the lead stopped are left out (``stopped``) until they are invited again."""
    result = Reminders(refused=sending_refused(review))
    if result.refused:
        return result
    submitted = set(Submission.objects.filter(review=review, status=SubmissionStatus.SUBMITTED)
                    .values_list("participant_id", flat=True))
    links: dict[int, list[Invitation]] = {}
    for invitation in Invitation.objects.filter(review=review):
        links.setdefault(invitation.participant_id, []).append(invitation)
    for participant in review.participants.select_related("organisation"):
        if participant.pk in submitted:
            continue
        name = participant.organisation.name
        if participant.pk not in links or not participant.contact_email:
            result.skipped.append(name)
            continue
        if actions.links_stopped(links[participant.pk]):
            result.stopped.append(name)
            continue
        try:
            remind(participant=participant, by=by, link_for=link_for)
            result.sent.append(name)
        except InvalidInput as exc:
            result.failed.append(f"{name}: {exc}")
    return result
