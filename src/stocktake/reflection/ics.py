"""A session as an iCalendar file (RFC 5545), written with the ``icalendar`` package.

One VEVENT with a stable UID (the session's id and the site), a SEQUENCE raised when the
time or place changes (so calendars replace the earlier copy) and STATUS CANCELLED once
cancelled. Times are written in UTC (``…Z``), which every calendar converts to its own
zone; no VTIMEZONE is needed. METHOD is PUBLISH: the file is downloaded and imported,
not sent as an invitation by stocktake. Attendees' email addresses are written only
for those allowed to see them (``with_emails``); others get names alone in the
description.
"""

from __future__ import annotations

import datetime as dt

import icalendar

from stocktake.core.richtext import to_text

PRODID = "-//stocktake//Reflection sessions//EN"


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


def session_ics(
    session,
    *,
    attendees,
    organisations: list[str],
    host: str,
    now: dt.datetime,
    url: str = "",
    with_emails: bool = False,
) -> bytes:
    """The calendar file of ``session`` (its attendees and organisation names given)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"reflection-session-{session.pk}@{host or 'stocktake'}")
    event.add("dtstamp", _utc(now))
    event.add("dtstart", _utc(session.starts_at))
    event.add("dtend", _utc(session.ends_at))
    event.add("sequence", session.sequence)
    event.add("summary", session.title)
    event.add("status", "CANCELLED" if session.status == "cancelled" else "CONFIRMED")
    location = session.place or session.video_link
    if location:
        event.add("location", location)
    if session.video_link:
        event.add("url", session.video_link)
    elif url:
        event.add("url", url)
    lines = [
        f"Reflection session with {', '.join(organisations)}."
        if organisations
        else "Reflection session."
    ]
    if session.video_link:
        lines.append(f"Join online: {session.video_link}")
    if attendees:
        lines.append(
            "Attendees: "
            + "; ".join(f"{a.name} ({a.role})" if a.role else a.name for a in attendees)
        )
    if session.agenda_html:
        lines += ["", "Agenda:", _agenda_text(session.agenda_html)]
    if url:
        lines += ["", f"In stocktake: {url}"]
    event.add("description", "\n".join(lines))
    if with_emails:
        for attendee in attendees:
            if not attendee.email:
                continue
            address = icalendar.vCalAddress(f"mailto:{attendee.email}")
            address.params["cn"] = icalendar.vText(attendee.name)
            address.params["role"] = icalendar.vText("REQ-PARTICIPANT")
            address.params["partstat"] = icalendar.vText("NEEDS-ACTION")
            event.add("attendee", address, encode=0)
    cal.add_component(event)
    return cal.to_ical()


def _agenda_text(html: str) -> str:
    """The agenda's sanitised HTML as plain lines (headings and list items on their own)."""
    for tag in ("</h3>", "</h4>", "</p>", "</li>"):
        html = html.replace(tag, tag + "\n")
    html = html.replace("<li>", "<li>- ")
    return "\n".join(line for line in (to_text(part) for part in html.split("\n")) if line)
