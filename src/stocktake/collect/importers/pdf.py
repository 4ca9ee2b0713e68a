"""PDF files: the text layer, read with pdfplumber, then read like text exported from a PDF.

Each page's lines come out in reading order with their font size. Lines set
larger than the body text become headings (numbered ones such as "4.3 Title"
keep their numbering, which gives their level), short bold lines become
sub-headings, and a vertical gap becomes a paragraph break. Ruled tables that
pdfplumber detects become tab-separated rows, so the table rules of
:mod:`~.tables` apply (blank cell = same as above, lists in cells …). A page
break is marked with a page-number line, which :mod:`~.text` treats as page
furniture, so paragraphs and tables continue across it.

A PDF with no text at all (a scan) is read by text recognition (:mod:`.ocr`, with
Debian's tesseract; refused with one line naming the install when it is absent); one
that needs a password is refused with a one-line message.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from stocktake.collect.importers import ocr
from stocktake.collect.importers.errors import EncryptedFile, FileTooLarge
from stocktake.collect.importers.furniture import PageLine, clean_pages
from stocktake.collect.importers.layout import join_cell_lines
from stocktake.collect.importers.mapping import Mapping
from stocktake.collect.importers.matching import DomainMatcher
from stocktake.collect.importers.model import Extraction
from stocktake.collect.importers.segment import BULLET
from stocktake.collect.importers.text import read_text

SUFFIXES = (".pdf",)
MAX_PAGES = 1000
_HEADING_STEP = 1.5  # points above the body size that make a line a heading
_NUMBERED = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s")
_ROW_LABEL = re.compile(r"^(?:R|Rec\.?\s*|Recommendation\s+)?\d{1,3}(?:\.\d{1,3})*[a-z]?\.?$", re.I)


@dataclass
class _Line:
    top: float
    bottom: float
    text: str
    size: float = 0.0
    bold: bool = False
    italic: bool = False
    rows: list[list[str]] | None = None  # a table, when set
    raw: list[list[str]] | None = None  # the table's cells as extracted (their lines apart)


def _cell(value: str | None) -> str:
    """A table cell on one line: wrapped lines joined, list items kept apart with <br>."""
    return join_cell_lines((value or "").splitlines())


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _page_lines(page) -> list[_Line]:
    if not page.chars:
        return []  # a scanned page: no text, so no table worth finding in its drawings
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    lines = []
    for table in tables:
        raw = [[c or "" for c in row] for row in table.extract()]
        lines.append(_Line(table.bbox[1], table.bbox[3], "", rows=[[_cell(c) for c in row] for row in raw],
                           raw=raw))
    text_page = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes)) \
        if boxes else page
    for found in text_page.extract_text_lines(return_chars=True):
        chars = [c for c in found["chars"] if c["text"].strip()]
        if not chars or not found["text"].strip():
            continue
        sizes = Counter(round(c.get("size", 0), 1) for c in chars)
        fonts = [(c.get("fontname") or "").lower() for c in chars]
        bold = all("bold" in f for f in fonts)
        italic = sum("italic" in f or "oblique" in f for f in fonts) > 0.6 * len(fonts)
        lines.append(_Line(found["top"], found["bottom"], found["text"].strip(),
                           size=sizes.most_common(1)[0][0], bold=bold, italic=italic))
    return sorted(lines, key=lambda line: line.top)


def _body_size(pages: list[list[_Line]]) -> float:
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            if line.rows is None:
                sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


class _Writer:
    """Builds the text handed to the text reader, and the location of each of its lines."""

    def __init__(self, body: float, heading_sizes: list[float]):
        self.body, self.heading_sizes = body, heading_sizes
        self.lines: list[str] = []
        self.where: list[str] = []

    def add(self, text: str, where: str) -> None:
        self.lines.append(text)
        self.where.append(where)

    def heading_marks(self, line: _Line) -> str:
        words = line.text.split()
        if line.size >= self.body + _HEADING_STEP and len(words) <= 14:
            if _NUMBERED.match(line.text):
                return ""  # numbered: the number gives the level
            return "#" * min(3, self.heading_sizes.index(line.size) + 1) + " "
        if line.bold and len(words) <= 10 and not line.text.endswith((".", ";", ",")) \
                and not BULLET.match(line.text):
            return "### "
        return ""

    def page(self, number: int, lines: list[_Line]) -> None:
        previous: _Line | None = None
        tables = 0
        for index, line in enumerate(lines, start=1):
            gap = line.top - previous.bottom if previous else 0
            if previous is None or line.rows is not None or previous.rows is not None \
                    or gap > 0.7 * max(line.size, self.body, 1):
                self.add("", f"page {number}")
            if line.rows is not None:
                tables += 1
                for row_number, row in enumerate(line.rows, start=1):
                    self.add("\t".join(row), f"page {number}, table {tables}, row {row_number}")
            else:
                self.add(self.heading_marks(line) + line.text, f"page {number}, line {index}")
            previous = line
        self.add("", f"page {number}")
        self.add(f"Page {number}", f"page {number}")  # page furniture: a break, not a paragraph end


def _open(handle, name: str):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(handle)  # our handle: closed by the caller even when this fails
        pages = pdf.pages
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise EncryptedFile(name, "the PDF is password-protected; remove the password (or "
                                      "print it to a new PDF) and import it again") from None
        raise
    if len(pages) > MAX_PAGES:
        pdf.close()
        raise FileTooLarge(name, f"the PDF has {len(pages)} pages; at most {MAX_PAGES} are read, "
                                 "so split it into smaller files")
    return pdf


def _fast_lines(page) -> list[_Line] | None:
    """A page's lines read with PDFium (many times faster than pdfplumber), or None when the
    page draws a grid of rules or cells (a table, perhaps), which pdfplumber reads."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    across = down = boxes = 0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        bounds = getattr(obj, "get_bounds", None) or obj.get_pos  # pypdfium2 5 / 4
        left, bottom, right, top = bounds()
        width, tall = right - left, top - bottom
        if tall < 2 and width > 40:
            across += 1  # a rule: under a heading, above footnotes, or a table's
        elif width < 2 and tall > 8:
            down += 1
        elif width > 30 and tall > 8:
            boxes += 1
    if (across >= 2 and down >= 2) or boxes >= 4:
        return None  # a grid of rules or cells: a table, perhaps
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        if len(text) != count:
            return None  # characters and text do not line up (surrogates): let pdfplumber read it
        name = ctypes.create_string_buffer(128)
        flags = ctypes.c_int()
        matrix = pdfium_c.FS_MATRIX()
        lines: list[_Line] = []
        position = 0
        for raw in text.split("\r\n"):
            start, end = position, position + len(raw)
            position = end + 2
            indices = [i for i in range(start, end) if not text[i].isspace()]
            if not indices:
                continue
            sample = indices[:: max(1, len(indices) // 12)]
            sizes: Counter[float] = Counter()
            bold = italic = 0
            top, bottom = float("inf"), float("-inf")
            for i in sample:
                size = pdfium_c.FPDFText_GetFontSize(textpage.raw, i)
                if pdfium_c.FPDFText_GetMatrix(textpage.raw, i, ctypes.byref(matrix)):
                    size *= max(abs(matrix.d), abs(matrix.b)) or 1
                sizes[round(size, 1)] += 1
                pdfium_c.FPDFText_GetFontInfo(textpage.raw, i, name, 128, ctypes.byref(flags))
                font = name.value.decode("latin-1").lower()
                weight = pdfium_c.FPDFText_GetFontWeight(textpage.raw, i)
                bold += "bold" in font or "black" in font or weight >= 600
                italic += "italic" in font or "oblique" in font or bool(flags.value & 0x40)
                left, low, right, high = textpage.get_charbox(i, loose=True)
                top, bottom = min(top, height - high), max(bottom, height - low)
            lines.append(_Line(top, bottom, " ".join(raw.split()), size=sizes.most_common(1)[0][0],
                               bold=bold == len(sample), italic=italic > 0.6 * len(sample)))
        return sorted(lines, key=lambda line: line.top)
    finally:
        textpage.close()


def _read_pages(path: Path, name: str) -> list[list[_Line]]:
    pages: list[list[_Line]] = []
    with path.open("rb") as handle:
        pdf = _open(handle, name)
        try:
            fast = _pdfium(path)
            for number, page in enumerate(pdf.pages):
                lines = _fast_lines(fast[number]) if fast is not None else None
                pages.append(lines if lines is not None else _page_lines(page))
                page.close()
        finally:
            pdf.close()
    return pages


def _pdfium(path: Path):
    try:
        import pypdfium2
    except ImportError:  # pragma: no cover - installed with pdfplumber
        return None
    try:
        return pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        return None


def read(path: Path, extraction: Extraction, matcher: DomainMatcher, *, mapping: Mapping | None = None,
         progress: ocr.Progress | None = None) -> Extraction:
    """``progress(done, total)``: pages recognised so far, when the PDF is a scan (:mod:`.ocr`)."""
    pages = [] if ocr.without_text(path) else _read_pages(path, extraction.file)
    if not any(line.text.strip() or any(cell.strip() for row in line.rows or () for cell in row)
               for lines in pages for line in lines):  # no text, not even in a table: a scan
        recognised = ocr.recognise_pdf(path, extraction.file, progress=progress, problem=extraction.problem)
        text, where = ocr.page_text(recognised)
        return read_text(text, extraction, matcher, mapping=mapping,
                         locate=lambda n: where[n - 1] if 0 < n <= len(where) else f"line {n}",
                         pages=clean_pages([page.splitlines() for page in recognised]))
    body = _body_size(pages)
    heading_sizes = sorted({line.size for lines in pages for line in lines
                            if line.rows is None and line.size >= body + _HEADING_STEP}, reverse=True)
    writer = _Writer(body, heading_sizes)
    for number, lines in enumerate(pages, start=1):
        writer.page(number, lines)
    where = writer.where
    return read_text("\n".join(writer.lines), extraction, matcher, mapping=mapping,
                     locate=lambda n: where[n - 1] if 0 < n <= len(where) else f"line {n}",
                     pages=_clean_lines(pages, body, heading_sizes))


def _clean_lines(pages: list[list[_Line]], body: float, heading_sizes: list[float]) -> list[PageLine]:
    """The pages' lines, with their style, for :mod:`.furniture` (tables left out; headings set
    larger than the body marked "#"), a blank line where a vertical gap parts paragraphs."""
    texts: list[list[str]] = []
    styles: list[list[str]] = []
    for lines in pages:
        page_texts: list[str] = []
        page_styles: list[str] = []
        previous: _Line | None = None
        for line in lines:
            if line.rows is not None:
                # a table's cells, line by line (a boxed quotation is a one-cell table)
                rows = line.raw or []
                page_texts.append("")
                page_styles.append("")
                boxed = all(sum(1 for c in row if c.strip()) <= 1 for row in rows)
                for row in rows:
                    filled = [c for c in row if c.strip()]
                    if not boxed and len(filled) >= 2 and _ROW_LABEL.match(filled[0].strip()):
                        # "1 | The trust should … | Owner": the numbered recommendation, as a line
                        page_texts.extend(["", f"{filled[0].strip().rstrip('.')}. {' '.join(filled[1].split())}"])
                        page_styles.extend(["", ""])
                        continue
                    for cell in row:
                        if not boxed and cell.strip():
                            page_texts.append("")
                            page_styles.append("")
                        for part in cell.splitlines():
                            page_texts.append(part)
                            page_styles.append("")
                page_texts.append("")
                page_styles.append("")
                previous = None
                continue
            if previous is not None and line.top - previous.bottom > 0.7 * max(line.size, body, 1):
                page_texts.append("")
                page_styles.append("")
            marks = ""
            if line.size >= body + _HEADING_STEP and len(line.text.split()) <= 14 \
                    and not _NUMBERED.match(line.text):
                marks = "#" * min(3, heading_sizes.index(line.size) + 1) + " "
            page_texts.append(marks + line.text)
            page_styles.append(("b" if line.bold else "") + ("i" if line.italic else ""))
            previous = line
        texts.append(page_texts)
        styles.append(page_styles)
    return clean_pages(texts, styles)
