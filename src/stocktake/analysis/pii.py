"""Personal data in free text: NHS numbers, emails, UK phone numbers, postcodes, names.

Plain Python, no Django, nothing downloaded: rules and a shipped list of given
names (``given_names.txt``). :func:`detect` returns the spans it finds, sorted and
never overlapping; :func:`redact` replaces them with ``[NHS number]``,
``[email address]``, ``[phone number]``, ``[postcode]`` and ``[name]``.

How each kind is found (docs/privacy.md has the figures on a labelled set):

- **NHS number**: ten digits, spaced or hyphenated in any way, not part of a
  longer run of digits, whose last digit is the modulus-11 check of the first
  nine. About one random ten-digit number in eleven passes the check, so a
  number that a reference-number word comes just before ("ref", "invoice",
  "Datix" …) is left alone, as is one that begins with 0 and is grouped like a
  phone number (those go to the phone rule).
- **Email address**: the usual local@domain.tld shape.
- **UK phone number**: +44, 0044 or a leading 0, then 9 or 10 more digits
  in the ranges the UK uses (01, 02, 03, 05, 07, 08, 09); spaces, hyphens
  and brackets round the area code allowed. Dates, years, sums of money and
  digits inside longer numbers do not match.
- **UK postcode**: the full pattern of valid outward and inward codes
  (``LS1 4AP``, ``SW1A 1AA``, ``GIR 0AA``), in capitals or all lower case.
- **Personal name** (the weakest): a title (Mr, Mrs, Ms, Miss, Mx, Dr, Prof,
  Sister, Cllr …) before one or two capitalised words; a given name from the
  list followed by a capitalised surname; two capitalised words followed by a
  role (", GP Partner", "(Practice Manager)"); a given name on its own unless
  it is also an everyday word. A name followed by a word such as Hospital,
  House, Ward or Road, or preceded by St, Royal or Queen, is a place or an
  organisation and is not flagged; so are charities named after people
  (Marie Curie, Sue Ryder). Surnames after a title are kept out of the span
  ("Dr [name]"), so the redacted text still reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

NHS_NUMBER, EMAIL, UK_PHONE, UK_POSTCODE, PERSON_NAME = (
    "nhs_number", "email", "uk_phone", "uk_postcode", "person_name")
KINDS = (NHS_NUMBER, EMAIL, UK_PHONE, UK_POSTCODE, PERSON_NAME)
LABELS = {
    NHS_NUMBER: "NHS number",
    EMAIL: "email address",
    UK_PHONE: "phone number",
    UK_POSTCODE: "postcode",
    PERSON_NAME: "name",
}
NAMES_PATH = Path(__file__).with_name("given_names.txt")


@dataclass(frozen=True)
class Span:
    """One item of personal data: its kind and where it is in the text (``text[start:end]``)."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def placeholder(kind: str) -> str:
    """What replaces an item of this kind: ``[NHS number]``, ``[name]`` …"""
    return f"[{LABELS[kind]}]"


# -- NHS numbers ---------------------------------------------------------------------

_SEP = r"[ \t\u00a0\-–]{0,2}"
_NHS = re.compile(
    rf"(?<![\w.£$])(?<!\d[ -])(?<!\d[.,])\d(?:{_SEP}\d){{9}}(?![\w£])(?![ \-–]?\d)(?![.,]\d)")
_REFERENCE_WORDS = re.compile(
    r"\b(ref|refs|reference|invoice|order|ticket|incident|datix|account|isbn|serial|"
    r"licen[cs]e|registration|charity|company|crn|urn|case\s+no|job)\b[^\n]{0,24}$",
    re.IGNORECASE)
_NHS_CONTEXT = re.compile(r"\b(nhs|chi|h&c|patient)\b[^\n]{0,30}$", re.IGNORECASE)


def nhs_check_digit_ok(digits: str) -> bool:
    """Whether ten digits pass the NHS number's modulus-11 check."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _nhs_numbers(text: str) -> list[Span]:
    found = []
    for match in _NHS.finditer(text):
        raw = match.group()
        digits = re.sub(r"\D", "", raw)
        if not nhs_check_digit_ok(digits):
            continue
        before = text[max(0, match.start() - 40):match.start()]
        if _REFERENCE_WORDS.search(before) and not _NHS_CONTEXT.search(before):
            continue
        groups = [len(g) for g in re.split(r"[^\d]+", raw) if g]
        if digits[0] == "0" and groups not in ([10], [3, 3, 4]) and not _NHS_CONTEXT.search(before):
            continue  # "01632 96069"-style: a phone number
        found.append(Span(NHS_NUMBER, match.start(), match.end(), raw))
    return found


# -- email addresses -----------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+'-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w-])")


def _emails(text: str) -> list[Span]:
    return [Span(EMAIL, m.start(), m.end(), m.group()) for m in _EMAIL.finditer(text)]


# -- UK phone numbers ----------------------------------------------------------------

_PHONE = re.compile(
    r"(?<![\w+£$./,:-])(?<![\w]-)"
    r"(?:(?:\+44|0044)[ \t-]?(?:\(0\)[ \t-]?)?\(?[1-9]\d{1,4}\)?|\(?0[1-9]\d{1,4}\)?)"
    r"(?:[ \t-]?\d){5,8}"
    r"(?![\w£%])(?![ \t-]?\d)(?![.,/:]\d)")


def _phones(text: str) -> list[Span]:
    found = []
    for match in _PHONE.finditer(text):
        raw = match.group()
        digits = re.sub(r"\D", "", raw)
        if raw.startswith("+44") or raw.startswith("0044"):
            national = digits[2:] if raw.startswith("+") else digits[4:]
            if "(0)" in raw:
                national = national[1:]
        else:
            national = digits[1:]
        if len(national) not in (9, 10) or national[0] not in "1235789":
            continue
        if national[0] == "7" and len(national) != 10:
            continue
        found.append(Span(UK_PHONE, match.start(), match.end(), raw))
    return found


# -- UK postcodes --------------------------------------------------------------------

_POSTCODE = re.compile(
    r"(?<![\w-])(?:GIR ?0AA|(?:[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]"
    r"|[A-HK-Y]\d[ABEHMNPRV-Y]))[ \u00a0]?\d[ABD-HJLNP-UW-Z]{2})(?![\w-])",
    re.IGNORECASE)


def _postcodes(text: str) -> list[Span]:
    found = []
    for match in _POSTCODE.finditer(text):
        raw = match.group()
        letters = re.sub(r"[^A-Za-z]", "", raw)
        if letters.isupper() or letters.islower():
            found.append(Span(UK_POSTCODE, match.start(), match.end(), raw))
    return found


# -- personal names ------------------------------------------------------------------

# UK honorifics as forms list them (civil, professional, religious, peerage).
_TITLES = (r"Mr|Mrs|Ms|Miss|Mx|Master|Dr|Prof|Professor|Sister|Nurse|Sir|Dame|Lady|Lord|"
           r"Baroness|Baron|Viscount|Countess|Earl|Hon|Rt[ \t]+Hon|Rev|Revd|Reverend|Canon|"
           r"Father|Fr|Pastor|Rabbi|Imam|Bishop|Archdeacon|Cllr|Councillor|Alderman")
_WORD = r"(?:O['’]|Mc|Mac)?[A-Z][a-zà-ÿ]+(?:[-'’][A-Z][a-zà-ÿ]+)?"
_TITLED = re.compile(
    rf"\b(?:{_TITLES})\.?(?:[ \t]+(?:{_TITLES})\.?)*[ \t]+"
    rf"(?P<name>(?:[A-Z]\.?[ \t]+)?{_WORD}(?:[ \t]+{_WORD})?)")
_PAIR = re.compile(rf"(?<![\w’'-])(?P<first>{_WORD})(?P<rest>(?:[ \t]+{_WORD}){{1,2}})")
_ROLE_WORDS = (
    r"GP|Partner|Nurse|Matron|Director|Manager|Consultant|Lead|Officer|Executive|Chief|Head|"
    r"Practitioner|Pharmacist|Therapist|Worker|Co-?ordinator|Clinical|Senior|Deputy|Chair|"
    r"Chairman|Chairperson|Chairwoman|Registrar|Surgeon|Physician|Paramedic|Midwife|Adviser|"
    r"Advisor|Assistant|Associate|Specialist|Administrator|Receptionist|Psychologist|"
    r"Psychiatrist|Social|Sister|Volunteer|Commissioner|Councillor|Governor|Secretary|Analyst|"
    r"Champion|Caldicott|Guardian|Medical|Community|Ward|Practice|Programme|Project|Service|"
    r"Team|Operations|Interim|Acting|Principal|Health|Mental|Safeguarding|Care|Patient")
_ROLE_AFTER = re.compile(rf"^(?:,[ \t]*|[ \t]*\(|[ \t]+[–-][ \t]+)(?:the[ \t]+)?(?:{_ROLE_WORDS})\b")
# Where a line names its writer or contact: after a label ("Contact: …", "Prepared by …"),
# under a sign-off ("Kind regards,"), or alone on a line above a job title (a signature).
_NAME_WORDS = rf"{_WORD}(?:[ \t]+{_WORD}){{1,2}}"
_CUED = re.compile(
    rf"(?m)(?i:\b(?:contact|contacts|author|authors|prepared|written|submitted|completed|"
    rf"compiled|signed|reported|sent|presented)(?:[ \t]+by)?)[ \t]*[:–-]?[ \t]+"
    rf"(?P<name>{_NAME_WORDS})"
    rf"|^[ \t]*(?i:name)[ \t]*:[ \t]*(?P<label>{_NAME_WORDS})")
_SIGNED_OFF = re.compile(
    rf"(?m)^[ \t]*(?i:(?:kind|best|warm|warmest|with)?[ \t]*(?:regards|wishes|thanks|"
    rf"sincerely|faithfully))[ \t]*[,.!]?[ \t]*\n[ \t]*(?P<name>{_NAME_WORDS})[ \t]*,?[ \t]*$")
_SIGNATURE = re.compile(
    rf"(?m)^[ \t]*(?P<name>{_NAME_WORDS})[ \t]*,?[ \t]*\n[ \t]*(?:the[ \t]+)?(?:{_ROLE_WORDS})\b")
# A word after a name that makes it a place or an organisation ("Florence Road").
_PLACE_WORDS = {
    "hospital", "hospitals", "house", "centre", "center", "court", "ward", "wards", "unit",
    "trust", "surgery", "practice", "road", "street", "lane", "avenue", "way", "park", "place",
    "square", "hall", "school", "college", "university", "health", "healthcare", "care",
    "community", "medical", "partnership", "foundation", "nhs", "council", "hospice", "clinic",
    "building", "wing", "suite", "team", "service", "services", "network", "group", "project",
    "programme", "award", "awards", "fund", "scheme", "line", "bridge", "station", "memorial",
    "infirmary", "institute", "library", "gardens", "close", "drive", "crescent", "terrace",
    "estate", "village", "lodge", "manor", "cottage", "road,", "pcn", "icb", "centre,",
    "syndrome", "disease", "scale", "score", "tool", "model", "method", "test", "protocol",
    "framework", "report", "review", "inquiry", "act", "day", "week", "month", "fellowship",
    "lecture", "trophy", "prize", "room", "suite", "block", "hub", "café", "cafe", "shop",
}
_NOT_BEFORE = {"st", "st.", "saint", "royal", "queen", "king", "prince", "princess", "lady",
               "duke", "duchess", "sir", "the"}
# Capitalised words that are not surnames in this kind of text.
_NOT_SURNAME = {
    "the", "and", "of", "for", "to", "in", "on", "at", "with", "by", "from", "our", "we", "this",
    "that", "these", "those", "it", "its", "their", "they", "he", "she", "his", "her", "a", "an",
    "nhs", "icb", "ics", "trust", "board", "council", "primary", "secondary", "mental", "health",
    "care", "social", "community", "clinical", "digital", "quality", "improvement", "patient",
    "patients", "safety", "service", "services", "team", "teams", "staff", "hospital", "ward",
    "unit", "discharge", "winter", "summer", "spring", "autumn", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "covid",
    "project", "programme", "pathway", "network", "partnership", "alliance", "system", "place",
    "north", "south", "east", "west", "central", "city", "county", "district", "borough",
    "general", "royal", "university", "teaching", "foundation", "region", "regional",
    "national", "local", "urgent", "emergency", "acute", "integrated", "virtual", "frailty",
    "respiratory", "cancer", "maternity", "children", "childrens", "adult", "adults",
    "older", "people", "workforce", "finance", "estates", "governance", "strategy", "plan",
    "award", "awards", "lead", "leads", "director", "manager", "officer", "executive", "chief",
    "head", "nurse", "nurses", "doctor", "doctors", "gp", "gps", "consultant", "pharmacist",
    "matron", "is", "was", "has", "had", "said", "says", "also", "who", "which", "when", "where",
    "led", "told", "felt", "worked", "works", "will", "would", "could", "should", "can",
    "did", "does", "not", "but", "or", "as", "so", "all", "after", "before", "during",
    "daily", "weekly", "monthly", "hub", "hubs", "centre", "center", "hospice", "practice",
    "surgery", "trainee", "trainees", "volunteers", "volunteer", "partners", "partner",
    "family", "families", "carer", "carers", "mum", "dad", "mother", "father", "son",
    "daughter", "wife", "husband", "sister", "brother", "home", "street", "road", "lane",
    "bay", "park", "hill", "house", "court", "trusts", "england", "wales", "scotland",
    "ireland", "britain", "uk", "london", "test", "tests", "day", "week", "year", "month",
    "group", "groups", "forum", "committee", "panel", "fund", "scheme", "act", "report",
    "review", "framework", "model", "tool", "score", "scale", "syndrome", "disease",
    "syndromes", "diseases", "unit", "units", "wards", "clinic", "clinics",
}
_NOT_PERSONS = {"marie curie", "sue ryder", "florence nightingale", "john radcliffe",
                "william harvey", "james paget", "ronald mcdonald", "joseph rowntree",
                "mary seacole", "alder hey", "george eliot", "william booth", "helen bamber",
                "john taylor", "elizabeth garrett", "harold wood", "simon says"}
# Given names that are also everyday words: flagged only with a surname or a title.
AMBIGUOUS_GIVEN = {
    "may", "june", "april", "hope", "grace", "faith", "will", "rose", "dawn", "amber", "ruby",
    "summer", "sky", "bill", "frank", "rich", "jean", "victoria", "chase", "page", "norman",
    "lane", "joy", "iris", "holly", "ivy", "daisy", "poppy", "violet", "hazel", "heather",
    "pearl", "penny", "robin", "sandy", "sonny", "precious", "blessing", "patience", "mercy",
    "mark", "max", "jack", "jan", "pat", "sue", "carol", "eve", "gail", "glen", "ken", "lee",
    "leigh", "dean", "grant", "stanley", "florence", "jersey", "chester", "lincoln", "austin",
    "devon", "kim", "sam", "jo", "alex", "morgan", "harley", "isla", "ali", "christian",
    "jordan", "miles", "nick", "art", "gene", "ray", "guy", "hunter", "august", "ash", "ashley",
    "bradley", "dale", "kelly", "lynn", "leon", "tyler", "owen", "mason", "harrison", "lewis",
    "gordon", "douglas", "craig", "scott", "ross", "stewart", "stuart", "bernard", "terry",
    "howard", "wayne", "carl", "neil", "martin", "shannon", "fraser", "cameron", "chelsea",
    "francis", "hamilton", "elliot", "max", "joel", "duncan", "harvey", "kyle", "clare",
    "brendan", "jade", "crystal", "cherry", "primrose", "olive", "opal", "angel", "star",
}


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """The shipped list of given names (``given_names.txt``), lower-cased."""
    lines = NAMES_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines
                     if line.strip() and not line.startswith("#"))


def _word_after(text: str, end: int) -> str:
    match = re.match(r"[ \t]+([\w’'-]+)", text[end:end + 40])
    return match.group(1).lower().rstrip("’'s") if match else ""


def _word_before(text: str, start: int) -> str:
    match = re.search(r"([\w.’'-]+)[ \t]+$", text[max(0, start - 40):start])
    return match.group(1).lower() if match else ""


def _looks_like_place(text: str, start: int, end: int) -> bool:
    after = _word_after(text, end)
    return (after in _PLACE_WORDS or after.endswith("’s") or _word_before(text, start) in _NOT_BEFORE
            or text[start:end].lower() in _NOT_PERSONS)


def _names(text: str) -> list[Span]:
    found: list[Span] = []
    names = given_names()
    for match in _TITLED.finditer(text):
        base = match.start("name")
        words = [(base + w.start(), base + w.end())
                 for w in re.finditer(r"[^ \t]+", match.group("name"))]
        while words and text[words[-1][0]:words[-1][1]].lower() in _NOT_SURNAME:
            words.pop()
        if not words or text[words[0][0]:words[0][1]].lower() in _NOT_SURNAME:
            continue
        start, end = words[0][0], words[-1][1]
        if _word_after(text, end) in _PLACE_WORDS:
            continue
        found.append(Span(PERSON_NAME, start, end, text[start:end]))
    taken = [(s.start, s.end) for s in found]
    for span in _cued_names(text, taken):
        found.append(span)
        taken.append((span.start, span.end))
    pos = 0
    while True:
        match = _PAIR.search(text, pos)
        if match is None:
            break
        pos = match.start() + len(match.group("first"))
        if any(a <= match.start() < b for a, b in taken):
            continue
        first = match.group("first")
        rest = match.group("rest").split()
        # the surname words: capitalised, not everyday words of the field
        kept = []
        for word in rest:
            if word.lower() in _NOT_SURNAME or word.lower() in _PLACE_WORDS:
                break
            kept.append(word)
        if not kept or first.lower() in _NOT_SURNAME:
            continue
        end = match.start() + len(first)
        for word in kept:
            end = text.index(word, end) + len(word)
        start = match.start()
        phrase = text[start:end]
        is_given = first.lower() in names
        with_role = bool(_ROLE_AFTER.match(text[end:end + 40]))
        if not (is_given or with_role):
            continue
        if _looks_like_place(text, start, end) or " ".join(phrase.split()[:2]).lower() in _NOT_PERSONS:
            continue
        found.append(Span(PERSON_NAME, start, end, phrase))
        taken.append((start, end))
        pos = end
    for match in re.finditer(rf"(?<![\w’'-]){_WORD}", text):
        word = match.group()
        if word.lower() not in names or word.lower() in AMBIGUOUS_GIVEN:
            continue
        start, end = match.start(), match.end()
        if any(a < end and start < b for a, b in taken):
            continue
        if _looks_like_place(text, start, end):
            continue
        nxt = re.match(rf"[ \t]+({_WORD})", text[end:end + 40])
        if nxt and nxt.group(1).lower() not in _NOT_SURNAME:
            continue  # part of a longer proper name the rules above did not take
        found.append(Span(PERSON_NAME, start, end, word))
    return found


def _cued_names(text: str, taken: list[tuple[int, int]]) -> list[Span]:
    """Two or three capitalised words where the layout says a person is named: after a
    label ("Contact: …", "Prepared by …", "Name: …"), under a sign-off, or alone on a line
    with a job title on the next (a signature block); surname words stop at an everyday
    word of the field, and a place or an organisation is not a name."""
    found = []
    if "\n" not in text and not re.search(r"(?i)\b(?:by|contact|author|name)\b", text):
        return found
    matches = [*(("name" if m.group("name") else "label", m) for m in _CUED.finditer(text)),
               *(("name", m) for m in _SIGNED_OFF.finditer(text)),
               *(("name", m) for m in _SIGNATURE.finditer(text))]
    for group, match in matches:
        start = match.start(group)
        words = [(start + w.start(), start + w.end())
                 for w in re.finditer(r"[^ \t]+", match.group(group))]
        kept = []
        for a, b in words:
            if text[a:b].lower() in _NOT_SURNAME or text[a:b].lower() in _PLACE_WORDS:
                break
            kept.append((a, b))
        if len(kept) < 2:
            continue
        start, end = kept[0][0], kept[-1][1]
        if any(a < end and start < b for a, b in taken) or _looks_like_place(text, start, end):
            continue
        if " ".join(text[start:end].split()[:2]).lower() in _NOT_PERSONS:
            continue
        found.append(Span(PERSON_NAME, start, end, text[start:end]))
        taken = [*taken, (start, end)]
    return found


# -- all together --------------------------------------------------------------------

_DIGIT_OR_AT = re.compile(r"[\d@]")
_CAPITAL = re.compile(r"[A-Z]")


def detect(text: str, kinds: tuple[str, ...] | frozenset[str] = KINDS) -> list[Span]:
    """Every item of personal data in ``text``, in order, none overlapping.

    Where two rules claim the same characters the earlier kind wins: email,
    then NHS number, phone number, postcode, name.
    """
    if not text:
        return []
    candidates: list[Span] = []
    if _DIGIT_OR_AT.search(text):
        if EMAIL in kinds:
            candidates += _emails(text)
        if NHS_NUMBER in kinds:
            candidates += _nhs_numbers(text)
        if UK_PHONE in kinds:
            candidates += _phones(text)
        if UK_POSTCODE in kinds:
            candidates += _postcodes(text)
    if PERSON_NAME in kinds and _CAPITAL.search(text):
        candidates += _names(text)
    chosen: list[Span] = []
    for span in candidates:  # already in priority order
        if all(span.end <= s.start or span.start >= s.end for s in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def redact(text: str, spans) -> str:
    """``text`` with each span replaced by its placeholder (``[NHS number]`` …).

    ``spans``: anything with ``kind``, ``start`` and ``end`` (overlaps are merged into
    the first); spans outside the text are ignored.
    """
    pieces, pos = [], 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start < pos or span.end > len(text) or span.start >= span.end:
            continue
        pieces += [text[pos:span.start], placeholder(span.kind)]
        pos = span.end
    pieces.append(text[pos:])
    return "".join(pieces)


def summary(spans) -> dict[str, int]:
    """How many spans of each kind (for audit events: kinds and counts, never the data)."""
    counts: dict[str, int] = {}
    for span in spans:
        counts[span.kind] = counts.get(span.kind, 0) + 1
    return counts
