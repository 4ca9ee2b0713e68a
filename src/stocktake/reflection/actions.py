"""State changes of reflection sessions: schedule, edit, cancel, hold; the agenda (drafted
from the assessment, edited, reset to the draft); notes (autosaved, revision-checked); the
summary; and findings made from a line of the notes.

Leads and reviewers do all of it (the ``code_findings`` capability); ``by=None`` is the
system (the demo, scripts). Audit events name attendees by id and count lines; never a
name, an email address or the text of the notes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone

from stocktake.assess.actions import suggest_codes
from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
from stocktake.collect.models import Finding, SectionKind, Submission, SubmissionStatus
from stocktake.core import audit
from stocktake.core.actors import acting_user
from stocktake.core.edits import apply_changes, check_fields, check_revision
from stocktake.core.errors import EditConflict, InvalidInput, InvalidTransition
from stocktake.core.richtext import MAX_SOURCE, to_html
from stocktake.reflection.agenda import draft_agenda, session_organisation_ids
from stocktake.reflection.models import (
    ReflectionSession,
    SessionAttendee,
    SessionFinding,
    SessionOrganisation,
    SessionStatus,
)
from stocktake.reviews import actions as review_actions
from stocktake.reviews.models import Organisation, OrganisationLevel, Participant, Review
from stocktake.reviews.orgtree import OrgTree
from stocktake.reviews.permissions import access_for
from stocktake.reviews.workflow import ReviewStatus

MIN_MINUTES, MAX_MINUTES = 15, 8 * 60
MAX_NOTES = 200_000  # characters: a long afternoon typed fast is under 60,000
MAX_ATTENDEES = 100
EDITABLE = ("title", "starts_at", "duration_minutes", "place", "video_link", "open_questions")
# A change to these moves the calendar event: its SEQUENCE goes up.
CALENDAR_FIELDS = {"title", "starts_at", "duration_minutes", "place", "video_link"}
NOTES_CONFLICT = (
    "These notes were changed by someone else while you were typing. Nothing "
    "was saved: copy what you typed, reload to see their version, then add it "
    "again."
)


@dataclass(frozen=True)
class NewAttendee:
    name: str
    email: str = ""
    role: str = ""
    from_contacts: bool = False


def _require(review: Review, by) -> None:
    """Leads and reviewers run sessions; None is the system."""
    if by is not None:
        access_for(by, review).require("code_findings")
    if review.status == ReviewStatus.CLOSED:
        raise InvalidTransition(f"{review.title} is closed: its sessions can no longer change")


def _clean_fields(review: Review, fields: dict) -> dict:
    out = dict(fields)
    if "title" in out:
        out["title"] = " ".join((out["title"] or "").split())
        if not out["title"]:
            raise InvalidInput("Enter the session's title")
        if len(out["title"]) > 200:
            raise InvalidInput("The session's title must be 200 characters or fewer")
    if "starts_at" in out:
        when = out["starts_at"]
        if when is None:
            raise InvalidInput("Enter the date and time the session starts")
        if timezone.is_naive(when):
            raise InvalidInput("The session's start needs a time zone")
    if "duration_minutes" in out:
        minutes = out["duration_minutes"]
        if (
            isinstance(minutes, bool)
            or not isinstance(minutes, int)
            or not (MIN_MINUTES <= minutes <= MAX_MINUTES)
        ):
            raise InvalidInput(
                f"A session lasts between {MIN_MINUTES} minutes and "
                f"{MAX_MINUTES // 60} hours (in minutes, for example 90)"
            )
    if "place" in out:
        out["place"] = " ".join((out["place"] or "").split())
        if len(out["place"]) > 255:
            raise InvalidInput("The place must be 255 characters or fewer")
    if "video_link" in out:
        link = (out["video_link"] or "").strip()
        if link:
            try:
                URLValidator(schemes=["https", "http"])(link)
            except ValidationError:
                raise InvalidInput(
                    "Enter the video link as a web address starting with https://"
                ) from None
            if len(link) > 500:
                raise InvalidInput("The video link must be 500 characters or fewer")
        out["video_link"] = link
    if "open_questions" in out:
        out["open_questions"] = (out["open_questions"] or "").replace("\r\n", "\n").strip()
        if len(out["open_questions"]) > 10_000:
            raise InvalidInput("The open questions must be 10,000 characters or fewer")
    return out


def _check_organisations(
    review: Review, organisations: Sequence[Organisation], tree: OrgTree
) -> list[Organisation]:
    """The session's organisations: each a participant of the review, or a system one of
    them is in. At least one."""
    chosen = list(dict.fromkeys(organisations))
    if not chosen:
        raise InvalidInput("Choose the system or participants the session is with")
    taking_part = set(
        Participant.objects.filter(review=review).values_list("organisation_id", flat=True)
    )
    for org in chosen:
        below = tree.descendants(org.pk)
        if org.pk in taking_part or (org.level == OrganisationLevel.SYSTEM and below & taking_part):
            continue
        raise InvalidInput(
            f"{org.name} does not take part in {review.title}: choose one of its "
            "participants or their system"
        )
    return chosen


def _attendee_rows(session, attendees: Iterable[NewAttendee]) -> list[SessionAttendee]:
    rows = []
    for number, attendee in enumerate(attendees, start=1):
        name = " ".join((attendee.name or "").split())
        email = (attendee.email or "").strip()
        role = " ".join((attendee.role or "").split())
        if not name and not email:
            continue
        if not name:
            raise InvalidInput(f"Attendee {number}: enter their name")
        if len(name) > 200 or len(role) > 200:
            raise InvalidInput(f"Attendee {number}: a name or role must be 200 characters or fewer")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise InvalidInput(
                    f"Attendee {number}: enter an email address in the "
                    "correct format, like name@example.org"
                ) from None
        rows.append(
            SessionAttendee(
                session=session,
                name=name,
                email=email,
                role=role,
                from_contacts=attendee.from_contacts,
            )
        )
    if len(rows) > MAX_ATTENDEES:
        raise InvalidInput(f"A session has at most {MAX_ATTENDEES} attendees")
    return rows


def _draft(session: ReflectionSession, tree: OrgTree | None = None) -> None:
    session.agenda_source = draft_agenda(session, tree=tree).markdown()
    session.agenda_html = to_html(session.agenda_source)
    session.agenda_drafted = True


@transaction.atomic
def schedule_session(
    *,
    review: Review,
    title: str,
    starts_at,
    organisations: Sequence[Organisation],
    by,
    duration_minutes: int = 90,
    place: str = "",
    video_link: str = "",
    attendees: Iterable[NewAttendee] = (),
    open_questions: str = "",
    tree: OrgTree | None = None,
) -> ReflectionSession:
    """A new session, its agenda drafted from the assessment as it stands."""
    _require(review, by)
    tree = tree or OrgTree.load()
    fields = _clean_fields(
        review,
        {
            "title": title,
            "starts_at": starts_at,
            "duration_minutes": duration_minutes,
            "place": place,
            "video_link": video_link,
            "open_questions": open_questions,
        },
    )
    chosen = _check_organisations(review, organisations, tree)
    user = acting_user(by)
    session = ReflectionSession.objects.create(
        review=review, created_by=user, updated_by=user, **fields
    )
    SessionOrganisation.objects.bulk_create(
        [SessionOrganisation(session=session, organisation=org) for org in chosen]
    )
    rows = SessionAttendee.objects.bulk_create(_attendee_rows(session, attendees))
    _draft(session, tree)
    session.save(update_fields=["agenda_source", "agenda_html", "agenda_drafted"])
    audit.record(
        actor=by,
        verb="reflection.scheduled",
        subject=session,
        review=review,
        organisations=[org.pk for org in chosen],
        attendees=[a.pk for a in rows],
    )
    return session


def _locked(session: ReflectionSession) -> ReflectionSession:
    return ReflectionSession.objects.select_related("review").select_for_update().get(pk=session.pk)


def _bump(session: ReflectionSession, by, fields: list[str]) -> None:
    session.revision += 1
    session.updated_by = acting_user(by)
    session.save(update_fields=[*fields, "revision", "updated_by", "updated_at"])


@transaction.atomic
def update_session(
    *,
    session: ReflectionSession,
    by,
    expected_revision: int | None = None,
    organisations: Sequence[Organisation] | None = None,
    attendees: Iterable[NewAttendee] | None = None,
    **changes,
) -> ReflectionSession:
    """Change a session's schedule, its organisations or its attendees (each given only
    when it changes); refused when someone saved it since ``expected_revision``."""
    session = _locked(session)
    _require(session.review, by)
    check_revision(session, expected_revision, what="this session")
    if session.status == SessionStatus.CANCELLED:
        raise InvalidTransition("This session was cancelled: schedule a new one instead")
    check_fields(changes, allowed=EDITABLE, what="a reflection session")
    changed = apply_changes(session, _clean_fields(session.review, changes))
    details: dict = {}
    if organisations is not None:
        chosen = _check_organisations(session.review, organisations, OrgTree.load())
        before = set(session.organisations.values_list("organisation_id", flat=True))
        if before != {org.pk for org in chosen}:
            session.organisations.all().delete()
            SessionOrganisation.objects.bulk_create(
                [SessionOrganisation(session=session, organisation=org) for org in chosen]
            )
            details["organisations"] = [org.pk for org in chosen]
    if attendees is not None:
        rows = _attendee_rows(session, attendees)
        old = [(a.name, a.email, a.role, a.from_contacts) for a in session.attendees.all()]
        if old != [(a.name, a.email, a.role, a.from_contacts) for a in rows]:
            session.attendees.all().delete()
            details["attendees"] = [a.pk for a in SessionAttendee.objects.bulk_create(rows)]
    if not changed and not details:
        return session
    if CALENDAR_FIELDS & set(changed):
        session.sequence += 1
        changed.append("sequence")
    if session.agenda_drafted and (
        {"duration_minutes", "open_questions"} & set(changed) or "organisations" in details
    ):
        _draft(session)  # an untouched draft follows what it was drafted from
        changed += ["agenda_source", "agenda_html"]
    _bump(session, by, changed)
    audit.record(
        actor=by,
        verb="reflection.updated",
        subject=session,
        review=session.review,
        fields=sorted(set(changed) - {"sequence", "agenda_source", "agenda_html"}),
        **details,
    )
    return session


@transaction.atomic
def cancel_session(*, session: ReflectionSession, by, reason: str = "") -> ReflectionSession:
    session = _locked(session)
    _require(session.review, by)
    if session.status != SessionStatus.SCHEDULED:
        raise InvalidTransition(
            f"Only a scheduled session can be cancelled; this one is "
            f"{session.get_status_display().lower()}"
        )
    reason = " ".join((reason or "").split())
    if len(reason) > 255:
        raise InvalidInput("The reason must be 255 characters or fewer")
    session.status, session.cancel_reason = SessionStatus.CANCELLED, reason
    session.sequence += 1
    _bump(session, by, ["status", "cancel_reason", "sequence"])
    audit.record(
        actor=by,
        verb="reflection.cancelled",
        subject=session,
        review=session.review,
        reason_given=bool(reason),
    )
    return session


@transaction.atomic
def mark_held(*, session: ReflectionSession, by) -> ReflectionSession:
    session = _locked(session)
    _require(session.review, by)
    if session.status != SessionStatus.SCHEDULED:
        raise InvalidTransition(
            f"Only a scheduled session can be marked as held; this one is "
            f"{session.get_status_display().lower()}"
        )
    session.status = SessionStatus.HELD
    _bump(session, by, ["status"])
    audit.record(actor=by, verb="reflection.held", subject=session, review=session.review)
    return session


def _markdown(source: str, what: str) -> tuple[str, str]:
    source = (source or "").replace("\r\n", "\n").strip()
    if len(source) > MAX_SOURCE:
        raise InvalidInput(f"The {what} must be {MAX_SOURCE:,} characters or fewer")
    return source, to_html(source)


@transaction.atomic
def edit_agenda(
    *, session: ReflectionSession, source: str, by, expected_revision: int | None = None
) -> ReflectionSession:
    session = _locked(session)
    _require(session.review, by)
    check_revision(session, expected_revision, what="this session's agenda")
    source, html = _markdown(source, "agenda")
    if source == session.agenda_source:
        return session
    session.agenda_source, session.agenda_html, session.agenda_drafted = source, html, False
    _bump(session, by, ["agenda_source", "agenda_html", "agenda_drafted"])
    audit.record(
        actor=by,
        verb="reflection.agenda_edited",
        subject=session,
        review=session.review,
        characters=len(source),
    )
    return session


@transaction.atomic
def reset_agenda(
    *, session: ReflectionSession, by, expected_revision: int | None = None
) -> ReflectionSession:
    """The agenda drafted again from the assessment as it stands now (edits are lost)."""
    session = _locked(session)
    _require(session.review, by)
    check_revision(session, expected_revision, what="this session's agenda")
    _draft(session)
    _bump(session, by, ["agenda_source", "agenda_html", "agenda_drafted"])
    audit.record(actor=by, verb="reflection.agenda_drafted", subject=session, review=session.review)
    return session


@transaction.atomic
def save_notes(
    *, session: ReflectionSession, notes: str, by, expected_revision: int | None = None
) -> ReflectionSession:
    """The reviewers' notes as typed (autosaved every few seconds): refused when someone
    else saved them since ``expected_revision`` (their ``notes_revision``)."""
    session = _locked(session)
    _require(session.review, by)
    if session.status == SessionStatus.CANCELLED:
        raise InvalidTransition("This session was cancelled: it takes no notes")
    if expected_revision is not None and int(expected_revision) != session.notes_revision:
        raise EditConflict(NOTES_CONFLICT)
    notes = (notes or "").replace("\r\n", "\n")
    if len(notes) > MAX_NOTES:
        raise InvalidInput(
            f"The notes must be {MAX_NOTES:,} characters or fewer: start a "
            "second session's notes for the rest"
        )
    if notes == session.notes:
        return session
    first_save = not session.notes
    session.notes = notes
    session.notes_revision += 1
    session.notes_saved_at = timezone.now()
    session.notes_saved_by = acting_user(by)
    session.save(update_fields=["notes", "notes_revision", "notes_saved_at", "notes_saved_by"])
    if first_save:  # one event when note-taking starts, not one per autosave
        audit.record(
            actor=by, verb="reflection.notes_started", subject=session, review=session.review
        )
    return session


@transaction.atomic
def write_summary(
    *, session: ReflectionSession, source: str, by, expected_revision: int | None = None
) -> ReflectionSession:
    session = _locked(session)
    _require(session.review, by)
    check_revision(session, expected_revision, what="this session's summary")
    source, html = _markdown(source, "summary")
    if source == session.summary_source:
        return session
    session.summary_source, session.summary_html = source, html
    _bump(session, by, ["summary_source", "summary_html"])
    audit.record(
        actor=by,
        verb="reflection.summary_written",
        subject=session,
        review=session.review,
        characters=len(source),
    )
    return session


def note_lines(notes: str) -> list[tuple[int, str]]:
    """(line number from 1, text) of each non-blank line of the notes, list markers and
    Markdown heading marks dropped."""
    out = []
    for number, line in enumerate((notes or "").split("\n"), start=1):
        text = line.strip().lstrip("-*•#").strip()
        if text:
            out.append((number, text))
    return out


def note_organisations(session: ReflectionSession, tree: OrgTree) -> list[Organisation]:
    """Whom a finding from the notes may be about: the session's organisations and the
    review's participants among or below them."""
    chosen = list(session.organisations.values_list("organisation_id", flat=True))
    ids = session_organisation_ids(chosen, tree)
    taking_part = set(
        Participant.objects.filter(review=session.review_id).values_list(
            "organisation_id", flat=True
        )
    )
    wanted = set(chosen) | (ids & taking_part)
    return list(Organisation.objects.filter(pk__in=wanted).order_by("level", "name"))


@transaction.atomic
def finding_from_note(
    *,
    session: ReflectionSession,
    line: int,
    organisation: Organisation,
    by,
    text: str | None = None,
    domain=None,
    section: str = SectionKind.LEARNING,
) -> Finding:
    """A finding made from line ``line`` of the notes (``text``: its wording, if edited),
    about ``organisation``, stored in the session's submission for that organisation
    (submitted: the session's findings are evidence like any other), linked to the session
    and coded by the machine at once."""
    session = _locked(session)
    review = session.review
    _require(review, by)
    if session.status == SessionStatus.CANCELLED:
        raise InvalidTransition("This session was cancelled: it makes no findings")
    lines = dict(note_lines(session.notes))
    if line not in lines:
        raise InvalidInput(
            f"Line {line} of the notes is empty or gone: save the notes and choose the line again"
        )
    wording = " ".join((text if text is not None else lines[line]).split())
    if not wording:
        raise InvalidInput("Enter the finding's text")
    if SessionFinding.objects.filter(session=session, line=line, finding__text=wording).exists():
        raise InvalidInput(f"Line {line} is already a finding of this session")
    tree = OrgTree.load()
    if organisation.pk not in {o.pk for o in note_organisations(session, tree)}:
        raise InvalidInput(f"{organisation.name} is not one of this session's organisations")
    if domain is not None and domain.framework_id != review.framework_id:
        raise InvalidInput("Choose a domain of this review's framework")
    if section not in SectionKind.values:
        raise InvalidInput(f"Unknown section {section!r}")
    submission = _session_submission(session, organisation, by)
    when = timezone.localtime(session.starts_at).strftime("%-d %B %Y")
    (finding,) = collect_actions.add_findings(
        submission=submission,
        by=by,
        findings=[
            NewFinding(
                text=wording,
                domain=domain,
                section=section,
                source_location=f"Reflection session “{session.title}”, {when}, notes line {line}",
            )
        ],
    )
    link = SessionFinding.objects.create(
        session=session, finding=finding, line=line, created_by=acting_user(by)
    )
    context = (
        Finding.objects.filter(
            review=review,
            organisation_id__in=session_organisation_ids([organisation.pk], tree)
            or [organisation.pk],
        )
        .exclude(pk=finding.pk)
        .order_by("-id")
        .values_list("text", flat=True)[:2000]
    )
    suggest_codes(review=review, findings=[finding], by=by, context=list(context))
    audit.record(
        actor=by,
        verb="reflection.finding_made",
        subject=session,
        review=review,
        finding=finding.pk,
        line=line,
        link=link.pk,
    )
    finding.refresh_from_db()
    return finding


def _session_submission(session: ReflectionSession, organisation: Organisation, by) -> Submission:
    """The submitted submission that holds this session's findings about ``organisation``
    (its participant added to the review first if it is a system not yet taking part)."""
    participant = Participant.objects.filter(
        review=session.review, organisation=organisation
    ).first()
    if participant is None:
        participant = review_actions.add_participant(
            review=session.review, organisation=organisation, by=by
        )
    made = (
        SessionFinding.objects.filter(session=session, finding__submission__participant=participant)
        .values_list("finding__submission_id", flat=True)
        .first()
    )
    if made is not None:
        return Submission.objects.get(pk=made)
    return collect_actions.create_submission(
        participant=participant, by=by, status=SubmissionStatus.SUBMITTED
    )
