"""Word (.docx) submissions: headings by style, bullets by list style, tables by header row."""

from __future__ import annotations

import re
from pathlib import Path

from stocktake.collect.importers.assemble import Assembler
from stocktake.collect.importers.blocks import BULLET, HEADING, PARAGRAPH, TABLE, Block
from stocktake.collect.importers.matching import DomainMatcher, match_section
from stocktake.collect.importers.model import Extraction
from stocktake.collect.importers.segment import BULLET as BULLET_MARKER
from stocktake.collect.importers.segment import clean

FORMAT = "docx"
SUFFIXES = (".docx", ".docm")

_HEADING_STYLE = re.compile(r"^heading\s*(\d)", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _is_list(paragraph) -> bool:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if "list" in style.lower():
        return True
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.find(f"{_W}numPr") is not None


def _paragraph_block(paragraph, matcher: DomainMatcher) -> Block | None:
    text = clean(paragraph.text)
    if not text:
        return None
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    heading = _HEADING_STYLE.match(style)
    if heading:
        return Block(HEADING, text, level=int(heading.group(1)))
    if style.lower() in ("title", "subtitle"):
        return Block(HEADING, text, level=1 if style.lower() == "title" else 2)
    if _is_list(paragraph):
        return Block(BULLET, text)
    if BULLET_MARKER.match(text) and not re.match(r"^\d{1,2}[.)]\s", text):
        return Block(BULLET, BULLET_MARKER.sub("", text, count=1))
    runs = [r for r in paragraph.runs if r.text.strip()]
    short = len(text.split()) <= 10 and not text.endswith((".", ";", ","))
    if short and runs and all(r.bold for r in runs):
        # a bold line standing in for a heading: domain names sit above section names
        return Block(HEADING, text, level=3 if match_section(text) and not matcher.match(text) else 2)
    return Block(PARAGRAPH, text)


def _cell_text(cell) -> str:
    lines = []
    for paragraph in cell.paragraphs:
        text = clean(paragraph.text)
        if text:
            lines.append(f"• {text}" if _is_list(paragraph) else text)
    return "\n".join(lines)


def _table_rows(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells, previous = [], None
        for cell in row.cells:
            if previous is not None and cell._tc is previous:  # horizontally merged
                continue
            previous = cell._tc
            cells.append(_cell_text(cell))
        rows.append(cells)
    return rows


def read(path: Path, extraction: Extraction, matcher: DomainMatcher) -> Extraction:
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    assembler = Assembler(extraction, matcher)
    for element in document.element.body.iterchildren():
        if element.tag == f"{_W}p":
            block = _paragraph_block(Paragraph(element, document), matcher)
            if block:
                assembler.feed(block)
        elif element.tag == f"{_W}tbl":
            assembler.feed(Block(TABLE, rows=_table_rows(Table(element, document))))
    return assembler.finish()
