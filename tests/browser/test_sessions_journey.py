"""A reflection session in a real browser: a reviewer schedules it from its drafted agenda,
downloads the .ics file, takes notes (autosaved by HTMX) and turns two lines into findings;
a contributor of the system then reads the session without the notes. axe (WCAG 2.2 AA)
on every page visited."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest

from stocktake.assess.models import Code, CodeOrigin
from stocktake.reflection.models import ReflectionSession, SessionFinding
from tests.browser import test_journeys as journeys
from tests.browser.test_journeys import axe_violations, sign_in

browser = journeys.browser
page = journeys.page
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-sessions")]

NOTES = (
    "Introductions and purpose\n"
    "- Video clinics should stay for follow-up appointments after the winter\n"
    "- Staff rest hubs were the most valued support for staff wellbeing"
)


def test_schedule_from_the_drafted_agenda_take_notes_make_two_findings(page, world):
    base, slug = page.base, world.review.slug
    sign_in(page, base, "ravi")
    page.goto(f"{base}/reviews/{slug}/")
    problems = {"dashboard": axe_violations(page)}
    page.get_by_role("link", name="Sessions", exact=True).click()
    page.wait_for_selector("h1:has-text('Reflection sessions')")
    problems["sessions"] = axe_violations(page)
    page.get_by_role("button", name="Schedule a session").click()
    page.wait_for_selector("text=Who is the session with?")
    problems["choose"] = axe_violations(page)
    page.get_by_label("Northfold Integrated Care System (the whole system)").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("text=The agenda this session will start with")
    # The draft comes from Northfold's submitted findings.
    assert page.get_by_text("Video consultations replaced most outpatient follow-ups").count() == 1
    problems["schedule form"] = axe_violations(page)
    page.get_by_label("Date").fill("2030-06-05")
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("Video call link (optional)").fill("not a link")
    page.get_by_role("button", name="Schedule the session").click()
    page.wait_for_selector("text=There is a problem")
    problems["schedule, bad link"] = axe_violations(page)
    page.get_by_label("Video call link (optional)").fill("https://meet.example.org/northfold")
    page.get_by_label("Other attendees (optional)").fill("Dr Ade Okoro, Clinical director")
    page.get_by_role("button", name="Schedule the session").click()
    page.wait_for_selector("text=Session scheduled")
    problems["session"] = axe_violations(page)
    assert page.get_by_text("Wednesday 5 June 2030, 2pm to 3:30pm").count() == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the calendar file (.ics)").click()
    (event,) = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
    assert str(event["url"]) == "https://meet.example.org/northfold"

    page.get_by_role("button", name="Take notes").click()
    page.wait_for_selector("h1:has-text('Notes')")
    problems["notes, empty"] = axe_violations(page)
    page.get_by_label("Notes from the session").fill(NOTES)
    page.get_by_label("Notes from the session").blur()
    page.wait_for_selector("#notes-status:has-text('Saved at')")  # the autosave, no reload
    page.wait_for_selector("text=Which line?")
    session = ReflectionSession.objects.get()
    assert session.notes == NOTES
    problems["notes, saved"] = axe_violations(page)
    for line in (2, 3):
        page.locator(f"#line-{line}").check()
        page.get_by_label("About which organisation?").select_option(
            label="Ashby General Hospital NHS Foundation Trust"
        )
        # The first finding trains the coder's polarity model in this process: seconds.
        page.get_by_role("button", name="Make a finding").click(timeout=120_000)
        page.wait_for_selector(f"text=made from line {line}", timeout=120_000)
    problems["notes, two findings"] = axe_violations(page)
    links = list(SessionFinding.objects.order_by("line"))
    assert [link.line for link in links] == [2, 3]
    assert Code.objects.filter(
        finding_id__in=[link.finding_id for link in links], origin=CodeOrigin.MACHINE
    ).exists()
    page.get_by_role("link", name=f"finding {links[0].finding_id}").click()
    page.wait_for_selector("text=Video clinics should stay")
    problems["finding from the session"] = axe_violations(page)

    # The system's contributor sees the session and its agenda, not the notes.
    page.context.clear_cookies()
    sign_in(page, base, "connie")
    page.goto(f"{base}/reviews/{slug}/sessions/{session.pk}/")
    page.wait_for_selector("h2:has-text('Agenda')")
    assert page.get_by_role("button", name="Take notes").count() == 0
    assert page.get_by_text("Staff rest hubs were the most valued").count() == 0
    problems["contributor's view"] = axe_violations(page)
    assert {k: v for k, v in problems.items() if v} == {}
