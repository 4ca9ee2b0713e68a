"""Tables in text exported from PDFs with their layout kept (``pdftotext -layout``, "save as
text" in PDF readers): columns set out with spaces, each cell wrapped over several lines.

:func:`tabulate` finds such tables and rewrites each as tab-separated lines, one
line per table row, so the text reader and the table engine (:mod:`~.tables`) read
them like any other table. It works from the header row: a line whose pieces (split
at runs of spaces) read as a header (:func:`~.columns.read_header`) gives the columns'
left edges; a header wrapped onto a second line is joined. Each later line's words are
put in the column whose left edge they start at. A new row starts where an
organisation, system or domain column (or the first column) starts new text; a line
that continues a cell's sentence (lower case after an unfinished line, a name's
tail such as "NHS Foundation Trust") stays in the row. Within a cell, a line that
starts a list item, or a new sentence after a finished one, starts a new line of
the cell, so lists keep their items. Page breaks (form feeds), page numbers,
running headers and a header row repeated on the next page are skipped, and a row
broken across the page is joined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stocktake.collect.importers.columns import CONTEXT_ROLES, read_header
from stocktake.collect.importers.loose import looks_like_name_tail
from stocktake.collect.importers.mapping import Mapping, header_key
from stocktake.collect.importers.matching import DomainMatcher
from stocktake.collect.importers.segment import BULLET

_GAP = re.compile(r"\S+(?: \S+)*")  # pieces separated by two or more spaces
_WORD = re.compile(r"\S+")
_PAGE = re.compile(r"^\s*(?:-\s*)?(?:page\s+)?\d{1,4}\s*(?:(?:of|/)\s*\d{1,4})?(?:\s*-)?\s*$", re.I)
_FINISHED = re.compile(r"[.!?;:][\"'”’)\]]*$")
_OPEN_NAME = re.compile(r"\b(?:nhs|and|of|for|the|&|royal|university|community|mental|health|care|"
                        r"integrated|teaching|general|city|county)$", re.I)
_TOLERANCE = 2  # characters a cell may start left of its column's edge


@dataclass
class _Table:
    starts: list[int]
    header: list[str]
    context: list[int]  # columns that name who or what a row is about
    centred: bool = False  # cells set in the middle of their row (a row starts without its name)
    rows: list[list[list[str]]] = field(default_factory=list)  # row -> column -> lines
    first_line: list[int] = field(default_factory=list)  # the text line each row starts on
    last: dict[int, int] = field(default_factory=dict)  # column -> text line it last had text on


def _pieces(line: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in _GAP.finditer(line.replace("\t", "  "))]


def _header(line: str, matcher: DomainMatcher, mapping: Mapping | None) -> _Table | None:
    if "\t" in line or "|" in line:
        return None  # tab-separated or Markdown: the text reader's own tables
    pieces = _pieces(line)
    if len(pieces) < 2 or any(len(text.split()) > 6 for _, text in pieces):
        return None
    cells = [text for _, text in pieces]
    columns = read_header(cells, matcher=matcher, mapping=mapping)
    if not columns.mode or columns.score < 2:
        return None
    context = sorted(columns.roles[r] for r in CONTEXT_ROLES if r in columns.roles) or [0]
    return _Table(starts=[start for start, _ in pieces], header=cells, context=context)


def _cells(line: str, starts: list[int]) -> dict[int, str]:
    found: dict[int, list[str]] = {}
    for match in _WORD.finditer(line.replace("\t", "  ")):
        column = max((i for i, edge in enumerate(starts) if match.start() >= edge - _TOLERANCE), default=0)
        found.setdefault(column, []).append(match.group())
    return {column: " ".join(words) for column, words in found.items()}


def _fits(line: str, table: _Table) -> bool:
    """Whether a line can belong to the table: no run of words crossing a column's edge."""
    if "\t" in line:
        return False
    edges = table.starts[1:]
    for start, text in _pieces(line):
        end = start + len(text)
        crossed = [edge for edge in edges if start < edge - _TOLERANCE and end > edge + 1]
        if len(crossed) >= 2 or (crossed and start < edges[0] - _TOLERANCE and crossed[-1] == edges[-1]):
            return False
    return True


def _continues(text: str, before: str) -> bool:
    """``text`` on the next line carries on the cell that ended with ``before``."""
    if not before:
        return False
    if BULLET.match(text):
        return False
    if text[:1].islower() or text[:1] in "([,&" or text.startswith(("and ", "of ")):
        return True
    return not _FINISHED.search(before) and (looks_like_name_tail(text) or bool(_OPEN_NAME.search(before))
                                             or len(text.split()) <= 2)


def _add(table: _Table, number: int, cells: dict[int, str]) -> None:
    if not table.rows or _starts_row(table, number, cells):
        table.rows.append([[] for _ in table.starts])
        table.first_line.append(number)
    row = table.rows[-1]
    for column, text in cells.items():
        row[column].append(text)
        table.last[column] = number


def _starts_row(table: _Table, number: int, cells: dict[int, str]) -> bool:
    row = table.rows[-1]
    named = [c for c in table.context if c in cells]
    if not named:
        return False  # only findings: the row goes on
    for column, text in cells.items():
        before = row[column][-1] if row[column] else ""
        adjacent = table.last.get(column) == number - 1
        if column not in table.context and adjacent and _continues(text, before) \
                and (text[:1].islower() or not _FINISHED.search(before)):
            return False  # a sentence of the row carries on
    for column in named:
        before = row[column][-1] if row[column] else ""
        if not (table.last.get(column) == number - 1 and _continues(cells[column], before)):
            return True
    return False


def join_cell_lines(lines: list[str]) -> str:
    """A table cell's wrapped lines as one line: a line that starts a list item, or a new
    sentence after a finished one, is kept apart with ``<br>`` (lists keep their items)."""
    return _cell_text([line.strip() for line in lines if line.strip()])


def _cell_text(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if not out:
            out = line
        elif BULLET.match(line) or line.startswith("<") or (_FINISHED.search(out) and line[:1].isupper()):
            out += "<br>" + line
        elif re.search(r"[A-Za-z]-$", out) and line[:1].islower():
            out += line
        else:
            out += " " + line
    return out.replace("\t", " ")


def _header_continues(line: str, table: _Table) -> bool:
    cells = _cells(line, table.starts)
    return bool(cells) and 0 not in cells and all(
        len(text.split()) <= 3 and not _FINISHED.search(text) and text[:1].islower()
        for text in cells.values())


def tabulate(text: str, matcher: DomainMatcher,
             mapping: Mapping | None = None) -> tuple[str, list[int], list[tuple[int, str]]]:
    """``text`` with its space-laid-out tables rewritten as tab-separated rows; for each line of
    the result the (1-based) line of ``text`` it came from; and (line, message) notes on
    tables that could not be read with confidence.

    Cells set in the middle of their rows (not at the top, as Word sets them) put a row's
    name below its first line, and merged cells far from their rows: those tables are
    read as well as they can be, with a note saying to check them or import the PDF."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not any("   " in line for line in lines):
        return text, list(range(1, len(lines) + 1)), []
    out: list[tuple[str, int]] = []
    notes: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        table = _header(line, matcher, mapping) if "  " in line.strip() else None
        if table is None:
            out.append((line, index + 1))
            index += 1
            continue
        header_line = index + 1
        index += 1
        while index < len(lines) and _header_continues(lines[index], table):
            for column, more in _cells(lines[index], table.starts).items():
                table.header[column] = f"{table.header[column]} {more}"
            index += 1
        index = _body(lines, index, table)
        if not table.rows:
            out.append((line, header_line))
            index = header_line
            continue
        if table.centred:
            notes.append((header_line, "the table's cells are set in the middle of their rows, so "
                                       "its rows may be joined wrongly; check them, or import the "
                                       "PDF itself"))
        rendered = _render_rows(table, header_line)
        out.extend(rendered)
        out.append(("", index))
    return "\n".join(text for text, _ in out), [number for _, number in out], notes


def _render_rows(table: _Table, header_line: int) -> list[tuple[str, int]]:
    numbers = table.first_line
    out = [("\t".join(table.header), header_line)]
    for lines, number in zip(table.rows, numbers, strict=True):
        out.append(("\t".join(_cell_text(cell) for cell in lines), number))
    return out


def _body(lines: list[str], index: int, table: _Table) -> int:
    """Read the table's rows from ``index``; returns the index of the first line after it."""
    header = [header_key(h) for h in table.header]
    blank, resumed = 0, False
    while index < len(lines):
        raw = lines[index]
        stripped = raw.replace("\f", "").strip()
        if not stripped or _PAGE.match(stripped):
            blank += 1
            index += 1
            continue
        if ("\f" in raw or blank) and not resumed:
            # after a page break or a gap: running headers, or the header row again
            ahead = _skip_page_top(lines, index, table, header)
            if ahead is None:
                return index
            index, blank, resumed = ahead, 0, True
            continue
        resumed = False
        if not _fits(raw, table):
            return index
        cells = _cells(raw.replace("\f", ""), table.starts)
        if not table.rows and 0 not in cells and table.context[0] not in cells:
            table.centred = True  # the first row starts before its name: cells set in the middle
        _add(table, index + 1, cells)
        index += 1
    return index


def _skip_page_top(lines: list[str], index: int, table: _Table, header: list[str]) -> int | None:
    """Where the table goes on after a gap: past running headers and a repeated header row
    (None when the table has ended)."""
    for ahead in range(index, min(index + 6, len(lines))):
        raw = lines[ahead].replace("\f", "")
        pieces = [header_key(text) for _, text in _pieces(raw)]
        if pieces and pieces == header[: len(pieces)] and len(pieces) >= 2:
            after = ahead + 1
            while after < len(lines) and _header_continues(lines[after], table):
                after += 1
            return after
    raw = lines[index].replace("\f", "")
    form_feed = any("\f" in lines[i] for i in range(max(0, index - 3), index + 1))
    cells = _cells(raw, table.starts)
    if not _fits(raw, table):
        return None
    if form_feed and not any(c in cells for c in table.context):
        return index  # the row goes on at the top of the next page
    if len(cells) >= 2:
        return index  # a gap between rows
    return None
