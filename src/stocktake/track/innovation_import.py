"""Reading a spreadsheet of innovations (CSV or XLSX) into a checked import plan.

Nothing is written here: :func:`read_plan` reads the first sheet (or the CSV), decides
what each column holds from its header words (:data:`FIELD_WORDS`: "Team" → business
unit, "Date started" → since when, "Benefits seen" → benefits; a column whose header
says nothing is ignored and the preview says so), resolves each row's organisation by
name, acronym or alias through the register (:class:`~stocktake.reviews.orgtree.OrgTree`,
a likely match offered when none is found) and lists every problem with its row number
("Row 7: no organisation"). :func:`stocktake.track.actions.import_innovations` then logs
every row or none.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from stocktake.collect.importers.errors import ImportInputError
from stocktake.collect.importers.mapping import header_key
from stocktake.collect.importers.sheets import _cell
from stocktake.collect.importers.text import decode

MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024

# field → (label, header words that name it; the longest phrase found in a header wins)
FIELD_WORDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "organisation": ("Organisation", ("organisation", "organization", "trust", "provider",
                                      "org", "system", "body")),
    "unit": ("Business unit", ("business unit", "unit", "team", "service", "division",
                               "directorate", "department", "care group")),
    "place": ("Place", ("place", "site", "location", "where", "ward", "locality")),
    "title": ("Title", ("title", "innovation", "name of innovation", "innovation name",
                        "new way of working", "summary", "headline")),
    "what_changed": ("What changed", ("what changed", "description", "describe", "details",
                                      "what is different", "change", "what was done")),
    "started_on": ("Since when", ("since", "started", "start date", "date started", "date",
                                  "from", "when", "implemented")),
    "lead_name": ("Who leads it", ("lead", "who leads", "led by", "owner", "contact",
                                   "lead name", "responsible")),
    "lead_email": ("Lead's email", ("email", "e mail", "lead email", "contact email")),
    "benefits": ("Benefits seen", ("benefit", "benefits", "impact", "outcomes", "outcome",
                                   "what went well")),
    "risks": ("Risks seen", ("risk", "risks", "issues", "concerns", "downsides")),
    "support_needed": ("Support needed", ("support", "support needed", "help needed",
                                          "what would help", "resources needed")),
}
FIELD_LABELS = {name: label for name, (label, _) in FIELD_WORDS.items()}
REQUIRED = ("organisation", "title")
MONTHS = {name: i for i, name in enumerate(
    "january february march april may june july august september october november december"
    .split(), start=1)}
MONTHS.update({name[:3]: i for name, i in list(MONTHS.items())})
MONTHS["sept"] = 9


@dataclass(frozen=True)
class ColumnChoice:
    header: str
    field: str | None  # None: ignored

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.field, "Not imported") if self.field else "Not imported"


@dataclass
class ImportRow:
    number: int  # as a spreadsheet numbers it (the header is row 1)
    organisation_id: int | None = None
    organisation_name: str = ""
    unit: str = ""
    place: str = ""
    title: str = ""
    what_changed: str = ""
    started_on: dt.date | None = None
    lead_name: str = ""
    lead_email: str = ""
    benefits: str = ""
    risks: str = ""
    support_needed: str = ""


@dataclass
class ImportPlan:
    file_name: str
    columns: list[ColumnChoice] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "Row 7: no organisation"


def field_for(header: str) -> str | None:
    """The field a column's header names, by the longest matching phrase (None: none)."""
    key = header_key(header)
    if not key:
        return None
    padded = f" {key} "
    best, best_len = None, 0
    for name, (_, phrases) in FIELD_WORDS.items():
        for phrase in phrases:
            if f" {phrase} " in padded and len(phrase) > best_len:
                best, best_len = name, len(phrase)
    return best


def parse_month(text: str) -> dt.date | None:
    """"2024-03-15", "15/03/2024", "03/2024", "March 2024", "Mar-24" → a date (the first of
    the month where no day is given); None when it is not a date."""
    text = " ".join(str(text).replace(",", " ").split())
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
        day, month, year = map(int, m.groups())
        return _date(year, month, day)
    if m := re.fullmatch(r"(\d{1,2})[/.-](\d{4})", text):
        return _date(int(m.group(2)), int(m.group(1)), 1)
    if m := re.fullmatch(r"(\d{4})[/.-](\d{1,2})", text):
        return _date(int(m.group(1)), int(m.group(2)), 1)
    if m := re.fullmatch(r"(?:(\d{1,2}) )?([A-Za-z]+)[ -](\d{2}|\d{4})", text):
        month = MONTHS.get(m.group(2).lower())
        year = int(m.group(3))
        year = year + 2000 if year < 100 else year
        if month:
            return _date(year, month, int(m.group(1) or 1))
    if re.fullmatch(r"\d{4}", text):
        return _date(int(text), 1, 1)
    return None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def read_rows(data: bytes, name: str) -> list[list[str]]:
    """The cells of a CSV file or of an XLSX workbook's first visible sheet."""
    if not data:
        raise ImportInputError(name, "the file is empty")
    if len(data) > MAX_BYTES:
        raise ImportInputError(name, f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    lower = name.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        return _xlsx_rows(data, name)
    if lower.endswith((".csv", ".txt", ".tsv")):
        text = decode(data, name)
        try:
            delimiter = csv.Sniffer().sniff(text[:20000], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
        try:
            return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
        except csv.Error as exc:
            raise ImportInputError(name, f"not a readable CSV file ({exc})") from None
    raise ImportInputError(name, "choose a CSV file (.csv) or an Excel workbook (.xlsx)")


def _xlsx_rows(data: bytes, name: str) -> list[list[str]]:
    import openpyxl  # noqa: PLC0415 - heavy; only XLSX uploads need it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise ImportInputError(name, "the workbook could not be read; is it a damaged or "
                                     "password-protected file?") from None
    try:
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                continue
            rows = []
            for row in sheet.iter_rows(values_only=True):
                rows.append([_cell(v) for v in row])
                if len(rows) > MAX_ROWS + 1:
                    break
            if any(any(c.strip() for c in r) for r in rows):
                return rows
        return []
    finally:
        workbook.close()


def read_plan(data: bytes, name: str, *, tree, may_log_for=lambda org_id: True,
              mapping: dict[int, str] | None = None) -> ImportPlan:
    """Check a spreadsheet of innovations (see the module docstring).

    ``mapping``: the user's choice for some columns (by position), a field of
    :data:`FIELD_WORDS` or "" (not imported), instead of what the header words say.
    """
    rows = read_rows(data, name)
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    plan = ImportPlan(file_name=name)
    start = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), None)
    if start is None:
        plan.problems.append("The file has no rows: it needs a header row naming the columns "
                             "(organisation, title, what changed …) and a row per innovation")
        return plan
    headers = [str(c).strip() for c in rows[start]]
    taken: dict[str, str] = {}
    mapping = mapping or {}
    for position, header in enumerate(headers):
        chosen = position in mapping
        found = (mapping[position] or None) if chosen else field_for(header)
        if found is not None and found not in FIELD_WORDS:
            found = None
        if found in taken:
            if chosen:
                plan.problems.append(f"Two columns are read as {FIELD_LABELS[found].lower()}: "
                                     f"“{taken[found]}” and “{header}”; choose one")
            found = None
        if found:
            taken[found] = header
        plan.columns.append(ColumnChoice(header=header, field=found))
    if plan.problems:
        return plan
    missing = [FIELD_LABELS[f] for f in REQUIRED if f not in taken]
    if missing:
        plan.problems.append(
            f"No column for {' or '.join(m.lower() for m in missing)}: name the columns in the "
            "first row (for example “Organisation”, “Title”, “What changed”)")
        return plan
    body = rows[start + 1:]
    if len(body) > MAX_ROWS:
        plan.problems.append(f"The file has more than {MAX_ROWS:,} rows; split it into smaller "
                             "files")
        return plan
    for offset, cells in enumerate(body):
        number = start + offset + 2
        values = {c.field: (cells[i].strip() if i < len(cells) else "")
                  for i, c in enumerate(plan.columns) if c.field}
        if not any(values.values()):
            continue
        plan.rows.append(_row(number, values, tree, may_log_for, plan.problems))
    if not plan.rows and not plan.problems:
        plan.problems.append("The file has a header row but no innovations below it")
    return plan


def _row(number: int, values: dict, tree, may_log_for, problems: list[str]) -> ImportRow:
    row = ImportRow(number=number, **{k: " ".join(v.split()) if k in (
        "unit", "place", "title", "lead_name", "lead_email") else v
        for k, v in values.items() if k not in ("organisation", "started_on")})
    name = " ".join(values.get("organisation", "").split())
    row.organisation_name = name
    if not name:
        problems.append(f"Row {number}: no organisation")
    else:
        found = tree.resolve(name)
        if found is None:
            likely = tree.likely_match(name)
            hint = f"; did you mean {likely.name}?" if likely is not None else (
                "; add it to the organisation register first")
            problems.append(f"Row {number}: no organisation called “{name}” in the register{hint}")
        elif not may_log_for(found.id):
            problems.append(f"Row {number}: you may not log innovations for {found.name}")
        else:
            row.organisation_id, row.organisation_name = found.id, found.name
    if not row.title:
        problems.append(f"Row {number}: no title")
    elif len(row.title) > 255:
        problems.append(f"Row {number}: the title is longer than 255 characters")
    for key in ("unit", "place", "lead_name"):
        if len(getattr(row, key)) > 255:
            problems.append(f"Row {number}: {FIELD_LABELS[key].lower()} is longer than 255 "
                            "characters")
    if row.lead_email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", row.lead_email):
        problems.append(f"Row {number}: “{row.lead_email}” is not an email address")
    started = values.get("started_on", "")
    if started:
        row.started_on = parse_month(started)
        if row.started_on is None:
            problems.append(f"Row {number}: “{started}” is not a date (write it like 03/2024 "
                            "or March 2024)")
        elif row.started_on > dt.date.today():
            problems.append(f"Row {number}: the date it started ({started}) is in the future")
    return row
