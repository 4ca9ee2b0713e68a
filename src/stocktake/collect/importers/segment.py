"""Cutting text into findings: sentences of long paragraphs, items of lists in cells."""

from __future__ import annotations

import html
import re

_ABBREVIATIONS = {
    "e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "st", "no", "vs", "approx", "inc", "ltd",
    "prof", "cllr", "dept", "fig", "ref", "nos", "c", "al", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}
# A sentence that leans on the one before it stays with it.
_CONTINUATIONS = re.compile(
    r"^(this|these|that|those|it|its|they|their|them|such|however|but|so|as a result|"
    r"therefore|consequently|and|or|which|here|there|both|again)\b",
    re.IGNORECASE,
)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")

# Bullets as typed, and as Word's Symbol-font bullets come out of PDFs ("\uf0b7", "\uf0a7" …).
_MARKS = "•·●▪◦‣∙○■□➢►✓✔\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf06e"
BULLET = re.compile(r"^\s*(?:[" + _MARKS + r"*\-–—>]|\(?[0-9]{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])\s+")
_INLINE_MARKER = re.compile(r"(?<=[.!?;])\s+(?=(?:[*\-–]|\(?[0-9]{1,2}[.)])\s+[A-Z])")
_LIST_TAGS = re.compile(r"</?\s*(?:ul|ol|li|p|br)\s*/?>", re.IGNORECASE)

# Paragraphs shorter than this (in words) or with fewer sentences stay whole.
SHORT_PARAGRAPH_WORDS = 45
MIN_SENTENCES_TO_SPLIT = 3
MIN_SENTENCE_WORDS = 6


def clean(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u200b", "").split())


def sentences(text: str) -> list[str]:
    """Sentences of ``text``; never cuts after an abbreviation, initial or decimal point."""
    text = clean(text)
    if not text:
        return []
    parts, start = [], 0
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.start()].rstrip("\"'”’)]")
        last_word = before.rsplit(" ", 1)[-1].rstrip(".!?").lower()
        if before.endswith(".") and (last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha())):
            continue
        parts.append(text[start : match.start()].strip())
        start = match.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def split_paragraph(text: str) -> list[str]:
    """One finding per distinct sentence of a long paragraph; short paragraphs stay whole.

    Very short sentences, and those that begin by pointing back ("This meant…",
    "However, …"), are kept with the sentence before them.
    """
    text = clean(text)
    if not text:
        return []
    found = sentences(text)
    if len(found) < MIN_SENTENCES_TO_SPLIT or len(text.split()) < SHORT_PARAGRAPH_WORDS:
        return [text]
    merged: list[str] = []
    for sentence in found:
        leans = _CONTINUATIONS.match(sentence) or len(sentence.split()) < MIN_SENTENCE_WORDS
        if merged and leans:
            merged[-1] = f"{merged[-1]} {sentence}"
        else:
            merged.append(sentence)
    return merged


def strip_bullet(line: str) -> tuple[bool, str]:
    """(whether the line starts with a list marker, the line without it)."""
    match = BULLET.match(line)
    if match:
        return True, line[match.end() :].strip()
    return False, line.strip()


def split_items(text: str) -> list[str]:
    """Items of a list written in one cell: lines, bullets, ``<li>`` markup or "; " lists.

    A cell without list structure is one item. Lines that do not start with a
    marker continue the item above when the other lines are marked.
    """
    if not text or not text.strip():
        return []
    text = _LIST_TAGS.sub("\n", html.unescape(text))
    lines = [line for line in (l.strip() for l in re.split(r"[\r\n]+", text)) if line]
    # bullets run together on one line: "• one • two"
    expanded: list[str] = []
    for line in lines:
        pieces = [p for p in re.split(r"\s+[•·●▪○■\uf0b7\uf0a7]\s+", line) if p.strip()]
        if len(pieces) == 1 and BULLET.match(line):  # "1. One. 2. Two." or "- One. - Two."
            pieces = [p for p in _INLINE_MARKER.split(line) if p.strip()]
        expanded.extend(pieces if len(pieces) > 1 else [line])
    marked = [strip_bullet(line) for line in expanded]
    if len(marked) == 1:
        body = marked[0][1]
        semis = [p.strip() for p in body.split(";") if p.strip()]
        if len(semis) >= 3 and all(len(p.split()) >= 3 for p in semis):
            return [clean(p) for p in semis]
        return [clean(body)] if clean(body) else []
    any_marked = any(is_marked for is_marked, _ in marked)
    items: list[str] = []
    for is_marked, body in marked:
        if not body:
            continue
        if any_marked and not is_marked and items and not items[-1].endswith((".", "!", "?", ":")):
            items[-1] = f"{items[-1]} {body}"
        else:
            items.append(body)
    return [clean(i) for i in items if clean(i)]
