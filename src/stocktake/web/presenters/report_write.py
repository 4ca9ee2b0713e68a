"""The report's writing pages: the index's rows, observation reach, quote rows, the text
editor's state (plain data for the templates in web/jinja2/reports/write*.html)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch

from stocktake.collect.models import Finding, Polarity
from stocktake.core.text import plural
from stocktake.report.build.sources import source_of
from stocktake.report.data import ThemeObservation
from stocktake.report.models import ReportText, SummaryObservation
from stocktake.report.writing import reach
from stocktake.reviews.orgtree import OrgTree
from stocktake.web.presenters.links import finding_url, review_address

# What the narrative boxes accept, said once for every editor.
FORMAT_HINT = ("Write in Markdown: a line starting with # is a heading (## a smaller one); "
               "lines starting with - or 1. make a list; **bold**, *italic*; "
               "[link text](https://example.org) makes a link. A blank line starts a new "
               "paragraph. HTML is never applied: tags print as the text you typed.")


@dataclass(frozen=True)
class TextEditor:
    """A narrative's form: what the box holds, the revision it was loaded with, an error, and
    after a conflict the version someone else saved meanwhile (``theirs``)."""

    source: str
    revision: int
    saved_html: str = ""  # the stored text as the report shows it
    error: str = ""
    theirs: ReportText | None = None
    theirs_by: str = ""

    @classmethod
    def of(cls, stored: ReportText | None) -> TextEditor:
        if stored is None:
            return cls(source="", revision=0)
        return cls(source=stored.source, revision=stored.revision, saved_html=stored.html)


def user_name(user) -> str:
    if user is None:
        return "someone"
    return user.get_full_name() or user.get_username()


def short_reach(obs: ThemeObservation) -> str:
    """"5 of 6 systems, 23 organisations" for the index table ("Not raised" for none)."""
    if not obs.finding_count:
        return "Not raised"
    orgs = plural(obs.organisation_count, "organisation")
    if obs.total_systems:
        return f"{obs.system_count} of {obs.total_systems} systems, {orgs}"
    return orgs


@dataclass(frozen=True)
class ObservationRow:
    id: int
    text: str
    theme: str
    reach: str
    revision: int
    first: bool
    last: bool


def observation_rows(rows: list[SummaryObservation],
                     observations: list[ThemeObservation]) -> list[ObservationRow]:
    by_key = {o.key: o for o in observations}
    return [
        ObservationRow(id=row.pk, text=row.text, theme=row.theme.name if row.theme_id else "",
                       reach=reach(by_key.get(row.theme.key)) if row.theme_id else "",
                       revision=row.revision, first=i == 0, last=i == len(rows) - 1)
        for i, row in enumerate(rows)
    ]


def theme_items(themes, chosen_id: int | None) -> list[dict]:
    """The select's items: no theme, then the framework's themes."""
    items = [{"value": "", "text": "No theme (a message of its own)", "selected": chosen_id is None}]
    items += [{"value": str(t.pk), "text": t.name, "selected": t.pk == chosen_id} for t in themes]
    return items


@dataclass(frozen=True)
class CandidateRow:
    finding_id: int
    text: str
    organisation: str
    system: str
    polarity: str
    source: str
    href: str
    chosen: bool


def candidate_rows(findings: list[Finding], *, chosen: set[int], slug: str,
                   tree: OrgTree) -> list[CandidateRow]:
    return [
        CandidateRow(finding_id=f.pk, text=f.text, organisation=f.organisation.name,
                     system=tree.system_name(f.organisation_id),
                     polarity=f.get_polarity_display(), source=source_of(f),
                     href=finding_url(slug, f.pk), chosen=f.pk in chosen)
        for f in findings
    ]


def quote_rows(quotes, *, slug: str) -> list[CandidateRow]:
    """The report's suggested quotes (``report.data.Quote``), as rows with their links."""
    return [
        CandidateRow(finding_id=q.finding_id, text=q.text, organisation=q.organisation,
                     system=q.system, polarity=q.polarity_label, source=q.source,
                     href=finding_url(slug, q.finding_id), chosen=False)
        for q in quotes
    ]


def optional_address(name: str, slug: str) -> str:
    """The address of another report page, or "" where it is not built in this checkout."""
    try:
        return review_address(name, slug)
    except NoReverseMatch:
        return ""


def polarity_items(chosen: str) -> list[dict]:
    items = [{"value": "", "text": "Any", "selected": not chosen}]
    return items + [{"value": value, "text": text, "selected": value == chosen}
                    for value, text in Polarity.choices]
