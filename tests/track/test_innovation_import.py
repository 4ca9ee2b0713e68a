"""Reading a spreadsheet of innovations: columns by header words, dates, rows' problems."""

from __future__ import annotations

import datetime as dt

import pytest

from stocktake.collect.importers.errors import ImportInputError
from stocktake.reviews.orgtree import OrgTree
from stocktake.track.innovation_import import field_for, parse_month, read_plan


@pytest.mark.parametrize("header, field", [
    ("Trust", "organisation"), ("Name of innovation", "title"), ("Team / service", "unit"),
    ("Description of the change", "what_changed"), ("Date started", "started_on"),
    ("Lead contact email", "lead_email"), ("Who leads it", "lead_name"),
    ("Benefits seen", "benefits"), ("Risks / issues", "risks"),
    ("Support needed", "support_needed"), ("Notes", None), ("", None),
])
def test_columns_are_read_by_their_header_words(header, field):
    assert field_for(header) == field


@pytest.mark.parametrize("text, date", [
    ("2024-03-15", dt.date(2024, 3, 15)), ("15/03/2024", dt.date(2024, 3, 15)),
    ("03/2024", dt.date(2024, 3, 1)), ("March 2024", dt.date(2024, 3, 1)),
    ("Mar-24", dt.date(2024, 3, 1)), ("2024-03", dt.date(2024, 3, 1)),
    ("2023", dt.date(2023, 1, 1)), ("soon", None), ("31/02/2024", None),
])
def test_dates_in_the_forms_people_write_them(text, date):
    assert parse_month(text) == date


def test_empty_corrupt_and_headerless_files_get_one_clear_message(world):
    tree = OrgTree.load()
    with pytest.raises(ImportInputError, match="the file is empty"):
        read_plan(b"", "log.csv", tree=tree)
    with pytest.raises(ImportInputError, match="could not be read"):
        read_plan(b"PK\x03\x04garbage", "log.xlsx", tree=tree)
    with pytest.raises(ImportInputError, match="choose a CSV file"):
        read_plan(b"data", "log.pdf", tree=tree)
    assert read_plan(b"\n\n", "log.csv", tree=tree).problems[0].startswith("The file has no rows")
    plan = read_plan(b"Notes,Comments\nx,y\n", "log.csv", tree=tree)
    assert plan.problems == ["No column for organisation or title: name the columns in the "
                             "first row (for example “Organisation”, “Title”, “What changed”)"]
    assert read_plan(b"Organisation,Title\n", "log.csv", tree=tree).problems == [
        "The file has a header row but no innovations below it"]


def test_rows_outside_the_users_scope_are_problems(world):
    tree = OrgTree.load()
    plan = read_plan(b"Organisation,Title,Email\nBCS,Hub,not-an-email\n", "log.csv", tree=tree,
                     may_log_for=lambda org_id: org_id == world.orgs["ashby"].pk)
    assert plan.problems == [
        "Row 2: you may not log innovations for Brackenford Community Services NHS Trust",
        "Row 2: “not-an-email” is not an email address"]
