"""The whole review as plain data: a JSON document, and findings as JSON Lines.

The JSON document is the data pack's (:mod:`stocktake.report.datapack.document`, format
``stocktake.review`` version 2, docs/data-pack.md): only submitted material, with
personal data no lead has decided on replaced (``[NHS number]`` …, see
collect.personal_data). Ordering is deterministic, so two exports of the same database
compare equal apart from ``exported_at``.
"""

from __future__ import annotations

import json
from typing import IO

from stocktake.collect.personal_data import hide_flagged
from stocktake.report.datapack.document import FORMAT, VERSION, review_document
from stocktake.report.queries import reportable_findings
from stocktake.reviews.models import Review
from stocktake.reviews.orgtree import OrgTree

EXPORT_FORMAT = FORMAT
EXPORT_VERSION = VERSION


def export_review(review: Review) -> dict:
    """A JSON-ready dict of the whole review (see :func:`review_document`)."""
    return review_document(review)


def findings_lines(review: Review):
    """The review's submitted findings as dicts ``{id, text, organisation, system}``."""
    tree = OrgTree.load()
    for f in hide_flagged(reportable_findings(review)):
        yield {
            "id": f.pk,
            "text": f.text,
            "organisation": f.organisation.name,
            "system": tree.system_name(f.organisation_id) or None,
        }


def export_findings_jsonl(review: Review, fp: IO[str]) -> int:
    """Write one JSON object per line for each submitted finding; returns how many.

    This is the input format of ``stocktake code``.
    """
    count = 0
    for row in findings_lines(review):
        fp.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")
        count += 1
    return count
