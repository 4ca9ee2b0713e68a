"""Emergent themes pages: runs, theme cards, comparisons (no database access)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from stocktake.analysis.consensus import CONSISTENT, DISTINCTIVE
from stocktake.assess.models import EmergentRun
from stocktake.core.text import plural
from stocktake.web.presenters.analysis import format_datetime
from stocktake.web.presenters.links import finding_address

Status = EmergentRun.Status
STATUS_COLOURS = {
    Status.QUEUED: "grey",
    Status.RUNNING: "blue",
    Status.DONE: "green",
    Status.FAILED: "red",
}
PATTERN_TAGS = {
    CONSISTENT: {"text": "Consistent", "classes": "nhsuk-tag--green"},
    DISTINCTIVE: {"text": "Distinctive", "classes": "nhsuk-tag--purple"},
}


def run_url(slug: str, run_id: int) -> str:
    return reverse("emergent_run", kwargs={"slug": slug, "run_id": run_id})


def theme_url(slug: str, run_id: int, number: int) -> str:
    return reverse("emergent_theme", kwargs={"slug": slug, "run_id": run_id, "number": number})


def _action(name: str, slug: str, run_id: int, number: int) -> str:
    return reverse(name, kwargs={"slug": slug, "run_id": run_id, "number": number})


@dataclass(frozen=True)
class RunRow:
    id: int
    href: str
    status: dict
    active: bool
    failed: bool
    seed: int
    which: str
    queued: str
    by: str
    considered: int
    unclustered: int
    message: str
    parameters: dict


def run_row(run: EmergentRun, slug: str) -> RunRow:
    by = run.created_by
    return RunRow(
        id=run.pk,
        href=run_url(slug, run.pk),
        status={
            "text": run.get_status_display(),
            "classes": f"nhsuk-tag--{STATUS_COLOURS.get(run.status, 'grey')}",
        },
        active=run.status in EmergentRun.ACTIVE,
        failed=run.status == Status.FAILED,
        seed=run.seed,
        which="Every finding" if run.include_all else "Findings that fit no theme well",
        queued=format_datetime(run.created_at),
        by=(by.get_full_name() or by.get_username()) if by else "stocktake",
        considered=run.considered,
        unclustered=run.unclustered,
        message=run.message,
        parameters=run.parameters or {},
    )


def which_items(chosen: str) -> list[dict]:
    return [
        {
            "value": "unfitted",
            "text": "Findings that fit no framework theme well",
            "hint": {
                "text": "Themes the framework did not anticipate (every finding when the "
                "review has not been analysed)."
            },
            "checked": chosen != "all",
        },
        {"value": "all", "text": "Every finding", "checked": chosen == "all"},
    ]


@dataclass(frozen=True)
class QuoteView:
    text: str
    organisation: str
    href: str


@dataclass(frozen=True)
class ThemeCard:
    number: int
    label: str
    machine_label: str  # "" unless reviewers renamed it
    href: str
    size: int
    spread: str  # "12 findings from 5 organisations in 3 of 4 systems"
    tag: dict | None
    phrases: tuple[str, ...]
    quotes: tuple[QuoteView, ...]
    promoted_to: str
    cohesion: float


def spread_text(summary) -> str:
    systems = len(summary.systems)
    where = f"in {systems} of {summary.total_systems} systems" if summary.total_systems else ""
    if systems == 1 and summary.total_systems > 1:
        where = f"only in {summary.systems[0]}"
    return " ".join(
        part
        for part in (
            plural(summary.size, "finding"),
            "from",
            plural(summary.organisation_count, "organisation"),
            where,
        )
        if part
    )


def theme_card(summary, slug: str, run_id: int) -> ThemeCard:
    theme = summary.theme
    return ThemeCard(
        number=theme.number,
        label=theme.label,
        machine_label=theme.machine_label if theme.machine_label != theme.label else "",
        href=theme_url(slug, run_id, theme.number),
        size=summary.size,
        spread=spread_text(summary),
        tag=PATTERN_TAGS.get(summary.pattern),
        phrases=tuple(theme.phrases or ()),
        quotes=tuple(
            QuoteView(
                f.text,
                f.organisation.name if f.organisation_id else "",
                finding_address("finding", slug, f.pk),
            )
            for f in summary.quotes
        ),
        promoted_to=theme.promoted_to.name if theme.promoted_to_id else "",
        cohesion=theme.cohesion,
    )


def theme_actions(slug: str, run_id: int, number: int) -> dict:
    return {
        name: _action(f"emergent_{name}", slug, run_id, number)
        for name in ("rename", "merge", "split", "promote")
    }


def compare_items(runs: Iterable[EmergentRun]) -> list[dict]:
    return [{"value": "", "text": "Choose a run"}] + [
        {
            "value": str(r.pk),
            "text": f"Run {r.pk} (seed {r.seed}, "
            f"{'every finding' if r.include_all else 'unfitted'})",
        }
        for r in runs
    ]


@dataclass(frozen=True)
class MatchRow:
    label: str
    href: str
    other: str
    other_href: str
    shared: int
    overlap: str  # "83%"


def comparison(result, slug: str, run_id: int, other_id: int) -> dict:
    rows = [
        MatchRow(
            label=f"{m.theme.number}. {m.theme.label}",
            href=theme_url(slug, run_id, m.theme.number),
            other=f"{m.other.number}. {m.other.label}"
            if m.other
            else "No theme shares its findings",
            other_href=theme_url(slug, other_id, m.other.number) if m.other else "",
            shared=m.shared,
            overlap=f"{round(100 * m.overlap)}%",
        )
        for m in result.matches
    ]
    return {"rows": rows, "together": f"{round(100 * result.together)}%", "in_both": result.in_both}


def member_row(finding, slug: str) -> dict:
    return {
        "text": finding.text,
        "organisation": finding.organisation.name,
        "href": finding_address("finding", slug, finding.pk),
    }
