"""The theme matrix page's rows, cells and flagged messages (no database access)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from stocktake.analysis.consensus import CONSISTENT, DISTINCTIVE
from stocktake.assess.matrix import DOMAINS, NONE, Cell, Column, Grid, Quote, Reach
from stocktake.collect.models import Polarity
from stocktake.web.presenters.links import finding_address, findings_url

PATTERN_TAGS = {
    CONSISTENT: {"text": "Consistent", "classes": "nhsuk-tag--green"},
    DISTINCTIVE: {"text": "Distinctive", "classes": "nhsuk-tag--purple"},
}


@dataclass(frozen=True)
class CellView:
    total: int
    achievements: int
    challenges: int
    href: str  # "" when the findings list cannot show exactly this cell
    achievements_href: str
    challenges_href: str
    label: str  # what the cell is, for screen readers: "Staff wellbeing, Northfold ICS"


@dataclass(frozen=True)
class RowView:
    key: str
    text: str
    href: str
    tag: dict | None
    cells: tuple[CellView, ...]
    total: CellView


@dataclass(frozen=True)
class MessageView:
    key: str
    name: str
    tag: dict
    reach: str  # "Raised in 5 of 6 systems" / "Raised only in Northfold ICS"
    quotes: tuple[QuoteView, ...]
    href: str


@dataclass(frozen=True)
class QuoteView:
    finding_id: int
    text: str
    organisation: str
    system: str
    href: str


def _filters(column: Column | None, view: str) -> dict | None:
    """The findings list's filters for a column (None: it cannot show this column)."""
    if column is None:
        return {}
    if view == DOMAINS:
        return {"domain": column.domain_key}
    if column.organisation_id is None:
        return None  # organisations outside any system: no filter names them
    return {"organisation": column.organisation_id}


def cell_view(slug: str, theme_key: str, cell: Cell, filters: dict | None, label: str) -> CellView:
    def href(polarity: str = "") -> str:
        if filters is None:
            return ""
        return findings_url(slug, theme=theme_key, polarity=polarity or None, **filters)

    return CellView(
        cell.total,
        cell.achievements,
        cell.challenges,
        href() if cell.total else "",
        href(Polarity.ACHIEVEMENT) if cell.achievements else "",
        href(Polarity.CHALLENGE) if cell.challenges else "",
        label,
    )


def rows(
    slug: str, themes: Sequence, grid: Grid, reach: dict[int, Reach], *, view: str
) -> list[RowView]:
    """One row per theme, in the framework's order."""
    out = []
    column_filters = [(column, _filters(column, view)) for column in grid.columns]
    for theme in themes:
        cells = grid.cells.get(theme.pk, {})
        pattern = reach.get(theme.pk)
        out.append(
            RowView(
                key=theme.key,
                text=theme.name,
                href=findings_url(slug, theme=theme.key),
                tag=PATTERN_TAGS.get(pattern.pattern) if pattern else None,
                cells=tuple(
                    cell_view(
                        slug,
                        theme.key,
                        cells.get(column.key, Cell()),
                        filters,
                        f"{theme.name}, {column.name}",
                    )
                    for column, filters in column_filters
                ),
                total=cell_view(
                    slug,
                    theme.key,
                    grid.totals.get(theme.pk, Cell()),
                    _filters(None, view),
                    f"{theme.name}, all",
                ),
            )
        )
    return out


def reach_text(reach: Reach) -> str:
    if reach.pattern == DISTINCTIVE:
        return "Raised only in " + " and ".join(reach.systems)
    return f"Raised in {len(reach.systems)} of {reach.total_systems} systems"


def messages(
    slug: str, themes: Sequence, reach: dict[int, Reach], quotes: dict[int, list[Quote]]
) -> list[MessageView]:
    """The consistent messages first, then the distinctive ones, each in framework order."""
    out = []
    for pattern in (CONSISTENT, DISTINCTIVE):
        for theme in themes:
            r = reach.get(theme.pk)
            if r is None or r.pattern != pattern:
                continue
            out.append(
                MessageView(
                    key=theme.key,
                    name=theme.name,
                    tag=PATTERN_TAGS[pattern],
                    reach=reach_text(r),
                    quotes=tuple(
                        QuoteView(
                            q.finding_id,
                            q.text,
                            q.organisation,
                            q.system,
                            finding_address("finding", slug, q.finding_id),
                        )
                        for q in quotes.get(theme.pk, ())
                    ),
                    href=findings_url(slug, theme=theme.key),
                )
            )
    return out


def column_heading(view: str, system_name: str = "") -> str:
    if view == DOMAINS:
        return "domain"
    return f"organisation in {system_name}" if system_name else "system"


def none_column(grid: Grid) -> bool:
    return any(c.key == NONE for c in grid.columns)
