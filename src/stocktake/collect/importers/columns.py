"""Deciding what each column of a table holds, from its header words and from its cells.

A column's role is one of :data:`ROLE_CHOICES` (the keys are the field names a
:class:`~.mapping.Mapping` takes, so a user's choice in the upload preview *is*
a mapping), a section kind (``achievements`` … : its cells are findings of that
section) or ``domain:<key>`` (its cells are findings of that domain, one row per
organisation).

The decision, in order:

1. the user's :class:`~.mapping.Mapping`, for the headers it names;
2. the header's words ("Key findings so far" → list of findings, "Examples of
   good practice" → example title, "Approach taken" → approach, "RAG status" →
   status, a domain's name → that domain, "Challenges" → that section);
3. the cells, where the header says nothing (or there is no header row): names
   of organisations (NHS, Trust, ICB, Council, acronyms …) → organisation, or
   system when they are ICSs/ICBs; the framework's domains → domain; status
   words (RAG, accepted, complete) → status; dates → date; "R1", "1.2" →
   number; lists (bullets, numbers, line breaks, semicolons) → list of
   findings; long prose → finding text.

The header's verdict is also corrected by the cells where they disagree
strongly (a "Findings" column of bullet lists is a *list* of findings; a
"Response" column beside a "Recommendation" column is the response).

The one entry point for previews is :func:`table_plan`: it returns a
:class:`~.model.TablePlan`, one :class:`~.model.ColumnPlan` per column with its
role, a human label and the evidence ("Column 'Key findings so far' taken as:
list of findings (header words)"). A user's override is a ``Mapping`` of header
→ role key from :data:`ROLE_CHOICES` (or a section kind, or ``domain:<name>``);
pass it back to :func:`table_plan` or to ``extract(..., mapping=...)``.
:func:`role_choices` lists every choice for a select, with the framework's
domains. The readers record the plan of every table they read in
``Extraction.tables``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from stocktake.collect.importers.mapping import FIELDS, Mapping, header_key
from stocktake.collect.importers.matching import DomainMatcher, match_kind_value, match_section
from stocktake.collect.importers.model import SECTION_KINDS, ColumnPlan, TablePlan
from stocktake.collect.importers.segment import clean, split_items

# (key a Mapping takes, label for people); keys are also the roles of ColumnPlan.role.
ROLE_CHOICES: tuple[tuple[str, str], ...] = (
    ("organisation", "Organisation"),
    ("system", "System"),
    ("place", "Place"),
    ("domain", "Domain"),
    ("theme", "Theme"),
    ("section", "Section or type (achievement, challenge …)"),
    ("finding", "Finding text"),
    ("list", "List of findings"),
    ("approach", "Approach or method"),
    ("example", "Example title"),
    ("synopsis", "Synopsis"),
    ("number", "Recommendation number"),
    ("recommendation", "Recommendation text"),
    ("response", "Response or progress"),
    ("status", "Status"),
    ("owner", "Owner"),
    ("date", "Date"),
    ("attribute", "Kept as a note on each finding"),
    ("ignore", "Ignored"),
)
_LABELS = dict(ROLE_CHOICES)
# internal role (tables.py) -> choice key
_CHOICE = {"text": "finding", "kind": "section"}

ROLE_NAMES: dict[str, set[str]] = {
    "organisation": {"organisation", "organization", "org", "organisation name", "organization name",
                     "submitting organisation", "provider", "trust", "partner", "name of organisation",
                     "lead organisation", "organisations", "provider name", "partner organisation"},
    "system": {"system", "ics", "integrated care system", "stp", "system name", "icb", "systems"},
    "place": {"place", "locality", "borough", "area", "footprint", "place name"},
    "domain": {"domain", "framework domain", "learning domain", "domain area", "domains"},
    "theme": {"theme", "themes", "topic", "theme area"},
    "kind": {"type", "kind", "section", "finding type", "category", "achievement or challenge",
             "achievement challenge", "polarity"},
    "text": {"finding", "key finding", "statement", "comment", "comments",
             "detail", "details", "response", "narrative", "text", "observation", "observations",
             "learning point", "what happened"},
    "list": {"findings", "key findings", "key findings so far", "learning points", "key points",
             "key messages", "findings so far"},
    "approach": {"approach", "method", "methods", "methodology", "approach taken", "approach method",
                 "how", "approach to learning"},
    "example": {"example", "examples", "innovation", "initiative", "title", "example title",
                "best practice example", "good practice example", "practice", "name of innovation"},
    "synopsis": {"synopsis", "summary", "description", "brief description", "overview"},
    "number": {"no", "number", "ref", "reference", "rec", "rec no", "recommendation number", "n", "id",
               "item"},
    "recommendation": {"recommendation", "recommendations", "recommended action"},
    "status": {"status", "rag", "rag rating", "rag status", "rating", "progress rating"},
    "owner": {"owner", "lead", "responsible", "accountable", "action owner", "lead officer"},
    "date": {"date", "deadline", "due", "due date", "target date", "by when", "timescale", "completion date"},
}
# Header words, for headers not named exactly above (checked in this order).
_HEADER_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("number", re.compile(r"^(?:rec(?:ommendation)? )?(?:no|number|ref|reference|id)$")),
    ("recommendation", re.compile(r"\brecommendations?\b|\brecommended actions?\b")),
    ("organisation", re.compile(r"\borgani[sz]ations?\b|\bproviders?\b")),
    ("system", re.compile(r"\b(?:ics|icb|stp|integrated care (?:system|board)|systems?)\b")),
    ("place", re.compile(r"\b(?:place|locality|localities)\b")),
    ("domain", re.compile(r"\b(?:domains?|area of (?:practice|focus|work)|(?:practice|focus) areas?)\b")),
    ("theme", re.compile(r"\bthemes?\b")),
    ("section", re.compile(r"")),  # a section's name ("Key achievements", "What we learned")
    ("example", re.compile(r"\b(?:examples?|(?:good|best|notable|promising|innovative|shared) practice|"
                           r"innovations?|initiatives?)\b")),
    ("synopsis", re.compile(r"\b(?:synopsis|summary|description|overview|outline|impact|outcomes?)\b")),
    ("approach", re.compile(r"\b(?:approach(?:es|ed)?|methods?|methodology)\b|\bhow we (?:went|did|gathered|"
                            r"collected|approached|carried)\b")),
    ("status", re.compile(r"\b(?:status|rag)\b")),
    ("response", re.compile(r"\b(?:response|progress|update|action taken)\b")),
    ("owner", re.compile(r"\b(?:owner|lead officer|responsible|accountable)\b")),
    ("date", re.compile(r"\b(?:date|deadline|due|timescales?|by when)\b")),
    ("list", re.compile(r"\b(?:findings|key points|learning points|messages|themes emerging)\b")),
    ("text", re.compile(r"\b(?:finding|statement|comments?|narrative|observations?|what happened)\b")),
]
SAMPLE_ROWS = 300  # body rows whose cells decide columns the header does not
CONTEXT_ROLES = ("organisation", "system", "place", "domain", "theme", "kind")
# Single-value roles that describe a row but are not findings: kept on findings as attributes.
NOTE_ROLES = ("status", "owner", "date", "place", "theme", "response")

# -- what cells look like --------------------------------------------------------
_ORG_WORDS = re.compile(
    r"\b(?:NHS|Trust|ICB|ICS|Council|CCG|Hospitals?|Partnership|Hospice|Foundation|Healthcare|"
    r"Health|Care|Borough|County|Practice|PCN|Federation|Ambulance|Infirmary|Ltd|Limited|CIC|Charity|"
    r"University|Alliance|Board|Services|Integrated|Authority|Commissioning|Primary|Community|"
    r"Group|Network|Clinic|Surgery|Medical|Centre|Center|Society|Association)\b")
_FINISHED = re.compile(r"[.!?;:]$")
_SMALL = {"and", "of", "the", "for", "in", "on", "at", "with", "upon", "by", "to"}
_ACRONYM = re.compile(r"^(?:[A-Z][A-Za-z&]{1,7}|[A-Z]{2,8})$")
_SYSTEM_WORDS = re.compile(r"\b(?:ICS|ICB|STP|Integrated Care (?:System|Board|Partnership)|System)\b", re.I)
_STATUS = re.compile(
    r"^(?:red|amber|green|blue|grey|rag|r|a|g|complete[d]?|in progress|on track|off track|not started|"
    r"ongoing|open|closed|delayed|overdue|achieved|done|partially (?:met|complete[d]?|accepted)|"
    r"accepted(?: in (?:part|principle))?|not accepted|rejected|partly accepted|noted|agreed|"
    r"not agreed|met|not met|partially met)\b", re.I)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_DATE = re.compile(
    rf"^(?:\d{{4}}-\d{{2}}-\d{{2}}(?:[ T][\d:]+)?|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTH}\.?\s+\d{{2,4}}|q[1-4]\s*(?:\d{{2,4}}|20\d\d/\d\d)|"
    rf"20\d\d(?:/\d\d)?|(?:end of |by )?(?:spring|summer|autumn|winter)\s+20\d\d)$", re.I)
_NUMBER = re.compile(r"^(?:r|rec\.?\s*|recommendation\s+)?\d{1,3}(?:\.\d{1,3})*[a-z]?[.):]?$", re.I)
_DITTO = re.compile(r"^(?:(?:the\s+)?same(?:\s+as\s+above)?|(?:as|see)\s+above|as\s+per\s+above|ditto|"
                    r"do\.?|[\"“”〃]+|'')\.?$", re.I)


# What a reader puts in a cell merged with the one above (a Word or Excel merged cell).
MERGED_CELL = "\ue000"


def is_ditto(text: str) -> bool:
    """ "Same as above", "As above", "Ditto", '"', or a merged cell: the cell repeats the one above."""
    return bool(text) and len(text) <= 20 and (text == MERGED_CELL or bool(_DITTO.match(text.strip())))


def looks_like_organisation(text: str) -> bool:
    """A short cell that names an organisation ("Carrowfold NHS Trust", "LCH", "X (ABC)")."""
    text = " ".join(text.split())
    if not text or len(text.split()) > 14 or text.endswith((".", ";", ":")) or "\n" in text:
        return False
    if _ACRONYM.match(text) and sum(c.isupper() for c in text) >= 2:
        return True
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if w.lower() not in _SMALL]
    capitalised = sum(1 for w in words if w[:1].isupper())
    return bool(_ORG_WORDS.search(text)) and text[:1].isupper() and capitalised >= 0.75 * len(words)


@dataclass
class Profile:
    """What a column's cells look like."""

    cells: int = 0
    words: float = 0.0  # mean words per cell
    lists: float = 0.0  # share of cells holding two or more items
    orgs: float = 0.0
    systems: float = 0.0
    domains: float = 0.0
    kinds: float = 0.0
    statuses: float = 0.0
    dates: float = 0.0
    numbers: float = 0.0
    distinct: float = 1.0  # distinct values / cells

    def content_role(self) -> tuple[str, str] | None:
        """(internal role, evidence) that these cells suggest, or None."""
        if self.cells == 0:
            return None
        if self.numbers >= 0.8 and self.words <= 2:
            return "number", "numbers such as 'R1' or '1.2'"
        if self.dates >= 0.8:
            return "date", "dates"
        if self.statuses >= 0.7 and self.words <= 4:
            return "status", "status words (RAG, accepted, complete …)"
        if self.domains >= 0.6 and self.words <= 8:
            return "domain", "the framework's domains"
        if self.kinds >= 0.7 and self.words <= 4:
            return "kind", "section names (achievement, challenge …)"
        if self.orgs >= 0.6 and self.words <= 12:
            if self.systems >= 0.6:
                return "system", "names of systems (ICS, ICB …)"
            return "organisation", "names of organisations"
        if self.lists >= 0.3:
            return "list", "lists (bullets, numbers, line breaks or semicolons)"
        if self.words >= 12:
            return "text", "long prose"
        return None


def profile(cells: Iterable[str], matcher: DomainMatcher | None = None) -> Profile:
    values = [c for c in (str(v or "").strip() for v in cells) if c and not is_ditto(c)]
    if not values:
        return Profile()
    n = len(values)
    flat = [" ".join(v.split()) for v in values]

    def share(test) -> float:
        return sum(1 for v in flat if test(v)) / n

    return Profile(
        cells=n,
        words=sum(len(v.split()) for v in flat) / n,
        lists=sum(1 for v in values if len(split_items(v)) >= 2) / n,
        orgs=share(looks_like_organisation),
        systems=share(lambda v: bool(_SYSTEM_WORDS.search(v))),
        domains=share(lambda v: bool(matcher and matcher.match(v, max_extra_words=2))),
        kinds=share(lambda v: len(v.split()) <= 3 and not _FINISHED.search(v) and bool(match_kind_value(v))),
        statuses=share(lambda v: bool(_STATUS.match(v)) and len(v.split()) <= 6),
        dates=share(lambda v: bool(_DATE.match(v))),
        numbers=share(lambda v: bool(_NUMBER.match(v))),
        distinct=len(set(flat)) / n,
    )


@dataclass
class Columns:
    roles: dict[str, int] = field(default_factory=dict)  # role -> column index
    text: list[int] = field(default_factory=list)  # finding text columns
    lists: set[int] = field(default_factory=set)  # of those, the ones holding lists
    kinds: dict[int, str] = field(default_factory=dict)  # column -> section kind ("Challenges")
    domains: dict[int, str] = field(default_factory=dict)  # column -> domain key ("Governance")
    attributes: dict[int, str] = field(default_factory=dict)  # column -> header, kept on findings
    names: dict[int, str] = field(default_factory=dict)
    unknown_targets: list[str] = field(default_factory=list)  # mapping targets no domain matched
    evidence: dict[int, str] = field(default_factory=dict)  # column -> why it got its role
    ignored: set[int] = field(default_factory=set)
    mapped: set[int] = field(default_factory=set)  # columns the mapping named
    headerless: bool = False

    @property
    def score(self) -> int:
        return len(self.roles) + len(self.text) + len(self.kinds) + len(self.domains)

    @property
    def content(self) -> list[int]:
        """Columns whose cells are findings, left to right."""
        return sorted(set(self.text) | set(self.kinds) | set(self.domains))

    @property
    def mode(self) -> str | None:
        if "recommendation" in self.roles:
            return "recommendations"
        if "example" in self.roles or ("synopsis" in self.roles and not self.content):
            return "examples"
        if self.content or "approach" in self.roles:
            return "findings"
        return None

    def role_of(self, index: int) -> str:
        """The column's role as a key of ROLE_CHOICES, a section kind or ``domain:<key>``."""
        for role, col in self.roles.items():
            if col == index:
                return _CHOICE.get(role, role)
        if index in self.lists:
            return "list"
        if index in self.text:
            return "finding"
        if index in self.kinds:
            return self.kinds[index]
        if index in self.domains:
            return f"domain:{self.domains[index]}"
        if index in self.attributes:
            return "attribute"
        return "ignore"

    def plan(self, header_row: int | None, domain_names: dict[str, str] | None = None,
             body: Sequence[Sequence[str]] = ()) -> TablePlan:
        """What each column was taken as; ``body``: the rows below the header (for samples)."""
        plans = []
        for index in sorted(self.names):
            role = self.role_of(index)
            if role in SECTION_KINDS:
                label = f"findings: {role}"
            elif role.startswith("domain:"):
                key = role.split(":", 1)[1]
                label = f"findings of the domain {(domain_names or {}).get(key, key)}"
            else:
                label = _LABELS.get(role, role).lower() if role not in ("organisation", "system") \
                    else _LABELS[role].lower()
            plans.append(ColumnPlan(index=index, header=self.names[index], role=role, label=label,
                                    evidence=self.evidence.get(index, "not recognised"),
                                    sample=_sample(body, index)))
        return TablePlan(header_row=header_row, columns=plans, mode=self.mode or "")


def _sample(rows: Sequence[Sequence[str]], index: int, limit: int = 80) -> str:
    for row in rows[:SAMPLE_ROWS]:
        cell = " ".join(str(row[index]).split()) if index < len(row) and row[index] else ""
        if cell and not is_ditto(cell):
            return cell if len(cell) <= limit else cell[: limit - 1].rstrip() + "…"
    return ""


def _set(columns: Columns, index: int, role: str, evidence: str) -> None:
    """Give column ``index`` an internal role (text, list, kind:…, a role of ROLE_NAMES …)."""
    columns.evidence[index] = evidence
    if role in ("text", "list"):
        columns.text.append(index)
        if role == "list":
            columns.lists.add(index)
    elif role == "attribute":
        columns.attributes[index] = columns.names[index]
    elif role == "ignore":
        columns.ignored.add(index)
    elif role in NOTE_ROLES and role in columns.roles:
        columns.attributes[index] = columns.names[index]  # a second status column: a note
    else:
        columns.roles[role] = index


def _apply(columns: Columns, index: int, target: str, matcher: DomainMatcher | None) -> None:
    columns.mapped.add(index)
    if target.startswith("section:"):
        columns.kinds[index] = target.split(":", 1)[1]
        columns.evidence[index] = "your mapping"
    elif target.startswith("domain:"):
        wanted = target.split(":", 1)[1]
        key = matcher.match(wanted) if matcher else None
        if key is None:
            columns.unknown_targets.append(wanted)
            _set(columns, index, "attribute", "your mapping names a domain not in the framework")
        else:
            columns.domains[index] = key
            columns.evidence[index] = "your mapping"
    else:
        _set(columns, index, target, "your mapping")


def header_role(cell: str, key: str, matcher: DomainMatcher | None) -> tuple[str, str] | None:
    """(internal role, evidence) from a header cell's words, or None."""
    role = next((r for r, names in ROLE_NAMES.items() if key in names), None)
    if role:
        return role, "header words"
    words = key.split()
    if not words or len(words) > 8:
        return None
    domain = matcher.match(cell, max_extra_words=3) if matcher else None
    if domain:
        return f"domain:{domain}", "the header names a domain"
    kind = match_section(cell, max_words=6)
    for role, pattern in _HEADER_WORDS:
        if role == "section":
            if kind and kind != "examples":
                return f"section:{kind}", "the header names a section"
        elif pattern.search(key):
            return role, "header words"
    if kind:
        return f"section:{kind}", "the header names a section"
    return None


def _guess(columns: Columns, index: int, cell: str, key: str, matcher: DomainMatcher | None) -> None:
    found = header_role(cell, key, matcher)
    if found is None:
        _set(columns, index, "attribute", "not recognised")
        return
    role, evidence = found
    if role.startswith("domain:"):
        columns.domains[index] = role.split(":", 1)[1]
        columns.evidence[index] = evidence
    elif role.startswith("section:"):
        columns.kinds[index] = role.split(":", 1)[1]
        columns.evidence[index] = evidence
    elif role in columns.roles and role not in ("text", "list"):
        # a second "organisation" column: keep the first, note the second
        _set(columns, index, "attribute", f"a second {_LABELS.get(_CHOICE.get(role, role), role).lower()} column")
    else:
        _set(columns, index, role, evidence)


def read_header(row: list[str], *, matcher: DomainMatcher | None = None,
                mapping: Mapping | None = None) -> Columns:
    columns = Columns()
    for index, cell in enumerate(row):
        key = header_key(cell)
        if not key:
            continue
        columns.names[index] = clean(cell)
        target = mapping.target(cell) if mapping else None
        if target:
            _apply(columns, index, target, matcher)
        elif len(key.split()) <= 12:
            _guess(columns, index, cell, key, matcher)
        else:
            _set(columns, index, "attribute", "not recognised")
    _settle(columns)
    return columns


def _settle(columns: Columns) -> None:
    """Rules between columns: a synopsis beside findings is text; an example column among
    finding columns is the examples section; a response column is text without recommendations."""
    roles = columns.roles
    if "synopsis" in roles and "example" not in roles and columns.content \
            and roles["synopsis"] not in columns.mapped:
        col = roles.pop("synopsis")
        columns.text.append(col)
        columns.evidence[col] = "header words (a description beside findings)"
    if "response" in roles and "recommendation" not in roles and roles["response"] not in columns.mapped:
        col = roles.pop("response")
        columns.text.append(col)
        columns.evidence[col] = "header words (answers, with no recommendation column)"
    if "recommendation" in roles and "response" not in roles:
        # "Recommendation | Response | Status": "Response" alone is a text column's name, but
        # beside recommendations it holds the answers to them
        for col in [c for c in columns.text if c not in columns.mapped and c not in columns.lists
                    and header_key(columns.names.get(c, "")) in ("response", "responses")]:
            columns.text.remove(col)
            roles["response"] = col
            columns.evidence[col] = "header words (answers beside recommendations)"
            break
    if "example" in roles and columns.content and "synopsis" not in roles \
            and roles["example"] not in columns.mapped:
        col = roles.pop("example")
        columns.kinds[col] = "examples"
        columns.evidence[col] = "header words (examples beside other findings)"
    for role in NOTE_ROLES:
        # notes describe findings, so they ride along on each finding
        if role in roles and role not in CONTEXT_ROLES and role != "response":
            columns.attributes[roles[role]] = columns.names.get(roles[role], role)


def refine(columns: Columns, rows: Sequence[Sequence[str]], matcher: DomainMatcher | None,
           mapping: Mapping | None = None) -> Columns:
    """Correct and complete the header's verdict from the cells of the body ``rows``."""
    width = max((len(r) for r in rows), default=0)
    profiles = {i: profile((r[i] if i < len(r) else "" for r in rows), matcher) for i in range(width)}
    for index, prof in profiles.items():
        if index in columns.mapped or prof.cells == 0:
            continue
        suggested = prof.content_role()
        for weak in ("theme", "place", "kind", "system"):
            if columns.roles.get(weak) == index and index not in columns.mapped and suggested \
                    and suggested[0] in ("list", "text") and prof.words >= 8:
                del columns.roles[weak]
                columns.attributes.pop(index, None)
                _set(columns, index, suggested[0], f"content: {suggested[1]} (header: {weak})")
        if columns.roles.get("system") == index and "organisation" not in columns.roles \
                and index not in columns.mapped and prof.orgs >= 0.6 and prof.systems < 0.3:
            columns.roles["organisation"] = columns.roles.pop("system")
            columns.evidence[index] = "content: names of organisations, not systems (header: system)"
        if index in columns.text and index not in columns.lists and prof.lists >= 0.3:
            columns.lists.add(index)
            columns.evidence[index] = columns.evidence.get(index, "header words") + "; cells hold lists"
        if suggested and suggested[0] == "domain" and "domain" not in columns.roles and prof.domains >= 0.8:
            for weak in ("place", "theme", "kind"):
                if columns.roles.get(weak) == index:
                    del columns.roles[weak]
                    columns.attributes.pop(index, None)
                    columns.roles["domain"] = index
                    columns.evidence[index] = f"content: {suggested[1]}"
        if index not in columns.attributes or index in columns.roles.values():
            continue
        if suggested is None:
            continue
        role, evidence = suggested
        if role in ("text", "list") and columns.content:
            continue  # an unnamed prose column beside named finding columns stays a note
        if role in columns.roles or role == "number" and "recommendation" not in columns.roles:
            continue
        if role in ("date", "status"):
            columns.roles.setdefault(role, index)
            columns.evidence[index] = f"content: {evidence}"
            continue  # kept as a note on the findings as well
        del columns.attributes[index]
        if role == "kind" and not columns.roles.get("kind"):
            columns.roles["kind"] = index
            columns.evidence[index] = f"content: {evidence}"
        else:
            _set(columns, index, role, f"content: {evidence}")
    return columns


def content_columns(rows: Sequence[Sequence[str]], matcher: DomainMatcher | None) -> Columns:
    """Columns of a table without a header row, decided by its cells alone."""
    width = max((len(r) for r in rows), default=0)
    columns = Columns(headerless=True)
    for index in range(width):
        columns.names[index] = f"column {index + 1}"
        prof = profile((r[index] if index < len(r) else "" for r in rows), matcher)
        suggested = prof.content_role()
        if suggested is None or suggested[0] in columns.roles:
            _set(columns, index, "attribute" if prof.cells else "ignore",
                 "not recognised" if prof.cells else "empty")
            continue
        _set(columns, index, suggested[0], f"content: {suggested[1]}")
    return columns


def _is_header_like(row: Sequence[str]) -> bool:
    cells = [c for c in row if c and c.strip()]
    return bool(cells) and all(len(c.split()) <= 12 and "\n" not in c.strip() for c in cells)


def find_header(rows: list[list[str]], *, matcher: DomainMatcher | None = None,
                mapping: Mapping | None = None, scan: int = 10) -> tuple[int, Columns] | None:
    """The first row (within ``scan``) that reads as a header of a usable table, its columns
    refined by the cells below it."""
    best: tuple[int, Columns] | None = None
    for index, row in enumerate(rows[:scan]):
        mapped = mapping is not None and any(mapping.target(c) for c in row if c)
        if not mapped and not _is_header_like(row):
            continue
        columns = read_header(row, matcher=matcher, mapping=mapping)
        if columns.score == 0 and not mapped:
            continue  # no header words at all: not a header row
        refine(columns, rows[index + 1: index + 1 + SAMPLE_ROWS], matcher, mapping)
        if columns.mode and (columns.score >= 2 or mapped or (columns.mode == "findings" and columns.text)):
            if best is None or columns.score > best[1].score:
                best = (index, columns)
            if columns.score >= 3 or mapped:
                break
    return best


def find_headerless(rows: list[list[str]], matcher: DomainMatcher | None) -> Columns | None:
    """The columns of a table with no header row, when its cells say enough: a column of
    findings (lists or prose) beside a column of organisations, systems or domains."""
    body = [r for r in rows if any(c.strip() for c in r)]
    if len(body) < 2 or max((len(r) for r in body), default=0) < 2:
        return None
    columns = content_columns(body, matcher)
    context = any(r in columns.roles for r in ("organisation", "system", "domain"))
    if columns.content and context:
        return columns
    return None


def table_plan(rows: list[list[str]], *, matcher: DomainMatcher | None = None,
               mapping: Mapping | None = None,
               domains: Iterable[tuple[str, str]] | None = None) -> TablePlan | None:
    """What each column of a table (its rows of cell text) would be taken as, and why.

    ``mapping``: the user's choices so far (header → a key of :data:`ROLE_CHOICES`);
    ``domains``: the framework's (key, name) pairs (a matcher is built from them when
    ``matcher`` is not given). None when the table is not one the importer can read.
    """
    domains = list(domains) if domains is not None else None
    if matcher is None and domains is not None:
        matcher = DomainMatcher(domains)
    names = dict(domains or (matcher.domains if matcher else []))
    found = find_header(rows, matcher=matcher, mapping=mapping)
    if found is not None:
        return found[1].plan(found[0], names, rows[found[0] + 1:])
    columns = find_headerless(rows, matcher)
    return columns.plan(None, names, rows) if columns is not None else None


def columns_from_plan(plan: TablePlan, matcher: DomainMatcher | None) -> Columns:
    """The columns of an earlier table, for a table that continues it without a header row."""
    from_choice = {key: FIELDS[key] for key, _ in ROLE_CHOICES}
    columns = Columns(headerless=True)
    for column in plan.columns:
        columns.names[column.index] = column.header
        role = column.role
        if role in SECTION_KINDS:
            columns.kinds[column.index] = role
        elif role.startswith("domain:"):
            columns.domains[column.index] = role.split(":", 1)[1]
        else:
            _set(columns, column.index, from_choice.get(role, role), "")
            if role in NOTE_ROLES or role == "attribute":
                columns.attributes.setdefault(column.index, column.header)
        columns.evidence[column.index] = f"as the table before it ({column.evidence})"
    return columns


def role_choices(domains: Iterable[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """Every choice for a column, for a select: the roles, the sections, then one per domain."""
    choices = list(ROLE_CHOICES)
    choices += [(kind, f"Findings: {kind}") for kind in SECTION_KINDS]
    choices += [(f"domain:{key}", f"Findings of the domain {name}") for key, name in domains]
    return choices
