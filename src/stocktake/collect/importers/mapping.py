"""Column mappings for spreadsheets whose headers the importer cannot guess.

A mapping file (YAML or JSON) names what each of the file's columns holds::

    columns:
      Provider name: organisation
      ICS: system
      What we learned: finding
      Key findings so far: list                  # each item of a cell is a finding
      How we did it: approach                    # the organisation's approach, not findings
      Governance narrative: domain:governance   # cells are findings of that domain
      Went well: achievements                    # cells are findings of that section
      RAG: attribute                             # kept on each finding as an attribute
      Internal ref: ignore
    one_row_per: organisation                    # or: finding

Headers are matched ignoring case, spaces and punctuation. Columns not named in
the mapping are still recognised by their headings and cells as usual
(:mod:`~.columns`, whose ``ROLE_CHOICES`` lists every field with a label and
whose ``table_plan`` says what each column was taken as, and why).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from stocktake.collect.importers.errors import ImportInputError
from stocktake.collect.importers.model import SECTION_KINDS

# field name in a mapping -> the role tables.py reads (the keys of columns.ROLE_CHOICES are
# all here, so a choice made in the upload preview is a mapping).
FIELDS = {
    "organisation": "organisation", "organization": "organisation", "system": "system",
    "place": "place", "domain": "domain", "theme": "theme",
    "section": "kind", "type": "kind", "kind": "kind",
    "finding": "text", "text": "text", "learning": "text",
    "list": "list", "findings": "list", "list of findings": "list",
    "approach": "approach", "method": "approach",
    "example": "example", "example title": "example", "synopsis": "synopsis",
    "number": "number", "recommendation number": "number", "recommendation": "recommendation",
    "response": "response", "progress": "response", "status": "status", "owner": "owner",
    "date": "date", "attribute": "attribute", "note": "attribute", "ignore": "ignore",
}
ROWS_PER = ("finding", "organisation")
MAX_MAPPING_BYTES = 256 * 1024


def header_key(text: str) -> str:
    """A column heading reduced to lower-case words: "Key findings / notes" → "key findings notes"."""
    text = str(text).lower().replace("&", " and ").replace("/", " ")
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text).split())


@dataclass(frozen=True)
class Mapping:
    """What the columns of a table hold, by header key; targets are roles of tables.py,
    ``section:<kind>``, ``domain:<name or key>``, ``attribute`` or ``ignore``."""

    columns: dict[str, str] = field(default_factory=dict)
    one_row_per: str | None = None  # None: decide from the columns
    source: str = ""

    def target(self, header: str) -> str | None:
        return self.columns.get(header_key(header))


def _target(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ImportInputError(where, "each column must map to a field name such as 'finding'")
    wanted = value.strip()
    lowered = wanted.lower()
    if lowered in FIELDS:
        return FIELDS[lowered]
    if lowered in SECTION_KINDS:
        return f"section:{lowered}"
    if lowered.startswith("section:") and lowered[8:].strip() in SECTION_KINDS:
        return f"section:{lowered[8:].strip()}"  # "section:learning" ("learning" alone is text)
    if lowered.startswith("domain:") and wanted[7:].strip():
        return f"domain:{wanted[7:].strip()}"
    raise ImportInputError(
        where, f"{wanted!r} is not a field; use one of {', '.join(sorted(set(FIELDS)))}, a "
               f"section ({', '.join(SECTION_KINDS)}) or 'domain:<domain name>'")


def parse_mapping(data: object, name: str) -> Mapping:
    """A :class:`Mapping` from parsed YAML/JSON; ImportInputError naming ``name`` if malformed."""
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict) or not data["columns"]:
        raise ImportInputError(name, "a mapping needs a 'columns' object of header: field pairs")
    unknown = set(data) - {"columns", "one_row_per"}
    if unknown:
        raise ImportInputError(name, f"unknown key {sorted(unknown)[0]!r}; a mapping has "
                                     "'columns' and optionally 'one_row_per'")
    columns = {}
    for header, value in data["columns"].items():
        key = header_key(str(header))
        if not key:
            raise ImportInputError(name, f"column {header!r} has no letters or digits")
        columns[key] = _target(value, f"{name}, column {str(header)!r}")
    rows_per = data.get("one_row_per")
    if rows_per is not None and rows_per not in ROWS_PER:
        raise ImportInputError(name, f"one_row_per is {rows_per!r}; use 'finding' or 'organisation'")
    return Mapping(columns=columns, one_row_per=rows_per, source=name)


def load_mapping(path: str | Path) -> Mapping:
    """Read a YAML or JSON mapping file; one-line ImportInputError on any problem."""
    import yaml

    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportInputError(path.name, f"the mapping file cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_MAPPING_BYTES:
        raise ImportInputError(path.name, "the mapping file is too large to be a column mapping")
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise ImportInputError(path.name, f"the mapping file is not valid YAML or JSON ({detail})") from None
    return parse_mapping(data, path.name)
