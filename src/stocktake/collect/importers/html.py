"""HTML pages and Word documents saved as web pages: h1–h6, p, li and tables (cells spanning
rows read as "same as above" below their first row, cells spanning columns once).

A page that speaks of recommendations is also read as a report or response document
(:func:`.reports.apply`, as the text and PDF readers do): its headings, paragraphs and
list items as lines, items of a numbered list (``<ol>``) with their numbers."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from stocktake.collect.importers import reports
from stocktake.collect.importers.assemble import Assembler
from stocktake.collect.importers.blocks import BULLET, HEADING, PARAGRAPH, TABLE, Block
from stocktake.collect.importers.columns import MERGED_CELL
from stocktake.collect.importers.docx_lines import looks_like_report
from stocktake.collect.importers.furniture import PageLine
from stocktake.collect.importers.mapping import Mapping
from stocktake.collect.importers.matching import DomainMatcher
from stocktake.collect.importers.model import Extraction
from stocktake.collect.importers.text import decode

SUFFIXES = (".html", ".htm")


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1
_BLOCKS = {"p": PARAGRAPH, "li": BULLET, "h1": HEADING, "h2": HEADING, "h3": HEADING,
           "h4": HEADING, "h5": HEADING, "h6": HEADING, "div": PARAGRAPH, "dt": PARAGRAPH,
           "dd": PARAGRAPH, "blockquote": PARAGRAPH, "title": None}


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.stack: list[tuple[str, list[str]]] = []
        self.skip = 0
        self.table: list[list[str]] | None = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.spans: dict[int, int] = {}  # column -> rows a cell above still spans (rowspan)
        self.colspan = 1
        self.lists: list[list[int]] = []  # open <ol> counters (None-like -1 for <ul>)
        self.numbers: dict[int, int] = {}  # block index → its <ol> item number

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self.skip += 1
        elif tag == "table" and self.table is None:
            self._flush()
            self.table, self.spans = [], {}
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self._spanned()
            values = dict(attrs)
            rows, self.colspan = _span(values.get("rowspan")), _span(values.get("colspan"))
            if rows > 1:
                for column in range(len(self.row), len(self.row) + self.colspan):
                    self.spans[column] = rows - 1
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")
        elif tag in ("ol", "ul") and self.cell is None:
            start = dict(attrs).get("start") if tag == "ol" else None
            self.lists.append([(int(start) if start and start.isdigit() else 1) - 1 if tag == "ol" else -1])
        elif tag == "li" and self.cell is not None:
            self.cell.append("\n• ")
        elif tag in _BLOCKS and self.cell is None:
            self._flush()
            if tag == "li" and self.lists and self.lists[-1][0] >= 0:
                self.lists[-1][0] += 1
                self.numbers[len(self.blocks)] = self.lists[-1][0]
            self.stack.append((tag, []))

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append("".join(self.cell).strip())
            self.row.extend([""] * (self.colspan - 1))
            self.cell = None
        elif tag == "tr" and self.row is not None and self.table is not None:
            self._spanned(end=True)
            self.table.append(self.row)
            self.row = None
        elif tag == "table" and self.table is not None:
            self.blocks.append(Block(TABLE, rows=self.table))
            self.table = None
        elif tag in ("ol", "ul") and self.cell is None and self.lists:
            self._flush()
            self.lists.pop()
        elif tag in _BLOCKS and self.cell is None:
            self._flush()

    def _spanned(self, *, end: bool = False) -> None:
        """Cells of this row covered by a cell above that spans rows: "same as above"."""
        assert self.row is not None
        while self.spans.get(len(self.row), 0) > 0 or (end and any(
                column >= len(self.row) and left > 0 for column, left in self.spans.items())):
            column = len(self.row)
            if self.spans.get(column, 0) > 0:
                self.spans[column] -= 1
                self.row.append(MERGED_CELL)
            else:
                self.row.append("")

    def handle_data(self, data):
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.stack:
            self.stack[-1][1].append(data)
        elif data.strip() and self.table is None:
            self.stack.append(("p", [data]))

    def _flush(self):
        while self.stack:
            tag, parts = self.stack.pop(0)
            text = " ".join("".join(parts).split())
            kind = _BLOCKS.get(tag, PARAGRAPH)
            if text and kind:
                level = int(tag[1]) if kind == HEADING else 0
                self.blocks.append(Block(kind, text, level=level))


def read(path: Path, extraction: Extraction, matcher: DomainMatcher, *, mapping: Mapping | None = None) -> Extraction:
    parser = _Parser()
    parser.feed(decode(path.read_bytes(), extraction.file))
    parser.close()
    parser._flush()
    assembler = Assembler(extraction, matcher, mapping=mapping)
    for block in parser.blocks:
        assembler.feed(block)
    if looks_like_report(block.text for block in parser.blocks):
        reports.apply(extraction, _lines(parser))
    return assembler.finish()


def _lines(parser: _Parser) -> list[PageLine]:
    """The page's blocks as lines for :mod:`.reports`: headings marked "#", tables left out
    (the table engine reads them)."""
    out: list[PageLine] = []
    for index, block in enumerate(parser.blocks):
        if block.kind == TABLE:
            continue
        text = block.text
        if index in parser.numbers:
            text = f"{parser.numbers[index]}. {text}"
        if block.kind == HEADING:
            text = f"{'#' * block.level} {text}"
        out += [PageLine(text, 0, index), PageLine("", 0, index)]
    return out
