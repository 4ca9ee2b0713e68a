"""Turning the web submission form's free text into findings, as the importers would.

Plain Python (no database): :func:`items_of` cuts one field's text into statements
with the importers' segmentation helpers; :func:`form_items` walks every field of
a submission and says where each statement came from, e.g.
``form › People › Challenges › item 2``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from stocktake.collect.importers.segment import BULLET, clean, split_items, split_paragraph

# Largest text accepted in one field of the form (the character count shows it).
MAX_FIELD_CHARS = 5000


@dataclass(frozen=True)
class FormItem:
    """One statement from one field of the form."""

    domain_key: str
    domain_name: str
    kind: str
    kind_label: str
    text: str
    location: str


def _blocks(text: str) -> list[str]:
    """Paragraphs or lists: runs of lines separated by blank lines."""
    return [b for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
            if b.strip()]


def items_of(text: str) -> list[str]:
    """The statements in one field: one per bullet or line of a list, and one per
    distinct sentence of a long paragraph (short paragraphs stay whole)."""
    found: list[str] = []
    for block in _blocks(text or ""):
        lines = [line for line in block.splitlines() if line.strip()]
        listed = len(lines) > 1 or any(BULLET.match(line) for line in lines)
        pieces = split_items(block) if listed else [clean(block)]
        for piece in pieces:
            found.extend(split_paragraph(piece))
    return [item for item in found if item]


def form_items(
    sections: Iterable[tuple[str, str, str, str, str]],
) -> list[FormItem]:
    """``sections``: (domain key, domain name, kind, kind label, text) in form order."""
    items: list[FormItem] = []
    for domain_key, domain_name, kind, kind_label, text in sections:
        for number, statement in enumerate(items_of(text), start=1):
            items.append(FormItem(
                domain_key=domain_key, domain_name=domain_name, kind=kind, kind_label=kind_label,
                text=statement,
                location=f"form › {domain_name} › {kind_label} › item {number}",
            ))
    return items


def example_title(text: str, limit: int = 120) -> str:
    """A short title for a good-practice example: its first sentence, cut at a word."""
    first = re.split(r"(?<=[.!?])\s", clean(text), maxsplit=1)[0]
    if len(first) <= limit:
        return first.rstrip(".")
    return first[:limit].rsplit(" ", 1)[0] + "…"
