"""Numbered recommendations in reports, each counted once, each under its section heading.

Works on the document's lines with page furniture already removed
(:mod:`.furniture`). The lines become paragraphs, headings and numbered items
(``1.``, ``1)``, ``R1``, ``Recommendation 1:``, ``8.12``, ``2a``); lettered and
roman sub-items (``a)``, ``(iii)``) stay with the item above them.

Where recommendations are found:

- a *list*: numbered items under a heading naming recommendations
  ("Recommendations", "Summary of recommendations", "Chapter 8: Conclusions and
  recommendations"), or after a sentence ending "we recommend:";
- *labelled* paragraphs: "Recommendation 3: …", "R3 …".

Lists whose numbering runs on make one series (recommendations 1–2 in one
chapter, 3–5 in the next). The best series is kept: a list of recommendations
before a chapter of "conclusions and recommendations" before the numbered
items after "I recommend:" in the narrative. Lower-ranked series that repeat
it (a summary restating the body) are matched to it, not added. Where the kept
one's section is only the document's title or a summary's heading, the body's
restatement gives its section heading and location (a numbered heading over
prose, "1. Working across the system", is a section, not an item). Numbered paragraphs of the
narrative (2.99, 8.12 where every paragraph is numbered) are therefore never
recommendations unless they are in such a list.

A "conclusions and recommendations" list that mixes conclusions with
recommendations keeps only the recommendations: the items set in italics
where the PDF marks them so, otherwise the items that recommend ("should",
"we recommend", "must" …) when fewer than 60% do. They are then numbered in
order (1, 2, …), as responses to such reports number them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stocktake.collect.importers.furniture import PageLine
from stocktake.collect.importers.matching import clean_heading
from stocktake.collect.importers.model import ExtractedRecommendation
from stocktake.collect.importers.segment import clean

# "Recommendation 12: text", "Recommendation 4a –", "R3 text", "Rec 2."
_LABELLED = re.compile(
    r"^(?:#+\s*)?(?:recommendation|rec\.?)\s+(?P<label>R?\d{1,3}(?:\.\d{1,3})*[a-z]?)\b"
    r"(?:\s*[.:)]\s*|\s*[–—-]\s+|\s+(?=[A-Z“\"‘(])|\s*$)(?P<body>.*)$", re.I)
_R_LABEL = re.compile(r"^(?P<label>R\d{1,3}[a-z]?)(?:[.:)]\s*|\s+)(?P<body>\S.*)$")
# "1. text", "1) text", "8.12 text", "8.12. text", "2a) text", "12.   text"
_NUMBERED = re.compile(
    r"^(?P<label>\d{1,3}(?:\.\d{1,3}){0,2}[a-z]?)(?:(?P<punct>[.)])\s*|\s{2,}|\t+|\s(?=\S))"
    r"(?P<body>[\w“\"‘(\[•].*)$")
_BARE_LABEL = re.compile(r"^(?:(?:R|Recommendation\s+)?\d{1,3}[a-z]?[.):]|\d{1,2}\.\d{1,3}\.?|R\d{1,3})$", re.I)
_SUB = re.compile(r"^\(?(?:[a-z]|[ivx]{1,5})[.)]\s+\S")
_HEADING_WORDS = 12
_RECS_TITLE = re.compile(
    r"\b(?:recommendations?|what (?:we|should) (?:recommend|happen next))\b", re.I)
_CONCLUSIONS = re.compile(r"\bconclusions?\b|\bfindings\b", re.I)
_INTRO = re.compile(r"\b(?:I|we|the (?:review|inquiry|committee|panel))\s+(?:therefore\s+|further\s+|also\s+)?"
                    r"recommends?(?:\s+that)?\s*:\s*$|\brecommendations?(?: are| is)?\s*:\s*$", re.I)
_CHAPTER = re.compile(r"^(?:chapter|part|section|appendix|annex|annexe|schedule|glossary|references|"
                      r"bibliography|endnotes|list of|abbreviations)\b", re.I)
_CUE = re.compile(
    r"\b(?:should|shall|must|ought to|recommends?|recommended|urges?|encourages?|calls? on|invites?|"
    r"needs? to|will need to|it is (?:essential|important|vital|crucial|imperative)|"
    r"we (?:ask|expect|want|would like)|(?:is|are) (?:required|expected) to)\b", re.I)
_QUOTED = re.compile(r"^[“\"‘]")


def label_key(label: str) -> tuple:
    """A label's parts, for following a sequence: "8.12" → (8, 12), "2a" → (2, "a")."""
    parts: list = []
    for piece in re.findall(r"\d+|[a-z]", label.lower().lstrip("r")):
        parts.append(int(piece) if piece.isdigit() else piece)
    return tuple(parts)


def follows(previous: str | None, label: str) -> bool:
    """Whether ``label`` comes next after ``previous`` in a numbering (None: a list's start)."""
    key = label_key(label)
    if not key or not isinstance(key[0], int):
        return False
    if previous is None:
        return key[-1] in (1, "a") or len(key) == 1 and key[0] == 1
    last = label_key(previous)
    if not last:
        return False
    if len(key) == len(last) and key[:-1] == last[:-1]:
        if isinstance(key[-1], int) and isinstance(last[-1], int):
            return key[-1] == last[-1] + 1
        if isinstance(key[-1], str) and isinstance(last[-1], str):
            return ord(key[-1]) == ord(last[-1]) + 1
    if isinstance(key[-1], str) and len(key) == len(last) + 1 and key[:-1] == last and key[-1] == "a":
        return True  # 2 → 2a
    if isinstance(last[-1], str) and len(key) + 1 == len(last) and isinstance(key[-1], int):
        return key[-1] == last[-2] + 1  # 2b → 3
    if len(key) == len(last) == 2 and key[0] == last[0] + 1 and key[1] == 1:
        return True  # 4.9 → 5.1
    return False


@dataclass
class Para:
    kind: str  # "heading", "item", "para"
    text: str
    page: int
    line: int
    label: str = ""
    labelled: bool = False  # "Recommendation 3" / "R3": names itself a recommendation
    style: str = ""
    level: int = 0  # markdown heading level when known
    lines: int = 1

    def lines_so_far(self, buffer: list) -> int:
        return len(buffer)

    @property
    def location(self) -> str:
        return f"page {self.page}, line {self.line + 1}" if self.page else f"line {self.line + 1}"


def _style(lines: list[PageLine]) -> str:
    styles = [line.style for line in lines if line.text.strip()]
    if not styles:
        return ""
    bold = sum("b" in s for s in styles) > len(styles) / 2
    italic = sum("i" in s for s in styles) > len(styles) / 2
    return ("b" if bold else "") + ("i" if italic else "")


_OPEN_END = {"the", "a", "an", "of", "and", "or", "to", "in", "on", "for", "with", "by", "that", "which",
             "as", "at", "from", "be", "is", "are", "was", "were", "their", "its", "our", "this", "these", "but"}


def _heading_like(text: str) -> bool:
    words = text.split()
    return (0 < len(words) <= _HEADING_WORDS and words[-1].lower() not in _OPEN_END
            and not re.search(r"[.!?]\s", re.sub(r"^(?:\d{1,3}(?:\.\d{1,3})*|[A-Za-z])[.)]?\s+", "", text))
            and not re.search(r"\(paragraphs? [\d.]+\)$", text, re.I)
            and not text.rstrip().endswith((".", ";", ",", ":", "?", "(", "-", "–", "—", "/", "&"))
            and (text[:1].isupper() or text[:1].isdigit()) and not _QUOTED.match(text)
            and sum(w[:1].isalpha() for w in words) >= 1)


def _start(text: str) -> tuple[str, str, bool] | None:
    """(label, rest, labelled) when the line starts a numbered item."""
    match = _LABELLED.match(text)
    if match:
        return match["label"], match["body"], True
    match = _R_LABEL.match(text)
    if match:
        return match["label"], match["body"], True
    match = _NUMBERED.match(text)
    if match:
        inner = _LABELLED.match(match["body"]) or _R_LABEL.match(match["body"])
        if inner:  # "2.99 Recommendation 4: …": the paragraph number does not hide the label
            return inner["label"], inner["body"], True
        label = match["label"]
        if not match["punct"] and "." not in label and not re.match(r"^\d{1,3}[a-z]?(?:\s{2,}|\t)", text):
            return None  # "100 staff attended …": a number starting a sentence
        if re.fullmatch(r"\d{4}", label.split(".")[0]):
            return None
        return label, match["body"], False
    return None


def paragraphs(lines: list[PageLine]) -> list[Para]:
    """Headings, numbered items and paragraphs of a document's lines."""
    out: list[Para] = []
    buffer: list[PageLine] = []
    current: Para | None = None

    def flush() -> None:
        nonlocal current, buffer
        if current is not None and buffer:
            current.text = _join([l.text for l in buffer])
            if current.kind == "heading" and (len(current.text.split()) > 20 or (
                    len(buffer) > 1 and current.text.endswith((".", "!", "?")))):
                # a paragraph whose first line looked like a heading: a long one, or a
                # sentence wrapped onto a short last line ("… every" / "quarter.")
                current.kind = "para"
            current.style = _style(buffer)
            current.lines = len(buffer)
            out.append(current)
        current, buffer = None, []

    previous_text = ""

    def next_starts(index: int) -> bool:
        """Whether the line after ``index`` is blank, or starts a numbered item or a heading."""
        following = clean(lines[index + 1].text) if index + 1 < len(lines) else ""
        return not following or bool(_start(following)) or following.startswith("#")

    def next_plain(index: int) -> bool:
        """Whether the line after ``index`` does not continue it (lowercase) — so it was a heading."""
        following = clean(lines[index + 1].text) if index + 1 < len(lines) else ""
        return not following[:1].islower()

    pending: str | None = None  # a number on a line of its own ("1." then the text below it)
    for position, line in enumerate(lines):
        raw = line.text
        text = clean(raw)
        if not text:
            if pending is None:
                flush()
                previous_text = ""
            continue
        if _BARE_LABEL.match(text) and (previous_text == "" or previous_text.endswith(
                (".", "!", "?", ":", ";", ")", "”")) or _heading_like(previous_text)):
            flush()
            pending, previous_text = text, ""
            continue
        if pending is not None:
            text, raw, pending = f"{pending} {text}", f"{pending} {raw.strip()}", None
            line = PageLine(raw, line.page, line.index, line.style)
        md = re.match(r"^(#{1,6})\s+(.*)$", text)
        if md:
            flush()
            out.append(Para("heading", md[2], line.page, line.index, style=line.style, level=len(md[1])))
            previous_text = md[2]
            continue
        start = _start(text)
        after_end = not previous_text or previous_text.endswith((".", "!", "?", ":", ";", ")", "”", "\"")) \
            or (current is not None and current.kind == "heading") \
            or (current is None and bool(out) and out[-1].kind == "heading" and previous_text) \
            or (_heading_like(previous_text) and len(previous_text.split()) <= 8 and current is not None
                and current.lines_so_far(buffer) == 1)
        if start and after_end and not (current is not None and current.kind == "heading"
                                                      and text[:1].islower()):
            label, rest, labelled = start
            flush()
            if not labelled and ("." in label or rest.isupper()) and _heading_like(rest) \
                    and len(rest.split()) <= 8 and next_plain(position):
                out.append(Para("heading", text, line.page, line.index, style=line.style))
                previous_text = text
                continue
            current = Para("item", "", line.page, line.index, label=label, labelled=labelled)
            buffer = [PageLine(rest, line.page, line.index, line.style)]
            previous_text = text
            continue
        if current is None and out and out[-1].kind == "heading" and previous_text == out[-1].text \
                and out[-1].text.isupper() and text.isupper() and _heading_like(text):
            out[-1].text = f"{out[-1].text} {text}"  # a capitalised heading over two lines
            previous_text = out[-1].text
            continue
        if current is not None and current.kind == "heading" and (text[:1].islower() or text[:1] == "("):
            buffer.append(line)  # a heading over two lines
            previous_text = text
            continue
        if after_end and _heading_like(text) and not _SUB.match(text) and (
                not previous_text or next_starts(position) or text.isupper()):
            flush()
            current = Para("heading", "", line.page, line.index)
            buffer = [line]
            previous_text = text
            continue
        if current is None or current.kind == "heading":
            flush()
            current = Para("para", "", line.page, line.index)
        buffer.append(line)
        previous_text = text
    flush()
    return out


def _join(texts: list[str]) -> str:
    out = ""
    for text in texts:
        text = clean(text)
        if not text:
            continue
        if out.endswith("-") and re.search(r"[a-z]-$", out) and text[:1].islower():
            out = out[:-1] + text
        else:
            out = f"{out} {text}" if out else text
    return out


@dataclass
class Item:
    label: str
    text: str
    section: str
    location: str
    style: str = ""
    printed: str = ""  # the number printed, when the label was renumbered
    weak: bool = False  # its section is only the document's title or a summary's heading


@dataclass
class Region:
    kind: str  # "list" (titled recommendations), "cr" (conclusions and recommendations), "intro", "labelled"
    title: str
    level: int = 0
    items: list[Item] = field(default_factory=list)


_RANK = {"list": 3, "labelled": 3, "cr": 2, "intro": 1}


def _is_region_title(text: str) -> str | None:
    """The kind of list a heading opens, if it names recommendations."""
    plain = re.sub(r"^(?:(?:chapter|part|section)\s+[\dA-Z]{1,4}|\d{1,2}(?:\.\d{1,2})*)[.:)]?\s+", "",
                   text, flags=re.I) or text
    if not _RECS_TITLE.search(plain) or len(plain.split()) > 12:
        return None
    if re.search(r"\b(?:response|progress|implementation|update)\b", plain, re.I) and not re.match(
            r"^(?:summary of |list of |our |key )?recommendations?\b", plain, re.I):
        return None
    squeezed = plain.replace(" ", "")  # "CO NCLUSIONS": letter-spaced capitals in a PDF
    return "cr" if _CONCLUSIONS.search(plain) or re.search(r"conclusions?and", squeezed, re.I) else "list"


class _Regions:
    def __init__(self, paras: list[Para]):
        self.paras = paras
        self.regions: list[Region] = []
        self.heading = ""  # the latest heading outside any list
        self.open: Region | None = None
        self.sub = ""  # the latest heading inside the open list
        self.last_label: str | None = None
        self.narrative = 0
        self.restart = False
        self.body_headings: list[tuple[int, str]] = []
        self.title = paras[0].text if paras and paras[0].kind == "heading" else ""

    def run(self) -> list[Region]:
        for index, para in enumerate(self.paras):
            self.step(index, para)
        return [r for r in self.regions if r.items]

    def _section_number(self, index: int, para: Para) -> bool:
        """ "1. Working across the system" over prose: a numbered section heading, not an item —
        short, recommending nothing, not continuing an open list's numbering, and followed by a
        paragraph rather than the next item."""
        following = self.paras[index + 1] if index + 1 < len(self.paras) else None
        return (para.lines == 1 and _heading_like(para.text) and len(para.text.split()) <= 8
                and not _CUE.search(para.text) and following is not None and following.kind == "para"
                and not (self.open is not None and self.open.kind != "labelled"
                         and follows(self.last_label, para.label)))

    def close(self) -> None:
        self.open, self.sub, self.last_label, self.narrative, self.restart = None, "", None, 0, False

    def step(self, index: int, para: Para) -> None:
        if self.open is not None and self.open.items and not self.open.items[-1].text \
                and para.kind in ("para", "heading"):
            self.open.items[-1].text = para.text  # "Recommendation 1" on a line, its text below
            return
        if para.kind == "heading" or (para.kind == "item" and not para.labelled and (
                _numbered_heading(para) or self._section_number(index, para))):
            text = para.text if para.kind == "heading" else para.text
            kind = _is_region_title(text)
            if kind:
                self.close()
                if text.isupper() or para.kind == "item" or _CHAPTER.match(text):
                    self.heading = ""  # a chapter of its own: the heading before is no parent
                self.open = Region(kind, clean(text), para.level)
                self.regions.append(self.open)
                return
            numbered = bool(re.match(r"^\d{1,2}(?:\.\d{1,2})*\.?\s", text))
            if self.open is not None and not _CHAPTER.match(text) and not (
                    para.level and self.open.level and para.level <= self.open.level) and not (
                    numbered and not re.match(r"^\d", self.open.title)) and not (
                    para.kind == "item" and not follows(self.last_label, para.label)) and not (
                    text.isupper() and len(text) > 3 and self.open.items):
                self.sub = text
                self.restart = True  # numbering may start afresh under a sub-heading
                return
            self.close()
            self.heading = text
            return
        if para.kind == "item":
            if self.open is not None and (follows(self.last_label, para.label) or (
                    self.last_label is None or self.restart and self.open.kind in ("list", "cr"))
                    and (para.labelled or self.open.kind != "labelled")):
                self._add(self.open, para)
                return
            if self.open is not None and self.open.items and _SUB_LABEL.match(para.label):
                self._append(para)
                return
            if para.labelled and not _QUOTED.match(para.text):
                self.close()
                region = Region("labelled", "")
                self.regions.append(region)
                self._add(region, para)
                self.open = region if region.kind == "labelled" else None
                return
            if self.open is not None:
                self.narrative += 1
                if self.narrative > 1 or self.open.items:
                    self.close()
            if _INTRO.search(para.text):
                self.close()
                self.open = Region("intro", "")
                self.regions.append(self.open)
            return
        # a paragraph
        if _INTRO.search(para.text):
            self.close()
            self.open = Region("intro", "")
            self.regions.append(self.open)
            return
        if self.open is not None:
            if self.open.items and _SUB.match(para.text):
                self._append(para)
                return
            self.narrative += 1
            if self.narrative > (2 if self.open.kind != "intro" else 0) or (
                    self.open.kind == "labelled" and self.narrative > 1):
                self.close()

    def _add(self, region: Region, para: Para) -> None:
        section = clean_heading(self.sub or self.heading)
        weak = not self.sub and (not section or self.heading == self.title or bool(
            _SUMMARY.search(self.heading) or region.kind != "labelled" and _SUMMARY.search(region.title)))
        region.items.append(Item(para.label, para.text, section, para.location, para.style, weak=weak))
        self.last_label, self.narrative, self.restart = para.label, 0, False

    def _append(self, para: Para) -> None:
        item = self.open.items[-1]
        item.text = f"{item.text} {para.label + ')' if para.kind == 'item' else ''} {para.text}".replace("  ", " ")
        item.text = clean(item.text)


# Headings of a document's summary, whose lists restate recommendations made in the body.
_SUMMARY = re.compile(r"\b(?:summary|overview|at a glance|in brief|foreword|introduction|list of)\b", re.I)
_SUB_LABEL = re.compile(r"^[a-z]$|^[ivx]{1,5}$")


def _numbered_heading(para: Para) -> bool:
    """ "3. THE HUMAN IMPACT", "4.1 Full system working": a numbered line that is a heading."""
    text = para.text
    if para.lines > 1 or not text:
        return False
    return _heading_like(text) and (text.isupper() or "." in para.label) and len(text.split()) <= 10


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{3,}", text.lower())}


def _similar(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= 0.7


def _series(regions: list[Region]) -> list[list[Region]]:
    """Regions chained where the numbering runs on."""
    chains: list[list[Region]] = []
    for region in regions:
        for chain in chains:
            last = chain[-1]
            if _RANK[last.kind] == _RANK[region.kind] or {last.kind, region.kind} <= {"list", "labelled"}:
                if follows(last.items[-1].label, region.items[0].label):
                    chain.append(region)
                    break
        else:
            chains.append([region])
    return chains


# What a recommendation asks, as against what a conclusion finds ("must", "needs to" are both).
_ASKS = re.compile(r"\b(?:should|ought to|(?:we|I) (?:\w+ )?(?:recommend|urge|encourage|invite|call on|ask)|"
                   r"recommends?|recommended that|urges?|calls? on)\b", re.I)


def _recommending(items: list[Item]) -> list[Item]:
    """The recommendations of a list that mixes conclusions with them (see the module's docstring)."""
    italic = [i for i in items if "i" in i.style]
    if italic and len(italic) < len(items):
        return italic
    cued = [i for i in items if _ASKS.search(i.text)]
    if cued and len(cued) < 0.6 * len(items):
        return cued
    return items


def find(lines: list[PageLine], *, bold: bool = True) -> list[ExtractedRecommendation]:
    """The document's numbered recommendations (see the module's docstring); ``bold``: without
    any list or label, take the bold paragraphs that recommend (for reports, not submissions)."""
    paras = paragraphs(lines)
    regions = _Regions(paras).run()
    if not regions:
        return _bold(paras) if bold else []
    chains = _series(regions)
    chains.sort(key=lambda c: (-max(_RANK[r.kind] for r in c), -sum(len(r.items) for r in c)))
    best_rank = max(_RANK[r.kind] for r in chains[0])
    kept: list[Item] = []
    seen: list[set[str]] = []
    others: list[Item] = []
    labels: set[str] = set()
    for chain in chains:
        rank = max(_RANK[r.kind] for r in chain)
        items = [item for region in chain for item in region.items]
        if any(r.kind == "cr" for r in chain):
            chosen = _recommending(items)
            if len(chosen) < len(items):
                for number, item in enumerate(chosen, start=1):
                    item.printed, item.label = item.label, str(number)
            items = chosen
        if rank < best_rank or (kept and rank <= best_rank and sum(
                any(_similar(_words(i.text), s) for s in seen) for i in items) > len(items) / 2):
            others.extend(items)
            continue
        earlier = list(seen)  # items of one series are never restatements of each other
        for item in items:
            words = _words(item.text)
            if item.label in labels or any(_similar(words, s) for s in earlier):
                continue  # the same number again, or the same text: a restatement or a quotation
            labels.add(item.label)
            seen.append(words)
            kept.append(item)
    _sections_from_body(kept, others, paras)
    out: list[ExtractedRecommendation] = []
    for order, item in enumerate(kept, start=1):
        number = int(item.label) if item.label.isdigit() else order
        location = item.location + (f", paragraph {item.printed}" if item.printed else "")
        out.append(ExtractedRecommendation(number=number, text=item.text, section=item.section,
                                           location=location, label=item.label))
    return out


def _sections_from_body(kept: list[Item], others: list[Item], paras: list[Para]) -> None:
    """A kept item whose section is missing or weak (the document's title, a summary's heading)
    takes the heading and location of its restatement in the body, where that has a section of
    its own: a summary lends the text and number, the body says where the recommendation sits."""
    for item in kept:
        if item.section and not item.weak:
            continue
        words = _words(item.text)
        for other in others:
            if other.section and not other.weak and _similar(words, _words(other.text)):
                item.section, item.location, item.weak = other.section, other.location, False
                break
        else:
            if item.section:
                continue
            for other in others:
                if other.section and _similar(words, _words(other.text)):
                    item.section = other.section
                    break


def _bold(paras: list[Para]) -> list[ExtractedRecommendation]:
    """Without any list or label: the paragraphs a PDF sets in bold that recommend ("We recommend
    that …", "The trust should …"), where there are at least two, in order."""
    heading = ""
    found: list[ExtractedRecommendation] = []
    for para in paras:
        if para.kind == "heading":
            heading = clean_heading(para.text)
        elif "b" in para.style and len(para.text.split()) >= 12 and _ASKS.search(para.text):
            order = len(found) + 1
            found.append(ExtractedRecommendation(
                number=order, text=para.text, section=heading, label=str(order),
                location=para.location + (f", paragraph {para.label}" if para.label else "")))
    return found if len(found) >= 2 else []
