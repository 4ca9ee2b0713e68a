"""Response and progress documents: each recommendation quoted (or numbered), then answered.

A document is read as a response when at least three recommendations are
introduced by a marker — a line "Recommendation 12" (or "Recommendation 12:
quoted text"), a line naming the recommendation ("Inquiry recommendation")
followed by numbered quoted paragraphs, or numbered paragraphs each followed by
"Government response" / "Response:" — and answered in the paragraphs after it.
A short document of one or two is read as a response only where every answer
says it is one ("Government response: …", "Progress update – …", "Accepted. …"
or under a heading "Our response"), and a single answer only under a title
saying the document responds to a report.

Each answer gets a status from its wording (`status_rules.status_of`: a stated
status first, then the position its first sentences take). Recommendations
answered together share the answer.
"""

from __future__ import annotations

import re

from stocktake.collect.importers.furniture import PageLine
from stocktake.collect.importers.model import ExtractedResponse
from stocktake.collect.importers.recommendations import Para, follows, paragraphs
from stocktake.collect.importers.status_rules import stated, status_of

__all__ = ["find", "status_of", "titled"]

_MARKER = re.compile(r"^(?:#+\s*)?(?:[\w’'-]+\s+){0,3}(?:(?:conclusions? and )?recommendations?)"
                     r"\s*(?:R?\d{1,3}(?:\.\d{1,3})*[a-z]?)?\s*:?$", re.I)
_ANSWER_HEAD = re.compile(r"^(?:#+\s*)?(?:(?:the\s+)?(?:government|department|our|trust|board|ics|icb|nhs\s*\w*)?\s*"
                          r"(?:response|reply|progress(?: update)?|update|position)|status|action(?:s)? taken)"
                          r"\s*[:.–-]?\s*", re.I)
# An answer that says it is one: "Government response: …", "Progress update – …", "Status: …".
_MARKED = re.compile(r"^(?:#+\s*)?(?:(?:the\s+)?(?:government|department|our|trust|board|ics|icb|nhs\s*\w*)"
                     r"(?:'s|’s)?\s+)?(?:response|reply|progress(?: update)?|update|position|status|"
                     r"actions? taken)\s*[:.–—-]\s*\S", re.I)
# A title saying the document answers a report: "Government response to the Committee's report",
# "Progress update on the review's recommendations" (not "Winter response: learning review").
_RESPONSE_TITLE = re.compile(
    r"\bresponse to\b.{0,120}?\b(?:report|review|inquiry|investigation|recommendations?)\b|"
    r"\b(?:progress|implementation) (?:report|update|plan)\b.{0,80}?\brecommendations?\b|"
    r"\brecommendations?\b.{0,80}?\b(?:progress|implementation) (?:report|update)\b|"
    r"\bimplementation of (?:the |its |our )?recommendations\b", re.I)

# The first sentence of an answer: who answers, and how.
_ANSWERS = re.compile(
    r"(?<=[.!?)”])\s+(?=(?:(?:The|This|HM) )?(?:Government|Department|Minister|Secretary of State|Board|Trust|"
    r"ICB|Council|NHS England|Agency|Committee's|We (?:accept|agree|welcome|note|will|are|have|do not|support))\b|"
    r"(?:Accepted|Agreed|Not accepted|Rejected|Noted|Partially accepted)\b)")


def _split_answer(text: str) -> tuple[str, str]:
    """(quotation, answer) of a quotation run on into its answer, at the first sentence after
    the first that starts the way answers do ("The Government …", "Accepted."); else (text, "")."""
    first = re.search(r"[.!?)”]\s", text)
    if not first:
        return text, ""
    match = _ANSWERS.search(text, first.start())
    if not match:
        return text, ""
    return text[:match.start()].strip(), text[match.end():].strip()


def _label_number(label: str, order: int) -> int:
    return int(label) if label.isdigit() else order


def _marker_label(para: Para) -> str | None:
    """"Recommendation 12" → "12"; "Inquiry recommendation" → "" (the numbers follow); else None."""
    if para.kind == "item" and para.labelled and len(para.text.split()) <= 3:
        return para.label
    text = para.text if para.kind != "item" else ""
    if text and _MARKER.match(text) and len(text.split()) <= 6:
        number = re.search(r"(R?\d{1,3}(?:\.\d{1,3})*[a-z]?)\s*:?$", text)
        if number:
            return number[1]
        # without a number, only a named one over the quotation ("Inquiry recommendation"),
        # not a list's heading ("Recommendations", "Summary of recommendations")
        if re.match(r"^(?:#+\s*)?(?!(?:summary|list|our|key|the|main|draft|further)\b)[\w’'-]+\s+(?:[\w’'-]+\s+)*"
                    r"recommendation\s*:?$", text, re.I):
            return ""
    return None


def _marked(answer: str) -> bool:
    """Whether an answer opens as one: an answer's label, or a stated status ("Accepted. …")."""
    return bool(_MARKED.match(answer)) or stated(answer) is not None


def _title_answers(paras: list[Para]) -> bool:
    """Whether the title and what follows it (the first paragraphs) say the document answers a report."""
    return bool(_RESPONSE_TITLE.search(" ".join(p.text for p in paras[:6])))


def titled(lines: list[PageLine]) -> bool:
    """Whether the document's title says it answers a report."""
    return _title_answers(paragraphs(lines[:80]))


def find(lines: list[PageLine]) -> list[ExtractedResponse] | None:
    """The responses of a response document; None when the document is not one."""
    paras = paragraphs(lines)
    units: list[tuple[list[tuple[str, str]], list[str], str, bool]] = []  # ([(label, quoted)], answer, where, marked)
    labels: list[tuple[str, str]] = []
    answer: list[str] = []
    where = ""
    in_quote = False
    headed = False  # an answer heading ("Government response") came before the answer

    def close() -> None:
        nonlocal labels, answer, in_quote, headed
        if labels and not answer and labels[-1][1]:
            # quotation and answer run together (a text export that lost the blank line)
            quoted, said = _split_answer(labels[-1][1])
            if said:
                labels[-1] = (labels[-1][0], quoted)
                answer = [said]
        if labels:
            units.append((labels, answer, where, headed or bool(answer) and _marked(answer[0])))
        labels, answer, in_quote, headed = [], [], False, False

    answers_report = _title_answers(paras)
    # Without markers, a response titled as one numbers the recommendations it quotes:
    # "1. The Committee recommends … (Paragraph 12)", then the answer (unnumbered).
    numbered = answers_report and not any(_marker_label(p) is not None or p.kind == "item" and p.labelled
                                  for p in paras)
    last: str | None = None

    for para in paras:
        if numbered and para.kind == "item" and follows(last, para.label):
            if answer:
                close()
            if not labels:
                where = para.location
            labels.append((para.label, para.text))
            last = para.label
            continue
        marker = _marker_label(para)
        if marker is not None:
            if answer or not labels:
                close()
            where = para.location
            in_quote = True
            if marker:
                labels.append((marker, ""))
            # "Recommendation 3: quoted text" (a labelled item with text) quotes on the same line
            continue
        if para.kind == "item" and para.labelled:
            close()
            where = para.location
            labels.append((para.label, para.text))
            in_quote = False
            continue
        if not labels and not in_quote:
            continue
        if para.kind == "heading" and _ANSWER_HEAD.fullmatch(para.text.strip()):
            in_quote, headed = False, True
            continue
        if in_quote and para.kind == "item" and not para.labelled:
            labels.append((para.label, para.text))
            continue
        if in_quote and labels and not labels[-1][1] and para.kind != "heading":
            labels[-1] = (labels[-1][0], para.text)  # the quotation under "Recommendation 12"
            in_quote = False
            continue
        head = _ANSWER_HEAD.match(para.text)
        if in_quote and head and head.end() < len(para.text):
            in_quote = False
        if para.kind == "heading" and not answer:
            continue
        if labels:
            in_quote = False
            answer.append(para.text)
    close()
    units = [unit for unit in units if unit[1]]  # a quotation nobody answered is no response
    if len(units) < 3 and not (units and all(unit[3] for unit in units) and (answers_report or len(units) == 2)):
        # one or two answers make a response document only where each says it is an answer
        # ("Government response: …", "Accepted. …"), and a single one only under a response's title
        return None
    if not answers_report and sum(1 for _, answer_paras, _, _ in units
                          if status_of("\n\n".join(answer_paras)) != "unknown") < 0.5 * len(units):
        return None  # a report that discusses each recommendation after stating it
    out: list[ExtractedResponse] = []
    for order, (pairs, answer_paras, location, _) in enumerate(units, start=1):
        text = "\n\n".join(answer_paras).strip()
        status = status_of(text)
        for label, quoted in pairs:
            out.append(ExtractedResponse(label=label, number=_label_number(label, len(out) + 1), text=text,
                                         status=status, recommendation_text=quoted, location=location))
    # a heading between units (a theme) is not part of the answer above it; the last unit's
    # trailing matter (annexes) is left as it is: an answer is read to the next recommendation.
    return out
