"""Reading tables (Word tables, spreadsheet sheets, CSV files, tab-separated text) by header row.

:mod:`~.columns` decides what each column holds. A cell holding a list yields
one finding per item, with the row's organisation. Blank organisation, system,
domain and type cells mean "same as above" (merged cells). Tables from text
exported out of PDFs (``loose``) first have their broken rows put back together
(:mod:`~.loose`). With one row per organisation, long cells are also split at
sentence boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from stocktake.collect.importers.blocks import metadata
from stocktake.collect.importers.columns import CONTEXT_ROLES, Columns, find_header, read_header
from stocktake.collect.importers.loose import merge_rows
from stocktake.collect.importers.mapping import Mapping, header_key
from stocktake.collect.importers.matching import DomainMatcher, match_kind_value
from stocktake.collect.importers.model import (
    ExtractedExample,
    ExtractedFinding,
    ExtractedRecommendation,
    Extraction,
)
from stocktake.collect.importers.roles import TableColumns, describe
from stocktake.collect.importers.segment import clean, sentences, split_items, split_paragraph

Locate = Callable[[int, "str | None", "int | None"], str]
_TAGS = re.compile(r"</?\s*(?:ul|ol|li|p|br|b|i|strong|em|span)\b[^>]*>", re.IGNORECASE)


def _clean_cell(text) -> str:
    """Cell text with tidy spaces; line breaks kept, since they separate list items."""
    if not text:
        return ""
    lines = (clean(line) for line in str(text).replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _plain(text: str) -> str:
    """A context cell (organisation, system, domain) without list markup or line breaks."""
    return " ".join(_TAGS.sub(" ", text).split())


@dataclass
class Context:
    """What the surrounding document says about rows that do not say it themselves."""

    organisation: str | None = None
    system: str | None = None
    domain: str | None = None
    section: str = "general"


@dataclass
class TableJob:
    """One table being read: where to add things, how to name places, what the columns are."""

    extraction: Extraction
    matcher: DomainMatcher
    columns: Columns
    locate: Locate
    per_organisation: bool
    header: list[str]
    # Text exported from a PDF or Word loses merged cells, so there a blank
    # system cell under a new organisation still means "same as above"; in a
    # spreadsheet or Word table the blank is what the author wrote.
    systems_fill_down: bool = False


def _maybe_int(text: str) -> int | None:
    match = re.match(r"^\s*(?:rec(?:ommendation)?\.?\s*)?#?\s*(\d{1,4})\b", text or "", re.I)
    return int(match.group(1)) if match else None


def title_from(text: str, words: int = 10) -> str:
    first = (sentences(text) or [text])[0]
    parts = first.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


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


def _context_above(rows: list[list[str]], context: Context) -> Context:
    """ "Organisation: X" lines above the header apply to every row."""
    context = Context(**vars(context))
    for row in rows:
        for cell in row:
            meta = metadata(cell)
            if meta:
                setattr(context, meta[0], meta[1])
        if len(row) >= 2 and row[0] and row[1]:
            meta = metadata(f"{row[0].rstrip(':')}: {row[1]}")
            if meta:
                setattr(context, meta[0], meta[1])
    return context


def read_table(
    rows: list[list[str]], *, extraction: Extraction, matcher: DomainMatcher, context: Context,
    location: Locate, where: str, mapping: Mapping | None = None, loose: bool = False,
    breaks: Sequence[bool] | None = None,
) -> bool:
    """Add what a table holds to ``extraction``; False (and a problem) when it has no header.

    ``location(row_index, column_name, item_number)`` names a place in the table;
    ``breaks[i]``: a page break came just before row ``i`` (loose tables only).
    """
    rows = [[_clean_cell(c) for c in row] for row in rows]
    found = find_header(rows, matcher=matcher, mapping=mapping)
    if found is None:
        first = next((row for row in rows if any(row)), None)
        if first is not None:  # shown in the upload preview, so its columns can be given roles
            extraction.tables.append(TableColumns(where, describe(read_header(
                first, matcher=matcher, mapping=mapping)), skipped=True))
        if any(any(c for c in row) for row in rows):
            extraction.problem(where, "no header row naming columns such as Organisation, Domain "
                               "and Finding (or Example and Synopsis); table skipped")
        return False
    header_index, columns = found
    extraction.tables.append(TableColumns(where, describe(columns)))
    for wanted in columns.unknown_targets:
        extraction.problem(where, f"the mapping names domain {wanted!r}, which is not in the "
                                  "framework; that column was kept as an attribute")
    context = _context_above(rows[:header_index], context)
    header = rows[header_index]
    rows_per = mapping.one_row_per if mapping and mapping.one_row_per else None
    job = TableJob(extraction, matcher, columns, location,
                   per_organisation=(rows_per or ("organisation" if columns.domains else "finding"))
                   == "organisation", header=header, systems_fill_down=loose)
    width = max(len(header), max((len(r) for r in rows), default=0))
    if loose:
        body = merge_rows(rows, columns, header_index + 1, width, breaks)
    else:
        body = [(i, rows[i] + [""] * (width - len(rows[i]))) for i in range(header_index + 1, len(rows))]
    _read_body(job, body, context)
    return True


def _read_body(job: TableJob, body: list[tuple[int, list[str]]], context: Context) -> None:
    roles = job.columns.roles
    current = {"organisation": context.organisation, "system": context.system,
               "domain": context.domain, "kind": None}
    unknown_domains: set[str] = set()
    header_keys = [header_key(c) for c in job.header]
    for index, row in body:
        if not any(row) or [header_key(c) for c in row[: len(header_keys)]] == header_keys:
            continue  # blank, or the header repeated on a new page
        org_col = roles.get("organisation")
        new_org = org_col is not None and row[org_col] and _plain(row[org_col]) != current["organisation"]
        if new_org and not job.systems_fill_down:
            current["system"] = context.system  # a new organisation does not inherit a system
        for role in CONTEXT_ROLES:
            col = roles.get(role)
            if col is not None and row[col]:
                current[role] = _plain(row[col])
        domain = job.matcher.match(current["domain"]) if current["domain"] else None
        if current["domain"] and domain is None and current["domain"] not in unknown_domains:
            unknown_domains.add(current["domain"])
            job.extraction.problem(job.locate(index, None, None), f"domain {current['domain']!r} "
                                   "is not in the framework; left uncoded")
        job.extraction.add_organisation(current["organisation"], current["system"])
        if job.columns.mode == "examples":
            _example_row(job, index, row, current, domain)
        elif job.columns.mode == "recommendations":
            _recommendation_row(job, index, row, current)
        else:
            _finding_row(job, index, row, current, domain, context.section)


def _example_row(job: TableJob, index: int, row: list[str], current: dict, domain) -> None:
    roles = job.columns.roles
    title = _plain(row[roles["example"]]) if "example" in roles else ""
    synopsis = row[roles["synopsis"]] if "synopsis" in roles else ""
    synopsis = _plain(synopsis) if "<" in synopsis else synopsis
    if not title and not synopsis:
        return
    job.extraction.examples.append(ExtractedExample(
        title=title or title_from(synopsis), synopsis=synopsis, domain=domain,
        organisation=current["organisation"], system=current["system"],
        location=job.locate(index, None, None)))


def _recommendation_row(job: TableJob, index: int, row: list[str], current: dict) -> None:
    roles = job.columns.roles
    text = _plain(row[roles["recommendation"]])
    if not text:
        return
    number = _maybe_int(row[roles["number"]]) if "number" in roles else None
    if number is None:
        number = _maybe_int(text)
        text = re.sub(r"^\s*\d{1,4}[.):]?\s+", "", text) if number is not None else text
    job.extraction.recommendations.append(ExtractedRecommendation(
        number=number, text=text, section=current["domain"] or "",
        location=job.locate(index, None, None)))


def _items(job: TableJob, cell: str) -> list[str]:
    items = split_items(cell)
    if job.per_organisation:
        items = [piece for item in items for piece in split_paragraph(item)]
    return items


def _finding_row(job: TableJob, index: int, row: list[str], current: dict, domain, section: str) -> None:
    columns = job.columns
    row_kind = match_kind_value(current["kind"]) if current["kind"] else None
    attributes = {columns.names[c]: _plain(row[c]) for c in sorted(columns.attributes)
                  if c < len(row) and row[c]}
    content = columns.content
    for col in content:
        items = _items(job, row[col])
        for number, item in enumerate(items, start=1):
            where = job.locate(index, columns.names.get(col) if len(content) > 1 else None,
                               number if len(items) > 1 else None)
            kind = columns.kinds.get(col) or row_kind or section
            finding = ExtractedFinding(
                text=item, organisation=current["organisation"], system=current["system"],
                domain=columns.domains.get(col) or domain, section=kind, location=where,
                attributes=dict(attributes))
            job.extraction.findings.append(finding)
            if kind == "examples":
                add_example_from_text(job.extraction, item, domain=finding.domain,
                                      organisation=finding.organisation, system=finding.system,
                                      location=where)
