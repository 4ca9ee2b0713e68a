"""A Word document's paragraphs as the lines :mod:`.reports` reads (:class:`~.furniture.PageLine`).

The text and PDF readers hand :func:`.reports.apply` the document's lines; a
Word document gives the same shape here, one line a paragraph with a blank line
after it:

- a heading (a "Heading N" or "Title" style, or an outline level set on the
  paragraph or its style) is marked ``#`` × level, as Markdown;
- an auto-numbered paragraph gets the number Word prints before it, rebuilt
  from ``word/numbering.xml`` (:class:`Numbering`: the level's ``start``,
  ``numFmt`` and ``lvlText``, counted through the document, a list's
  ``startOverride`` restarting it), so "1.", "2a)", "R3" or "Recommendation 4"
  read as typed; bullets get no number;
- bold or italic when all its text is set so (:attr:`PageLine.style` "b", "i");
- the contents list (TOC styles, or the entries under a "Contents" title that
  end in a page number) is left out;
- tables are left out: the table engine reads them (:mod:`.tables`).

A paragraph's line index is its position among the body's paragraphs and tables
(page 0), so locations read "line N"; :func:`relabel` says "paragraph N" instead.
"""

from __future__ import annotations

import re

from stocktake.collect.importers.furniture import PageLine
from stocktake.collect.importers.segment import clean

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^heading\s*(\d)", re.I)
_CONTENTS_TITLE = re.compile(r"^\s*(?:table of )?contents\s*$", re.I)
_CONTENTS_ENTRY = re.compile(r"(?:\t|\.{3,}|…{2,}|\s{2,})\s*(?:\d{1,4}|[ivxlc]{1,6})\s*$")
_CUE = re.compile(r"recommend", re.I)


def looks_like_report(texts) -> bool:
    """Whether a document's text speaks of recommendations at all (only then are its lines
    read for them: a submission that never says "recommend" costs nothing more)."""
    return any(_CUE.search(text) for text in texts)


def _val(element, tag: str) -> str | None:
    found = element.find(f"{_W}{tag}") if element is not None else None
    return found.get(f"{_W}val") if found is not None else None


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while number >= value:
            out, number = out + letters, number - value
    return out


def _letter(number: int) -> str:
    # Word: a … z, then aa … zz, aaa …
    if number < 1:
        return str(number)
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def format_number(number: int, fmt: str) -> str:
    """A counter as a level's ``numFmt`` prints it."""
    if fmt == "lowerLetter":
        return _letter(number)
    if fmt == "upperLetter":
        return _letter(number).upper()
    if fmt == "lowerRoman":
        return _roman(number)
    if fmt == "upperRoman":
        return _roman(number).upper()
    if fmt == "decimalZero":
        return f"{number:02d}"
    return str(number)  # decimal and the formats not worth spelling out


class _Level:
    __slots__ = ("start", "fmt", "text")

    def __init__(self, element):
        self.start = _int(_val(element, "start"), 1)
        self.fmt = _val(element, "numFmt") or "decimal"
        self.text = _val(element, "lvlText")
        if self.text is None:
            self.text = ""


class Numbering:
    """The numbers Word prints before auto-numbered paragraphs, counted in document order."""

    def __init__(self, element, styles: dict[str, dict]):
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.style_levels: dict[tuple[str, str], int] = {}  # (abstractNumId, styleId) → the level it numbers
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstractNumId, start overrides)
        self.styles = styles
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        if element is None:
            return
        links: dict[str, str] = {}
        defined: dict[str, str] = {}
        for abstract in element.findall(f"{_W}abstractNum"):
            levels = {}
            abstract_id = abstract.get(f"{_W}abstractNumId") or ""
            for lvl in abstract.findall(f"{_W}lvl"):
                level = _int(lvl.get(f"{_W}ilvl"), 0)
                levels[level] = _Level(lvl)
                linked = _val(lvl, "pStyle")
                if linked:  # "Heading 2" numbered by level 1 of the headings' list
                    self.style_levels[(abstract_id, linked)] = level
            self.abstract[abstract_id] = levels
            link = _val(abstract, "numStyleLink")
            if link and not levels:
                links[abstract_id] = link  # its levels are those of the list that defines the style
            defines = _val(abstract, "styleLink")
            if defines:
                defined[defines] = abstract_id
        for abstract_id, link in links.items():
            if link in defined:
                self.abstract[abstract_id] = self.abstract[defined[link]]
        for num in element.findall(f"{_W}num"):
            overrides = {}
            for override in num.findall(f"{_W}lvlOverride"):
                start = _int(_val(override, "startOverride"))
                if start is not None:
                    overrides[_int(override.get(f"{_W}ilvl"), 0)] = start
            self.nums[num.get(f"{_W}numId") or ""] = (_val(num, "abstractNumId") or "", overrides)

    def _num_pr(self, ppr, style_id: str | None) -> tuple[str, int] | None:
        direct = ppr.find(f"{_W}numPr") if ppr is not None else None
        num_id = _val(direct, "numId") if direct is not None else None
        ilvl = _int(_val(direct, "ilvl")) if direct is not None else None
        if num_id is None or ilvl is None:
            inherited = _style_value(self.styles, style_id, "num")
            if inherited:
                num_id = num_id if num_id is not None else inherited[0]
                ilvl = ilvl if ilvl is not None else inherited[1]
        if num_id is None or num_id == "0":
            return None
        if ilvl is None and style_id and num_id in self.nums:
            ilvl = self.style_levels.get((self.nums[num_id][0], style_id))
        return num_id, ilvl or 0

    def label(self, ppr, style_id: str | None) -> str | None:
        """The printed number of a paragraph ("1.", "2a)", "R3"), or None (not numbered, a bullet)."""
        found = self._num_pr(ppr, style_id)
        if found is None or found[0] not in self.nums:
            return None
        num_id, ilvl = found
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id)
        if not levels or ilvl not in levels:
            return None
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for level, start in overrides.items():  # "restart numbering": a list of its own
                counters[level] = start - 1
                for deeper in [k for k in counters if k > level]:
                    del counters[deeper]
        level = levels[ilvl]
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level.fmt in ("bullet", "none") or not level.text:
            return None

        def number(match: re.Match) -> str:
            index = int(match[1]) - 1
            shown = levels.get(index)
            value = counters.get(index, shown.start if shown else 1)
            return format_number(value, shown.fmt if shown else "decimal")

        return clean(re.sub(r"%([1-9])", number, level.text)) or None


def style_table(styles_element) -> dict[str, dict]:
    """Paragraph styles by id: name, based-on, numbering, outline level, bold, italic."""
    table: dict[str, dict] = {}
    if styles_element is None:
        return table
    for style in styles_element.findall(f"{_W}style"):
        if style.get(f"{_W}type") not in (None, "paragraph"):
            continue
        entry: dict = {"based": _val(style, "basedOn")}
        ppr = style.find(f"{_W}pPr")
        if ppr is not None:
            num = ppr.find(f"{_W}numPr")
            if num is not None:
                entry["num"] = (_val(num, "numId"), _int(_val(num, "ilvl")))
            outline = _int(_val(ppr, "outlineLvl"))
            if outline is not None:
                entry["outline"] = outline
        rpr = style.find(f"{_W}rPr")
        if rpr is not None:
            for tag, key in (("b", "bold"), ("i", "italic")):
                found = rpr.find(f"{_W}{tag}")
                if found is not None:
                    entry[key] = found.get(f"{_W}val") not in ("0", "false", "off")
        table[style.get(f"{_W}styleId") or ""] = entry
    return table


def _style_value(styles: dict[str, dict], style_id: str | None, key: str):
    seen = set()
    while style_id and style_id in styles and style_id not in seen:
        seen.add(style_id)
        if key in styles[style_id]:
            value = styles[style_id][key]
            return value
        style_id = styles[style_id].get("based")
    return None


def _style_id(paragraph) -> str | None:
    ppr = paragraph._p.pPr
    return _val(ppr, "pStyle") if ppr is not None else None


def _look(paragraph, styles: dict[str, dict], style_id: str | None) -> str:
    """"b", "i", "bi" or "": how all the paragraph's text is set (run or paragraph style)."""
    runs = [run for run in paragraph.runs if run.text.strip()]
    if not runs:
        return ""
    marks = ""
    for attribute, key, mark in (("bold", "bold", "b"), ("italic", "italic", "i")):
        inherited = bool(_style_value(styles, style_id, key))
        if all(getattr(run, attribute) is True or getattr(run, attribute) is None and inherited
               for run in runs):
            marks += mark
    return marks


def lines(items, style_names, styles_element, numbering_element) -> list[PageLine]:
    """The lines of a document's body: ``items`` are its paragraphs (python-docx ``Paragraph``)
    and ``None`` where a table stands; ``style_names(paragraph)`` gives a paragraph's style name."""
    styles = style_table(styles_element)
    numbering = Numbering(numbering_element, styles)
    out: list[PageLine] = []
    in_contents = False
    for index, paragraph in enumerate(items):
        if paragraph is None:  # a table: the table engine reads it
            in_contents = False
            continue
        style_id = _style_id(paragraph)
        name = style_names(paragraph)
        label = numbering.label(paragraph._p.pPr, style_id)  # counted even if left out below
        raw = paragraph.text
        text = clean(raw)
        if not text and not label:
            continue
        lowered = name.lower()
        if lowered.startswith("toc"):  # "TOC 1", "TOC Heading": Word's own contents
            continue
        if _CONTENTS_TITLE.match(text):
            in_contents = True
            continue
        if in_contents:
            if _CONTENTS_ENTRY.search(raw.rstrip()):
                continue
            in_contents = False
        heading = _HEADING_STYLE.match(name)
        level = int(heading[1]) if heading else (1 if lowered == "title" else 2 if lowered == "subtitle"
                                                 else 0)
        if not level:
            ppr = paragraph._p.pPr
            outline = _int(_val(ppr, "outlineLvl")) if ppr is not None else None
            if outline is None:
                outline = _style_value(styles, style_id, "outline")
            if outline is not None and 0 <= outline < 9:
                level = outline + 1
        if label:
            text = f"{label} {text}".strip()  # a heading that is only its number: "Recommendation 4"
        if level:
            text = f"{'#' * min(level, 6)} {text}"
        out.append(PageLine(text, 0, index, "" if level else _look(paragraph, styles, style_id)))
        out.append(PageLine("", 0, index))
    return out


def relabel(extraction) -> None:
    """Locations of what :mod:`.reports` found, as a Word document's paragraphs."""
    for found in (*extraction.recommendations, *extraction.responses):
        found.location = re.sub(r"^line (\d+)", r"paragraph \1", found.location)
