"""The reflection session pages, as the personas use them."""

from __future__ import annotations

import icalendar
import pytest

from stocktake.assess.models import Code, CodeOrigin
from stocktake.reflection.models import ReflectionSession, SessionFinding, SessionStatus


@pytest.fixture
def scheduled(world, login):
    client = login(world.users["lena"])
    northfold = world.orgs["northfold"].pk
    response = client.post(
        "/reviews/winter-2025/sessions/new/",
        {
            "with": [northfold],
            "title": "Northfold reflection",
            "date": "2030-06-05",
            "time": "2pm",
            "duration": "90",
            "place": "Room 4",
            "video_link": "https://meet.example.org/northfold",
            "contact": [
                "p" + str(world.review.participants.get(organisation=world.orgs["ashby"]).pk)
            ],
            "additions": "Dr Ade Okoro, Clinical director, ade@example.org\nSam Jones",
            "open_questions": "What would you keep?",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return ReflectionSession.objects.get()


def test_schedule_starts_from_whom_then_shows_the_drafted_agenda(world, login):
    client = login(world.users["ravi"])
    page = client.get("/reviews/winter-2025/sessions/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "Who is the session with?" in html
        and "Northfold Integrated Care System (the whole system)" in html
    )
    step2 = client.get("/reviews/winter-2025/sessions/new/", {"with": world.orgs["northfold"].pk})
    html = step2.content.decode()
    assert "The agenda this session will start with" in html
    assert "Video consultations replaced most outpatient follow-ups" in html
    assert "connie@example.org" in html  # the participant's contact, to invite
    none = client.get("/reviews/winter-2025/sessions/new/", {"with": ""})
    assert none.status_code == 200 and "Choose the system or participants" in none.content.decode()


def test_bad_input_is_one_message_and_keeps_what_was_typed(world, login):
    client = login(world.users["lena"])
    response = client.post(
        "/reviews/winter-2025/sessions/new/",
        {
            "with": [world.orgs["northfold"].pk],
            "title": "Kept title",
            "date": "31/02/2026",
            "time": "10:00",
            "duration": "90",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter the date as a real date" in html and "Kept title" in html
    assert not ReflectionSession.objects.exists()


def test_session_page_calendar_and_dashboard(world, login, scheduled):
    client = login(world.users["lena"])
    html = client.get(f"/reviews/winter-2025/sessions/{scheduled.pk}/").content.decode()
    assert "Wednesday 5 June 2030, 2pm to 3:30pm" in html
    assert "Dr Ade Okoro, Clinical director" in html and "ade@example.org" in html  # lead
    assert "What would you keep?" in html
    ics = client.get(f"/reviews/winter-2025/sessions/{scheduled.pk}/calendar.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert "attachment" in ics["Content-Disposition"]
    (event,) = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(event["summary"]) == "Northfold reflection"
    assert {str(a) for a in event["attendee"]} == {
        "mailto:connie@example.org",
        "mailto:ade@example.org",
    }
    dashboard = client.get("/reviews/winter-2025/").content.decode()
    assert "Reflection sessions" in dashboard and "Northfold reflection" in dashboard


def test_contributors_see_their_systems_sessions_without_notes_or_emails(world, login, scheduled):
    client = login(world.users["connie"])
    listing = client.get("/reviews/winter-2025/sessions/").content.decode()
    assert "Northfold reflection" in listing and "Schedule a session" not in listing
    assert '<h2 id="system-1">Northfold Integrated Care System</h2>' in listing
    html = client.get(f"/reviews/winter-2025/sessions/{scheduled.pk}/").content.decode()
    assert "Agenda" in html and "Take notes" not in html and "ade@example.org" not in html
    assert client.get(f"/reviews/winter-2025/sessions/{scheduled.pk}/notes/").status_code == 403
    assert client.get("/reviews/winter-2025/sessions/new/").status_code == 403
    ics = client.get(f"/reviews/winter-2025/sessions/{scheduled.pk}/calendar.ics")
    assert b"ade@example.org" not in ics.content and b"Dr Ade Okoro" in ics.content
    client.logout()
    colin = login(world.users["colin"])  # Eastmarsh: not their system
    assert colin.get(f"/reviews/winter-2025/sessions/{scheduled.pk}/").status_code == 404
    colin.logout()
    vera = login(world.users["vera"])
    assert vera.get("/reviews/winter-2025/sessions/").status_code == 404


def test_notes_autosave_and_two_findings(world, login, scheduled):
    client = login(world.users["ravi"])
    url = f"/reviews/winter-2025/sessions/{scheduled.pk}/notes/"
    assert "Save notes" in client.get(url).content.decode()
    notes = (
        "Opening: everyone introduced\n"
        "- Video clinics should stay for follow-up appointments\n"
        "- Staff rest hubs were the most valued support for staff wellbeing"
    )
    saved = client.post(url, {"notes": notes, "revision": "1"}, HTTP_HX_REQUEST="true")
    html = saved.content.decode()
    assert saved.status_code == 200 and "Saved at" in html and 'value="2"' in html
    assert 'hx-swap-oob="true"' in html and "Staff rest hubs" in html
    # Someone typing on an older revision is told, and nothing is overwritten.
    stale = client.post(url, {"notes": "older", "revision": "1"}, HTTP_HX_REQUEST="true")
    assert "Not saved" in stale.content.decode()
    assert ReflectionSession.objects.get().notes == notes
    # Without JavaScript the Save button posts the same form.
    assert client.post(url, {"notes": notes + "\n", "revision": "2"}).status_code == 302
    finding_url = f"/reviews/winter-2025/sessions/{scheduled.pk}/notes/finding/"
    ashby = world.orgs["ashby"].pk
    for line in (2, 3):
        response = client.post(
            finding_url, {"line": line, "organisation": ashby, "section": "learning", "domain": ""}
        )
        assert response.status_code == 302
    links = list(SessionFinding.objects.order_by("line"))
    assert [link.line for link in links] == [2, 3]
    assert Code.objects.filter(
        finding_id__in=[link.finding_id for link in links], origin=CodeOrigin.MACHINE
    ).exists()
    missing = client.post(finding_url, {"organisation": ashby})
    assert missing.status_code == 400 and "Choose the line" in missing.content.decode()
    page = client.get(f"/reviews/winter-2025/sessions/{scheduled.pk}/").content.decode()
    assert f"Finding {links[0].finding_id}" in page
    finding = client.get(f"/reviews/winter-2025/findings/{links[1].finding_id}/")
    html = finding.content.decode()
    assert finding.status_code == 200 and "Staff rest hubs" in html
    assert (
        f'Notes of the reflection session <a href="/reviews/winter-2025/sessions/'
        f'{scheduled.pk}/">Northfold reflection</a>'
    ) in html
    assert "Web form" not in html
    client.logout()
    # Ashby's contributor sees Ashby's findings, the session's among them, and its link.
    connie = login(world.users["connie"])
    html = connie.get(f"/reviews/winter-2025/findings/{links[1].finding_id}/").content.decode()
    assert "Notes of the reflection session <a" in html


def test_agenda_summary_cancel(world, login, scheduled):
    client = login(world.users["lena"])
    base = f"/reviews/winter-2025/sessions/{scheduled.pk}"
    assert (
        client.post(f"{base}/agenda/", {"source": "## Ours\n\n- One", "revision": "1"}).status_code
        == 302
    )
    conflict = client.post(f"{base}/agenda/", {"source": "## Older", "revision": "1"})
    assert conflict.status_code == 409 and "Ours" in conflict.content.decode()
    assert client.post(f"{base}/agenda/reset/", {"revision": "2"}).status_code == 302
    assert ReflectionSession.objects.get().agenda_drafted
    assert client.post(f"{base}/held/").status_code == 302
    assert (
        client.post(
            f"{base}/summary/", {"source": "They would keep **video clinics**.", "revision": "4"}
        ).status_code
        == 302
    )
    session = ReflectionSession.objects.get()
    assert (
        session.status == SessionStatus.HELD
        and "<strong>video clinics</strong>" in session.summary_html
    )
    # A held session cannot be cancelled: one clear message.
    response = client.post(f"{base}/cancel/", {"reason": "x"})
    assert response.status_code == 400 and "Only a scheduled session" in response.content.decode()


def test_edit_keeps_attendees_and_raises_the_sequence(world, login, scheduled):
    client = login(world.users["lena"])
    base = f"/reviews/winter-2025/sessions/{scheduled.pk}"
    form = client.get(f"{base}/edit/").content.decode()
    assert "Dr Ade Okoro, Clinical director, ade@example.org" in form
    participant = world.review.participants.get(organisation=world.orgs["ashby"]).pk
    response = client.post(
        f"{base}/edit/",
        {
            "title": "Northfold reflection",
            "date": "2030-06-06",
            "time": "14:00",
            "duration": "90",
            "place": "Room 4",
            "video_link": "",
            "revision": "1",
            "contact": [f"p{participant}"],
            "additions": "Dr Ade Okoro, Clinical director, ade@example.org\nSam Jones",
            "open_questions": "What would you keep?",
        },
    )
    assert response.status_code == 302
    session = ReflectionSession.objects.get()
    assert session.sequence == 1 and session.attendees.count() == 3
