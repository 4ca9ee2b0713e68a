"""Plain text, Markdown and text copied out of PDFs: headings and lists recognised by shape.

Page furniture is dropped: page numbers ("Page 3 of 7"), contents lines with dot
leaders, embedded-file captions and short lines repeated on many pages (running
headers and footers). Numbered headings ("2.1 Governance") nest by their dots.
Lines separated by tabs, or Markdown pipe tables, become tables.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from stocktake.collect.importers.assemble import Assembler
from stocktake.collect.importers.blocks import BULLET, HEADING, PARAGRAPH, TABLE, Block, metadata
from stocktake.collect.importers.errors import CorruptFile
from stocktake.collect.importers.matching import DomainMatcher, match_section
from stocktake.collect.importers.model import Extraction
from stocktake.collect.importers.segment import clean, strip_bullet

FORMAT = "text"
SUFFIXES = (".txt", ".text", ".md", ".markdown")

_PAGE = re.compile(r"^\s*(?:-\s*)?(?:page\s+)?\d{1,4}\s*(?:(?:of|/)\s*\d{1,4})?(?:\s*-)?\s*$", re.I)
_LEADER = re.compile(r"(?:\.{4,}|…{2,}|(?:\. ){4,})\s*\d{0,4}\s*$")
_CAPTION = re.compile(r"^\s*\[?(?:embedded (?:file|object|document)|attachment|see attached|"
                      r"figure \d+|image)\b.*\]?\s*$", re.I)
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
            or _RULE.match(text) or text in self.furniture
        )


def blocks(text: str, matcher: DomainMatcher) -> list[Block]:
    lines = [line.replace("\f", " ") for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    shape = _Lines(lines, matcher)
    result: list[Block] = []
    current: Block | None = None  # paragraph or bullet being continued
    table: Block | None = None

    def close() -> None:
        nonlocal current, table
        current, table = None, None

    after_break = True  # the previous line was blank (or a heading): headings may start here
    pending_break = across_page = False
    for number, raw in enumerate(lines, start=1):
        text = clean(raw)
        if not text:
            pending_break = after_break = True
            continue
        if shape.is_furniture(text):
            across_page = True  # furniture does not end a paragraph broken across pages
            continue
        if pending_break:
            unfinished = current is not None and not current.text.endswith((".", "!", "?", ":"))
            if not (across_page and unfinished):
                close()
        pending_break = across_page = False
        fresh, after_break = after_break, False
        where = f"line {number}"
        if "\t" in raw.strip() or _MD_TABLE.match(raw):
            if _MD_SEPARATOR.match(raw):
                continue
            cells = [c.strip() for c in (raw.strip().strip("|").split("|") if _MD_TABLE.match(raw)
                                         else raw.rstrip("\n").split("\t"))]
            if sum(1 for c in cells if c) >= 2 or table is not None:
                if table is None:
                    current = None
                    table = Block(TABLE, location=where)
                    result.append(table)
                table.rows.append(cells)
                table.row_locations.append(where)
                continue
        table = None
        md = _MD_HEADING.match(text)
        numbered = _NUMBERED.match(text)
        is_bullet, body = strip_bullet(text)
        if md:
            result.append(Block(HEADING, md.group(2), level=len(md.group(1)), location=where))
            current, after_break = None, True
            continue
        if numbered and "." in numbered.group(1) and len(numbered.group(2).split()) <= 12 \
                and not numbered.group(2).endswith((".", ";", ",")):
            level = numbered.group(1).count(".") + 1
            result.append(Block(HEADING, numbered.group(2), level=level, location=where))
            current, after_break = None, True
            continue
        if numbered and (_is_heading_like(numbered.group(2), matcher) or (
                len(numbered.group(2).split()) <= 6 and numbered.group(2)[:1].isupper()
                and not numbered.group(2).endswith((".", ";", ",", ":")) and not is_bullet)):
            result.append(Block(HEADING, numbered.group(2), level=1, location=where))
            current, after_break = None, True
            continue
        if metadata(text):
            result.append(Block(PARAGRAPH, text, location=where))
            current = None
            continue
        if not is_bullet and (_caps(text) or (fresh and _is_heading_like(text.rstrip(":"), matcher))
                              or (text.endswith(":") and len(text.split()) <= 8)):
            level = 1 if _caps(text) else (2 if matcher.match(text.rstrip(":")) else 3)
            result.append(Block(HEADING, text.rstrip(":"), level=level, location=where))
            current, after_break = None, True
            continue
        if not result and len(text.split()) <= 16:
            result.append(Block(HEADING, text, level=1, location=where))  # the title
            continue
        if is_bullet:
            marker = re.match(r"^\s*\(?(\d{1,3})[.)]", text)
            current = Block(BULLET, body, location=where, number=int(marker[1]) if marker else None)
            result.append(current)
            continue
        if current is not None:
            joined = current.text[:-1] if re.search(r"[a-z]-$", current.text) and text[:1].islower() \
                else current.text + " "
            current.text = joined + text
            continue
        current = Block(PARAGRAPH, text, location=where)
        result.append(current)
    return result


def read_text(text: str, extraction: Extraction, matcher: DomainMatcher) -> Extraction:
    assembler = Assembler(extraction, matcher)
    for block in blocks(text, matcher):
        assembler.feed(block)
    return assembler.finish()


def read(path: Path, extraction: Extraction, matcher: DomainMatcher) -> Extraction:
    return read_text(decode(path.read_bytes(), extraction.file), extraction, matcher)
