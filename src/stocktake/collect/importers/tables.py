"""Reading tables (Word tables, spreadsheet sheets, CSV files) by their header row.

Columns are recognised by their headings: Organisation · System · Domain ·
Type (achievement / challenge …) · Finding (or Key findings, Statement …) ·
section columns such as "Key achievements" / "Challenges" · Example · Synopsis ·
Recommendation. A cell holding a list yields one finding per item, with the
row's organisation. Blank organisation, system, domain and type cells mean
"same as above" (merged cells).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from stocktake.collect.importers.blocks import metadata
from stocktake.collect.importers.matching import DomainMatcher, match_kind_value, match_section
from stocktake.collect.importers.model import (
    ExtractedExample,
    ExtractedFinding,
    ExtractedRecommendation,
    Extraction,
)
from stocktake.collect.importers.segment import clean, sentences, split_items

_ROLE_NAMES: dict[str, set[str]] = {
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


def _clean_cell(text) -> str:
    """Cell text with tidy spaces; line breaks kept, since they separate list items."""
    if not text:
        return ""
    lines = (clean(line) for line in str(text).replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _header_key(text: str) -> str:
    text = text.lower().replace("&", " and ").replace("/", " ")
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text).split())


@dataclass
class Columns:
    roles: dict[str, int] = field(default_factory=dict)  # role -> column index
    text: list[int] = field(default_factory=list)  # finding text columns
    kinds: dict[int, str] = field(default_factory=dict)  # column -> section kind ("Challenges")
    names: dict[int, str] = field(default_factory=dict)

    @property
    def score(self) -> int:
        return len(self.roles) + len(self.text) + len(self.kinds)

    @property
    def mode(self) -> str | None:
        if "recommendation" in self.roles:
            return "recommendations"
        if "example" in self.roles or ("synopsis" in self.roles and not self.text and not self.kinds):
            return "examples"
        if self.text or self.kinds:
            return "findings"
        return None


def read_header(row: list[str]) -> Columns:
    columns = Columns()
    for index, cell in enumerate(row):
        key = _header_key(cell)
        if not key:
            continue
        columns.names[index] = clean(cell)
        role = next((r for r, names in _ROLE_NAMES.items() if key in names), None)
        if role == "text":
            columns.text.append(index)
        elif role and role not in columns.roles:
            columns.roles[role] = index
        elif role is None and len(key.split()) <= 6:
            kind = match_section(cell, max_words=6)
            if kind:
                columns.kinds[index] = kind
    if "synopsis" in columns.roles and "example" not in columns.roles and (columns.text or columns.kinds):
        columns.text.append(columns.roles.pop("synopsis"))
    return columns


def find_header(rows: list[list[str]], *, scan: int = 10) -> tuple[int, Columns] | None:
    """The first row (within ``scan``) that reads as a header of a usable table."""
    best: tuple[int, Columns] | None = None
    for index, row in enumerate(rows[:scan]):
        columns = read_header(row)
        if columns.mode and (columns.score >= 2 or (columns.mode == "findings" and columns.text)):
            if best is None or columns.score > best[1].score:
                best = (index, columns)
            if columns.score >= 3:
                break
    return best


@dataclass
class Context:
    """What the surrounding document says about rows that do not say it themselves."""

    organisation: str | None = None
    system: str | None = None
    domain: str | None = None
    section: str = "general"


def _maybe_int(text: str) -> int | None:
    match = re.match(r"^\s*(?:rec(?:ommendation)?\.?\s*)?#?\s*(\d{1,4})\b", text or "", re.I)
    return int(match.group(1)) if match else None


def title_from(text: str, words: int = 10) -> str:
    first = (sentences(text) or [text])[0]
    parts = first.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def read_table(
    rows: list[list[str]], *, extraction: Extraction, matcher: DomainMatcher, context: Context,
    location: Callable[[int, str | None, int | None], str], where: str,
) -> bool:
    """Add what a table holds to ``extraction``; False (and a problem) when it has no header.

    ``location(row_index, column_name, item_number)`` names a place in the table.
    """
    rows = [[_clean_cell(c) for c in row] for row in rows]
    found = find_header(rows)
    if found is None:
        if any(any(c for c in row) for row in rows):
            extraction.problem(where, "no header row naming columns such as Organisation, Domain "
                               "and Finding (or Example and Synopsis); table skipped")
        return False
    header_index, columns = found
    context = Context(**vars(context))
    for row in rows[:header_index]:  # "Organisation: X" lines above the header
        for cell in row:
            meta = metadata(cell)
            if meta:
                setattr(context, meta[0], meta[1])
        if len(row) >= 2 and row[0] and row[1]:
            meta = metadata(f"{row[0].rstrip(':')}: {row[1]}")
            if meta:
                setattr(context, meta[0], meta[1])
    header = rows[header_index]
    current = {"organisation": context.organisation, "system": context.system,
               "domain": context.domain, "kind": None}
    unknown_domains: set[str] = set()
    for index in range(header_index + 1, len(rows)):
        row = rows[index] + [""] * (len(header) - len(rows[index]))
        if not any(row) or [_header_key(c) for c in row] == [_header_key(c) for c in header]:
            continue
        org_col = columns.roles.get("organisation")
        if org_col is not None and row[org_col] and row[org_col] != current["organisation"]:
            current["system"] = context.system  # a new organisation does not inherit a system
        for role in CONTEXT_ROLES:
            col = columns.roles.get(role)
            if col is not None and row[col]:
                current[role] = " ".join(row[col].split())
        org, system = current["organisation"], current["system"]
        domain = matcher.match(current["domain"]) if current["domain"] else None
        if current["domain"] and domain is None and current["domain"] not in unknown_domains:
            unknown_domains.add(current["domain"])
            extraction.problem(location(index, None, None),
                               f"domain {current['domain']!r} is not in the framework; left uncoded")
        extraction.add_organisation(org, system)
        if columns.mode == "examples":
            title = row[columns.roles["example"]] if "example" in columns.roles else ""
            synopsis = row[columns.roles["synopsis"]] if "synopsis" in columns.roles else ""
            if not title and not synopsis:
                continue
            extraction.examples.append(ExtractedExample(
                title=title or title_from(synopsis), synopsis=synopsis, domain=domain,
                organisation=org, system=system, location=location(index, None, None)))
            continue
        if columns.mode == "recommendations":
            text = row[columns.roles["recommendation"]]
            if not text:
                continue
            number = _maybe_int(row[columns.roles["number"]]) if "number" in columns.roles else None
            if number is None:
                number = _maybe_int(text)
                text = re.sub(r"^\s*\d{1,4}[.):]?\s+", "", text) if number is not None else text
            extraction.recommendations.append(ExtractedRecommendation(
                number=number, text=text, section=current["domain"] or "",
                location=location(index, None, None)))
            continue
        row_kind = match_kind_value(current["kind"]) if current["kind"] else None
        cells = [(col, row_kind or context.section) for col in columns.text]
        cells += [(col, kind) for col, kind in columns.kinds.items()]
        many_columns = len(cells) > 1
        for col, section in sorted(cells):
            items = split_items(row[col])
            for number, item in enumerate(items, start=1):
                where_item = location(index, columns.names.get(col) if many_columns else None,
                                      number if len(items) > 1 else None)
                extraction.findings.append(ExtractedFinding(
                    text=item, organisation=org, system=system, domain=domain, section=section,
                    location=where_item))
                if section == "examples":
                    add_example_from_text(extraction, item, domain=domain, organisation=org,
                                          system=system, location=where_item)
    return True


_EXAMPLE_SHAPE = re.compile(r"^(?P<title>[^.:;!?]{3,90}?)\s*(?::|\s[–—-]\s)\s*(?P<synopsis>\S.{10,})$")


def add_example_from_text(
    extraction: Extraction, text: str, *, domain, organisation, system, location: str
) -> None:
    """An item under "Examples of innovation" written "Title: what it is" is also an example."""
    match = _EXAMPLE_SHAPE.match(text)
    if match and len(match["title"].split()) <= 12:
        extraction.examples.append(ExtractedExample(
            title=match["title"].strip(), synopsis=match["synopsis"].strip(), domain=domain,
            organisation=organisation, system=system, location=location))
