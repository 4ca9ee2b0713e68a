"""Rows of the evaluation, decision and spread pages, as the templates show them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from stocktake.analysis import feedback as feedback_analysis
from stocktake.track.models import AdoptionStatus
from stocktake.web.presenters import runchart_svg
from stocktake.web.presenters.links import id_address

MAX_CRITERIA = 12
STATUS_MARK = {AdoptionStatus.ADOPTED: "Adopted", AdoptionStatus.ADAPTED: "Adopted with changes",
               AdoptionStatus.CONSIDERING: "Considering", AdoptionStatus.DECLINED: "Declined"}


@dataclass(frozen=True)
class MeasureView:
    measure: object
    chart: runchart_svg.ChartView | None
    svg: object  # the SVG with ids unique on the page, or None
    facts: list[tuple[str, str]]


def measure_views(measures: Iterable) -> list[MeasureView]:
    views = []
    for m in measures:
        points = [runchart_svg.Point(v.on, v.value, v.note) for v in m.values.all()]
        chart = runchart_svg.build(points, name=m.name, unit=m.unit, target=m.target,
                                   higher_is_better=m.higher_is_better,
                                   baseline_points=m.baseline_points)
        facts = [("Kind", m.get_kind_display()),
                 ("Better when", "higher" if m.higher_is_better else "lower")]
        if m.baseline is not None:
            facts.append(("Baseline", runchart_svg.number(m.baseline, m.unit)))
        if m.target is not None:
            facts.append(("Target", runchart_svg.number(m.target, m.unit)))
        if chart is not None:
            facts.append(("Centre line", chart.centre_label))
            if chart.limits_label:
                facts.append(("Limits", chart.limits_label))
        views.append(MeasureView(m, chart, runchart_svg.with_id(chart, f"chart-{m.pk}")
                                 if chart else None, facts))
    return views


def measure_values_for_form(measure) -> dict:
    if measure is None:
        return {"name": "", "kind": "", "unit": "", "baseline": "", "target": "",
                "higher_is_better": True, "baseline_points": ""}
    return {"name": measure.name, "kind": measure.kind, "unit": measure.unit,
            "baseline": "" if measure.baseline is None else runchart_svg.number(measure.baseline)
            .replace(",", ""),
            "target": "" if measure.target is None else runchart_svg.number(measure.target)
            .replace(",", ""),
            "higher_is_better": measure.higher_is_better,
            "baseline_points": measure.baseline_points or "", "revision": measure.revision}


def values_recorded(outcome) -> str:
    text = f"{outcome.added} value{'s' if outcome.added != 1 else ''} added"
    if outcome.replaced:
        dates = ", ".join(d.strftime("%d %b %Y") for d in outcome.replaced[:10])
        more = f" and {len(outcome.replaced) - 10} more" if len(outcome.replaced) > 10 else ""
        text += (f"; {len(outcome.replaced)} date{'s' if len(outcome.replaced) != 1 else ''} "
                 f"already had a value, now replaced: {dates}{more}")
    return text + "."


@dataclass(frozen=True)
class Side:
    source: str
    label: str
    total: int
    counts: list[tuple[str, int]]
    mean_rating: float | None
    ratings: int
    representative: list[tuple[str, list]]
    shown: list


def feedback_sides(sides: Sequence) -> list[Side]:
    out = []
    for s in sides:
        out.append(Side(
            source=s.source, label=s.label, total=s.total,
            counts=[(feedback_analysis.LABELS[k], n) for k, n in s.summary.counts.items()],
            mean_rating=s.summary.mean_rating, ratings=len(s.summary.ratings),
            representative=[(feedback_analysis.LABELS[k], rows)
                            for k, rows in s.representative.items() if rows],
            shown=s.shown))
    return out


@dataclass(frozen=True)
class DecisionRow:
    decision: object
    scores: list[tuple[str, str, str]]  # (criterion, score or "Not scored", note)
    total: str


def decision_history(decisions: Iterable) -> list[DecisionRow]:
    rows = []
    for d in decisions:
        scores, given = [], []
        for c in d.criteria:
            s = d.scores.get(c["key"], {})
            score = s.get("score")
            if score is not None:
                given.append(score)
            scores.append((c["label"], "Not scored" if score is None else f"{score} of 5",
                           s.get("note", "")))
        total = (f"{sum(given)} of {5 * len(given)} on {len(given)} "
                 f"criteri{'on' if len(given) == 1 else 'a'} scored") if given else ""
        rows.append(DecisionRow(d, scores, total))
    return rows


def criteria_rows(criteria: Sequence[dict]) -> list[dict]:
    """The framework form's rows: the criteria, then empty rows up to three more."""
    rows = [{"key": c.get("key", ""), "label": c.get("label", ""),
             "description": c.get("description", "")} for c in criteria][:MAX_CRITERIA]
    while len(rows) < min(MAX_CRITERIA, len(criteria) + 3):
        rows.append({"key": "", "label": "", "description": ""})
    return rows


def criteria_from_post(post) -> list[dict]:
    return [{"key": post.get(f"key-{n}", ""), "label": post.get(f"label-{n}", ""),
             "description": post.get(f"description-{n}", "")}
            for n in range(1, MAX_CRITERIA + 1) if post.get(f"label-{n}", "").strip()]


def organisation_items(tree, organisations, chosen: str,
                       empty: str = "Choose an organisation") -> list[dict]:
    items = [{"value": "", "text": empty}]
    items += [{"value": str(o.pk), "text": tree.name_with_system(o.pk),
               "selected": str(o.pk) == chosen} for o in organisations]
    return items


@dataclass(frozen=True)
class SpreadRow:
    href: str
    title: str
    organisation: str
    outcome: str
    counts: list[tuple[str, int]]
    adoptions: list[tuple[str, str]]  # (organisation, status label)


def spread_rows(innovations: Iterable, adoptions: dict, tree) -> list[SpreadRow]:
    """A page of the region's table: ``adoptions`` from
    :func:`stocktake.track.evaluation.adoptions_of`."""
    labels = dict(AdoptionStatus.choices)
    rows = []
    for i in innovations:
        found = adoptions.get(i.pk, [])
        counts = [(STATUS_MARK[s], sum(1 for _, status in found if status == s))
                  for s in AdoptionStatus.values]
        rows.append(SpreadRow(id_address("innovation_spread", "innovation_id", i.pk),
                              i.title, tree.name(i.organisation_id),
                              i.get_outcome_display(), counts,
                              [(tree.name(org_id), labels.get(status, status))
                               for org_id, status in found]))
    return rows


@dataclass
class Node:
    id: int
    name: str
    level: str
    logged: int  # innovations logged here
    adoptions: list  # (status label, count), the statuses with any
    children: list = field(default_factory=list)


def adoption_tree(counts, tree) -> list[Node]:
    """The organisations that logged or adopted the innovations, under their systems and
    places (as nested lists) with how many each logged and took up: the region's spread
    as a map in words. ``counts``: :func:`stocktake.track.evaluation.spread_counts`."""
    wanted: set[int] = set()
    for org_id in set(counts.logged) | set(counts.adopted):
        if tree.get(org_id) is not None:
            wanted.add(org_id)
            wanted.update(o.id for o in tree.ancestors(org_id))

    def node(org_id: int) -> Node:
        org = tree.get(org_id)
        adopted = counts.adopted.get(org_id, {})
        return Node(org_id, org.name, org.get_level_display()
                    if hasattr(org, "get_level_display") else org.level,
                    counts.logged.get(org_id, 0),
                    [(STATUS_MARK[s], adopted[s]) for s in AdoptionStatus.values
                     if adopted.get(s)],
                    [node(c) for c in tree.children.get(org_id, []) if c in wanted])

    roots = [o for o in wanted if tree.get(o).parent_id is None
             or tree.get(o).parent_id not in wanted]
    return [node(r) for r in sorted(roots, key=lambda r: tree.name(r))]
