"""Importing submission files with their recommendations: where callers import documents.

A file may be a previous report with numbered recommendations. Storing its
findings and examples is collect's (:mod:`stocktake.collect.importing`);
recording its recommendations is this app's action,
:func:`stocktake.report.actions.create_recommendation`. These functions join
the two, so that collect never imports report (see ARCHITECTURE.md, layers).
"""

from __future__ import annotations

from stocktake.collect import importing
from stocktake.collect.importing import ImportResult
from stocktake.report.actions import create_recommendation


def import_document(**kwargs) -> ImportResult:
    """:func:`stocktake.collect.importing.import_document`, recommendations included."""
    return importing.import_document(add_recommendation=create_recommendation, **kwargs)


def import_paths(**kwargs) -> list[ImportResult]:
    """:func:`stocktake.collect.importing.import_paths`, recommendations included."""
    return importing.import_paths(add_recommendation=create_recommendation, **kwargs)
