"""Analysis runs: the list to compare them, one run's progress, the "Analyse" form."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from stocktake.assess.liveness import is_silent
from stocktake.assess.models import AnalysisRun

Status = AnalysisRun.Status
STATUS_COLOURS = {Status.QUEUED: "grey", Status.RUNNING: "blue", Status.DONE: "green",
                  Status.FAILED: "red", Status.CANCELLED: "orange"}
ACTIVE = set(AnalysisRun.ACTIVE)
BACKEND_HINTS = {
    "tfidf": "Works offline with no model download (the default).",
    "semantic": "Sentence embeddings; needs the semantic extra installed on the server.",
}


def format_datetime(value: dt.datetime | None, missing: str = "Not yet") -> str:
    """NHS.UK style: "3 March 2025 at 2:05pm", in the server's time zone."""
    if value is None:
        return missing
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    hour = local.hour % 12 or 12
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def run_url(slug: str, run_id: int) -> str:
    return reverse("analysis_run", kwargs={"slug": slug, "run_id": run_id})


def cancel_url(slug: str, run_id: int) -> str:
    return reverse("analysis_run_cancel", kwargs={"slug": slug, "run_id": run_id})


@dataclass(frozen=True)
class RunRow:
    id: int
    href: str
    status: dict  # NHS.UK tag parameters
    active: bool
    waiting: bool  # queued: no worker has taken it yet
    failed: bool
    cancelled: bool
    silent: bool  # running, but its worker has not reported for longer than the threshold
    cancel_href: str
    heartbeat: str
    queued: str
    finished: str
    by: str
    backend: str
    seed: int
    findings: str
    done: int
    total: int
    progress: str
    message: str
    parameters: list[tuple[str, str]]


def _progress(run) -> str:
    done, total = run.progress, run.finding_count
    if run.status == Status.QUEUED:
        return "Waiting for a worker to start it"
    if run.status == Status.RUNNING:
        return f"{done:,} of {total:,} findings coded" if total else "Reading the findings"
    if run.status == Status.FAILED:
        return f"Stopped after {done:,} of {total:,} findings" if total else "Stopped"
    if run.status == Status.CANCELLED:
        return f"Cancelled after {done:,} of {total:,} findings" if total else "Cancelled"
    return f"{done:,} finding{'' if done == 1 else 's'} coded"


def run_row(run, *, slug: str, now: dt.datetime | None = None) -> RunRow:
    """One run (``created_by`` selected); ``now`` decides whether a running one is silent."""
    user = run.created_by
    return RunRow(
        id=run.pk,
        href=run_url(slug, run.pk),
        status={"text": Status(run.status).label, "colour": STATUS_COLOURS.get(run.status, "grey")},
        active=run.status in ACTIVE,
        waiting=run.status == Status.QUEUED,
        failed=run.status == Status.FAILED,
        cancelled=run.status == Status.CANCELLED,
        silent=is_silent(run, now=now),
        cancel_href=cancel_url(slug, run.pk),
        heartbeat=format_datetime(run.heartbeat_at),
        queued=format_datetime(run.created_at),
        finished=format_datetime(run.finished_at),
        by=(user.get_full_name() or user.get_username()) if user else "Command line",
        backend=run.backend,
        seed=run.seed,
        findings=f"{run.finding_count:,}" if run.finding_count else "–",
        done=run.progress,
        total=run.finding_count,
        progress=_progress(run),
        message=run.message or ("None" if run.status not in ACTIVE else ""),
        parameters=parameter_rows(run.parameters),
    )


# What each recorded analysis parameter means, in the order a reader wants them.
PARAMETER_LABELS = {
    "examples": "Confirmed examples learned from",
    "example_beta": "Weight given to confirmed examples",
    "example_prior_count": "Examples before they outweigh the framework",
    "lr_min_per_theme": "Examples a theme needs before a model is trained for it",
    "lr_weight": "Weight of the trained model",
    "applies_threshold": "Lowest score for a theme to apply",
    "store_threshold": "Lowest score kept as a suggestion",
    "temperature": "Theme temperature",
    "domain_temperature": "Domain temperature",
    "domain_model": "Domains also from the model trained on hand-coded statements",
    "keyword_weight": "Weight of framework keywords",
    "char_match": "Weight of partial word matches",
    "soft_weight": "Weight of related words",
    "keyword_mix": "Share of keyword matching",
    "model": "Sentence model",
    "parts": "Backends combined",
    "chunk_size": "Findings coded per batch",
}
# Shown elsewhere on the run's page.
PARAMETERS_SHOWN_ELSEWHERE = {"backend"}


def parameter_value(value) -> str:
    """A recorded parameter as a reader says it: ``None`` is "Not used" (an unused setting)."""
    if value is None:
        return "Not used"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return ", ".join(str(v.get("backend", "?")) for v in value)  # an ensemble's parts
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)


def parameter_rows(parameters: dict) -> list[tuple[str, str]]:
    """(label, value) for each recorded parameter: known ones labelled, in order, then the rest."""
    known = [(PARAMETER_LABELS[k], parameter_value(parameters[k]))
             for k in PARAMETER_LABELS if k in parameters]
    rest = [(k.replace("_", " ").capitalize(), parameter_value(v))
            for k, v in sorted(parameters.items())
            if k not in PARAMETER_LABELS and k not in PARAMETERS_SHOWN_ELSEWHERE]
    return known + rest


def run_rows(runs: Iterable, *, slug: str) -> list[RunRow]:
    return [run_row(run, slug=slug) for run in runs]


def any_active(rows: Sequence[RunRow]) -> bool:
    return any(row.active for row in rows)


def backend_items(backends: Sequence[str], selected: str) -> list[dict]:
    """Items for the NHS.UK radios macro."""
    return [
        {"value": name, "text": name, "checked": name == selected,
         "hint": {"text": BACKEND_HINTS[name]} if name in BACKEND_HINTS else None}
        for name in backends
    ]
