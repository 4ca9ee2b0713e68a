"""Spreadsheets (.xlsx) and delimited text (.csv, .tsv): one table per sheet or file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from stocktake.collect.importers.columns import MERGED_CELL
from stocktake.collect.importers.mapping import Mapping
from stocktake.collect.importers.matching import DomainMatcher
from stocktake.collect.importers.model import Extraction
from stocktake.collect.importers.tables import Context, read_table
from stocktake.collect.importers.text import decode

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".tsv")
MAX_ROWS = 100_000


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _finish(extraction: Extraction, tables: int) -> Extraction:
    if not (extraction.findings or extraction.examples or extraction.recommendations):
        extraction.problem("", "no findings found: no sheet has a header row naming columns such "
                               "as Organisation, Domain and Finding (or Example and Synopsis)")
    elif any(f.organisation is None and f.system is None for f in extraction.findings):
        extraction.problem("", "some rows do not say which organisation they are from (add an "
                               "Organisation column)")
    return extraction


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters.decode():
        number = number * 26 + ord(letter) - 64
    return number - 1


def _merged_ranges(sheet) -> list[tuple[int, int, int, int]]:
    """(first row, first column, last row, last column), 0-based, of the sheet's merged cells
    (a read-only sheet does not read them, so they come from the sheet's XML)."""
    try:
        source = sheet._get_source()  # openpyxl's handle on the sheet's XML part
        data = source.read()
        source.close()
    except (AttributeError, OSError, KeyError):
        return []
    return [(int(r1) - 1, _column(c1), int(r2) - 1, _column(c2)) for c1, r1, c2, r2 in _MERGE.findall(data)]


def _mark_merged(rows: list[list[str]], ranges: list[tuple[int, int, int, int]]) -> None:
    """Cells below the first row of a merged range read "same as above" (``MERGED_CELL``)."""
    for first_row, first_col, last_row, last_col in ranges:
        for r in range(first_row + 1, min(last_row, len(rows) - 1) + 1):
            for c in range(first_col, min(last_col + 1, len(rows[r]))):
                if not rows[r][c]:
                    rows[r][c] = MERGED_CELL


def read_xlsx(path: Path, extraction: Extraction, matcher: DomainMatcher, *, mapping: Mapping | None = None) -> Extraction:
    import openpyxl

    handle = path.open("rb")  # a handle, so that openpyxl does not judge by the file name
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except BaseException:
        handle.close()
        raise
    try:
        tables = 0
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                continue
            rows = []
            for row in sheet.iter_rows(values_only=True):
                rows.append([_cell(v) for v in row])
                if len(rows) > MAX_ROWS:
                    extraction.problem(f"sheet '{sheet.title}'", f"more than {MAX_ROWS} rows; the rest were skipped")
                    break
            while rows and not any(rows[-1]):
                rows.pop()
            if not rows:
                continue
            _mark_merged(rows, _merged_ranges(sheet))
            title = sheet.title

            def location(row: int, column: str | None, item: int | None, title=title) -> str:
                where = f"{title}!row {row + 1}"
                if column:
                    where += f", column '{column}'"
                if item:
                    where += f", item {item}"
                return where

            tables += read_table(rows, extraction=extraction, matcher=matcher, context=Context(),
                                 location=location, where=f"sheet '{title}'", mapping=mapping)
    finally:
        workbook.close()
        handle.close()
    return _finish(extraction, tables)


def read_delimited(path: Path, extraction: Extraction, matcher: DomainMatcher, *, mapping: Mapping | None = None) -> Extraction:
    text = decode(path.read_bytes(), extraction.file)
    sample = text[:20000]
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        pass
    rows = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        rows.append(row)
        if len(rows) > MAX_ROWS:
            extraction.problem("", f"more than {MAX_ROWS} rows; the rest were skipped")
            break

    def location(row: int, column: str | None, item: int | None) -> str:
        where = f"row {row + 1}"
        if column:
            where += f", column '{column}'"
        if item:
            where += f", item {item}"
        return where

    tables = read_table(rows, extraction=extraction, matcher=matcher, context=Context(),
                        location=location, where="the file", mapping=mapping, loose=delimiter == "\t")
    return _finish(extraction, int(tables))
