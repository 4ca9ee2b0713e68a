"""What the reflection session pages show: rows, a session's facts, the form's values,
and the parsing of what the form posts (one clear message for each mistake)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from stocktake.collect.models import SectionKind
from stocktake.core.errors import InvalidInput
from stocktake.core.richtext import to_html
from stocktake.core.text import plural
from stocktake.reflection.actions import NewAttendee
from stocktake.reflection.models import SessionStatus
from stocktake.reviews.permissions import Access
from stocktake.web.presenters.links import finding_url

STATUS_COLOURS = {
    SessionStatus.SCHEDULED: "blue",
    SessionStatus.HELD: "green",
    SessionStatus.CANCELLED: "grey",
}
SECTION_CHOICES = [
    (SectionKind.LEARNING, "Significant learning"),
    (SectionKind.ACHIEVEMENTS, "Key achievements"),
    (SectionKind.CHALLENGES, "Challenges"),
    (SectionKind.GENERAL, "General"),
]
_EMAIL = re.compile(r"^[^@\s,]+@[^@\s,]+$")


def sees_emails(access: Access) -> bool:
    """Attendees' email addresses: leads only, as contacts' addresses are elsewhere."""
    return access.has("manage_review")


def status_tag(status: str) -> dict:
    return {"text": SessionStatus(status).label, "colour": STATUS_COLOURS.get(status, "grey")}


def when_text(session) -> str:
    """ "Wednesday 3 June 2026, 2pm to 3:30pm" (local time)."""
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    day = f"{start:%A} {start.day} {start:%B %Y}"
    if end.date() != start.date():
        return f"{day}, {_clock(start)} to {end:%A} {end.day} {end:%B %Y}, {_clock(end)}"
    return f"{day}, {_clock(start)} to {_clock(end)}"


def _clock(value: dt.datetime) -> str:
    """NHS.UK style times: 9am, 2:30pm, midday, midnight."""
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def _names(session, tree) -> str:
    return ", ".join(tree.name(so.organisation_id) for so in session.organisations.all())


@dataclass(frozen=True)
class SessionRow:
    title: str
    href: str
    when: str
    with_text: str
    where: str
    status: dict


def session_rows(sessions, *, slug: str, tree) -> list[SessionRow]:
    return [
        SessionRow(
            title=s.title,
            href=reverse("session", kwargs={"slug": slug, "session_id": s.pk}),
            when=when_text(s),
            with_text=_names(s, tree),
            where=s.place or ("Online" if s.video_link else "Not set"),
            status=status_tag(s.status),
        )
        for s in sessions
    ]


def by_system(sessions, *, slug: str, tree) -> list[tuple[str, list[SessionRow]]]:
    """The sessions under each system they were held with (systems by name; a session with
    two systems is under both; one with organisations in no system under their names)."""
    groups: dict[str, list] = {}
    for session in sessions:
        names = {
            tree.system_name(so.organisation_id) or tree.name(so.organisation_id)
            for so in session.organisations.all()
        }
        for name in names:
            groups.setdefault(name, []).append(session)
    return [
        (name, session_rows(items, slug=slug, tree=tree)) for name, items in sorted(groups.items())
    ]


@dataclass(frozen=True)
class SessionView:
    title: str
    status: dict
    when: str
    with_text: str
    place: str
    video_link: str
    attendees: list[dict]
    questions: list[str]
    cancel_reason: str
    urls: dict


def session_view(session, *, slug: str, tree, access: Access) -> SessionView:
    emails = sees_emails(access)

    def url(name):
        return reverse(name, kwargs={"slug": slug, "session_id": session.pk})

    return SessionView(
        title=session.title,
        status=status_tag(session.status),
        when=when_text(session),
        with_text=_names(session, tree),
        place=session.place,
        video_link=session.video_link,
        attendees=[
            {"name": a.name, "role": a.role, "email": a.email if emails else ""}
            for a in session.attendees.all()
        ],
        questions=[q for q in (session.open_questions or "").splitlines() if q.strip()],
        cancel_reason=session.cancel_reason,
        urls={
            name: url(f"session_{name}")
            for name in (
                "edit",
                "agenda",
                "agenda_reset",
                "notes",
                "summary",
                "calendar",
                "cancel",
                "held",
            )
        },
    )


def finding_rows(pairs, *, slug: str, tree) -> list[dict]:
    return [
        {
            "line": link.line,
            "id": link.finding_id,
            "href": finding_url(slug, finding.pk) if finding else "",
            "text": finding.text if finding else "",
            "organisation": tree.name(finding.organisation_id) if finding else "",
        }
        for link, finding in pairs
    ]


def note_line_rows(lines, pairs, *, slug: str) -> list[dict]:
    made: dict[int, list[int]] = {}
    for link, _ in pairs:
        made.setdefault(link.line, []).append(link.finding_id)
    return [
        {
            "number": n,
            "text": text,
            "findings": [{"id": fid, "href": finding_url(slug, fid)} for fid in made.get(n, [])],
        }
        for n, text in lines
    ]


def saved_text(session) -> str:
    if session.notes_saved_at is None:
        return "Not saved yet"
    when = timezone.localtime(session.notes_saved_at)
    who = session.notes_saved_by
    name = (who.get_full_name() or who.get_username()) if who else "someone"
    return f"Saved at {when:%H:%M:%S} by {name}"


def posted_int(post, key: str) -> int | None:
    value = (post.get(key) or "").strip()
    return int(value) if value.isdigit() else None


def parse_start(date_text: str, time_text: str) -> dt.datetime:
    """The start from the form's date ("2026-06-03" or "3/6/2026") and time ("14:00",
    "2pm", "2:30pm"), in the site's time zone."""
    date_text, time_text = (date_text or "").strip(), (time_text or "").strip().lower()
    if not date_text:
        raise InvalidInput("Enter the date of the session")
    day = None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"):
        try:
            day = dt.datetime.strptime(date_text, pattern).date()
            break
        except ValueError:
            continue
    if day is None:
        raise InvalidInput("Enter the date as a real date, for example 3/6/2026")
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?", time_text.replace(" ", ""))
    if not time_text:
        raise InvalidInput("Enter the time the session starts, for example 14:00")
    if not match:
        raise InvalidInput("Enter the time as 14:00 or 2pm")
    hour, minute = int(match[1]), int(match[2] or 0)
    if match[3]:
        if not 1 <= hour <= 12:
            raise InvalidInput("Enter the time as 14:00 or 2pm")
        hour = hour % 12 + (12 if match[3] == "pm" else 0)
    if hour > 23 or minute > 59:
        raise InvalidInput("Enter the time as 14:00 or 2pm")
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def parse_minutes(value: str, *, default: int | None = None) -> int:
    text = (value or "").strip()
    if text.isdigit():
        return int(text)
    if default is not None:
        return default
    raise InvalidInput("Enter how long the session lasts in minutes, for example 90")


def parse_additions(text: str) -> list[NewAttendee]:
    """Free additions, one a line: "Name", "Name, email" or "Name, role, email" in any
    order after the name (the part with an @ is the email address)."""
    out = []
    for line in (text or "").splitlines():
        parts = [p.strip() for p in line.split(",") if p.strip()]
        if not parts:
            continue
        emails = [p for p in parts[1:] if "@" in p]
        rest = [p for p in parts[1:] if "@" not in p]
        if "@" in parts[0] and len(parts) == 1:
            out.append(NewAttendee(name=parts[0].split("@")[0], email=parts[0]))
            continue
        out.append(
            NewAttendee(name=parts[0], email=emails[0] if emails else "", role=", ".join(rest))
        )
    return out


def additions_text(attendees) -> str:
    return "\n".join(", ".join(p for p in (a.name, a.role, a.email) if p) for a in attendees)


def new_values(chosen, contacts) -> dict:
    names = ", ".join(o.name for o in chosen)
    return {
        "title": f"Reflection session with {names}"[:200],
        "date": "",
        "time": "10:00",
        "duration": "90",
        "place": "",
        "video_link": "",
        "open_questions": "",
        "additions": "",
        "contact": [c.key for c in contacts],
    }


def edit_values(session, contacts) -> dict:
    start = timezone.localtime(session.starts_at)
    attendees = list(session.attendees.all())
    emails = {a.email.lower() for a in attendees if a.from_contacts and a.email}
    return {
        "title": session.title,
        "date": start.date().isoformat(),
        "time": f"{start:%H:%M}",
        "duration": str(session.duration_minutes),
        "place": session.place,
        "video_link": session.video_link,
        "open_questions": session.open_questions,
        "additions": additions_text([a for a in attendees if not a.from_contacts]),
        "contact": [c.key for c in contacts if c.email.lower() in emails],
    }


def agenda_preview(draft) -> str:
    return to_html(draft.markdown())


def count_text(count: int) -> str:
    return plural(count, "reflection session")
