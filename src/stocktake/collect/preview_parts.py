"""The upload preview's report parts: section headings → themes (changeable), responses to
recommendations (which will attach, which not), case studies. Read-only, like the preview,
with the same matchers the import uses."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from stocktake.collect.importers import Extraction
from stocktake.collect.response_matching import matcher_for, response_name
from stocktake.collect.theme_matching import HeadingTheme, ThemeMatcher, heading_themes
from stocktake.core.text import plural
from stocktake.reviews.models import Review

SHOWN = 3  # items of each kind listed in the preview


@dataclass
class ReportParts:
    headings: list[HeadingTheme] = field(default_factory=list)
    theme_items: list[tuple[int, str]] = field(default_factory=list)  # (theme id, name) to choose
    response_count: int = 0
    responses: list[str] = field(default_factory=list)  # the first few, as lines
    responses_unmatched: list[str] = field(default_factory=list)  # every one, with why
    case_study_count: int = 0
    case_studies: list[str] = field(default_factory=list)
    labels_taken: list[str] = field(default_factory=list)  # printed labels the review already has

    @property
    def response_summary(self) -> str:
        unmatched = len(self.responses_unmatched)
        text = plural(self.response_count, "response") + " to recommendations"
        if unmatched:
            text += (f": {self.response_count - unmatched} will be attached to their "
                     f"recommendation, {unmatched} not found in this review")
        return text

    @property
    def labels_taken_summary(self) -> str:
        return (f"This review already has {plural(len(self.labels_taken), 'recommendation')} numbered "
                f"{', '.join(self.labels_taken)}. This file's recommendations keep their printed numbers and are listed "
                "with the document's name beside them (\u201cRecommendation 1 \u2014 from …\u201d), "
                "so that the two can be told apart.")


def report_parts(review: Review, extraction: Extraction,
                 chosen: dict[str, int | None] | None = None) -> ReportParts:
    """``chosen``: the theme already chosen for a heading in this preview (kept when the
    preview is read again, as the import would honour it)."""
    parts = ReportParts()
    if extraction.recommendations:
        themes = ThemeMatcher(review)
        parts.headings = heading_themes(themes, (r.section for r in extraction.recommendations))
        parts.theme_items = [(t.pk, t.name) for t in themes.themes.values()]
        names = dict(parts.theme_items)
        parts.headings = [replace(h, theme_id=chosen[h.heading], theme_name=names.get(chosen[h.heading], ""))
                          if chosen and h.heading in chosen and (chosen[h.heading] is None
                                                                 or chosen[h.heading] in names) else h
                          for h in parts.headings]
        # as the import numbers them: a number the review already has is taken
        taken = set(review.recommendations.values_list("number", flat=True))
        parts.labels_taken = [r.label or str(r.number) for r in extraction.recommendations
                              if r.number is not None and r.number in taken]
    if extraction.responses:
        matcher = matcher_for(review)
        parts.response_count = len(extraction.responses)
        for item in extraction.responses:
            found = matcher.match(label=item.label, number=item.number,
                                  quoted=item.recommendation_text)
            if found.target is None:
                where = f" ({item.location})" if item.location else ""
                parts.responses_unmatched.append(
                    f"{response_name(item.label, item.number).capitalize()}{where}: "
                    f"{found.reason}; it will be kept unattached")
        parts.responses = [f"{response_name(r.label, r.number).capitalize()}: "
                           f"{r.status.replace('_', ' ')}" for r in extraction.responses[:SHOWN]]
    parts.case_study_count = len(extraction.case_studies)
    parts.case_studies = [c.title + (f" ({c.person})" if c.person else "")
                          for c in extraction.case_studies[:SHOWN]]
    return parts
