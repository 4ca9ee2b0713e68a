"""The report as plain data: what :func:`stocktake.report.build.build_report` returns."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from stocktake.analysis.consensus import CONSISTENT, DISTINCTIVE, NOT_RAISED, SHARED
from stocktake.core.text import plural

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
    narrative: tuple[str, ...]
    quotes: tuple[Quote, ...]
    recommendations: tuple[RecommendationItem, ...]


@dataclass(frozen=True)
class ExampleRow:
    domain: str
    system: str
    organisation: str
    title: str
    synopsis: str


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
            "organisations": self.participation.submitted_count,
            "systems": self.participation.system_count,
        }


