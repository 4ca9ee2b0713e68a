"""Comments read from a file for an innovation's feedback: a column of a CSV or Excel sheet
(by its heading; the first column when none is named), or pasted lines."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook

MAX_COMMENTS = 2000
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass
class Comments:
    texts: list[str] = field(default_factory=list)
    problem: str = ""


def from_lines(text: str) -> Comments:
    texts = [" ".join(line.split()) for line in (text or "").splitlines()]
    return _bounded([t for t in texts if t])


def _bounded(texts: list[str]) -> Comments:
    if not texts:
        return Comments(problem="There are no comments: one comment a line or a row")
    if len(texts) > MAX_COMMENTS:
        return Comments(problem=f"There are {len(texts):,} comments; at most {MAX_COMMENTS:,} "
                                "at once")
    return Comments(texts=texts)


def _pick(rows: list[list[str]], column: str) -> Comments:
    rows = [[("" if c is None else str(c)).strip() for c in row] for row in rows]
    rows = [r for r in rows if any(r)]
    if not rows:
        return Comments(problem="The file is empty")
    wanted = " ".join(column.split()).lower()
    if wanted:
        headings = [h.lower() for h in rows[0]]
        if wanted not in headings:
            return Comments(problem=f"There is no column called “{column}”; the columns are "
                                    + ", ".join(f"“{h}”" for h in rows[0] if h))
        index, rows = headings.index(wanted), rows[1:]
    else:
        index = 0
    return _bounded([" ".join(r[index].split()) for r in rows if len(r) > index and r[index]])


def from_file(name: str, data: bytes, *, column: str = "") -> Comments:
    """The comments of a .csv or .xlsx file's ``column`` (its heading) or first column."""
    if len(data) > MAX_FILE_BYTES:
        return Comments(problem="The file is larger than 5 MB")
    lower = name.lower()
    if lower.endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            return Comments(problem="The file could not be read as an Excel workbook (.xlsx)")
        return _pick(rows, column)
    if lower.endswith((".csv", ".txt")):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return Comments(problem="The file is not UTF-8 text: save it as “CSV UTF-8”")
        if lower.endswith(".txt"):
            return from_lines(text)
        return _pick(list(csv.reader(io.StringIO(text))), column)
    return Comments(problem="Choose a CSV (.csv), Excel (.xlsx) or text (.txt) file")
