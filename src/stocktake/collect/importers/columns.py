"""Reading a table's header row: which column holds what.

Columns are recognised by their headings: Organisation · System · Domain ·
Type (achievement / challenge …) · Finding (or Key findings, Statement …) ·
section columns such as "Key achievements" / "Challenges" · domain columns
such as "Governance" (one row per organisation) · Example · Synopsis ·
Recommendation. A :class:`~.mapping.Mapping` overrides the guess for the
headers it names. Columns nobody recognises are kept as attributes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stocktake.collect.importers.mapping import Mapping, header_key
from stocktake.collect.importers.matching import DomainMatcher, match_section
from stocktake.collect.importers.segment import clean

ROLE_NAMES: dict[str, set[str]] = {
    "organisation": {"organisation", "organization", "org", "organisation name", "organization name",
                     "submitting organisation", "provider", "trust", "partner", "name of organisation",
                     "lead organisation"},
    "system": {"system", "ics", "integrated care system", "stp", "system name", "icb"},
    "domain": {"domain", "framework domain", "learning domain", "domain area"},
    "kind": {"type", "kind", "section", "finding type", "category", "achievement or challenge",
             "achievement challenge", "polarity"},
    "text": {"finding", "findings", "key findings", "key finding", "statement", "comment", "comments",
             "detail", "details", "response", "narrative", "text", "observation", "observations",
             "approach", "learning point", "what happened"},
    "example": {"example", "examples", "innovation", "initiative", "title", "example title",
                "best practice example", "good practice example", "practice", "name of innovation"},
    "synopsis": {"synopsis", "summary", "description", "brief description", "overview"},
    "number": {"no", "number", "ref", "reference", "rec", "rec no", "recommendation number", "n"},
    "recommendation": {"recommendation", "recommendations", "recommended action"},
}
CONTEXT_ROLES = ("organisation", "system", "domain", "kind")


@dataclass
class Columns:
    roles: dict[str, int] = field(default_factory=dict)  # role -> column index
    text: list[int] = field(default_factory=list)  # finding text columns
    kinds: dict[int, str] = field(default_factory=dict)  # column -> section kind ("Challenges")
    domains: dict[int, str] = field(default_factory=dict)  # column -> domain key ("Governance")
    attributes: dict[int, str] = field(default_factory=dict)  # column -> header, kept on findings
    names: dict[int, str] = field(default_factory=dict)
    unknown_targets: list[str] = field(default_factory=list)  # mapping targets no domain matched

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
        if self.content:
            return "findings"
        return None


def _apply(columns: Columns, index: int, target: str, matcher: DomainMatcher | None) -> None:
    if target == "ignore":
        return
    if target == "attribute":
        columns.attributes[index] = columns.names[index]
    elif target == "text":
        columns.text.append(index)
    elif target.startswith("section:"):
        columns.kinds[index] = target.split(":", 1)[1]
    elif target.startswith("domain:"):
        wanted = target.split(":", 1)[1]
        key = matcher.match(wanted) if matcher else None
        if key is None:
            columns.unknown_targets.append(wanted)
            columns.attributes[index] = columns.names[index]
        else:
            columns.domains[index] = key
    else:
        columns.roles[target] = index


def _guess(columns: Columns, index: int, cell: str, key: str, matcher: DomainMatcher | None) -> None:
    role = next((r for r, names in ROLE_NAMES.items() if key in names), None)
    if role == "text":
        columns.text.append(index)
        return
    if role and role not in columns.roles:
        columns.roles[role] = index
        return
    if role is None and len(key.split()) <= 8:
        domain = matcher.match(cell, max_extra_words=3) if matcher else None
        kind = match_section(cell, max_words=6)
        if domain:
            columns.domains[index] = domain
        if kind:
            columns.kinds[index] = kind
        if domain or kind:
            return
    columns.attributes[index] = columns.names[index]


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
        else:
            _guess(columns, index, cell, key, matcher)
    if "synopsis" in columns.roles and "example" not in columns.roles and columns.content:
        columns.text.append(columns.roles.pop("synopsis"))
    return columns


def find_header(rows: list[list[str]], *, matcher: DomainMatcher | None = None,
                mapping: Mapping | None = None, scan: int = 10) -> tuple[int, Columns] | None:
    """The first row (within ``scan``) that reads as a header of a usable table."""
    best: tuple[int, Columns] | None = None
    for index, row in enumerate(rows[:scan]):
        columns = read_header(row, matcher=matcher, mapping=mapping)
        mapped = mapping is not None and any(mapping.target(c) for c in row if c)
        if columns.mode and (columns.score >= 2 or mapped or (columns.mode == "findings" and columns.text)):
            if best is None or columns.score > best[1].score:
                best = (index, columns)
            if columns.score >= 3 or mapped:
                break
    return best
