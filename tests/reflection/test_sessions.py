"""Reflection sessions: scheduling, the drafted agenda, notes, findings made from them,
the calendar file and who sees what."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest

from stocktake.assess.actions import MachineCode, record_machine_codes
from stocktake.assess.models import Code, CodeOrigin
from stocktake.collect.actions import submit_submission
from stocktake.collect.models import Finding, SubmissionStatus
from stocktake.core.errors import EditConflict, InvalidInput, InvalidTransition, NotAllowed
from stocktake.core.models import AuditEvent
from stocktake.reflection import actions
from stocktake.reflection.actions import NewAttendee, note_lines
from stocktake.reflection.agenda import draft_agenda, questions_of
from stocktake.reflection.ics import session_ics
from stocktake.reflection.models import ReflectionSession, SessionFinding, SessionStatus
from stocktake.reviews.permissions import access_for

LONDON = zoneinfo.ZoneInfo("Europe/London")
START = dt.datetime(2026, 6, 3, 14, 0, tzinfo=LONDON)


def schedule(world, *, by="lena", organisations=("northfold",), **extra):
    fields = {
        "title": "Northfold reflection session",
        "starts_at": START,
        "place": "Room 4",
        "attendees": [
            NewAttendee("Connie Contributor", "connie@example.org", "Contact, Ashby General", True),
            NewAttendee("Dr Ade Okoro", "", "Clinical director"),
        ],
    }
    fields.update(extra)
    return actions.schedule_session(
        review=world.review,
        organisations=[world.orgs[o] for o in organisations],
        by=world.users[by],
        **fields,
    )


def theme_codes(world, pairs):
    themes = {t.key: t for t in world.framework.themes.all()}
    record_machine_codes(
        review=world.review,
        by=world.users["lena"],
        codes=[MachineCode(finding=f, theme=themes[key], score=0.9) for f, key in pairs],
    )


def test_schedule_drafts_the_agenda_from_the_assessment(world):
    ashby, bracken = world.findings["ashby"], world.findings["bracken"]
    submit_submission(submission=world.submissions["bracken"], by=world.users["colin"])
    theme_codes(
        world,
        [
            (ashby[0], "technology"),
            (ashby[1], "staff-wellbeing"),
            (ashby[2], "regional-relationship"),
            (bracken[0], "staff-wellbeing"),
        ],
    )
    session = schedule(world, open_questions="- How did the rest hubs get funded?\n\nWho led it?")
    assert session.status == SessionStatus.SCHEDULED and session.agenda_drafted
    assert session.ends_at - session.starts_at == dt.timedelta(minutes=90)
    text = session.agenda_source
    assert "What is distinctive to Northfold Integrated Care System" in text
    # Of two systems, themes raised in one are distinctive; staff wellbeing is raised in both.
    distinctive = text.split("## 3.")[0]
    assert (
        "Using technology to improve care delivery (1 finding here; raised in no other system)"
        in distinctive
    )
    assert "wellbeing of staff" not in distinctive
    assert "Video consultations replaced most outpatient follow-ups" in text
    assert "Daily data requests from the regional team" in text.split("## 4.")[1]
    assert "How did the rest hubs get funded?" in text and "Who led it?" in text
    assert "DRAFT-ONLY" not in text  # Brackenford's, in the other system
    assert "<h4>" in session.agenda_html and "<script" not in session.agenda_html
    event = AuditEvent.objects.get(verb="reflection.scheduled")
    assert "connie@example.org" not in str(event.details)
    assert "Connie" not in str(event.details)


def test_timings_follow_the_duration():
    from stocktake.reflection.agenda import AgendaDraft

    assert sum(AgendaDraft(systems=[], minutes=90).timings()) == 90
    assert sum(AgendaDraft(systems=[], minutes=45).timings()) == 45
    assert questions_of("- one\n* two\n\n three ") == ["one", "two", "three"]


def test_agenda_text_from_findings_is_not_markup(world):
    session = schedule(world)
    draft = draft_agenda(session)
    draft.learning = [
        type(draft.learning).__args__[0]
        if False
        else __import__("stocktake.reflection.agenda", fromlist=["Item"]).Item(
            "# not a heading *or* <b>bold</b>"
        )
    ]
    html = __import__("stocktake.core.richtext", fromlist=["to_html"]).to_html(draft.markdown())
    assert "<b>" not in html and "not a heading *or*" in html.replace("&lt;b&gt;", "")


def test_bad_input_gets_one_clear_message(world):
    with pytest.raises(InvalidInput, match="title"):
        schedule(world, title="  ")
    with pytest.raises(InvalidInput, match="between 15 minutes"):
        schedule(world, duration_minutes=5)
    with pytest.raises(InvalidInput, match="https://"):
        schedule(world, video_link="teams meeting")
    with pytest.raises(InvalidInput, match="Attendee 1: enter an email"):
        schedule(world, attendees=[NewAttendee("Jo", "not-an-email")])
    with pytest.raises(InvalidInput, match="Choose the system"):
        schedule(world, organisations=())
    with pytest.raises(InvalidInput, match="does not take part"):
        schedule(world, organisations=("region",))
    with pytest.raises(NotAllowed):
        schedule(world, by="connie")
    assert not ReflectionSession.objects.exists()


def test_edit_cancel_and_hold(world):
    session = schedule(world)
    lena = world.users["lena"]
    moved = actions.update_session(
        session=session,
        by=lena,
        expected_revision=1,
        starts_at=START + dt.timedelta(days=1),
        video_link="https://meet.example.org/abc",
    )
    assert moved.revision == 2 and moved.sequence == 1
    with pytest.raises(EditConflict):
        actions.update_session(session=session, by=lena, expected_revision=1, place="Hall")
    actions.update_session(session=moved, by=lena, attendees=[NewAttendee("Only One")])
    assert [a.name for a in moved.attendees.all()] == ["Only One"]
    held = actions.mark_held(session=moved, by=world.users["ravi"])
    assert held.status == SessionStatus.HELD
    with pytest.raises(InvalidTransition):
        actions.cancel_session(session=held, by=lena)
    other = schedule(world, title="Second")
    cancelled = actions.cancel_session(session=other, by=lena, reason="Clash with winter planning")
    assert cancelled.status == SessionStatus.CANCELLED and cancelled.sequence == 1
    with pytest.raises(InvalidTransition):
        actions.update_session(session=cancelled, by=lena, place="Hall")


def test_agenda_edit_and_reset(world):
    session = schedule(world)
    lena = world.users["lena"]
    edited = actions.edit_agenda(
        session=session,
        source="## Our own agenda\n\n- Item",
        by=lena,
        expected_revision=session.revision,
    )
    assert not edited.agenda_drafted and "<h4>Our own agenda</h4>" in edited.agenda_html
    # A change of length no longer redrafts an edited agenda.
    actions.update_session(session=edited, by=lena, duration_minutes=60)
    assert "Our own agenda" in ReflectionSession.objects.get(pk=session.pk).agenda_source
    reset = actions.reset_agenda(session=edited, by=lena)
    assert reset.agenda_drafted and "(7 minutes)" in reset.agenda_source  # 10/90 of 60


def test_notes_autosave_is_revision_checked(world):
    session = schedule(world)
    ravi, lena = world.users["ravi"], world.users["lena"]
    saved = actions.save_notes(session=session, notes="First line", by=ravi, expected_revision=1)
    assert saved.notes_revision == 2
    again = actions.save_notes(
        session=saved, notes="First line\nSecond", by=ravi, expected_revision=2
    )
    assert again.notes_revision == 3
    with pytest.raises(EditConflict, match="changed by someone else"):
        actions.save_notes(session=session, notes="Lena's version", by=lena, expected_revision=2)
    # One audit event for the notes, never their text.
    events = AuditEvent.objects.filter(verb__startswith="reflection.notes")
    assert events.count() == 1 and "First" not in str(events[0].details)


def test_note_lines():
    assert note_lines("# Heading\n\n- one\n  * two \n") == [(1, "Heading"), (3, "one"), (4, "two")]


def test_findings_from_notes_are_coded_and_linked(world):
    session = schedule(world)
    ravi = world.users["ravi"]
    actions.save_notes(
        session=session,
        by=ravi,
        notes=(
            "Opening remarks\n- Staff said the video clinics should stay for follow-ups\n"
            "- Rest hubs for staff wellbeing were the most valued support"
        ),
    )
    ashby = world.orgs["ashby"]
    first = actions.finding_from_note(session=session, line=2, organisation=ashby, by=ravi)
    second = actions.finding_from_note(
        session=session,
        line=3,
        organisation=ashby,
        by=ravi,
        text="Rest hubs for staff wellbeing were valued most.",
    )
    assert first.text.startswith("Staff said the video clinics")
    assert first.submission_id == second.submission_id
    assert first.submission.status == SubmissionStatus.SUBMITTED
    assert first.organisation_id == ashby.pk and "notes line 2" in first.source_location
    assert [link.line for link in SessionFinding.objects.filter(session=session)] == [2, 3]
    # Coded like any other: machine suggestions that reviewers then decide on.
    codes = Code.objects.filter(finding=second, origin=CodeOrigin.MACHINE)
    assert codes.exists()
    assert "staff-wellbeing" in {c.theme.key for c in codes}
    with pytest.raises(InvalidInput, match="already a finding"):
        actions.finding_from_note(session=session, line=2, organisation=ashby, by=ravi)
    with pytest.raises(InvalidInput, match="empty or gone"):
        actions.finding_from_note(session=session, line=9, organisation=ashby, by=ravi)
    with pytest.raises(InvalidInput, match="not one of this session"):
        actions.finding_from_note(
            session=session, line=1, organisation=world.orgs["bracken"], by=ravi
        )
    # The system itself may be chosen: it joins the review as a participant.
    system = actions.finding_from_note(
        session=session, line=1, organisation=world.orgs["northfold"], by=ravi
    )
    assert system.submission.participant.organisation_id == world.orgs["northfold"].pk


def test_scoping(world):
    northfold = schedule(world)
    eastmarsh = schedule(world, title="Eastmarsh", organisations=("bracken",))

    def seen(name):
        access = access_for(world.users[name], world.review)
        return set(ReflectionSession.objects.visible_to(access).values_list("title", flat=True))

    both = {northfold.title, eastmarsh.title}
    assert seen("lena") == seen("ravi") == seen("ada") == both
    assert seen("connie") == {northfold.title}  # Ashby is in Northfold
    assert seen("colin") == {eastmarsh.title}
    assert seen("owen") == seen("vera") == set()


def test_calendar_file(world):
    session = schedule(world, video_link="https://meet.example.org/x")
    now = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
    attendees = list(session.attendees.all())
    data = session_ics(
        session,
        attendees=attendees,
        organisations=["Northfold ICS"],
        host="stocktake.example.org",
        now=now,
        url="https://s/x",
        with_emails=True,
    )
    assert b"\r\n" in data
    cal = icalendar.Calendar.from_ical(data)
    (event,) = cal.walk("VEVENT")
    assert str(event["uid"]) == f"reflection-session-{session.pk}@stocktake.example.org"
    assert event.decoded("dtstart") == START.astimezone(dt.UTC)
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(minutes=90)
    assert str(event["location"]) == "Room 4" and str(event["status"]) == "CONFIRMED"
    assert [str(a) for a in [event["attendee"]]] == ["mailto:connie@example.org"]
    assert "Dr Ade Okoro (Clinical director)" in str(event["description"])
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    hidden = session_ics(session, attendees=attendees, organisations=[], host="", now=now)
    assert b"connie@example.org" not in hidden
    cancelled = actions.cancel_session(session=session, by=world.users["lena"])
    again = icalendar.Calendar.from_ical(
        session_ics(cancelled, attendees=[], organisations=[], host="h", now=now)
    )
    (event,) = again.walk("VEVENT")
    assert str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 1


def test_organisation_merge_moves_sessions(world):
    from stocktake.reviews.actions import create_organisation, merge_organisations
    from stocktake.reviews.models import OrganisationLevel, OrganisationType

    session = schedule(world, organisations=("northfold", "ashby"))
    twin = create_organisation(
        name="Ashby General Hospital (old)",
        level=OrganisationLevel.ORGANISATION,
        kind=OrganisationType.ACUTE_TRUST,
        parent=world.orgs["northfold"],
        by=world.users["ada"],
    )
    merge_organisations(keep=twin, absorb=world.orgs["ashby"], by=world.users["ada"])
    assert set(session.organisations.values_list("organisation_id", flat=True)) == {
        world.orgs["northfold"].pk,
        twin.pk,
    }
    assert Finding.objects.filter(organisation=twin).exists()


def test_the_reports_method_counts_sessions_held_not_their_findings_as_submissions(world):
    from stocktake.report.build.method import how_submitted, method_appendix

    before = how_submitted(world.review)
    session = schedule(world)
    ravi = world.users["ravi"]
    actions.save_notes(session=session, notes="Video clinics should stay", by=ravi)
    actions.finding_from_note(session=session, line=1, organisation=world.orgs["ashby"], by=ravi)
    assert how_submitted(world.review) == before
    assert method_appendix(world.review, [], [], [], {}).session_count == 0
    actions.mark_held(session=session, by=ravi)
    assert method_appendix(world.review, [], [], [], {}).session_count == 1


def test_the_agenda_replaces_undecided_personal_data(world):
    from stocktake.collect.actions import NewFinding, add_findings
    from stocktake.collect.models import SectionKind

    nhs = "943 476 5919"
    add_findings(
        submission=world.submissions["ashby"],
        by=world.users["lena"],
        findings=[
            NewFinding(
                f"Mrs Edith Barnes (NHS number {nhs}) was kept at home by the virtual ward.",
                section=SectionKind.LEARNING,
            )
        ],
    )
    session = schedule(world)
    assert "virtual ward" in session.agenda_source and nhs not in session.agenda_source
    assert "Mrs [name] (NHS number [NHS number])" in session.agenda_html
