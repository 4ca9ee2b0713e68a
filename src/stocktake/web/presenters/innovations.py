"""What the innovations register's pages show: rows, filter selects, summaries, exports."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.urls import reverse

from stocktake.track.models import DecisionOutcome
from stocktake.web.presenters.links import id_address
from stocktake.web.presenters.navigation import breadcrumbs

REGISTER = "Innovations"
EXPORT_COLUMNS = ("Id", "Organisation", "Business unit", "Place", "Title", "What changed",
                  "Since", "Who leads it", "Lead's email", "Benefits seen", "Risks seen",
                  "Support needed", "Themes", "Golden thread", "Decision", "Review",
                  "Logged on")


def crumbs(*above: tuple[str, str], in_register: bool = True) -> dict:
    trail = ([(REGISTER, reverse("innovations"))] if in_register else []) + list(above)
    return breadcrumbs(None, *trail)


def since(date) -> str:
    return date.strftime("%B %Y") if date else ""


def href(innovation) -> str:
    return id_address("innovation", "innovation_id", innovation.pk)


@dataclass(frozen=True)
class Row:
    id: int
    href: str
    title: str
    organisation: str
    unit: str
    since: str
    themes: list[str]
    thread: str
    outcome: str


def row(innovation) -> Row:
    return Row(id=innovation.pk, href=href(innovation), title=innovation.title,
               organisation=innovation.organisation.name, unit=innovation.unit,
               since=since(innovation.started_on),
               themes=[t.name for t in innovation.themes.all()],
               thread=innovation.golden_thread.name if innovation.golden_thread else "",
               outcome=innovation.get_outcome_display())


def select_items(options, chosen, *, everything: str) -> list[dict]:
    """Items for an NHS.UK select: "everything" first, then each option with its count."""
    items = [{"value": "", "text": everything, "selected": chosen in (None, "")}]
    items += [{"value": str(o.value), "text": f"{o.label} ({o.count})",
               "selected": str(o.value) == str(chosen)} for o in options]
    return items


def outcome_label(value: str) -> str:
    return dict(DecisionOutcome.choices).get(value, value)


def export_rows(innovations):
    yield EXPORT_COLUMNS
    for i in innovations:
        yield (i.pk, i.organisation.name, i.unit, i.place, i.title, i.what_changed,
               i.started_on.isoformat() if i.started_on else "", i.lead_name, i.lead_email,
               i.benefits, i.risks, i.support_needed, "; ".join(t.name for t in i.themes.all()),
               i.golden_thread.name if i.golden_thread else "", i.get_outcome_display(),
               i.review.title if i.review else "", i.created_at.date().isoformat())


def _safe(value):
    """A cell a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def as_csv(innovations) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for values in export_rows(innovations):
        writer.writerow([_safe(v) for v in values])
    return "\ufeff" + out.getvalue()


def as_xlsx(innovations) -> bytes:
    import openpyxl  # noqa: PLC0415 - heavy; only this download needs it

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Innovations")
    for values in export_rows(innovations):
        sheet.append([_safe(v) for v in values])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def suggestions(innovation, themes_by_key: dict) -> list[dict]:
    """The coder's suggested themes, best first, with the score as a percentage (those
    that score under 5% say nothing and are left out)."""
    return [{"name": themes_by_key[key].name, "score": round(score * 100)}
            for key, score in innovation.theme_suggestions
            if key in themes_by_key and score >= 0.05]
