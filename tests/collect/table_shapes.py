"""The table shapes of real submissions, in our own invented text, written as DOCX, XLSX and PDF.

Each shape is a title and a table (header row, then rows; ``MERGED`` marks a cell
merged with the one above). ``write(shape, fmt, path)`` writes it as a Word table
(merged cells merged, list cells as Word bullets, numbers, "•" text, "-" text,
line breaks or semicolons as written), a sheet (merged cells merged), or a PDF
(fpdf2; merged cells spanning rows, cells top-aligned as Word exports them, the
header repeated on each page). The text exports beside the tests
(fixtures/tables/*.txt) are ``pdftotext -layout`` of those PDFs: regenerate with
``python -m tests.collect.table_shapes`` (needs poppler's pdftotext).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MERGED = object()
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
EXPORTS = Path(__file__).resolve().parent / "fixtures" / "tables"


@dataclass(frozen=True)
class Cell:
    """A cell holding a list, and how it is written."""

    items: tuple[str, ...]
    style: str  # "word-bullets", "word-numbers", "bullet", "dash", "numbers", "lines", "semicolons"

    def text(self) -> str:
        if self.style == "semicolons":
            return "; ".join(i.rstrip(".") for i in self.items)
        if self.style in ("bullet", "word-bullets"):
            return "\n".join(f"• {i}" for i in self.items)
        if self.style == "dash":
            return "\n".join(f"- {i}" for i in self.items)
        if self.style in ("numbers", "word-numbers"):
            return "\n".join(f"{n}. {i}" for n, i in enumerate(self.items, start=1))
        return "\n".join(self.items)


@dataclass(frozen=True)
class Shape:
    name: str
    title: str
    intro: str
    rows: tuple[tuple, ...]  # the header row first
    widths: tuple[int, ...]  # PDF column widths (mm)
    preamble: int = 0  # paragraphs of context before the table (to push it across a page)


PARTNER_APPROACHES = Shape(
    "partner-approaches", "Partner returns, winter 2024/25",
    "The table below sets out how each partner went about its review and what it has found so far.",
    (
        ("Organisation", "Approach", "Key findings so far"),
        ("Brackwater Community Healthcare NHS Trust (BCH)",
         "Staff workshops in each locality, then a short survey of team managers.",
         Cell(("Discharge huddles cut delays by a third.",
               "Night staff asked for the same briefings as day staff.",
               "Carers wanted one number to ring."), "word-bullets")),
        ("Fellmouth City Council", "Interviews with twelve social workers and two carers' groups.",
         Cell(("Joint visits with district nurses avoided repeat assessments.",
               "Out-of-hours cover depended on goodwill."), "word-numbers")),
        ("Saltholme Hospice", "As above",
         Cell(("Volunteers ran a daily befriending call.", "Families valued a named contact."), "dash")),
        ("Merebank Primary Care Network",
         "A review of incident reports and a staff listening event.",
         Cell(("Pharmacists joined the morning huddle.", "Repeat prescriptions moved online.",
               "Text reminders reduced missed appointments."), "semicolons")),
        ("Thornbury and Wyck Integrated Care Board", "Board development sessions with partners.",
         Cell(("Shared dashboards replaced weekly returns.",
               "Partners asked for fewer, better meetings."), "lines")),
        ("Ashcombe Ambulance Service NHS Trust", "Crew debriefs after each surge day.",
         Cell(("Handover delays fell when liaison officers were on site.",
               "Crews valued the welfare vehicle at the busiest hospitals.",
               "Dispatchers asked for clearer escalation rules."), "bullet")),
        ("Dunholme Mental Health NHS Foundation Trust",
         "Peer reviews between wards, and a survey of patients and their families.",
         Cell(("The crisis line kept people away from the emergency department.",
               "Ward staff valued protected time for reflection.",
               "Families asked to be told sooner about discharge plans."), "word-bullets")),
        ("Kettlewick Voluntary Action", "Conversations with member charities.",
         Cell(("Small charities filled gaps in transport.",
               "Grant rules made quick help hard to fund."), "dash")),
    ),
    (52, 50, 68),
    preamble=4,
)

GOOD_PRACTICE = Shape(
    "good-practice", "Appendix: examples of good practice",
    "The table below lists the examples that systems nominated for the report.",
    (
        ("Domain", "System", "Examples of good practice", "Synopsis"),
        ("Leadership and Culture", "Thornbury and Wyck ICS", "Weekly system huddle",
         "Chief executives of all partners met for thirty minutes each Monday to agree the week's priorities."),
        (MERGED, "Fellmouth and Dale ICS", "Shared leadership programme",
         "Managers from health and social care trained together in mixed cohorts."),
        ("People", "Thornbury and Wyck ICS", "Staff passport",
         "A passport let staff move between partner organisations without repeating checks."),
        (MERGED, "Fellmouth and Dale ICS", "Wellbeing hubs",
         "Quiet rooms with peer supporters opened on every hospital site."),
        ("Inequalities", "Fellmouth and Dale ICS", "Community connectors",
         "Connectors phoned people who were shielding and arranged food and medicines."),
    ),
    (40, 38, 42, 50),
)

SYSTEM_ROWS = Shape(
    "system-rows", "Partner returns by system",
    "The table below gives each partner's findings; a row with no organisation is the system's own.",
    (
        ("System", "Organisation", "Domain", "Finding"),
        ("Thornbury and Wyck ICS", "Thornbury General Hospital NHS Foundation Trust", "Governance",
         "Daily system calls replaced three escalation meetings."),
        (MERGED, MERGED, "People", "Redeployed nurses were trained in a single morning."),
        (MERGED, "Wyck Borough Council", "People",
         "Social workers joined the hospital discharge hub at weekends."),
        ("Fellmouth and Dale ICS", "", "Governance",
         "One escalation route was agreed for every partner in the system."),
        (MERGED, "Dale Valley Hospice", "Inequalities",
         "Bereavement support reached people without internet access."),
        (MERGED, "Same as above", "Support Processes",
         "Pharmacy delivered end-of-life medicines at weekends."),
    ),
    (40, 50, 35, 45),
)

PREAMBLE = ("Partners were asked in the autumn to look back on the winter and to say how they "
            "went about it, who took part and what they would tell another system. Most partners "
            "held workshops or interviews; some used surveys, incident reports or board sessions. "
            "Returns were collected by the system team and checked with each partner before this "
            "summary was shared with the programme board in the spring.")

SHAPES = (PARTNER_APPROACHES, GOOD_PRACTICE, SYSTEM_ROWS)


def _text(value) -> str:
    if value is MERGED:
        return ""
    return value.text() if isinstance(value, Cell) else value


def write_docx(shape: Shape, path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(shape.title, level=1)
    for _ in range(shape.preamble):
        document.add_paragraph(PREAMBLE)
    document.add_paragraph(shape.intro)
    header, *rows = shape.rows
    table = document.add_table(rows=len(shape.rows), cols=len(header))
    table.style = "Table Grid"
    for c, text in enumerate(header):
        table.cell(0, c).text = text
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            if value is MERGED:
                continue
            if isinstance(value, Cell) and value.style.startswith("word-"):
                style = "List Bullet" if value.style == "word-bullets" else "List Number"
                cell.paragraphs[0].text = value.items[0]
                cell.paragraphs[0].style = document.styles[style]
                for item in value.items[1:]:
                    cell.add_paragraph(item, style=style)
            elif isinstance(value, Cell) and value.style == "lines":
                cell.paragraphs[0].text = value.items[0]
                for item in value.items[1:]:
                    cell.add_paragraph(item)
            else:
                cell.text = _text(value)
    for r, row in enumerate(rows, start=1):  # merge each MERGED cell into the one above
        for c, value in enumerate(row):
            if value is MERGED:
                top = r - 1
                while rows[top - 1][c] is MERGED:
                    top -= 1
                table.cell(top, c).merge(table.cell(r, c))
    document.core_properties.created = dt.datetime(2025, 3, 1)
    document.save(path)
    return path


def write_xlsx(shape: Shape, path: Path) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Table"
    for r, row in enumerate(shape.rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not MERGED:
                sheet.cell(r, c, _text(value))
    for r, row in enumerate(shape.rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is MERGED:
                top = r - 1
                while shape.rows[top - 1][c - 1] is MERGED:
                    top -= 1
                sheet.merge_cells(start_row=top, start_column=c, end_row=r, end_column=c)
    workbook.save(path)
    return path


def write_pdf(shape: Shape, path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc))
    pdf.set_producer("stocktake test fixtures")
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    unicode = FONT.exists()  # a font with "•"; else bullets are written "-"
    family = "DejaVu" if unicode else "Helvetica"
    if unicode:
        pdf.add_font("DejaVu", "", str(FONT))
        pdf.add_font("DejaVu", "B", str(FONT.with_name("DejaVuSans-Bold.ttf")))
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(0, 8, shape.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 11)
    for _ in range(shape.preamble):
        pdf.multi_cell(0, 5.5, PREAMBLE, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.multi_cell(0, 5.5, shape.intro, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(family, "", 10)
    header, *rows = shape.rows
    spans = {}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not MERGED:
                span = 1
                while r + span < len(rows) and rows[r + span][c] is MERGED:
                    span += 1
                spans[(r, c)] = span
    with pdf.table(col_widths=shape.widths, text_align="LEFT", line_height=5, v_align="TOP",
                   first_row_as_headings=True, repeat_headings=1) as table:
        heading = table.row()
        for text in header:
            heading.cell(text)
        for r, row in enumerate(rows):
            line = table.row()
            for c, value in enumerate(row):
                if value is not MERGED:
                    text = _text(value) if unicode else _text(value).replace("•", "-")
                    line.cell(text, rowspan=spans[(r, c)])
    pdf.output(str(path))
    return path


WRITERS = {"docx": write_docx, "xlsx": write_xlsx, "pdf": write_pdf}


def export_text(pdf: Path) -> str:
    """``pdftotext -layout`` of a PDF (poppler), as people export text from PDFs."""
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def main() -> int:
    import tempfile

    if shutil.which("pdftotext") is None:
        print("needs pdftotext (Debian: poppler-utils)", file=sys.stderr)
        return 1
    EXPORTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for shape in SHAPES:
            pdf = write_pdf(shape, Path(folder) / f"{shape.name}.pdf")
            (EXPORTS / f"{shape.name}.txt").write_text(export_text(pdf), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
