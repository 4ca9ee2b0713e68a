"""Where callers import documents: findings, examples, recommendations, case studies and
a response or progress document's answers, in one transaction per file.

Collect reads and stores the file (:mod:`stocktake.collect.importing`); the report app
records recommendations and case studies (:mod:`stocktake.report.importing`); this app
records responses to recommendations (:func:`stocktake.track.actions.record_responses`).
Each lower app is handed the actions of the higher ones, so none imports upwards.
"""

from __future__ import annotations

from stocktake.collect.importing import ImportResult
from stocktake.report import importing as report_importing
from stocktake.track.actions import record_responses


def import_document(**kwargs) -> ImportResult:
    """:func:`stocktake.collect.importing.import_document` with every part of a file stored."""
    return report_importing.import_document(add_responses=record_responses, **kwargs)


def import_paths(**kwargs) -> list[ImportResult]:
    """:func:`stocktake.collect.importing.import_paths` with every part of a file stored."""
    return report_importing.import_paths(add_responses=record_responses, **kwargs)
