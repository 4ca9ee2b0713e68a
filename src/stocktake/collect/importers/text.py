"""Plain text, Markdown and text copied out of PDFs: headings and lists recognised by shape.

Page furniture is dropped: page numbers ("Page 3 of 7"), contents lines with dot
leaders, embedded-file captions and short lines repeated on many pages (running
headers and footers). Numbered headings ("2.1 Governance") nest by their dots.
Lines separated by tabs, or Markdown pipe tables, become tables.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from stocktake.collect.importers import reports
from stocktake.collect.importers.assemble import Assembler, looks_like_person
from stocktake.collect.importers.blocks import (
    BULLET,
    HEADING,
    PARAGRAPH,
    TABLE,
    Block,
    metadata,
    session_detail,
)
from stocktake.collect.importers.errors import CorruptFile
from stocktake.collect.importers.furniture import (
    PageLine,
    clean_pages,
    split_text_pages,
    strip_markers,
)
from stocktake.collect.importers.layout import tabulate
from stocktake.collect.importers.loose import looks_like_name_tail
from stocktake.collect.importers.mapping import Mapping
from stocktake.collect.importers.matching import DomainMatcher, match_section
from stocktake.collect.importers.model import Extraction
from stocktake.collect.importers.segment import clean, strip_bullet

FORMAT = "text"
SUFFIXES = (".txt", ".text", ".md", ".markdown")

_PAGE = re.compile(r"^\s*(?:-\s*)?(?:page\s+)?\d{1,4}\s*(?:(?:of|/)\s*\d{1,4})?(?:\s*-)?\s*$", re.I)
_LEADER = re.compile(r"(?:\.{4,}|…{2,}|(?:\. ){4,})\s*\d{0,4}\s*$")
_CAPTION = re.compile(r"^\s*\[?(?:embedded (?:file|object|document)|attachment|see attached|"
                      r"figure \d+|image)\b.*\]?\s*$", re.I)
# Captions of files embedded in Word documents and PDFs ("Microsoft Word Document", "plan.xlsx").
_FILE_CAPTION = re.compile(
    r"^\s*\[?(?:microsoft (?:office )?(?:word|excel|powerpoint)(?: 97-2003)?(?: macro-enabled)? "
    r"(?:document|worksheet|presentation|template)|adobe acrobat document|pdf document|"
    r"[\w()&' .-]{1,80}\.(?:docx?|xlsx?|xlsm|pptx?|pdf|csv|msg|zip))\]?\s*$", re.I)
_CONTENTS_ENTRY = re.compile(r"^.{2,120}?(?:\t+|\s{2,}|\s)\d{1,3}\s*$")
_RECOMMENDATIONS_HEADING = re.compile(r"^(?:key |our |summary of |draft )?recommendations?:?$", re.I)
_CONTENTS = re.compile(r"^\s*(?:table of )?contents\s*$", re.I)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_NUMBERED = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(\S.*)$")
_RULE = re.compile(r"^\s*(?:[-=_*]\s*){3,}$")
_MD_TABLE = re.compile(r"^\s*\|.*\|\s*$")
_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


def decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:65536]:
        raise CorruptFile(name, "not a text file (it contains binary data); was it saved in another format?")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _is_heading_like(text: str, matcher: DomainMatcher) -> bool:
    if _RECOMMENDATIONS_HEADING.match(text):
        return True
    words = text.split()
    return 0 < len(words) <= 10 and not text.endswith((".", ";", ",")) and text[:1].isupper() and (
        bool(matcher.match(text, max_extra_words=2)) or bool(match_section(text, max_words=6))
    )


def _caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters) and len(text.split()) <= 10


class _Lines:
    def __init__(self, lines: list[str], matcher: DomainMatcher):
        self.matcher = matcher
        repeated = Counter(clean(l) for l in lines if clean(l))
        self.furniture = {
            text for text, count in repeated.items()
            if count >= 3 and len(text) < 120 and not _is_heading_like(text, matcher)
            and not strip_bullet(text)[0] and len(text.split()) >= 2
        }

    def is_furniture(self, text: str) -> bool:
        return bool(
            _PAGE.match(text) or _LEADER.search(text) or _CAPTION.match(text) or _CONTENTS.match(text)
            or _FILE_CAPTION.match(text) or _RULE.match(text) or text in self.furniture
        )


class _Reader:
    """Turns lines into blocks, one line at a time; remembers the open paragraph or table."""

    def __init__(self, lines: list[str], matcher: DomainMatcher, locate: Callable[[int], str]):
        self.matcher, self.locate = matcher, locate
        self.shape = _Lines(lines, matcher)
        self.result: list[Block] = []
        self.current: Block | None = None  # paragraph or bullet being continued
        self.table: Block | None = None
        self.after_break = True  # the previous line was blank (or a heading): headings may start here
        self.pending_break = self.across_page = self.in_contents = False

    def close(self) -> None:
        self.current, self.table = None, None

    def line(self, number: int, raw: str) -> None:
        text = clean(raw)
        if not text:
            self.pending_break = self.after_break = True
            return
        if self._skipped(text, raw):
            return
        broke = self.pending_break or self.across_page
        if self.table is not None and self._table_line(number, raw, text):
            self.pending_break = self.across_page = self.after_break = False
            return
        if self.pending_break:
            unfinished = self.current is not None and not self.current.text.endswith((".", "!", "?", ":"))
            if not (self.across_page and unfinished):
                self.close()
        self.pending_break = self.across_page = False
        fresh, self.after_break = self.after_break, False
        if ("\t" in raw.strip() or _MD_TABLE.match(raw)) and self._new_table(number, raw, broke):
            return
        self.table = None
        self._text(number, text, fresh)

    def _skipped(self, text: str, raw: str) -> bool:
        if _CONTENTS.match(text):
            self.in_contents = self.across_page = True
            return True
        if self.in_contents and _CONTENTS_ENTRY.match(raw.rstrip()) and len(text.split()) <= 16:
            return True
        self.in_contents = False
        if self.shape.is_furniture(text):
            self.across_page = True  # furniture does not end a paragraph broken across pages
            return True
        return False

    # -- tables ----------------------------------------------------------------------
    def _cells(self, raw: str) -> list[str]:
        if _MD_TABLE.match(raw):
            return [c.strip() for c in raw.strip().strip("|").split("|")]
        return [c.strip() for c in raw.rstrip("\n").split("\t")]

    def _add_row(self, number: int, cells: list[str], broke: bool) -> None:
        assert self.table is not None
        self.table.rows.append(cells)
        self.table.row_locations.append(self.locate(number))
        self.table.row_breaks.append(broke)

    def _table_line(self, number: int, raw: str, text: str) -> bool:
        """A line that belongs to the open table: a row, or a piece of a row broken by a page."""
        broke = self.across_page
        if self.pending_break and not (self.across_page or raw.startswith("\t")):
            return False  # a blank line ends a table unless a page break explains it
        if _MD_TABLE.match(raw) and not self.table.loose:
            if not _MD_SEPARATOR.match(raw):
                self._add_row(number, self._cells(raw), broke)
            return True
        if "\t" in raw:
            self._add_row(number, self._cells(raw), broke)
            return True
        if not self.table.loose:
            return False
        width = len(self.table.rows[-1]) if self.table.rows else 1
        if looks_like_name_tail(text):
            self._add_row(number, [text] + [""] * (width - 1), broke)
            return True
        if text[:1].islower() and width > 1:
            self._add_row(number, [""] * (width - 1) + [text], broke)
            return True
        return False

    def _new_table(self, number: int, raw: str, broke: bool) -> bool:
        if _MD_SEPARATOR.match(raw):
            return True
        cells = self._cells(raw)
        if sum(1 for c in cells if c) < 2:
            return False
        self.current = None
        self.table = Block(TABLE, location=self.locate(number), loose=not _MD_TABLE.match(raw))
        self.result.append(self.table)
        self._add_row(number, cells, broke)
        return True

    # -- headings, bullets, paragraphs ---------------------------------------------
    def _heading(self, text: str, level: int, number: int, *, item: int | None = None) -> None:
        self.result.append(Block(HEADING, text, level=level, location=self.locate(number), number=item))
        self.current, self.after_break = None, True

    def _text(self, number: int, text: str, fresh: bool) -> None:
        if self._numbered_heading(number, text):
            return
        where = self.locate(number)
        is_bullet, body = strip_bullet(text)
        md = _MD_HEADING.match(text)
        if md:
            self._heading(md.group(2), len(md.group(1)), number)
        elif metadata(text) or looks_like_person(text) or session_detail(text):
            self.result.append(Block(PARAGRAPH, text, location=where))  # a line of its own
            self.current = None
        elif not is_bullet and (_caps(text) or (fresh and _is_heading_like(text.rstrip(":"), self.matcher))
                                or (text.endswith(":") and len(text.split()) <= 8)):
            level = 1 if _caps(text) else (2 if self.matcher.match(text.rstrip(":")) else 3)
            self._heading(text.rstrip(":"), level, number)
        elif not self.result and len(text.split()) <= 16:
            self.result.append(Block(HEADING, text, level=1, location=where))  # the title
        elif is_bullet:
            marker = re.match(r"^\s*\(?(\d{1,3})[.)]", text)
            self.current = Block(BULLET, body, location=where, number=int(marker[1]) if marker else None)
            self.result.append(self.current)
        elif self.current is not None:
            joined = self.current.text[:-1] if re.search(r"[a-z]-$", self.current.text) \
                and text[:1].islower() else self.current.text + " "
            self.current.text = joined + text
        else:
            self.current = Block(PARAGRAPH, text, location=where)
            self.result.append(self.current)

    def _numbered_heading(self, number: int, text: str) -> bool:
        """ "2.1 Governance" (nesting by its dots), or "4 Themes" when short and heading-like."""
        numbered = _NUMBERED.match(text)
        if not numbered:
            return False
        digits, title = numbered.group(1), numbered.group(2)
        if "." in digits and len(title.split()) <= 12 and not title.endswith((".", ";", ",")):
            self._heading(title, digits.count(".") + 1, number)
            return True
        is_bullet = strip_bullet(text)[0]
        if _is_heading_like(title, self.matcher) or (
                len(title.split()) <= 6 and title[:1].isupper()
                and not title.endswith((".", ";", ",", ":")) and not is_bullet):
            self._heading(title, 1, number, item=int(digits) if digits.isdigit() else None)
            return True
        return False


def blocks(text: str, matcher: DomainMatcher, locate: Callable[[int], str] | None = None) -> list[Block]:
    """Blocks of a text; ``locate(line_number)`` names a line (default "line N")."""
    lines = [strip_markers(line.replace("\f", " "))
             for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    reader = _Reader(lines, matcher, locate or (lambda number: f"line {number}"))
    for number, raw in enumerate(lines, start=1):
        reader.line(number, raw)
    return reader.result


def read_text(text: str, extraction: Extraction, matcher: DomainMatcher, *, mapping: Mapping | None = None,
              locate: Callable[[int], str] | None = None,
              pages: list[PageLine] | None = None) -> Extraction:
    """``pages``: the document's lines with page furniture removed, where the caller has them
    (the PDF reader); otherwise they are taken from ``text`` (pages split at form feeds)."""
    assembler = Assembler(extraction, matcher, mapping=mapping)
    for block in blocks(text, matcher, locate):
        assembler.feed(block)
    if pages is None:
        pages = clean_pages(split_text_pages(text))
    reports.apply(extraction, pages)
    return assembler.finish()


def read(path: Path, extraction: Extraction, matcher: DomainMatcher, *, mapping: Mapping | None = None) -> Extraction:
    # tables laid out with spaces (text exported from PDFs) become pipe tables first
    text, origin, notes = tabulate(decode(path.read_bytes(), extraction.file), matcher, mapping)
    for line, note in notes:
        extraction.problem(f"line {line}", note)
    return read_text(text, extraction, matcher, mapping=mapping,
                     locate=lambda n: f"line {origin[n - 1] if 0 < n <= len(origin) else n}")
