"""Reading a measure's dated values from CSV (``date,value[,note]``), all or nothing.

Every row is checked before anything is stored; each problem names its row. A date
given twice in one file is a problem (which value is meant?). A date the measure already
has is replaced by the file's value, and the import says which dates it replaced.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

MAX_ROWS = 5000
MAX_NOTE = 255
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass(frozen=True)
class ValueRow:
    on: date
    value: float
    note: str = ""


@dataclass
class ParsedValues:
    rows: list[ValueRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def parse_number(text: str) -> float | None:
    cleaned = text.strip().replace(",", "").replace("£", "").rstrip("%").strip()
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def parse_values(data: bytes | str) -> ParsedValues:
    """The rows of a values file, or every problem (row numbers as a spreadsheet shows them)."""
    out = ParsedValues()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            out.problems.append("The file is not UTF-8 text: save it from the spreadsheet as "
                                "“CSV UTF-8”")
            return out
    rows = list(csv.reader(io.StringIO(data)))
    if rows and rows[0] and rows[0][0].strip().lower() in ("date", "on", "day"):
        start, rows = 2, rows[1:]
    else:
        start = 1
    seen: dict[date, int] = {}
    for number, row in enumerate(rows, start=start):
        if not any(cell.strip() for cell in row):
            continue
        if len(out.rows) + len(out.problems) >= MAX_ROWS:
            out.problems.append(f"The file has more than {MAX_ROWS:,} rows; split it")
            break
        if len(row) < 2:
            out.problems.append(f"Row {number}: needs a date and a value")
            continue
        on, value = parse_date(row[0]), parse_number(row[1])
        note = row[2].strip() if len(row) > 2 else ""
        if on is None:
            out.problems.append(f"Row {number}: “{row[0].strip()[:40]}” is not a date "
                                "(use 2025-01-31 or 31/01/2025)")
        if value is None:
            out.problems.append(f"Row {number}: “{row[1].strip()[:40]}” is not a number")
        if len(note) > MAX_NOTE:
            out.problems.append(f"Row {number}: the note is longer than {MAX_NOTE} characters")
        if on is not None and on in seen:
            out.problems.append(f"Row {number}: {on.isoformat()} is also on row {seen[on]}; "
                                "give each date once")
        if on is not None:
            seen.setdefault(on, number)
        if on is not None and value is not None and len(note) <= MAX_NOTE:
            out.rows.append(ValueRow(on, value, note))
    if not out.rows and not out.problems:
        out.problems.append("The file has no values: one row per date, “date,value[,note]”")
    return out
