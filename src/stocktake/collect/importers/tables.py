"""The one table engine: Word, HTML and Markdown tables, sheets, CSV, PDF tables and tables in
text exported from PDFs all come here as rows of cell text.

:mod:`~.columns` decides what each column holds (from header words and cells; a
table with no header row is read by its cells alone). A cell holding a list yields
one finding per item, with the row's own organisation and system (a list item
"Organisation: text" in a row naming no organisation, a system's, names its own). Blank organisation, system,
domain and type cells mean "same as above" (merged cells), as do "same as above",
"as above" and "ditto". A row whose only text continues the row above in lower
case (broken across a page) is joined to it; a header row repeated on a new page
is dropped. An approach/method column gives each organisation's approach
(``Extraction.approaches``), an example column examples, a recommendation column
recommendations. Tables from text exported out of PDFs (``loose``) first have
their broken rows put back together (:mod:`~.loose`). With one row per
organisation, long prose cells are also split at sentence boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import zip_longest

from stocktake.collect.importers.blocks import metadata
from stocktake.collect.importers.columns import (
    CONTEXT_ROLES,
    Columns,
    columns_from_plan,
    find_header,
    find_headerless,
    header_role,
    is_ditto,
    looks_like_organisation,
    read_header,
)
from stocktake.collect.importers.examples import ListedExample, is_person_line, parse_example
from stocktake.collect.importers.loose import merge_rows
from stocktake.collect.importers.mapping import Mapping, header_key
from stocktake.collect.importers.matching import DomainMatcher, match_kind_value
from stocktake.collect.importers.model import (
    ExtractedApproach,
    ExtractedExample,
    ExtractedFinding,
    ExtractedRecommendation,
    ExtractedResponse,
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
    name_columns: bool = False  # name the column in every location (a table of labels and values)


def _maybe_int(text: str) -> int | None:
    match = re.match(r"^\s*(?:r|rec(?:ommendation)?\.?\s*)?#?\s*(\d{1,4})\b", text or "", re.I)
    return int(match.group(1)) if match else None


def title_from(text: str, words: int = 10) -> str:
    first = (sentences(text) or [text])[0]
    parts = first.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def add_example_from_text(
    extraction: Extraction, text: str, *, domain, organisation, system, location: str
) -> None:
    """An item under "Examples of innovation" written "Title: what it is", "Organisation:
    Title", "Title – Organisation" or "Title (Organisation)" is also an example (never a
    line crediting a person, such as "Jane Doe, GP Partner")."""
    found = parse_example(text)
    if found is None:
        words = text.split()
        if is_person_line(text) or text.rstrip().endswith(":") or len(words) < 2:
            return
        # under an examples heading, an item is an example even when it has no "Title:" shape
        found = ListedExample(text.rstrip(" ."), "") if len(words) <= 15 else \
            ListedExample(title_from(text), text)
    extraction.examples.append(ExtractedExample(
        title=found.title, synopsis=found.synopsis, domain=domain,
        organisation=found.organisation or organisation, system=system, location=location))


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
    """Add what a table holds to ``extraction``; False (and a problem) when it cannot be read.

    ``location(row_index, column_name, item_number)`` names a place in the table;
    ``breaks[i]``: a page break came just before row ``i`` (loose tables only).
    """
    rows = [[_clean_cell(c) for c in row] for row in rows]
    transposed = _transposed(rows, matcher, mapping)
    if transposed:
        # labels down the first column ("Organisation | X", "Approach | …"): one row per column
        rows = [list(column) for column in zip(*[r + [""] * (len(max(rows, key=len)) - len(r)) for r in rows],
                                               strict=True)]
        location = _by_label(location, rows[0])
    found = find_header(rows, matcher=matcher, mapping=mapping)
    if found is not None and loose and _join_header_tail(rows, found[0]):
        found = find_header(rows, matcher=matcher, mapping=mapping)
    carried: dict[str, str | None] = {}
    if found is None and loose and _continues_table(extraction, rows):
        # a table that goes on after a page break, without its header row
        previous = extraction.tables[-1]
        found, carried = (-1, columns_from_plan(previous, matcher)), previous.end
    if found is None:
        headerless = find_headerless(rows, matcher)
        if headerless is None:
            first = next((row for row in rows if any(row)), None)
            if first is not None:  # shown in the upload preview, so its columns can be given roles
                extraction.column_roles.append(TableColumns(where, describe(read_header(
                    first, matcher=matcher, mapping=mapping)), skipped=True))
            if any(any(c for c in row) for row in rows):
                extraction.problem(where, "no header row naming columns such as Organisation, Domain "
                                   "and Finding (or Example and Synopsis); table skipped")
            return False
        found = (-1, headerless)
    header_index, columns = found
    extraction.column_roles.append(TableColumns(where, describe(columns)))
    for wanted in columns.unknown_targets:
        extraction.problem(where, f"the mapping names domain {wanted!r}, which is not in the "
                                  "framework; that column was kept as an attribute")
    plan = columns.plan(header_index if header_index >= 0 else None, dict(matcher.domains),
                        rows[header_index + 1:])
    plan.where, plan.width = where, max((len(r) for r in rows), default=0)
    extraction.tables.append(plan)
    context = _context_above(rows[:max(header_index, 0)], context)
    for role, value in carried.items():
        if value and role in ("organisation", "system", "domain"):
            setattr(context, role, value)
    header = rows[header_index] if header_index >= 0 else []
    rows_per = mapping.one_row_per if mapping and mapping.one_row_per else None
    job = TableJob(extraction, matcher, columns, location,
                   per_organisation=(rows_per or ("organisation" if columns.domains else "finding"))
                   == "organisation", header=header, systems_fill_down=loose, name_columns=transposed)
    width = max(len(header), max((len(r) for r in rows), default=0))
    if loose:
        body = merge_rows(rows, columns, header_index + 1, width, breaks)
    else:
        body = join_continued(
            [(i, rows[i] + [""] * (width - len(rows[i]))) for i in range(header_index + 1, len(rows))],
            columns)
    plan.end = _read_body(job, body, context)
    return True


def _continues_table(extraction: Extraction, rows: list[list[str]]) -> bool:
    """Rows with no header that have as many columns as the table read just before."""
    if not extraction.tables or not rows:
        return False
    previous = extraction.tables[-1]
    width = max(len(r) for r in rows)
    return previous.width == width and previous.header_row is not None and width >= 2


_END = re.compile(r"[.!?:;][\"'”’)\]]*$")
# Roles whose names down a first column make a table of labels and values.
_LABEL_ROLES = {"organisation", "system", "domain", "approach", "list", "text", "example", "synopsis"}


def _transposed(rows: list[list[str]], matcher: DomainMatcher, mapping: Mapping | None) -> bool:
    """A table of labels and values: its first column names roles ("Organisation",
    "Approach", "Key findings") and its first row is not a header."""
    if not 2 <= len(rows) <= 20 or max(len(r) for r in rows) < 2 or any(len(r) > 6 for r in rows):
        return False
    if any(read_header(row, matcher=matcher, mapping=mapping).score >= 2 for row in rows[:10]):
        return False  # a row reads as a header
    labels = [r[0] for r in rows if r and r[0]]
    found = set()
    for label in labels:
        target = mapping.target(label) if mapping else None
        role = target or (header_role(label, header_key(label), matcher) or ("", ""))[0]
        if role.startswith("section:") or role.startswith("domain:"):
            role = "text"
        if role in _LABEL_ROLES:
            found.add(role)
    return len(found) >= 2 and 2 * len(found) >= len(labels) and all(len(label.split()) <= 6 for label in labels)


def _by_label(location: Locate, labels: list[str]) -> Locate:
    """Places in a table of labels and values: the row of the label."""

    def locate(row: int, column: str | None, item: int | None) -> str:
        return location(labels.index(column) if column in labels else 0, column, item)

    return locate


def _join_header_tail(rows: list[list[str]], header: int) -> bool:
    """A header cell wrapped onto the next line of a text export ("Examples of good" /
    "practice"): joined into the header, the line left blank."""
    if header + 1 >= len(rows):
        return False
    tail = rows[header + 1]
    cells = [c for c in tail if c]
    if not cells or tail[0] or any(
            len(c.split()) > 3 or not c[:1].islower() or _END.search(c) for c in cells):
        return False
    rows[header] = [f"{a} {b}".strip() for a, b in zip_longest(rows[header], tail, fillvalue="")]
    rows[header + 1] = [""] * len(tail)
    return True


def join_continued(body: list[tuple[int, list[str]]], columns: Columns) -> list[tuple[int, list[str]]]:
    """Rows that only continue the row above (a row broken across pages): no context cells,
    and text that starts in lower case after a sentence of some length that did not finish."""
    context = [columns.roles[r] for r in CONTEXT_ROLES if r in columns.roles]
    if not context:
        return body
    joined: list[tuple[int, list[str]]] = []
    for index, row in body:
        filled = [c for c, v in enumerate(row) if v]
        if joined and filled and not any(row[c] for c in context):
            previous = joined[-1][1]
            if all(row[c][:1].islower() and len(previous[c].split()) >= 6 and not _END.search(previous[c])
                   for c in filled):
                for c in filled:
                    previous[c] = f"{previous[c]} {row[c]}"
                continue
        joined.append((index, row))
    return joined


def _read_body(job: TableJob, body: list[tuple[int, list[str]]], context: Context) -> dict:
    """Read the rows; returns the organisation, system and domain in force at the end."""
    roles = job.columns.roles
    current = {"organisation": context.organisation, "system": context.system,
               "domain": context.domain, "kind": None, "place": None, "theme": None}
    last: dict[int, str] = {}  # column -> its last non-blank cell ("as above")
    unknown_domains: set[str] = set()
    header_keys = [header_key(c) for c in job.header]
    for index, row in body:
        if not any(row) or (header_keys and [header_key(c) for c in row[: len(header_keys)]] == header_keys):
            continue  # blank, or the header repeated on a new page
        for col, cell in enumerate(row):
            if is_ditto(cell):
                row[col] = last.get(col, "") if col not in job.columns.content else ""
            elif cell:
                last[col] = cell
        org_col, sys_col = roles.get("organisation"), roles.get("system")
        new_org = org_col is not None and row[org_col] and _plain(row[org_col]) != current["organisation"]
        if new_org and not job.systems_fill_down:
            current["system"] = context.system  # a new organisation does not inherit a system
        new_sys = sys_col is not None and row[sys_col] and _plain(row[sys_col]) != current["system"]
        if new_sys and org_col is not None and not row[org_col] and current["system"] is not None:
            current["organisation"] = context.organisation  # another system's rows: not the org above
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
        if "approach" in roles and row[roles["approach"]]:
            _approach(job, index, row[roles["approach"]], current)
        if job.columns.mode == "examples":
            _example_row(job, index, row, current, domain)
        elif job.columns.mode == "recommendations":
            _recommendation_row(job, index, row, current)
        else:
            _finding_row(job, index, row, current, domain, context.section)
    return {role: current[role] for role in ("organisation", "system", "domain")}


def _approach(job: TableJob, index: int, cell: str, current: dict) -> None:
    text = "\n".join(split_items(cell)) if "<" in cell else cell
    for approach in job.extraction.approaches:
        if (approach.organisation, approach.system, approach.text) == \
                (current["organisation"], current["system"], text):
            return  # a merged cell read again for the next row
    job.extraction.approaches.append(ExtractedApproach(
        organisation=current["organisation"], system=current["system"], text=text,
        location=job.locate(index, job.columns.names.get(job.columns.roles["approach"]), None)))


def _example_row(job: TableJob, index: int, row: list[str], current: dict, domain) -> None:
    roles = job.columns.roles
    cell = row[roles["example"]] if "example" in roles else ""
    synopsis = row[roles["synopsis"]] if "synopsis" in roles else ""
    synopsis = _plain(synopsis) if "<" in synopsis else synopsis
    if not cell and not synopsis:
        return
    titles = split_items(cell) if cell else []
    synopses = split_items(synopsis) if len(titles) > 1 and synopsis else []
    if len(titles) > 1 and len(synopses) == len(titles):
        pairs = list(zip(titles, synopses, strict=True))
    elif len(titles) > 1:
        pairs = [(title, synopsis) for title in titles]
    else:
        pairs = [(" ".join(titles), synopsis)]
    for number, (title, text) in enumerate(pairs, start=1):
        organisation = current["organisation"]
        listed = parse_example(title) if title else None
        if listed is not None and listed.organisation and (listed.synopsis or not text):
            title, organisation = listed.title, listed.organisation
            text = text or listed.synopsis
        elif title and len(title.split()) > 25 and not text:
            title, text = title_from(title), title  # a description in the title column
        if not title and not text:
            continue
        job.extraction.add_organisation(organisation, current["system"])
        job.extraction.examples.append(ExtractedExample(
            title=title or title_from(text), synopsis=" ".join(text.split()), domain=domain,
            organisation=organisation, system=current["system"],
            location=job.locate(index, None, number if len(pairs) > 1 else None)))


_STATUSES = [
    ("not_accepted", re.compile(r"\b(?:not accepted|rejected|not agreed|declined|not supported)\b", re.I)),
    ("accepted_in_part", re.compile(r"\b(?:accepted in (?:part|principle)|partially accepted|partly "
                                    r"accepted|partially agreed|agreed in principle)\b", re.I)),
    ("accepted", re.compile(r"\b(?:accepted|agreed|supported)\b", re.I)),
    ("noted", re.compile(r"\bnoted\b", re.I)),
    ("complete", re.compile(r"\b(?:complete[d]?|done|achieved|closed|delivered|implemented|blue)\b", re.I)),
    ("in_progress", re.compile(r"\b(?:in progress|ongoing|on track|off track|started|underway|under way|"
                               r"delayed|amber|green|red|partially (?:met|complete[d]?))\b", re.I)),
]


def response_status(*texts: str) -> str:
    """One of RESPONSE_STATUSES for a status cell (or, failing that, a response's words)."""
    for text in texts:
        head = " ".join((text or "").split()[:12])
        for status, pattern in _STATUSES:
            if pattern.search(head):
                return status
    return "unknown"


def _recommendation_row(job: TableJob, index: int, row: list[str], current: dict) -> None:
    """A recommendation; in a table with a response or progress column (a response or progress
    document), the response to it instead."""
    roles = job.columns.roles
    text = _plain(row[roles["recommendation"]])
    label = _plain(row[roles["number"]]) if "number" in roles else ""
    number = _maybe_int(label) if label else None
    if number is None and text:
        number = _maybe_int(text)
        text = re.sub(r"^\s*\d{1,4}[.):]?\s+", "", text) if number is not None else text
        label = label or (str(number) if number is not None else "")
    label = label.rstrip(".):")
    if "response" in roles:
        answer = _plain(row[roles["response"]])
        if answer:
            status = _plain(row[roles["status"]]) if "status" in roles else ""
            job.extraction.responses.append(ExtractedResponse(
                label=label, number=number, text=answer, status=response_status(status, answer),
                recommendation_text=text, location=job.locate(index, None, None)))
        return
    if not text:
        return
    job.extraction.recommendations.append(ExtractedRecommendation(
        number=number, text=text, section=current["domain"] or "",
        location=job.locate(index, None, None), label=label))


def _items(job: TableJob, col: int, cell: str) -> list[str]:
    items = split_items(cell)
    if job.per_organisation and col not in job.columns.lists:
        items = [piece for item in items for piece in split_paragraph(item)]
    return items


def _finding_row(job: TableJob, index: int, row: list[str], current: dict, domain, section: str) -> None:
    columns = job.columns
    row_kind = match_kind_value(current["kind"]) if current["kind"] else None
    attributes = {columns.names[c]: _plain(row[c]) for c in sorted(columns.attributes)
                  if c < len(row) and row[c]}
    content = columns.content
    for col in content:
        items = _items(job, col, row[col])
        for number, item in enumerate(items, start=1):
            with_column = len(content) > 1 or job.name_columns
            where = job.locate(index, columns.names.get(col) if with_column else None,
                               number if len(items) > 1 else None)
            kind = columns.kinds.get(col) or row_kind or section
            organisation, text = current["organisation"], item
            named = _named_item(item) if current["organisation"] is None else None
            if named is not None:
                organisation, text = named
                job.extraction.add_organisation(organisation, current["system"])
            finding = ExtractedFinding(
                text=text, organisation=organisation, system=current["system"],
                domain=columns.domains.get(col) or domain, section=kind, location=where,
                attributes=dict(attributes))
            job.extraction.findings.append(finding)
            if kind == "examples":
                add_example_from_text(job.extraction, item, domain=finding.domain,
                                      organisation=finding.organisation, system=finding.system,
                                      location=where)


_NAMED = re.compile(r"^(?P<org>[^:–—]{2,90}?)\s*(?::|\s[–—]\s)\s*(?P<text>\S.{15,})$")


def _named_item(item: str) -> tuple[str, str] | None:
    """ "Carrowfold NHS Trust: virtual wards cut admissions" in a row that names no organisation
    (a system's row): the item's own organisation, and its text."""
    match = _NAMED.match(item)
    if match and looks_like_organisation(match["org"]):
        return match["org"].strip(), match["text"].strip()
    return None
