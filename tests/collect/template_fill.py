"""Filling in the Word submission template as a contributor would, with python-docx (tests only)."""

from __future__ import annotations

import copy
import io
from pathlib import Path

from docx import Document

from stocktake.collect.importers.template import ANSWER_STYLE

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _heading(document, bookmark: str):
    for paragraph in document.paragraphs:
        names = [b.get(f"{_W}name") for b in paragraph._p.iter(f"{_W}bookmarkStart")]
        if bookmark in names:
            return paragraph
    raise AssertionError(f"no heading bookmarked {bookmark!r}")


def _answer_after(document, heading):
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p._p is heading._p)
    for paragraph in paragraphs[start + 1:]:
        if paragraph.style.name == ANSWER_STYLE:
            return paragraph
        if paragraph.style.name.startswith("Heading"):
            break
    raise AssertionError("no answer box under the heading")


def write_answer(document, bookmark: str, lines: list[str], *, bullets: bool = False) -> None:
    """Type ``lines`` into the box under the heading: one paragraph each (bulleted if asked)."""
    box = _answer_after(document, _heading(document, bookmark))
    box.text = lines[0]
    last = box
    for line in lines[1:]:
        element = copy.deepcopy(box._p)
        last._p.addnext(element)
        last = type(box)(element, box._parent)
        last.text = line
    if bullets:
        paragraph = box
        for _ in lines:
            paragraph.style = document.styles["List Bullet"]
            nxt = paragraph._p.getnext()
            paragraph = type(box)(nxt, box._parent) if nxt is not None and nxt.tag == f"{_W}p" else None
            if paragraph is None:
                break


def add_examples(document, rows: list[tuple[str, str, str, str]]) -> None:
    """Rows of the best-practice table (title, organisation, synopsis, domain); rows are added
    when the table's empty ones run out."""
    table = document.tables[-1]
    empty = [row for row in table.rows[1:] if not any(c.text.strip() for c in row.cells)]
    for values in rows:
        row = empty.pop(0) if empty else table.add_row()
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value


def fill(blob: bytes, *, answers: dict[str, list[str]], organisation: str | None = None,
         examples: list[tuple[str, str, str, str]] = (), bullets: set[str] = frozenset()) -> bytes:
    """The template with ``answers`` (by bookmark, e.g. ``stk_d1_achievements``) written in."""
    document = Document(io.BytesIO(blob))
    if organisation is not None:
        write_answer(document, "stk_org", [organisation])
    for bookmark, lines in answers.items():
        write_answer(document, bookmark, lines, bullets=bookmark in bullets)
    if examples:
        add_examples(document, list(examples))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def save(path: Path, blob: bytes) -> Path:
    path.write_bytes(blob)
    return path
