"""Reports and responses: the numbered recommendations of a report, or a response document's answers.

Called by the text and PDF readers with the document's lines (page furniture
removed, :mod:`.furniture`). A response or progress document (:mod:`.responses`)
yields responses and no recommendations: the recommendations it quotes are
already in the report it answers. Otherwise the report's numbered
recommendations (:mod:`.recommendations`) replace those the heading-following
assembler found, when there are any.
"""

from __future__ import annotations

from stocktake.collect.importers import recommendations, responses
from stocktake.collect.importers.furniture import PageLine
from stocktake.collect.importers.model import Extraction


def apply(extraction: Extraction, lines: list[PageLine]) -> None:
    answered = responses.find(lines)
    if answered and not responses.titled(lines):
        # a report that quotes a few earlier answers ("Recommendation 6 … Accepted") while
        # making more recommendations of its own is a report
        own = recommendations.find(lines, bold=False)
        if len(own) > len({r.label for r in answered}):
            answered = None
    if answered:
        extraction.responses = answered
        extraction.recommendations = []
        if extraction.findings:
            extraction.problem("", f"read as a response document: {len(answered)} responses to "
                                   f"recommendations; its {len(extraction.findings)} narrative passages "
                                   "were not taken as findings")
            extraction.findings = []
        return
    # a submission (findings that name their organisation) may set a sentence in bold that
    # says "should"; only a report's bold paragraphs are taken for recommendations
    found = recommendations.find(lines, bold=not any(f.organisation for f in extraction.findings))
    if found:
        extraction.recommendations = found
