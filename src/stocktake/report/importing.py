"""Importing submission files with their recommendations and case studies.

A file may be a previous report with numbered recommendations and case studies.
Storing its findings and examples is collect's (:mod:`stocktake.collect.importing`);
recording its recommendations and case studies is this app's
(:func:`stocktake.report.actions.create_recommendation`,
:func:`~stocktake.report.actions.create_case_study`). These functions join the two,
so that collect never imports report (see ARCHITECTURE.md, layers). Callers import
through :mod:`stocktake.track.importing`, which adds a response document's answers.
"""

from __future__ import annotations

from stocktake.collect import importing
from stocktake.collect.importing import ImportResult
from stocktake.report.actions import create_case_study, create_recommendation


def import_document(**kwargs) -> ImportResult:
    """:func:`stocktake.collect.importing.import_document`, recommendations included."""
    kwargs.setdefault("add_case_study", create_case_study)
    return importing.import_document(add_recommendation=create_recommendation, **kwargs)


def import_paths(**kwargs) -> list[ImportResult]:
    """:func:`stocktake.collect.importing.import_paths`, recommendations included."""
    kwargs.setdefault("add_case_study", create_case_study)
    return importing.import_paths(add_recommendation=create_recommendation, **kwargs)
