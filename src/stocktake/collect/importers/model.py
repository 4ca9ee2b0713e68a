"""What every importer produces: plain dataclasses, ready for JSON or for the import action."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SECTION_KINDS = ("achievements", "challenges", "learning", "examples", "keep", "general")
# What a response or progress document says of a recommendation.
RESPONSE_STATUSES = ("accepted", "accepted_in_part", "not_accepted", "noted",
                     "in_progress", "complete", "unknown")


@dataclass(frozen=True)
class OrgRef:
    """An organisation a file speaks for, as named there (resolved later against the register)."""

    name: str
    system: str | None = None


@dataclass
class ExtractedFinding:
    text: str
    organisation: str | None
    system: str | None
    domain: str | None  # the framework domain key it matched, or None
    section: str = "general"  # one of SECTION_KINDS
    location: str = ""  # human-readable: "heading 'People' › bullet 3", "Findings!row 14", "line 52"
    attributes: dict[str, str] = field(default_factory=dict)  # spreadsheet columns with no field

    def to_dict(self, file: str) -> dict:
        return {
            "text": self.text,
            "organisation": self.organisation,
            "system": self.system,
            "domain": self.domain,
            "section": self.section,
            "attributes": dict(self.attributes),
            "source": {"file": file, "location": self.location},
        }


def _with_source(item, file: str) -> dict:
    """The item's fields, its location moved into ``source`` beside the file it came from."""
    data = asdict(item)
    del data["location"]
    data["source"] = {"file": file, "location": item.location}
    return data


@dataclass
class ExtractedExample:
    title: str
    synopsis: str
    domain: str | None
    organisation: str | None
    system: str | None
    location: str = ""

    def to_dict(self, file: str) -> dict:
        return _with_source(self, file)


@dataclass
class ExtractedRecommendation:
    number: int | None  # its order in the document's numbering (1, 2, …), for sorting
    text: str
    section: str = ""  # the heading it sits under, as printed
    location: str = ""
    label: str = ""  # its number as the document prints it: "8.12", "2a", "R3" ("" if unnumbered)

    def to_dict(self, file: str) -> dict:
        return _with_source(self, file)


@dataclass
class ExtractedResponse:
    """A response or progress document's answer to one recommendation."""

    label: str  # the recommendation's number as printed ("8.12", "2a", "14")
    number: int | None
    text: str  # the answer
    status: str = "unknown"  # one of RESPONSE_STATUSES
    recommendation_text: str = ""  # the recommendation as quoted, where the document quotes it
    location: str = ""

    def to_dict(self, file: str) -> dict:
        return _with_source(self, file)


@dataclass
class ExtractedCaseStudy:
    """A personal or organisational story told at length: never a best-practice example."""

    title: str
    text: str
    person: str = ""  # the name or role it is told by, as printed
    organisation: str | None = None
    system: str | None = None
    location: str = ""

    def to_dict(self, file: str) -> dict:
        return _with_source(self, file)


@dataclass
class ExtractedApproach:
    """How an organisation went about its learning (an approach/method column): not a finding."""

    organisation: str | None
    system: str | None
    text: str
    location: str = ""

    def to_dict(self, file: str) -> dict:
        return _with_source(self, file)


@dataclass(frozen=True)
class ColumnPlan:
    """What one column of a table was taken as, and why (see :func:`.columns.table_plan`)."""

    index: int
    header: str  # as printed ("column 3" when the table has no header row)
    role: str  # a key of columns.ROLE_CHOICES, a section kind, or "domain:<key>"
    label: str  # for people: "list of findings"
    evidence: str  # "header words", "content: names of organisations", "your mapping" …
    sample: str = ""  # the column's first cell below the header, shortened

    def describe(self) -> str:
        return f"Column '{self.header}' taken as: {self.label} ({self.evidence})"


@dataclass
class TablePlan:
    """The columns of one table as read; ``header_row`` is None for a table with no header row."""

    header_row: int | None
    columns: list[ColumnPlan]
    mode: str = ""  # "findings", "examples" or "recommendations"
    where: str = ""  # the table's place in the file ("sheet 'Returns'", "table 2")
    width: int = 0  # columns in its rows
    # the organisation, system, domain … in force at its last row: a table that goes on
    # after a page break without a header row carries on from it
    end: dict[str, str | None] = field(default_factory=dict)

    def describe(self) -> list[str]:
        return [column.describe() for column in self.columns]


@dataclass(frozen=True)
class Problem:
    """Something in an otherwise readable file that was skipped or guessed; shown to the importer."""

    file: str
    location: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, {self.location}" if self.location else self.file
        return f"{where}: {self.message}"


@dataclass
class Extraction:
    file: str
    format: str
    organisations: list[OrgRef] = field(default_factory=list)
    findings: list[ExtractedFinding] = field(default_factory=list)
    examples: list[ExtractedExample] = field(default_factory=list)
    recommendations: list[ExtractedRecommendation] = field(default_factory=list)
    responses: list[ExtractedResponse] = field(default_factory=list)
    case_studies: list[ExtractedCaseStudy] = field(default_factory=list)
    approaches: list[ExtractedApproach] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    template: str = ""  # the review (slug) a stocktake Word template was made for; "" if not one
    template_kind: str = ""  # that template's kind (importers.template: SUBMISSION, TEAM_NOTES)
    team: str = ""  # the team a team conversation's notes template names (its findings' team)
    tables: list[TablePlan] = field(default_factory=list)  # how each table's columns were read
    # What each table's columns were taken as in mapping words (roles.TableColumns), tables
    # nothing was read from included: the upload preview's column choices.
    column_roles: list = field(default_factory=list)
    # Session notes (a title naming a reflection or review session): their header lines —
    # date, attendees, place … — as (field, value), read as the session's details, not findings.
    session: list[tuple[str, str]] = field(default_factory=list)

    def add_organisation(self, name: str | None, system: str | None) -> None:
        """Remember an organisation the first time it is named (and its system, once known)."""
        if not name:
            return
        for index, ref in enumerate(self.organisations):
            if ref.name == name:
                if ref.system is None and system:
                    self.organisations[index] = OrgRef(name, system)
                return
        self.organisations.append(OrgRef(name, system))

    def problem(self, location: str, message: str) -> None:
        self.problems.append(Problem(self.file, location, message))

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "format": self.format,
            "organisations": [asdict(ref) for ref in self.organisations],
            "findings": [f.to_dict(self.file) for f in self.findings],
            "examples": [e.to_dict(self.file) for e in self.examples],
            "recommendations": [r.to_dict(self.file) for r in self.recommendations],
            "responses": [r.to_dict(self.file) for r in self.responses],
            "case_studies": [c.to_dict(self.file) for c in self.case_studies],
            "approaches": [a.to_dict(self.file) for a in self.approaches],
            "problems": [asdict(p) for p in self.problems],
            **({"session": [{"field": k, "value": v} for k, v in self.session]}
               if self.session else {}),
        }
