"""The team conversation pack of a review, and the questions staff are asked.

The framework's prompts (the submission template's headings, :data:`PROMPTS`) are asked
as questions: in the staff learning questionnaire (:func:`default_questions`), in the
facilitator guide (:func:`guide_docx`) and as the headings of the notes template
(:func:`notes_template_docx`, the submission template's machinery with a "Team" field),
whose filled-in notes the importers read back as findings of that team's organisation.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document
from docx.shared import Cm, Pt, RGBColor

from stocktake.analysis.errors import InputError
from stocktake.collect import importers
from stocktake.collect.importers import Extraction
from stocktake.collect.importers.template import PROMPTS, TEAM_NOTES, TemplateSpec, build
from stocktake.collect.models import SectionKind
from stocktake.collect.word_template import template_spec
from stocktake.core.errors import InvalidInput
from stocktake.reviews.models import Organisation, Review

# Each prompt of the template as a question to a person or a team.
QUESTIONS = {
    SectionKind.ACHIEVEMENTS: "What went well, and what are you proud of?",
    SectionKind.CHALLENGES: "What was hard, and why?",
    SectionKind.LEARNING: "What did you learn that others should know?",
    SectionKind.EXAMPLES: "What new ways of working or good practice did you try, and what "
                          "difference did they make?",
    SectionKind.KEEP: "What did you start or change that should carry on?",
}
# The prompts the questionnaire asks by default in each domain (all five make it too long).
QUESTIONNAIRE_KINDS = (SectionKind.ACHIEVEMENTS, SectionKind.CHALLENGES, SectionKind.LEARNING)
MINUTES_PER_DOMAIN = 10


def default_questions(review: Review) -> list[dict]:
    """The questionnaire's questions before the lead edits them: for each domain of the
    review's framework, what went well, what was hard and what was learned."""
    return [{"domain": domain.key, "kind": str(kind), "text": QUESTIONS[kind]}
            for domain in review.framework.domains.order_by("position", "id")
            for kind in QUESTIONNAIRE_KINDS]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


# -- the notes template ------------------------------------------------------------------------


def notes_spec(review: Review, *, organisation: Organisation | None = None, team: str = "",
               notes: dict | None = None) -> TemplateSpec:
    base = template_spec(review, organisation=organisation)
    return TemplateSpec(review_slug=base.review_slug, review_title=base.review_title,
                        domains=base.domains, scope=base.scope, organisation=base.organisation,
                        kind=TEAM_NOTES, team=team, answers=dict(notes or {}))


def notes_template_docx(review: Review, *, organisation: Organisation | None = None,
                        team: str = "", notes: dict | None = None) -> bytes:
    """The Word notes template (prefilled with ``organisation`` when given; ``team`` and
    ``notes``, {(domain key, section kind): [points]}, for a copy already filled in)."""
    return build(notes_spec(review, organisation=organisation, team=team, notes=notes))


def notes_filename(review: Review, *, organisation: Organisation | None = None,
                   team: str = "") -> str:
    """"winter-2026-agh-team-notes-template.docx"; with ``team``, a filled-in copy's name."""
    who = _slug(organisation.display_name) if organisation is not None else ""
    end = f"{_slug(team)}-team-notes" if team else "team-notes-template"
    return "-".join(p for p in (review.slug, who, end) if p) + ".docx"


def read_notes(review: Review, path: Path, *, name: str, max_bytes: int) -> Extraction:
    """A filled-in notes template's points. Raises InvalidInput, with one line, for a file
    that is not this review's notes template or holds no notes."""
    domains = [(d.key, d.name) for d in review.framework.domains.all()]
    try:
        extraction = importers.extract(path, domains=domains, name=name, max_bytes=max_bytes)
    except InputError as exc:
        raise InvalidInput(str(exc)) from None
    if extraction.template_kind != TEAM_NOTES:
        raise InvalidInput(f"{name}: this is not the team conversation notes template; download "
                           "the template from this page and write the notes in it")
    if extraction.template != review.slug:
        raise InvalidInput(f"{name}: these notes were written for another review "
                           f"('{extraction.template}'), not {review.title}")
    if not extraction.findings and not extraction.examples:
        raise InvalidInput(f"{name}: the notes template has no notes in it")
    return extraction


# -- the facilitator guide ---------------------------------------------------------------------

BEFORE = (
    "Invite one team, ward or service: six to ten people, with a mix of roles and grades, "
    "including people who joined during the period the review looks at.",
    "Allow {minutes} minutes. Book a quiet room or a video call where people can talk freely.",
    "Agree who facilitates and who takes notes. The facilitator asks the questions and keeps "
    "time; the note-taker writes in the notes template and does not join in.",
    "Download the notes template from the review's Staff learning page; your organisation's "
    "name is already in it. Write your team's name under \u201cTeam\u201d.",
)
GROUND_RULES = (
    "Everyone's experience counts, whatever their role. There are no wrong answers.",
    "What is said stays in the room: the notes record what was learned, never who said it.",
    "No names of patients, service users or colleagues, and no NHS numbers or other details "
    "that could identify someone.",
    "It is fine to disagree. Note the different views rather than forcing agreement.",
)
AFTER = (
    "Read the notes back to the team, or share them within a week, so people can correct them.",
    "Save the notes as a Word file (.docx) and upload them on the review's Staff learning page "
    "(contributors upload for their own organisation), or send them to the review team.",
    "Each point becomes a finding of your organisation, marked with your team's name, and is "
    "analysed with every other submission. Staff can also answer the individual online "
    "questionnaire if the review team has opened one.",
)
FACILITATION_TIPS = (
    "Start with what went well: it makes the harder questions easier to answer.",
    "Ask for an example: \u201cCan you tell us about a time when…?\u201d",
    "Follow up with \u201cWhat made that work?\u201d or \u201cWhat got in the way?\u201d",
    "Give quieter people a turn, or a minute to write their thoughts down first.",
    "Leave out a domain that does not apply to your team rather than rushing every one.",
)


def _bullets(document, lines) -> None:
    for line in lines:
        document.add_paragraph(line, style="List Bullet")


def guide_docx(review: Review) -> bytes:
    """The facilitator guide: how to run a team conversation, and the framework's questions
    domain by domain, with timings."""
    domains = list(review.framework.domains.order_by("position", "id"))
    minutes = 20 + MINUTES_PER_DOMAIN * len(domains)
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(12)
    for name, size in (("Title", 26), ("Heading 1", 18), ("Heading 2", 13)):
        document.styles[name].font.size = Pt(size)
        document.styles[name].font.color.rgb = RGBColor(0x00, 0x30, 0x87)  # NHS dark blue
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    core = document.core_properties
    core.title = f"Team conversation guide: {review.title}"
    core.author, core.language = "stocktake", "en-GB"

    document.add_heading(core.title, level=0)
    document.add_paragraph(
        f"This guide helps a team talk about what it learned, for {review.title}. A "
        "facilitator runs the conversation; a note-taker records it in the notes template, "
        "and the notes are uploaded back to the review, where they become findings of your "
        "organisation, marked with your team's name.")
    if review.scope.strip():
        document.add_paragraph(" ".join(review.scope.split()))
    document.add_heading("Before the conversation", level=1)
    _bullets(document, (line.format(minutes=minutes) for line in BEFORE))
    document.add_heading("Ground rules to read out", level=1)
    _bullets(document, GROUND_RULES)
    document.add_heading("Running it", level=1)
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Minutes", "What happens"
    rows = [("5", "Welcome, why we are here, the ground rules")]
    rows += [(str(MINUTES_PER_DOMAIN), d.name) for d in domains]
    rows += [("10", "What should be kept, and anything else the team wants the review to hear"),
             ("5", "Thank people; say how the notes will be shared and used")]
    for minutes_text, what in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = minutes_text, what
    document.add_heading("Tips for the facilitator", level=1)
    _bullets(document, FACILITATION_TIPS)
    document.add_heading("The questions", level=1)
    document.add_paragraph(
        "The same headings are in the notes template, so the note-taker writes each point "
        "under the question it answers.")
    for domain in domains:
        document.add_heading(domain.name, level=2)
        if domain.description:
            document.add_paragraph(" ".join(domain.description.split()))
        for kind, heading, _ in PROMPTS:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(f"{heading}: ").bold = True
            paragraph.add_run(QUESTIONS[kind])
    document.add_heading("After the conversation", level=1)
    _bullets(document, AFTER)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def guide_filename(review: Review) -> str:
    return f"{review.slug}-team-conversation-guide.docx"
