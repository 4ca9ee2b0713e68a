"""The Word submission template of a review: made here from the review, read back by the importers.

:func:`template_docx` makes the template (``collect.importers.template.build``) from
the review's framework and dates, prefilled with an organisation when a contributor
downloads it for theirs; :func:`check_review` warns when a filled-in template made for
another review is imported into this one (its answers are matched to this review's
domains by name, so they are not lost); :func:`read_for_form` puts a contributor's
filled-in template into their web form, as a draft they check before submitting.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from stocktake.analysis.errors import InputError
from stocktake.collect import importers
from stocktake.collect.actions import FORM_KINDS
from stocktake.collect.importers import Extraction
from stocktake.collect.importers.template import (
    TABLE_LOCATION,
    TEAM_NOTES,
    TemplateDomain,
    TemplateSpec,
    build,
)
from stocktake.collect.models import SectionKind
from stocktake.core.errors import InvalidInput
from stocktake.core.text import plural
from stocktake.reviews.models import Organisation, Review
from stocktake.reviews.orgtree import OrgTree, normalise_name


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


# -- a contributor's filled-in template, into their web form -------------------------------------


@dataclass
class FormAnswers:
    """A filled-in template as the web form's fields, and what could not go into them."""

    texts: dict[tuple[str, str], str] = field(default_factory=dict)  # (domain key, kind) -> text
    notes: list[str] = field(default_factory=list)  # warnings to show the contributor


def read_for_form(review: Review, upload, *, organisation: Organisation,
                  max_bytes: int) -> FormAnswers:
    """The answers of an uploaded template (a Django ``UploadedFile``) for ``organisation``'s
    web form. Raises InvalidInput, with one line, for a file that is not this review's
    template or has no answers."""
    name = Path(upload.name).name
    with tempfile.TemporaryDirectory(prefix="stocktake-template-") as folder:
        path = Path(folder) / "upload.docx"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        domains = [(d.key, d.name) for d in review.framework.domains.all()]
        try:
            extraction = importers.extract(path, domains=domains, name=name, max_bytes=max_bytes)
        except InputError as exc:
            raise InvalidInput(str(exc)) from None
    if not extraction.template:
        raise InvalidInput(f"{name}: this is not the review's Word template; download the "
                           "template from this page, or copy your answers into the form")
    if extraction.template_kind == TEAM_NOTES:
        raise InvalidInput(f"{name}: these are a team conversation's notes, not your "
                           "organisation's submission; upload them on the review's Staff "
                           "learning page")
    answers = FormAnswers()
    lines: dict[tuple[str, str], list[str]] = {}
    outside = 0
    for finding in extraction.findings:
        if finding.domain and finding.section in FORM_KINDS:
            lines.setdefault((finding.domain, finding.section), []).append(finding.text)
        else:
            outside += 1
    unplaced, others = 0, set()
    for example in extraction.examples:
        if not example.location.startswith(TABLE_LOCATION):
            continue  # an answer in an examples box: already in the form as that box's text
        if example.organisation and normalise_name(example.organisation) != normalise_name(
                organisation.name):
            others.add(example.organisation)
        if not example.domain:
            unplaced += 1
            continue
        text = f"{example.title}: {example.synopsis}" if example.synopsis else example.title
        lines.setdefault((example.domain, SectionKind.EXAMPLES), []).append(text)
    answers.texts = {key: "\n".join(found) for key, found in lines.items()}
    check_review(extraction, review)
    answers.notes = [p.message for p in extraction.problems
                     if "does not name its organisation" not in p.message]
    written = {normalise_name(f.organisation) for f in extraction.findings if f.organisation}
    if written and written != {normalise_name(organisation.name)}:
        answers.notes.append(f"The template names {extraction.findings[0].organisation}; its "
                             f"answers were added to the form of {organisation.name}")
    if outside:
        answers.notes.append(f"{plural(outside, 'answer')} under headings the form does not have "
                             "were left out: copy them into the right box")
    if unplaced:
        answers.notes.append(f"{plural(unplaced, 'best-practice example')} with no domain "
                             "were left out: add each to a domain's examples box")
    if others:
        answers.notes.append("Examples of other organisations (" + ", ".join(sorted(others))
                             + ") are in your form as your own; tell the review team whose they are")
    return answers
