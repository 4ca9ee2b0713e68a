"""The common shape of documents: a stream of headings, paragraphs, bullets and tables.

Word, text, Markdown and HTML readers turn their files into :class:`Block` items;
:class:`~stocktake.collect.importers.assemble.Assembler` turns blocks into findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HEADING, PARAGRAPH, BULLET, TABLE = "heading", "paragraph", "bullet", "table"


@dataclass
class Block:
    kind: str
    text: str = ""
    level: int = 0  # heading level (1 = title or top); 0 for other blocks
    location: str = ""  # where the reader found it ("line 52"); empty: built from headings
    rows: list[list[str]] = field(default_factory=list)  # table cells, row by row
    row_locations: list[str] = field(default_factory=list)  # one per row, for tables
    number: int | None = None  # the number of a numbered list item ("7. …"), when known
    row_breaks: list[bool] = field(default_factory=list)  # tables: a page break before the row
    loose: bool = False  # a table from exported text, whose rows may be broken apart


_METADATA = re.compile(
    r"^\s*(?P<field>organi[sz]ation(?: name)?|name of organi[sz]ation|submitting organi[sz]ation|"
    r"system|ics|integrated care system)(?:\s*:\s*|\s+[–—-]\s+)(?P<value>\S.*)$",
    re.IGNORECASE,
)
_SYSTEM_FIELDS = {"system", "ics", "integrated care system"}


def metadata(text: str) -> tuple[str, str] | None:
    """("organisation" | "system", value) for lines such as "Organisation: Ashby General"."""
    match = _METADATA.match(text)
    if not match:
        return None
    value = " ".join(match["value"].split()).strip(" .;")
    if not value or len(value.split()) > 14:
        return None
    field_name = " ".join(match["field"].lower().split())
    return ("system" if field_name in _SYSTEM_FIELDS else "organisation", value)


_TITLE_PATTERNS = [
    re.compile(r"^.*?\b(?:submission|response|return)\s+(?:from|by|of)\s+(?:the\s+)?(?P<org>.+)$", re.I),
    # "Reflection session notes: Ostley", "Notes of the review session with Ostley"
    re.compile(r"^.*?\b(?:reflection|review)\s+session(?:\s+notes)?\s*(?:with\s+|[–—:|-]\s*)"
               r"(?:the\s+)?(?P<org>.+)$", re.I),
    re.compile(
        r"^(?P<org>.+?)\s*[–—:|]\s*.*\b(?:submission|response|learning review|return|template|"
        r"session notes|reflection session)\b.*$",
        re.I,
    ),
    re.compile(r"^(?P<org>.+?)\s+-\s+.*\b(?:submission|response|learning review|return)\b.*$", re.I),
    re.compile(r"^.*\b(?:submission|response|return)\b\s*[–—:|-]\s*(?P<org>.+)$", re.I),
]


# Session notes: the document's title says so, and its header lines are about the session.
SESSION_TITLE = re.compile(r"\b(?:reflection|review)\s+session\b|\bsession\s+notes\b", re.I)
_SESSION_FIELDS = {
    "date": "date", "held on": "date", "when": "date", "date and time": "date",
    "time": "time", "duration": "duration", "length": "duration",
    "venue": "place", "location": "place", "place": "place", "where": "place",
    "attendees": "attendees", "attending": "attendees", "present": "attendees",
    "in attendance": "attendees", "participants": "attendees",
    "apologies": "apologies", "facilitator": "facilitator", "facilitators": "facilitator",
    "facilitated by": "facilitator", "chair": "facilitator", "chaired by": "facilitator",
    "note taker": "note taker", "note-taker": "note taker", "notes taken by": "note taker",
    "notes by": "note taker", "reviewers": "reviewers",
}
_SESSION_DETAIL = re.compile(
    r"^\s*(?P<field>" + "|".join(sorted((re.escape(k) for k in _SESSION_FIELDS), key=len, reverse=True))
    + r")\s*:\s*(?P<value>\S.*)$", re.I)
# "Session held 14 May 2025, 90 minutes, with the trust's executive team."
_SESSION_HELD = re.compile(r"^\s*(?:the\s+)?(?:reflection\s+|review\s+)?session\s+(?:was\s+)?held\b"
                           r"\s*(?:on\s+)?(?P<value>.*)$", re.I)


def session_detail(text: str) -> tuple[str, str] | None:
    """("date" | "attendees" | …, value) for a session notes' header line such as
    "Attendees: Jane Smith, Ade Okoro" or "Session held 14 May 2025, 90 minutes"."""
    text = " ".join(text.split())
    match = _SESSION_DETAIL.match(text)
    if match:
        return _SESSION_FIELDS[" ".join(match["field"].lower().split())], match["value"].strip()
    match = _SESSION_HELD.match(text)
    if match and len(text.split()) <= 30:
        return "held", match["value"].strip(" .")
    return None


def organisation_from_title(text: str) -> str | None:
    """The organisation named by a title like "Ashby General – learning review submission"."""
    text = " ".join(text.split())
    for pattern in _TITLE_PATTERNS:
        match = pattern.match(text)
        if match:
            org = match["org"].strip(" .:-–—|")
            if org and len(org.split()) <= 14 and not re.search(
                r"\b(submission|learning review|template)\b", org, re.I
            ):
                return org
    return None
