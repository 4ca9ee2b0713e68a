"""Wording every format shares, so HTML, Word and PDF say the same thing from the same data.

The renderers differ only in markup: which appendix letter a part gets, how a
version is stamped, what a recommendation's details line says and how many of
its cited findings are shown are decided here once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import nh3

from stocktake.core.richtext import ALLOWED_ATTRIBUTES, ALLOWED_SCHEMES, ALLOWED_TAGS
from stocktake.core.text import plural
from stocktake.report.data import RecommendationItem, ReportData

LANGUAGE = "en-GB"  # the report's language in every format (html lang, Word, PDF metadata)
CITATIONS_SHOWN = 5  # cited findings printed under a recommendation; the rest are counted
DRAFT_STAMP = "Draft for review — not published"
# The draft once a version is published: what a correction would publish next.
CORRECTION_DRAFT_STAMP = "Draft of a correction — not published"


def long_date(value: dt.date | None) -> str:
    """ "3 March 2026" ("" for none)."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def version_stamp(data: ReportData) -> str:
    """What each page says about the version: "Version 2, published 3 March 2026", or the draft."""
    if data.is_draft:
        return CORRECTION_DRAFT_STAMP if data.status in ("tracking", "closed") else DRAFT_STAMP
    published = long_date(data.published_on)
    return f"Version {data.version}, published {published}" if published else \
        f"Version {data.version}"


def shows_draft_warning(data: ReportData) -> bool:
    """The draft warning: an unpublished report of a review not yet tracking its recommendations."""
    return data.is_draft and data.status not in ("tracking", "closed")


@dataclass(frozen=True)
class Appendix:
    anchor: str
    heading: str


def appendices(data: ReportData) -> dict[str, Appendix]:
    """The appendices in order, lettered A, B, C…; case studies only where there are some."""
    parts = [("examples", "appendix-examples", "Examples of good practice")]
    if data.case_studies:
        parts.append(("case_studies", "appendix-case-studies", "Case studies"))
    parts.append(("method", "appendix-method", "Method"))
    return {key: Appendix(anchor, f"Appendix {chr(ord('A') + i)}: {title}")
            for i, (key, anchor, title) in enumerate(parts)}


def recommendation_heading(rec: RecommendationItem) -> str:
    """ "Recommendation 12" (as printed, with the document it came from where two share one)."""
    origin = f" ({rec.origin})" if rec.origin else ""
    return f"Recommendation {rec.shown_number}{origin}"


def recommendation_details(rec: RecommendationItem) -> tuple[tuple[str, str], ...]:
    """(label, value) pairs shown under a recommendation's text, only those that are set."""
    details = [("Owner", rec.owner or "Not assigned")]
    if rec.lead_contact:
        details.append(("Lead contact", rec.lead_contact))
    if rec.due_date:
        details.append(("Due", long_date(rec.due_date)))
    return tuple(details)


def shown_citations(rec: RecommendationItem):
    """The cited findings printed under a recommendation (bounded) and how many more there are."""
    shown = rec.citations[:CITATIONS_SHOWN]
    return shown, len(rec.citations) - len(shown)


def more_citations(count: int) -> str:
    return f"and {plural(count, 'more cited finding')}" if count else ""


def citation_source(organisation: str, source: str) -> str:
    """ "Ashby Hospitals NHS Trust, returns.docx, table 2 row 4"."""
    return ", ".join(part for part in (organisation, source) if part)


def merged_note(count: int) -> str:
    """What the appendix says of an example others were merged into."""
    if not count:
        return ""
    return (f"Also reported in {plural(count, 'other submission')}; "
            f"{'the duplicate was' if count == 1 else 'the duplicates were'} merged into this one.")


def method_counts(data: ReportData) -> str:
    """Submissions, findings and sessions counted, in one sentence."""
    p = data.participation
    parts = [plural(p.submissions_submitted, "submission") + " from "
             + plural(p.submitted_count, "organisation"),
             plural(p.finding_count, "finding")]
    parts.append(plural(data.method.session_count, "reflection session")
                 if data.method.session_count else "no reflection sessions held yet")
    return "The report draws on " + ", ".join(parts[:-1]) + " and " + parts[-1] + "."


def clean_narrative(html: str) -> str:
    """Narrative HTML cleaned again with the allow-list it was stored with (core.richtext).

    Narratives are sanitised when saved; cleaning on the way out as well means a
    report built from other data (an imported data pack) can carry no markup
    beyond :data:`~stocktake.core.richtext.ALLOWED_TAGS` either.
    """
    return nh3.clean(html or "", tags=set(ALLOWED_TAGS),
                     attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                     url_schemes=set(ALLOWED_SCHEMES), link_rel="noopener noreferrer")
