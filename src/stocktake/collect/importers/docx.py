"""Word (.docx) submissions: headings by style, bullets by list style, tables by header row.

A document that speaks of recommendations is also read as a report or a response
document: its paragraphs become lines (:mod:`.docx_lines`, auto-numbering
rebuilt) for :func:`.reports.apply`, as the text and PDF readers do."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from stocktake.collect.importers import docx_lines, reports, template
from stocktake.collect.importers.assemble import Assembler
from stocktake.collect.importers.blocks import BULLET, HEADING, PARAGRAPH, TABLE, Block
from stocktake.collect.importers.columns import MERGED_CELL
from stocktake.collect.importers.mapping import Mapping
from stocktake.collect.importers.matching import DomainMatcher, match_section
from stocktake.collect.importers.model import Extraction
from stocktake.collect.importers.segment import BULLET as BULLET_MARKER
from stocktake.collect.importers.segment import clean

FORMAT = "docx"
SUFFIXES = (".docx", ".docm")

_HEADING_STYLE = re.compile(r"^heading\s*(\d)", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _Styles:
    """Paragraph style names by id, read once per document (python-docx looks each one up by XPath)."""

    def __init__(self, styles_element):
        from docx.styles import BabelFish

        self.names: dict[str, str] = {}
        self.default = ""
        found = styles_element.findall(f"{_W}style") if styles_element is not None else []
        for style in found:
            if style.get(f"{_W}type") not in (None, "paragraph"):
                continue
            sid = style.get(f"{_W}styleId") or ""
            name_el = style.find(f"{_W}name")
            name = (name_el.get(f"{_W}val") if name_el is not None else None) or sid
            self.names[sid] = BabelFish.internal2ui(name)  # "heading 1" → "Heading 1", as python-docx
            if style.get(f"{_W}default") in ("1", "true", "on"):
                self.default = self.names[sid]

    def name(self, paragraph) -> str:
        ppr = paragraph._p.pPr
        pstyle = ppr.find(f"{_W}pStyle") if ppr is not None else None
        sid = pstyle.get(f"{_W}val") if pstyle is not None else None
        if not sid:
            return self.default
        if sid in self.names:
            return self.names[sid]
        builtin = re.match(r"^(Heading)(\d)$|^(Title|Subtitle)$", sid)  # a package without styles.xml
        return (f"Heading {builtin[2]}" if builtin[1] else builtin[3]) if builtin else self.default


def _is_list(paragraph, styles: _Styles) -> bool:
    style = styles.name(paragraph)
    if "list" in style.lower():
        return True
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.find(f"{_W}numPr") is not None


def _paragraph_block(paragraph, matcher: DomainMatcher, styles: _Styles) -> Block | None:
    text = clean(paragraph.text)
    if not text:
        return None
    style = styles.name(paragraph)
    heading = _HEADING_STYLE.match(style)
    if heading:
        return Block(HEADING, text, level=int(heading.group(1)))
    if style.lower() in ("title", "subtitle"):
        return Block(HEADING, text, level=1 if style.lower() == "title" else 2)
    if _is_list(paragraph, styles):
        return Block(BULLET, text)
    if BULLET_MARKER.match(text) and not re.match(r"^\d{1,2}[.)]\s", text):
        return Block(BULLET, BULLET_MARKER.sub("", text, count=1))
    runs = [r for r in paragraph.runs if r.text.strip()]
    short = len(text.split()) <= 10 and not text.endswith((".", ";", ","))
    if short and runs and all(r.bold for r in runs):
        # a bold line standing in for a heading: domain names sit above section names
        return Block(HEADING, text, level=3 if match_section(text) and not matcher.match(text) else 2)
    return Block(PARAGRAPH, text)


def _cell_text(cell, styles: _Styles) -> str:
    """A cell's paragraphs, one a line (list paragraphs marked "•"); line breaks inside a
    paragraph (Shift+Enter) also separate lines, since lists are typed that way too."""
    lines = []
    for paragraph in cell.paragraphs:
        parts = [clean(part) for part in paragraph.text.split("\n")]
        parts = [part for part in parts if part]
        if parts and _is_list(paragraph, styles):
            lines.append(f"• {' '.join(parts)}")
        else:
            lines.extend(parts)
    return "\n".join(lines)


def _table_rows(table, styles: _Styles) -> list[list[str]]:
    """Cell text by layout-grid column. A cell merged across columns gives its text once and
    blanks after it; a cell merged down (``vMerge="continue"``) is ``MERGED_CELL``, which the table
    engine reads as "same as above" for organisations and domains and as nothing new for
    findings (so a merged cell never gives the same finding twice)."""
    from docx.table import _Cell

    rows = []
    for tr in table._tbl.tr_lst:
        cells = [""] * tr.grid_before
        for tc in tr.tc_lst:
            text = MERGED_CELL if tc.vMerge == "continue" else _cell_text(_Cell(tc, table), styles)
            cells.append(text)
            cells.extend([""] * (tc.grid_span - 1))
        rows.append(cells)
    return rows


def _parts(path: Path):
    """The body and the styles of a .docx, parsed with python-docx's element classes, and the
    numbering part's bytes (parsed only for a report, :mod:`.docx_lines`).

    Only these parts are read (python-docx's ``Document()`` parses every part of
    the package, which is most of the time spent on a short submission). The
    package's sizes were checked for zip bombs before this is called.
    """
    from docx.oxml import parse_xml

    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        document = parse_xml(archive.read("word/document.xml"))
        styles = parse_xml(archive.read("word/styles.xml")) if "word/styles.xml" in names else None
        numbering = archive.read("word/numbering.xml") if "word/numbering.xml" in names else None
    body = document.find(f"{_W}body")
    if body is None:
        raise ValueError("the document has no body")
    return body, styles, numbering


def read(path: Path, extraction: Extraction, matcher: DomainMatcher, *, mapping: Mapping | None = None) -> Extraction:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    made_for = template.identity(path)  # a stocktake Word template has its own reader
    if made_for is not None:
        return template.read(path, extraction, matcher, made_for)
    body, styles_element, numbering = _parts(path)
    assembler = Assembler(extraction, matcher, mapping=mapping)
    styles = _Styles(styles_element)
    items: list[Paragraph | None] = []  # the body's paragraphs, None for a table
    for element in body.iterchildren():
        if element.tag == f"{_W}p":
            paragraph = Paragraph(element, None)
            items.append(paragraph)
            block = _paragraph_block(paragraph, matcher, styles)
            if block:
                assembler.feed(block)
        elif element.tag == f"{_W}tbl":
            items.append(None)
            assembler.feed(Block(TABLE, rows=_table_rows(Table(element, None), styles)))
    if docx_lines.looks_like_report([body.xpath("string()")]):  # all the text, at lxml's speed
        from docx.oxml import parse_xml

        lines = docx_lines.lines(items, styles.name, styles_element,
                                 parse_xml(numbering) if numbering else None)
        reports.apply(extraction, lines)
        docx_lines.relabel(extraction)
    return assembler.finish()
