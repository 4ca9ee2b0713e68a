"""The organisation register as CSV: written by :func:`export_csv`, read by :func:`read_csv`.

Columns: ``name, acronym, level, type, parent, aliases`` (aliases separated by ``;``).
A row's parent is named as the register names it (name, acronym or alias) and must be
in the register or on an earlier row. The export lists parents before their children,
so a file exported from one register imports into an empty one. Reading only parses:
:func:`stocktake.reviews.actions.import_organisations` checks each row against the
register and writes them, all or nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from stocktake.core.errors import InvalidInput
from stocktake.reviews.models import Organisation, OrganisationAlias
from stocktake.reviews.orgtree import OrgTree

COLUMNS = ("name", "acronym", "level", "type", "parent", "aliases")
REQUIRED = ("name", "level")
MAX_ROWS = 20_000


@dataclass
class RegisterRow:
    line: int  # the row's number in the file, the header being row 1
    name: str
    acronym: str = ""
    level: str = ""
    type: str = ""
    parent: str = ""
    aliases: list[str] = field(default_factory=list)


def read_csv(text: str) -> list[RegisterRow]:
    """The rows of a register CSV; InvalidInput when its header lacks a required column.
    Headers are matched ignoring case and spaces; unknown columns are refused (a typo
    would otherwise drop a column silently)."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput("The file is empty: its first row should name the columns "
                           f"({', '.join(COLUMNS)})") from None
    except csv.Error as exc:
        raise InvalidInput(f"Row 1: not readable as CSV ({exc})") from None
    names = [" ".join(h.split()).lower() for h in header]
    unknown = [h for h in names if h and h not in COLUMNS]
    if unknown:
        raise InvalidInput(f"Row 1: unknown column {unknown[0]!r}; the columns are "
                           f"{', '.join(COLUMNS)}")
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise InvalidInput(f"Row 1: the column {missing[0]!r} is missing; the columns are "
                           f"{', '.join(COLUMNS)}")
    rows = []
    try:
        for line, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise InvalidInput(f"Row {line}: a register file may have at most "
                                   f"{MAX_ROWS:,} rows")
            values = {name: _unsafe(" ".join(cells[i].split())) if i < len(cells) else ""
                      for i, name in enumerate(names) if name}
            rows.append(RegisterRow(
                line=line, name=values.get("name", ""), acronym=values.get("acronym", ""),
                level=values.get("level", ""), type=values.get("type", ""),
                parent=values.get("parent", ""),
                aliases=[a.strip() for a in values.get("aliases", "").split(";") if a.strip()]))
    except csv.Error as exc:
        raise InvalidInput(f"Row {reader.line_num}: not readable as CSV ({exc})") from None
    return rows


def register_rows(tree: OrgTree | None = None) -> list[list[str]]:
    """The register as rows of :data:`COLUMNS`, each parent before its children."""
    tree = tree or OrgTree.load()
    aliases: dict[int, list[str]] = {}
    for org_id, alias in OrganisationAlias.objects.order_by("alias", "pk").values_list(
            "organisation_id", "alias"):
        aliases.setdefault(org_id, []).append(alias)
    rows, frontier = [], list(tree.children.get(None, ()))
    seen: set[int] = set()
    while frontier:  # breadth first: parents before children
        level_ids, frontier = frontier, []
        for org_id in level_ids:
            if org_id in seen:
                continue
            seen.add(org_id)
            org = tree.get(org_id)
            parent = tree.get(org.parent_id)
            rows.append([org.name, org.short_name, org.level, getattr(org, "kind", ""),
                         parent.name if parent is not None else "",
                         "; ".join(aliases.get(org_id, []))])
            frontier.extend(tree.children.get(org_id, ()))
    return rows


def export_csv(tree: OrgTree | None = None) -> str:
    """The register as CSV text (what :func:`read_csv` reads)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_safe(row) for row in register_rows(tree))
    return out.getvalue()


def _safe(row: list[str]) -> list[str]:
    """Cells a spreadsheet would run as a formula ("=…", "+…") get a leading apostrophe."""
    return [f"'{cell}" if cell[:1] in ("=", "+", "-", "@") else cell for cell in row]


def _unsafe(cell: str) -> str:
    """Undo :func:`_safe`."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@") else cell


def parent_named(tree: OrgTree, name: str) -> Organisation | None:
    """The organisation a register row's ``parent`` cell names."""
    return tree.resolve(name) if name else None
