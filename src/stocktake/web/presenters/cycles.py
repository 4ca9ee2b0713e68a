"""Stocktake cycles for the pages: the owners' progress and the side-by-side comparison."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stocktake.report.models import RecommendationStatus
from stocktake.track.cycle_compare import OUTCOME_ORDER, STATUS_ORDER
from stocktake.track.models import DecisionOutcome, Rag

STATUS_LABELS = dict(RecommendationStatus.choices)
OUTCOME_LABELS = dict(DecisionOutcome.choices)
RAG_LABELS = dict(Rag.choices)


def status_label(value) -> str:
    if value is None:
        return "Not in that cycle"
    return STATUS_LABELS.get(value, value or "—")


def outcome_label(value) -> str:
    if value is None:
        return "Not in that cycle"
    return OUTCOME_LABELS.get(value, value or "—")


def rag_label(value) -> str:
    return RAG_LABELS.get(value or "", "Not rated")


@dataclass(frozen=True)
class CycleRow:
    number: int
    title: str
    href: str
    status: str
    opens_on: dt.date
    deadline: dt.date
    closed_at: dt.datetime | None


def cycle_rows(cycles, href) -> list[CycleRow]:
    return [CycleRow(number=c.number, title=c.title, href=href(c.number),
                     status=c.get_status_display(), opens_on=c.opens_on, deadline=c.deadline,
                     closed_at=c.closed_at) for c in cycles]


@dataclass(frozen=True)
class OwnerRow:
    organisation_id: int
    name: str
    items: int
    updated: int
    state: str  # "Answered", "Partly answered", "Not answered", with "overdue"
    colour: str
    contact: str
    last_sent: dt.datetime | None
    live_links: int


def owner_rows(owners, *, overdue: bool) -> list[OwnerRow]:
    rows = []
    for o in owners:
        if o.answered:
            state, colour = "Answered", "green"
        elif o.updated:
            state, colour = "Partly answered", "yellow"
        else:
            state, colour = "Not answered", "grey"
        if overdue and not o.answered:
            state, colour = f"{state}, overdue", "red"
        rows.append(OwnerRow(organisation_id=o.organisation_id, name=o.name, items=o.items,
                             updated=o.updated, state=state, colour=colour, contact=o.contact,
                             last_sent=o.last_sent, live_links=o.live_links))
    return rows


@dataclass(frozen=True)
class RecommendationRow:
    number: str
    text: str
    theme: str
    where: str  # the system (per-system entries) or the owner
    before_status: str
    now_status: str
    before_rag: str
    now_rag: str
    status_changed: bool
    rag_changed: bool
    updates: int
    evidence: int
    href: str

    @property
    def changed(self) -> bool:
        return self.status_changed or self.rag_changed or self.evidence > 0


def recommendation_rows(items, href=lambda item: "") -> list[RecommendationRow]:
    """Rows of :class:`stocktake.track.cycle_queries.Item` for recommendations."""
    return [RecommendationRow(
        number=i.number, text=i.text, theme=i.theme, where=i.where or "No owner",
        before_status=status_label(i.prev_status), now_status=status_label(i.status),
        before_rag=rag_label(i.prev_rag) if i.prev_status is not None else "",
        now_rag=rag_label(i.rag), status_changed=i.status_changed, rag_changed=i.rag_changed,
        updates=i.updates, evidence=i.evidence, href=href(i)) for i in items]


@dataclass(frozen=True)
class InnovationRow:
    title: str
    organisation: str
    before_outcome: str
    now_outcome: str
    before_adoptions: int | None
    now_adoptions: int
    outcome_changed: bool
    adoptions_changed: bool
    href: str


def innovation_rows(items, href=lambda item: "") -> list[InnovationRow]:
    return [InnovationRow(
        title=i.text, organisation=i.where, before_outcome=outcome_label(i.prev_outcome),
        now_outcome=outcome_label(i.outcome), before_adoptions=i.prev_adoptions,
        now_adoptions=i.adoptions, outcome_changed=i.prev_outcome != i.outcome,
        adoptions_changed=i.prev_adoptions != i.adoptions, href=href(i)) for i in items]


@dataclass(frozen=True)
class Cell:
    before: int
    now: int

    @property
    def changed(self) -> bool:
        return self.before != self.now


@dataclass(frozen=True)
class MatrixRow:
    name: str
    cells: list[Cell]  # one per column, in ``columns`` order
    total: int


@dataclass(frozen=True)
class Matrix:
    columns: list[str]  # status labels
    rows: list[MatrixRow]


def status_matrix(groups: dict, names: dict, *, unnamed: str) -> Matrix:
    """Counts by status before and now: one row per group (theme, system), one column per
    status that occurs on either side."""
    used = [s for s in STATUS_ORDER
            if any(g["before"].get(s) or g["now"].get(s) for g in groups.values())]
    rows = []
    for key, group in groups.items():
        cells = [Cell(before=group["before"].get(s, 0), now=group["now"].get(s, 0)) for s in used]
        rows.append(MatrixRow(name=names.get(key, unnamed) if key is not None else unnamed,
                              cells=cells, total=sum(group["now"].values())))
    rows.sort(key=lambda r: (r.name == unnamed, r.name.lower()))
    return Matrix(columns=[STATUS_LABELS[s] for s in used], rows=rows)


@dataclass(frozen=True)
class OutcomeRow:
    label: str
    before: int
    now: int


def outcome_rows(summary) -> list[OutcomeRow]:
    return [OutcomeRow(label=OUTCOME_LABELS[o], before=summary.outcomes_before.get(o, 0),
                       now=summary.outcomes_now.get(o, 0)) for o in OUTCOME_ORDER]


def transitions(items, label) -> list[tuple[str, str, int]]:
    return [(label(before) if before else "Not in that cycle", label(now), n)
            for before, now, n in items]
