"""Putting back together table rows that text exported from PDFs or Word broke apart.

- A long organisation name split over two rows ("Carrowfold Royal Infirmary NHS"
  then "Foundation Trust" with the other cells empty) is joined.
- A row continued after a page break, on a line whose leading cells are empty,
  is appended to the last non-empty cell of the row above (or cell by cell).
- A line on which several cells of the row above wrapped (each continues its own
  column: lower case, after an unfinished line, or the next item of a list,
  with a name's tail in the organisation column) is joined cell by cell.
- A blank cell otherwise still means "same as above"; tables.py fills it down.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from stocktake.collect.importers.columns import CONTEXT_ROLES, Columns
from stocktake.collect.importers.segment import BULLET

# Words that end an organisation's name and never begin one.
_NAME_TAIL = re.compile(
    r"^(?:foundation|trust|nhs|council|partnership|hospice|board|ltd|limited|cic|cio|plc|"
    r"infirmary|hospitals?|services|teaching|university hospitals?|and|of|for|&|the\s+\w+\s+trust)\b",
    re.IGNORECASE,
)
# Words after which a name cannot end.
_NAME_OPEN = re.compile(r"\b(?:nhs|and|of|for|the|&|royal|university|community|mental|health|care)$",
                        re.IGNORECASE)
_FINISHED = re.compile(r"(?:[.!?;:]|</\s*(?:ul|ol)\s*>)[\"'”’)\]]*$", re.IGNORECASE)


def looks_like_name_tail(text: str) -> bool:
    """"Foundation Trust", "NHS Trust", "and Solihull ICB": the end of a name begun above."""
    return bool(_NAME_TAIL.match(text)) and len(text.split()) <= 5


def _open_list(text: str) -> bool:
    lowered = text.lower()
    return lowered.count("<ul") + lowered.count("<ol") > lowered.count("</ul") + lowered.count("</ol")


def _starts_item(text: str) -> bool:
    return bool(BULLET.match(text)) or text.lstrip().lower().startswith(("<li", "<ul", "<ol"))


def _join(before: str, after: str) -> str:
    if not before:
        return after
    if _starts_item(after):
        return f"{before}\n{after}"
    if re.search(r"[A-Za-z]-$", before) and after[:1].islower():
        return before + after
    return f"{before} {after}"


def _split_name(row: list[str], filled: list[int], org: int | None, previous: list[str]) -> bool:
    if org is None or org not in filled or not previous[org]:
        return False
    name = row[org]
    tail = looks_like_name_tail(name)
    if filled == [org]:
        return tail or bool(_NAME_OPEN.search(previous[org]))
    return tail and filled[0] == org and len(name.split()) <= 4


def _continues(row: list[str], filled: list[int], previous: list[str], context: list[int],
               broke: bool) -> bool:
    if any(row[c] for c in context) or (not context and filled[0] == 0):
        return False  # the leading cells say something of their own
    last = max((c for c, v in enumerate(previous) if v), default=None)
    if last is None:
        return False
    before, first = previous[last], row[filled[0]]
    if _open_list(before):
        return True
    if _FINISHED.search(before) or _starts_item(first):
        return False
    return first[:1].islower() or broke


def _carries_on(text: str, before: str) -> bool:
    """The next line of a cell that ended with ``before``: lower case, or after an unfinished line."""
    return bool(before) and (text[:1].islower() or not _FINISHED.search(before)) and not _starts_item(text)


def _wrapped(row: list[str], filled: list[int], previous: list[str], context: list[int]) -> bool:
    """A line of a row whose cells each wrapped onto it (text laid out in columns, exported
    line by line): every cell continues the same column of the row above."""
    if len(filled) < 2 or any(not previous[c] for c in filled):
        return False
    content = [c for c in filled if c not in context]
    strong = [c for c in content if _carries_on(row[c], previous[c])]
    for c in content:
        if c not in strong and not (_starts_item(row[c]) and ("\n" in previous[c] or _starts_item(previous[c]))):
            return False  # a new sentence: a new row
    names = [c for c in filled if c in context]
    for c in names:
        name_goes_on = looks_like_name_tail(row[c]) or bool(_NAME_OPEN.search(previous[c])) \
            or row[c][:1].islower()
        if not name_goes_on and not (content and len(strong) == len(content)):
            return False
    return bool(strong) or bool(names)


def _append(row: list[str], filled: list[int], previous: list[str]) -> None:
    last = max(c for c, v in enumerate(previous) if v)
    if len(filled) == 1:
        col = filled[0] if previous[filled[0]] else last
        previous[col] = _join(previous[col], row[filled[0]])
        return
    for col in filled:
        previous[col] = _join(previous[col], row[col])


def merge_rows(rows: Sequence[list[str]], columns: Columns, start: int, width: int,
               breaks: Sequence[bool] | None = None) -> list[tuple[int, list[str]]]:
    """(index of the first source row, cells) for each logical row after ``start``."""
    org = columns.roles.get("organisation")
    context = sorted(columns.roles[r] for r in CONTEXT_ROLES if r in columns.roles)
    merged: list[tuple[int, list[str]]] = []
    for index in range(start, len(rows)):
        row = list(rows[index]) + [""] * (width - len(rows[index]))
        filled = [c for c, v in enumerate(row) if v]
        if not filled:
            continue
        if merged:
            previous = merged[-1][1]
            broke = bool(breaks and index < len(breaks) and breaks[index])
            if _wrapped(row, filled, previous, context):
                for col in filled:
                    previous[col] = _join(previous[col], row[col])
                continue
            if _split_name(row, filled, org, previous):
                previous[org] = _join(previous[org], row[org])
                rest = [c for c in filled if c != org]
                if rest:
                    _append(row, rest, previous)
                continue
            if _continues(row, filled, previous, context, broke):
                _append(row, filled, previous)
                continue
        merged.append((index, row))
    return merged
