"""Staff learning pages: a questionnaire's state in words, the question rows of the lead's
form, and the questions of the public page grouped by domain. No database access."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from stocktake.collect.models import SectionKind

BLANK_ROWS = 3  # empty question rows the form adds for new questions


def _day(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def dates_text(opens_on: date | None, closes_on: date | None) -> str:
    if opens_on and closes_on:
        return f"{_day(opens_on)} to {_day(closes_on)}"
    if opens_on:
        return f"from {_day(opens_on)}"
    if closes_on:
        return f"until {_day(closes_on)}"
    return "no dates set"


def state(questionnaire, today: date) -> tuple[str, str]:
    """(label, NHS tag colour) of a questionnaire on ``today``."""
    if not questionnaire.is_open:
        return "Closed", "grey"
    if questionnaire.opens_on and today < questionnaire.opens_on:
        return "Not open yet", "yellow"
    if questionnaire.closes_on and today > questionnaire.closes_on:
        return "Past its closing date", "grey"
    return "Open", "green"


@dataclass(frozen=True)
class QuestionRow:
    number: int
    domain: str
    kind: str
    text: str


def question_rows(questions: list[dict], *, blank: int = BLANK_ROWS) -> list[QuestionRow]:
    rows = [QuestionRow(n, q.get("domain", ""), q.get("kind", SectionKind.GENERAL),
                        q.get("text", "")) for n, q in enumerate(questions, start=1)]
    start = len(rows) + 1
    rows += [QuestionRow(start + i, "", SectionKind.LEARNING, "") for i in range(blank)]
    return rows


def questions_from_post(post) -> list[dict]:
    """The question rows the lead's form sent, in order (blank ones are dropped later)."""
    rows, number = [], 1
    while f"q-text-{number}" in post:
        rows.append({"domain": post.get(f"q-domain-{number}", ""),
                     "kind": post.get(f"q-kind-{number}", ""),
                     "text": post.get(f"q-text-{number}", "")})
        number += 1
    return rows


@dataclass(frozen=True)
class AskedQuestion:
    number: int  # 1-based, as the answer field "q<number>" and the findings' locations
    text: str
    hint: str


@dataclass(frozen=True)
class QuestionGroup:
    heading: str
    description: str
    questions: tuple[AskedQuestion, ...]


def question_groups(questions: list[dict], domains: list[tuple[str, str, str]]) -> list[QuestionGroup]:
    """The questions in runs by domain, as the public page shows them (``domains``: the
    framework's (key, name, description)); questions with no domain under "Anything else"."""
    names = {key: (name, description) for key, name, description in domains}
    groups: list[tuple[str, list[AskedQuestion]]] = []
    for number, question in enumerate(questions, start=1):
        key = question.get("domain", "") if question.get("domain", "") in names else ""
        if not groups or groups[-1][0] != key:
            groups.append((key, []))
        hint = SectionKind(question["kind"]).label if question.get("kind") in (
            SectionKind.ACHIEVEMENTS, SectionKind.CHALLENGES, SectionKind.LEARNING,
            SectionKind.EXAMPLES, SectionKind.KEEP) else ""
        groups[-1][1].append(AskedQuestion(number, question["text"], hint))
    return [QuestionGroup(names[key][0] if key else "Anything else",
                          " ".join(names[key][1].split()) if key else "", tuple(items))
            for key, items in groups]
