"""The report as plain data: what :func:`stocktake.report.build.build_report` returns."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from stocktake.analysis.consensus import CONSISTENT, DISTINCTIVE, NOT_RAISED, SHARED
from stocktake.core.text import plural

# Polarity values (collect.models.Polarity), written here so data stays free of models.
ACHIEVEMENT, CHALLENGE = "achievement", "challenge"

# How many quotes a theme section shows, and how long a quote may be before
# it starts to count against itself (long quotes are kept whole, never cut).
QUOTES_PER_THEME = 3
QUOTE_IDEAL_MAX = 320

# The consensus patterns (consistent, distinctive, shared, not raised) and
# their thresholds are defined once, in the analysis library.
PATTERN_LABELS = {
    CONSISTENT: "Consistent across systems",
    DISTINCTIVE: "Distinctive",
    SHARED: "Raised in several systems",
    NOT_RAISED: "Not raised",
}


@dataclass(frozen=True)
class OrganisationRow:
    name: str
    short_name: str
    system: str
    submitted: bool
    finding_count: int
    invited: bool = False  # invited through stocktake, or marked as invited


@dataclass(frozen=True)
class Participation:
    organisations: tuple[OrganisationRow, ...]  # every participant, invited or not
    invited_count: int  # participants actually invited
    submitted_count: int  # organisations with a submitted submission
    submissions_submitted: int
    systems: tuple[str, ...]  # systems with at least one submitted submission
    finding_count: int
    submitted_uninvited: int = 0  # organisations that submitted without an invitation

    @property
    def system_count(self) -> int:
        return len(self.systems)

    @property
    def sentence(self) -> str:
        """Who took part, in words: invitations and submissions counted apart."""
        invited = (f"{plural(self.invited_count, 'organisation')} "
                   f"{'was' if self.invited_count == 1 else 'were'} invited")
        sent = (f"{plural(self.submitted_count, 'organisation')} sent "
                f"{'a submission' if self.submitted_count == 1 else 'submissions'}")
        count = self.submitted_uninvited
        if count and count == self.submitted_count:
            sent += ", without an invitation" if count == 1 else ", all without an invitation"
        elif count:
            sent += f", {count} of them without an invitation"
        where = (f", across {plural(self.system_count, 'system')}"
                 if self.system_count else "")
        return f"{invited}; {sent}{where}."


@dataclass(frozen=True)
class ThemeObservation:
    key: str
    name: str
    anchor: str
    systems: tuple[str, ...]
    organisation_count: int
    finding_count: int
    pattern: str  # CONSISTENT, DISTINCTIVE, SHARED or NOT_RAISED
    total_systems: int

    @property
    def system_count(self) -> int:
        return len(self.systems)

    @property
    def pattern_label(self) -> str:
        # "Raised": no systems to compare, or raised only outside any system.
        if self.pattern == SHARED and (self.total_systems < 2 or not self.systems):
            return "Raised"
        return PATTERN_LABELS[self.pattern]


@dataclass(frozen=True)
class Quote:
    finding_id: int
    text: str
    organisation: str
    system: str
    polarity: str
    polarity_label: str
    domain: str
    source: str = ""  # the file and place it came from: "returns.docx, table 2 row 4"
    chosen: bool = False  # chosen by a reviewer (else suggested by the report itself)


@dataclass(frozen=True)
class Citation:
    """A finding a recommendation cites as its evidence."""

    finding_id: int
    text: str
    organisation: str
    source: str = ""


@dataclass(frozen=True)
class RecommendationItem:
    number: int
    text: str
    owner: str
    status: str
    status_label: str
    section: str
    label: str = ""  # the number as an imported document printed it ("8.12")
    origin: str = ""  # "from <document>" where another recommendation prints the same label
    theme_key: str = ""
    lead_contact: str = ""
    due_date: dt.date | None = None
    citations: tuple[Citation, ...] = ()

    @property
    def shown_number(self) -> str:
        return self.label or str(self.number)


@dataclass(frozen=True)
class ThemeSection:
    position: int
    key: str
    name: str
    description: str
    anchor: str
    observation: ThemeObservation
    polarity_counts: dict[str, int]
    narrative: tuple[str, ...]  # the facts, in sentences the report writes itself
    quotes: tuple[Quote, ...]
    recommendations: tuple[RecommendationItem, ...]
    narrative_html: str = ""  # what reviewers wrote (sanitised, core.richtext); "" if nothing
    system_counts: tuple[tuple[str, int], ...] = ()  # (system, findings coded here), by name


@dataclass(frozen=True)
class ExampleRow:
    domain: str
    system: str
    organisation: str
    title: str
    synopsis: str
    id: int = 0
    merged_count: int = 0  # duplicates merged into this one
    also_from: tuple[str, ...] = ()  # the other organisations of those duplicates, by name


@dataclass(frozen=True)
class SummaryItem:
    """A summary observation: the message, and how widely its theme was raised."""

    text: str
    theme_key: str = ""
    theme_name: str = ""
    anchor: str = ""
    systems: tuple[str, ...] = ()
    organisation_count: int = 0
    total_systems: int = 0

    @property
    def system_count(self) -> int:
        return len(self.systems)

    @property
    def reach(self) -> str:
        """"Raised in 5 of 6 systems, by 23 organisations" ("" without a theme)."""
        if not self.theme_key:
            return ""
        orgs = plural(self.organisation_count, "organisation")
        if self.total_systems:
            return f"Raised in {self.system_count} of {self.total_systems} systems, by {orgs}"
        return f"Raised by {orgs}"


@dataclass(frozen=True)
class CaseStudyItem:
    title: str
    person: str
    organisation: str
    text: str
    anchor: str


@dataclass(frozen=True)
class Heatmap:
    """Findings per theme (rows) and system (columns), for the chart and its table."""

    themes: tuple[str, ...]
    systems: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]

    @property
    def maximum(self) -> int:
        return max((n for row in self.counts for n in row), default=0)


@dataclass(frozen=True)
class BalanceRow:
    """Achievements against challenges in one theme."""

    theme: str
    achievements: int
    challenges: int
    other: int


@dataclass(frozen=True)
class FrameworkEntry:
    key: str
    name: str
    description: str


@dataclass(frozen=True)
class RunInfo:
    backend: str
    seed: int
    status: str
    created_at: dt.datetime
    parameters: dict


@dataclass(frozen=True)
class Method:
    framework_name: str
    framework_description: str
    domains: tuple[FrameworkEntry, ...]
    themes: tuple[FrameworkEntry, ...]
    human_codes: int  # reviewer decisions that a theme applies
    human_rejections: int  # reviewer decisions that a suggested theme does not apply
    machine_codes: int  # all machine suggestions, any rank
    machine_best: int  # machine suggestions at rank 0
    findings_coded: int  # findings with at least one theme
    findings_reviewed: int  # findings with at least one human code
    findings_uncoded: int
    latest_run: RunInfo | None
    session_count: int = 0  # reflection sessions held with systems
    template: str = ""  # how submissions were asked for (the Word template, the web form)
    note_html: str = ""  # what reviewers added to the method (sanitised)


@dataclass(frozen=True)
class ReportData:
    title: str
    slug: str
    scope: str
    opens_on: dt.date | None
    closes_on: dt.date | None
    status: str
    status_label: str
    region: str
    generated_on: dt.date
    method_summary: str
    participation: Participation
    observations: tuple[ThemeObservation, ...]
    theme_sections: tuple[ThemeSection, ...]
    further_recommendations: tuple[RecommendationItem, ...]
    examples: tuple[ExampleRow, ...]
    method: Method
    warnings: tuple[str, ...] = field(default=())
    summary_html: str = ""  # the opening narrative reviewers wrote (sanitised)
    summary_observations: tuple[SummaryItem, ...] = ()
    case_studies: tuple[CaseStudyItem, ...] = ()
    version: int | None = None  # the published version this is; None for the draft
    published_on: dt.date | None = None
    change_note: str = ""

    @property
    def is_draft(self) -> bool:
        return self.version is None

    @property
    def heatmap(self) -> Heatmap:
        systems = self.participation.systems
        rows = []
        for section in self.theme_sections:
            counts = dict(section.system_counts)
            rows.append(tuple(counts.get(name, 0) for name in systems))
        return Heatmap(themes=tuple(s.name for s in self.theme_sections), systems=systems,
                       counts=tuple(rows))

    @property
    def balance(self) -> tuple[BalanceRow, ...]:
        rows = []
        for section in self.theme_sections:
            achievements = section.polarity_counts.get(ACHIEVEMENT, 0)
            challenges = section.polarity_counts.get(CHALLENGE, 0)
            rows.append(BalanceRow(
                theme=section.name, achievements=achievements, challenges=challenges,
                other=section.observation.finding_count - achievements - challenges))
        return tuple(rows)

    @property
    def scope_paragraphs(self) -> tuple[str, ...]:
        paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", self.scope or ""))
        return tuple(p for p in paragraphs if p)

    @property
    def consistent(self) -> tuple[ThemeObservation, ...]:
        return tuple(o for o in self.observations if o.pattern == CONSISTENT)

    @property
    def distinctive(self) -> tuple[ThemeObservation, ...]:
        return tuple(o for o in self.observations if o.pattern == DISTINCTIVE)

    @property
    def recommendations(self) -> tuple[RecommendationItem, ...]:
        """Every recommendation in reading order."""
        items = [r for s in self.theme_sections for r in s.recommendations]
        return tuple(items + list(self.further_recommendations))

    @property
    def counts(self) -> dict[str, int]:
        return {
            "findings": self.participation.finding_count,
            "themes": len(self.theme_sections),
            "recommendations": len(self.recommendations),
            "examples": len(self.examples),
            "case_studies": len(self.case_studies),
            "organisations": self.participation.submitted_count,
            "systems": self.participation.system_count,
        }


