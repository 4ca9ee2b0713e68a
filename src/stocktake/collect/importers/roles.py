"""What each column of a table was taken as, in the words a mapping file uses.

:func:`describe` turns a table's :class:`~.columns.Columns` into (header, role) pairs
for the upload preview; :func:`role_choices` lists the roles a user may give a
column instead. Both speak the mapping file's words (``finding``, ``organisation``,
``challenges``, ``domain:<key>`` …), so a preview's choices are a
:class:`~.mapping.Mapping` as ``--mapping`` takes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from stocktake.collect.importers.columns import ROLE_CHOICES, Columns
from stocktake.collect.importers.mapping import FIELDS
from stocktake.collect.importers.model import SECTION_KINDS

# A role of columns.py -> the mapping file's word for it.
_WORDS = {"text": "finding", "kind": "section"}
_SECTION_LABELS = {"achievements": "Key achievements", "challenges": "Challenges",
                   "learning": "Significant learning", "examples": "Examples of good practice",
                   "keep": "What to keep", "general": "General findings"}


@dataclass
class TableColumns:
    """One table of a file and what each of its columns was taken as."""

    where: str  # "table 2", "sheet 'Findings'"
    columns: list[tuple[str, str]] = field(default_factory=list)  # (header, role word)
    skipped: bool = False  # no header row was recognised: nothing was read from it


def section_word(kind: str) -> str:
    """A section kind as a mapping word: "challenges", but "section:learning" (since
    "learning" alone means finding text)."""
    return f"section:{kind}" if kind in FIELDS else kind


def describe(columns: Columns) -> list[tuple[str, str]]:
    """The (header, role word) of each named column, left to right."""
    by_index = {index: _WORDS.get(role, role) for role, index in columns.roles.items()}
    by_index |= {index: "list" if index in columns.lists else "finding" for index in columns.text}
    by_index |= {index: section_word(kind) for index, kind in columns.kinds.items()}
    by_index |= {index: f"domain:{key}" for index, key in columns.domains.items()}
    by_index |= {index: "attribute" for index in columns.attributes if index not in by_index}
    return [(name, by_index.get(index, "ignore")) for index, name in sorted(columns.names.items())]


def role_choices(domains: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(role word, label) pairs a column may be given: the table engine's roles
    (``columns.ROLE_CHOICES``), the section kinds, and one "findings of domain X" per
    domain. The one place the upload preview gets its choices from."""
    choices = list(ROLE_CHOICES)  # the table engine's roles (columns.py)
    choices += [(section_word(k), f"Findings: {_SECTION_LABELS.get(k, k)}") for k in SECTION_KINDS]
    choices += [(f"domain:{key}", f"Findings of domain {name}") for key, name in domains]
    return choices
