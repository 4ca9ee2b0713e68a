"""The coding workspace for the page: the finding in hand, its suggestions as checkboxes,
the queue's size and the reviewer's recent decisions with "Undo"."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from stocktake.analysis.base import APPLIES_THRESHOLD
from stocktake.web.presenters.analysis import format_datetime


def workspace_url(slug: str, name: str = "workspace", **query) -> str:
    url = reverse(name, kwargs={"slug": slug})
    query = {k: v for k, v in query.items() if v not in (None, "", ())}
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


@dataclass(frozen=True)
class ThemeChoice:
    value: str
    text: str
    checked: bool
    suggested: bool
    score: str
    explanation: str
    shortcut: str  # the digit that ticks it, "" past nine

    def item(self) -> dict:
        """For the NHS.UK checkboxes macro."""
        hint = (f"Suggested, score {self.score}. {self.explanation}".strip()
                if self.suggested else "")
        item = {"value": self.value, "text": self.text, "checked": self.checked}
        if hint:
            item["hint"] = {"text": hint}
        if self.shortcut:
            item["attributes"] = {"data-shortcut": self.shortcut,
                                  "aria-keyshortcuts": self.shortcut}
        return item


def theme_choices(themes, machine_codes, *, ticked: set[str] | None = None) -> list[ThemeChoice]:
    """Suggested themes first (best first, the top one and any at the coder's "applies" score
    ticked), then the rest of the framework in order. ``ticked`` overrides (a form sent back)."""
    by_theme = {c.theme_id: c for c in machine_codes}
    suggested = sorted((t for t in themes if t.pk in by_theme), key=lambda t: by_theme[t.pk].rank)
    others = [t for t in themes if t.pk not in by_theme]
    choices = []
    for n, theme in enumerate([*suggested, *others], start=1):
        code = by_theme.get(theme.pk)
        default = code is not None and (code.rank == 0 or (code.score or 0) >= APPLIES_THRESHOLD)
        choices.append(ThemeChoice(
            value=theme.key, text=theme.name,
            checked=(theme.key in ticked) if ticked is not None else default,
            suggested=code is not None,
            score=f"{code.score:.2f}" if code is not None and code.score is not None else "",
            explanation=(code.explanation or "") if code is not None else "",
            shortcut=str(n) if n <= 9 else ""))
    return choices


@dataclass(frozen=True)
class BatchRow:
    text: str
    when: str
    batch: str


def batch_rows(batches, texts: dict[int, str]) -> list[BatchRow]:
    rows = []
    for b in batches:
        if b.findings > 1:
            text = f"{b.accepted} suggestions accepted on {b.findings} findings"
        else:
            start = " ".join(texts.get(b.first_finding, "").split()[:8])
            text = (f"Finding {b.first_finding} (“{start}…”): {b.accepted} applied, "
                    f"{b.codes - b.accepted} rejected")
        rows.append(BatchRow(text=text, when=format_datetime(b.at), batch=b.batch))
    return rows
