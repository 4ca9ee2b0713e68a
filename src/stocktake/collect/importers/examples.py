"""Best-practice examples written as lines of a list, and lines that are never examples.

Under an "Examples of good practice" heading, or in a cell of an examples column,
reviews write examples as "Organisation: Title", "Title – Organisation", "Title
(Organisation)" or "Title: what it is". :func:`parse_example` reads one line into
a title, a synopsis and the organisation it names, using the shape of the words
(:func:`~.columns.looks_like_organisation`), not a list of names. Lines that
name a person and their job ("Jane Doe, GP Partner"), as the authors of case
studies are credited, are never examples (:func:`is_person_line`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stocktake.collect.importers.columns import looks_like_organisation

_ROLES = (r"GP|Partner|Director|Manager|Nurse|Consultant|Chief|Head|Lead|Officer|Practitioner|"
          r"Matron|Clinician|Doctor|Dr|Professor|Prof|Chair|Chairman|Chairwoman|Co-?ordinator|"
          r"Specialist|Therapist|Pharmacist|Social Worker|Paramedic|Midwife|Registrar|Fellow|"
          r"Administrator|Receptionist|Secretary|Advisor|Adviser|Analyst|Executive|CEO|Founder|"
          r"Volunteer|Carer|Patient|Physician|Surgeon|Psychologist|Worker|Assistant|Associate|"
          r"Deputy|Senior|Principal|Clinical|Medical|Nursing|Operational|Programme|Project|Service")
_NAME = r"(?:(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Sir|Dame|Cllr)\.?\s+)?[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){0,3}"
_PERSON = re.compile(rf"^(?i:by\s+|written by\s+|author:?\s+)?{_NAME}\s*(?:,|\s[–—-]\s|\()\s*"
                     rf"(?:(?:the|a|an)\s+)?(?:[A-Z][\w&'-]*\s+){{0,4}}?(?:{_ROLES})\b.{{0,80}}$")
_TITLE_COLON = re.compile(r"^(?P<left>[^:]{2,120}?)\s*:\s+(?P<right>\S.*)$")
_DASH = re.compile(r"^(?P<left>.{3,}?)\s+[–—-]\s+(?P<right>\S.*)$")
_PAREN = re.compile(r"^(?P<title>.{3,}?)\s*\((?P<org>[^()]{2,80})\)\.?$")


@dataclass(frozen=True)
class ListedExample:
    title: str
    synopsis: str = ""
    organisation: str | None = None


def is_person_line(text: str) -> bool:
    """"Jane Doe, GP Partner", "Dr A Khan – Clinical Director": a person credited, not an example."""
    text = " ".join(text.split())
    return len(text.split()) <= 16 and bool(_PERSON.match(text))


def _short(text: str, words: int = 16) -> bool:
    return 0 < len(text.split()) <= words


def parse_example(text: str) -> ListedExample | None:
    """One line of a list of examples, or None when it does not read as an example."""
    text = " ".join(text.split()).strip(" •-–—*")
    if not text or is_person_line(text) or len(text.split()) > 120:
        return None
    colon = _TITLE_COLON.match(text)
    if colon:
        left, right = colon["left"].strip(), colon["right"].strip()
        if looks_like_organisation(left) and _short(right, 25):
            title, _, synopsis = right.partition(" – ")
            return ListedExample(title.strip().rstrip("."), synopsis.strip(), left)
        if _short(left, 12) and len(right) > 10:
            return ListedExample(left, right)
        return None
    paren = _PAREN.match(text)
    if paren and looks_like_organisation(paren["org"]) and _short(paren["title"]):
        return ListedExample(paren["title"].strip(), "", paren["org"].strip())
    dash = _DASH.match(text)
    if dash:
        left, right = dash["left"].strip(), dash["right"].strip().rstrip(".")
        if looks_like_organisation(right) and _short(left):
            return ListedExample(left, "", right)
        if looks_like_organisation(left) and _short(right, 16) and not looks_like_organisation(right):
            return ListedExample(right, "", left)
        if _short(left, 12) and len(right) > 10:
            return ListedExample(left, right)
    return None
