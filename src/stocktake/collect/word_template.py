"""The Word submission template of a review: made here from the review, read back by the importers.

:func:`template_docx` makes the template (``collect.importers.template.build``) from
the review's framework and dates, prefilled with an organisation when a contributor
downloads it for theirs; :func:`check_review` warns when a filled-in template made for
another review is imported into this one (its answers are matched to this review's
domains by name, so they are not lost).
"""

from __future__ import annotations

import re

from stocktake.collect.importers import Extraction
from stocktake.collect.importers.template import TemplateDomain, TemplateSpec, build
from stocktake.reviews.models import Organisation, Review
from stocktake.reviews.orgtree import OrgTree


def _day(value) -> str:
    return f"{value.day} {value:%B %Y}"


def dates_line(review: Review) -> str:
    """"Submissions open 1 March 2026 and close 30 April 2026" (or the half that is known)."""
    if review.opens_on and review.closes_on:
        return f"Submissions open {_day(review.opens_on)} and close {_day(review.closes_on)}."
    if review.closes_on:
        return f"Submissions close {_day(review.closes_on)}."
    if review.opens_on:
        return f"Submissions open {_day(review.opens_on)}."
    return ""


def template_spec(review: Review, *, organisation: Organisation | None = None,
                  tree: OrgTree | None = None) -> TemplateSpec:
    system = ""
    if organisation is not None:
        found = (tree or OrgTree.load()).system_of(organisation.pk)
        system = found.name if found is not None and found.pk != organisation.pk else ""
    return TemplateSpec(
        review_slug=review.slug, review_title=review.title, dates=dates_line(review),
        scope=" ".join(review.scope.split()),
        domains=tuple(TemplateDomain(d.key, d.name, d.description)
                      for d in review.framework.domains.order_by("position", "id")),
        organisation=organisation.name if organisation is not None else "", system=system)


def template_docx(review: Review, *, organisation: Organisation | None = None) -> bytes:
    """The review's Word submission template (prefilled with ``organisation`` when given)."""
    return build(template_spec(review, organisation=organisation))


def template_filename(review: Review, *, organisation: Organisation | None = None) -> str:
    """"winter-2026-submission-template.docx", or with the organisation's name in it."""
    who = ""
    if organisation is not None:
        who = re.sub(r"[^a-z0-9]+", "-", organisation.display_name.lower()).strip("-")[:60]
    return "-".join(p for p in (review.slug, who, "submission-template") if p) + ".docx"


def check_review(extraction: Extraction, review: Review) -> None:
    """A problem on ``extraction`` when it is a template made for another review."""
    if extraction.template and extraction.template != review.slug:
        extraction.problem("", f"this Word template was made for another review "
                               f"('{extraction.template}'), not {review.title}; its answers were "
                               "matched to this review's domains by their names")
