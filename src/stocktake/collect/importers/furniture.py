"""Page furniture: what a printed page carries that is not the document's text.

Used by the PDF reader (page by page) and by the text reader (text exported
from a PDF keeps its pages as form feeds, or at least its repeated headers).
:func:`clean_pages` takes the lines of each page and gives back one list of
:class:`PageLine`, with

- running headers and footers removed (lines at the top or bottom of many pages
  that are the same once their digits are ignored: "68  BEHAVIOUR CHANGE"),
- page numbers ("12", "Page 3 of 7", "- 4 -") removed,
- contents pages removed (lines ending in a page number or dot leaders on a
  page that is mostly such lines, or under a "Contents" title),
- footnote text at the bottom of a page removed when the page's text carries
  the same note numbers as markers,
- footnote markers glued to words ("the Inquiry.15 Under") removed,
- page breaks that fall inside a paragraph joined (no blank line is left
  there, so a paragraph or list item broken across pages reads as one).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,6})\s*(?:(?:of|/)\s*\d{1,4})?(?:\s*[-–—])?\s*$", re.I)
_DIGITS = re.compile(r"\d+")
_LEADER = re.compile(r"(?:\.{4,}|…{2,}|(?:\. ){4,}|_{4,})\s*\d{0,4}\s*$")
_ENDS_IN_PAGE = re.compile(r"^\s*\S.{1,160}?(?:\s{2,}|\t|\.{3,}\s*|\s)(?:\d{1,4}|[ivxlc]{1,6})\s*$")
_CONTENTS_TITLE = re.compile(r"^\s*(?:#+\s*)?(?:table of )?contents\s*$", re.I)
# A footnote at the foot of a page: "15    It should be noted …" (number, no full stop, text).
_FOOTNOTE = re.compile(r"^\s*(\d{1,3})(?:(?:\s+|\t)(?=\S)(?!\d)(.*))?$")
# A marker glued to the end of a word or sentence: "services.23 Next", "programmes23,".
_MARKER = re.compile(r"([A-Za-z][.,;:!?)\]”’\"]{1,3}|[a-z]{3})(\d{1,3})(?=\s|$|[,;:.])")
_TERMINAL = (".", "!", "?", ":", ")", "”", "\"")


@dataclass
class PageLine:
    """A line of the document's text; blank lines (``text == ""``) separate paragraphs."""

    text: str
    page: int
    index: int  # the line's position in its page's input (0-based), for locations
    style: str = ""  # "b" bold, "i" italic, "bi" both (from a PDF), "" unknown or plain


def _key(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.split())).lower()


def _edges(lines: list[str], depth: int) -> list[int]:
    """Indices of the first and last ``depth`` non-blank lines of a page."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:depth] + filled[-depth:]))


def running_lines(pages: list[list[str]], depth: int = 3) -> set[str]:
    """Keys (digits ignored) of lines at the top or bottom of many pages.

    A line whose numbers change ("68  BEHAVIOUR CHANGE") is running only when its number
    moves with the page (a printed page number), so "Recommendation 12" at the top of
    many pages is not taken for a header."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    offsets: dict[str, Counter[int]] = {}
    constant: dict[str, Counter[tuple]] = {}
    middle: Counter[str] = Counter()
    for number, lines in enumerate(pages):
        seen = set()
        edges = _edges(lines, depth)
        middle.update(_key(line) for i, line in enumerate(lines) if line.strip() and i not in edges)
        for i in edges:
            key = _key(lines[i])
            if key in seen:
                continue
            seen.add(key)
            counts[key] += 1
            digits = _DIGITS.findall(lines[i])
            if digits:
                offsets.setdefault(key, Counter())[int(digits[0]) - number] += 1
                constant.setdefault(key, Counter())[tuple(digits)] += 1
    need = max(3, int(0.25 * len(pages)))
    running = set()
    for key, count in counts.items():
        if count < need or len(key) > 160 or middle[key] > 0.2 * count:
            continue  # rare, long, or as often inside pages: the document's own text
        if key in offsets and offsets[key].most_common(1)[0][1] < 0.5 * count \
                and constant[key].most_common(1)[0][1] < 0.5 * count:
            continue  # numbers that neither follow the page nor stay the same
        running.add(key)
    return running


def is_contents_page(lines: list[str]) -> bool:
    filled = [line for line in lines if line.strip()]
    if not filled:
        return False
    if any(_CONTENTS_TITLE.match(line) for line in filled[:6]):
        return True
    entries = sum(1 for line in filled if _LEADER.search(line) or _ENDS_IN_PAGE.match(line.rstrip())
                  and not _PAGE_NUMBER.match(line))
    return len(filled) >= 6 and entries >= 0.5 * len(filled)


def strip_markers(text: str, notes: set[str] = frozenset()) -> str:
    """The text without footnote markers glued to its words, nor (``notes``: the numbers of the
    page's footnotes) set apart after a sentence ("revenue. 341")."""
    text = _MARKER.sub(r"\1", text)
    if notes:
        text = re.sub(r"(?<=[.,;:!?)\]”’\"]) (\d{1,3})(?=\s|$)",
                      lambda m: "" if m[1] in notes else m[0], text)
    return text


def _marker_of(number: str) -> re.Pattern:
    return re.compile(rf"(?:[A-Za-z][.,;:!?)\]”’\"]{{1,3}} ?|[a-z]{{3}}){number}(?=\s|$|[,;:.])")


def _footnotes(lines: list[str]) -> tuple[int, set[str]]:
    """Where the footnotes at the foot of a page begin (``len(lines)`` if there are none), and
    their numbers.

    A footnote block is a run of lines at the end of the page whose numbered lines
    ("15  It should …") carry numbers that also appear as markers in the text above;
    a note may run on over a few unnumbered lines.
    """
    begin, pending, numbers = len(lines), 0, set()
    for i in range(len(lines) - 1, -1, -1):
        if not lines[i].strip():
            continue
        match = _FOOTNOTE.match(lines[i])
        if match and _marker_of(match[1]).search(" ".join(lines[:i])):
            begin, pending = i, 0
            numbers.add(match[1])
            continue
        pending += 1
        if pending > 4:
            break
    return begin, numbers


_OPENS = re.compile(r"^(?:#|(?:recommendation|chapter|section|part|appendix|annex)\b|\d{1,3}(?:\.\d{1,3})*[.)]?\s"
                    r"|[A-Z][^.!?]{0,80}$)", re.I)


def _opens(text: str) -> bool:
    """Whether a page's first line starts something new (a heading, a numbered item)."""
    return bool(_OPENS.match(text)) and len(text.split()) <= 12


def _unfinished(text: str) -> bool:
    return not text.rstrip().endswith(_TERMINAL)


def clean_pages(pages: list[list[str]], styles: list[list[str]] | None = None) -> list[PageLine]:
    """The document's lines, furniture removed and pages joined (see the module's docstring)."""
    running = running_lines(pages)
    out: list[PageLine] = []
    in_contents = False
    for number, lines in enumerate(pages, start=1):
        page_styles = styles[number - 1] if styles else [""] * len(lines)
        edges = set(_edges(lines, 3))
        outer = set(_edges(lines, 1))
        contents = is_contents_page(lines)
        if contents and any(_CONTENTS_TITLE.match(line) for line in lines):
            in_contents = True
        elif not contents:
            in_contents = False
        keep: list[int] = []
        for i, line in enumerate(lines):
            text = line.rstrip()
            if not text.strip():
                keep.append(i)
                continue
            if i in edges and _key(text) in running or i in outer and _PAGE_NUMBER.match(text):
                continue
            if (contents or in_contents) and (_LEADER.search(text) or _ENDS_IN_PAGE.match(text)
                                              or _CONTENTS_TITLE.match(text)):
                continue
            if _LEADER.search(text):
                continue
            keep.append(i)
        kept_lines = [lines[i] if lines[i].strip() else "" for i in keep]
        cut, notes = _footnotes(kept_lines)
        keep = keep[:cut]
        # trim blank lines at the page's edges
        while keep and not lines[keep[0]].strip():
            keep.pop(0)
        while keep and not lines[keep[-1]].strip():
            keep.pop()
        if not keep:
            continue
        first = lines[keep[0]].strip()
        if out and out[-1].text and not first[:1].islower() and (
                not _unfinished(out[-1].text) or _opens(first)):
            out.append(PageLine("", number, keep[0]))  # a page that ends a sentence ends a paragraph
        for i in keep:
            text = strip_markers(lines[i].rstrip(), notes) if lines[i].strip() else ""
            out.append(PageLine(text, number, i, page_styles[i] if i < len(page_styles) else ""))
    return out


def split_text_pages(text: str) -> list[list[str]]:
    """A text's pages: split at form feeds (as ``pdftotext`` writes them)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [page.split("\n") for page in pages]
