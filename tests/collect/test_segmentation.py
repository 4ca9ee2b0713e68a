"""Cutting text into findings, and matching headings to domains and sections."""

import pytest

from stocktake.collect.importers import DomainMatcher, default_domains
from stocktake.collect.importers.matching import match_kind_value, match_section
from stocktake.collect.importers.segment import sentences, split_items, split_paragraph


def test_sentences_do_not_break_after_abbreviations_initials_or_decimals():
    text = ("Dr. Patel led the work, e.g. on wards 3 and 4. Occupancy reached 98.5 per cent in Jan. "
            "2025. Staff at St. Ann's were redeployed.")
    assert sentences(text) == [
        "Dr. Patel led the work, e.g. on wards 3 and 4.",
        "Occupancy reached 98.5 per cent in Jan. 2025.",
        "Staff at St. Ann's were redeployed.",
    ]


def test_short_paragraphs_stay_whole():
    text = "Video clinics started quickly. Patients liked them."
    assert split_paragraph(text) == [text]


def test_long_paragraphs_split_into_distinct_sentences_keeping_leaning_ones():
    text = (
        "The discharge lounge moved patients home earlier in the day than before the winter. "
        "Volunteers from the voluntary sector drove people home and checked they had food. "
        "This freed beds in the morning for patients waiting in the emergency department. "
        "Pharmacy introduced a fast track for discharge medicines that cut waits by two hours. "
        "However, weekend cover stayed thin."
    )
    parts = split_paragraph(text)
    assert len(parts) == 3
    assert parts[1].startswith("Volunteers") and parts[1].endswith("emergency department.")
    assert parts[2].endswith("weekend cover stayed thin.")
    assert " ".join(parts) == text  # nothing lost, nothing cut mid-sentence


@pytest.mark.parametrize("cell, items", [
    ("• One thing\n• Another thing", ["One thing", "Another thing"]),
    ("<ul><li>First item</li><li>Second item</li></ul>", ["First item", "Second item"]),
    ("1. Numbered first\n2) Numbered second", ["Numbered first", "Numbered second"]),
    ("- item that wraps\n  onto a second line\n- next item", ["item that wraps onto a second line", "next item"]),
    ("A single statement in one cell.", ["A single statement in one cell."]),
    ("beds were full; staff were tired; care homes were closed", ["beds were full", "staff were tired", "care homes were closed"]),
    ("   ", []),
])
def test_split_items(cell, items):
    assert split_items(cell) == items


@pytest.mark.parametrize("heading, key", [
    ("Governance", "governance"),
    ("2.1 Governance", "governance"),
    ("GOVERNANCE:", "governance"),
    ("Domain 2: Clinical & Quality Processes", "clinical-quality"),
    ("clinical and quality", "clinical-quality"),
    ("3) Support processes", "support-processes"),
    ("Leadership & Culture – key achievements", "leadership-culture"),
    ("support-processes", "support-processes"),
    ("Finance", None),
    ("Introduction", None),
    ("", None),
])
def test_domain_matching(heading, key):
    assert DomainMatcher(default_domains()).match(heading) == key


def test_domain_matcher_takes_any_framework():
    matcher = DomainMatcher([("workforce", "Workforce and Training"), ("estates", "Estates")])
    assert matcher.match("4.2 Workforce & training") == "workforce"
    assert matcher.match("Governance") is None


@pytest.mark.parametrize("heading, kind", [
    ("Key achievements", "achievements"), ("Challenges:", "challenges"),
    ("2.1.3 Significant learning", "learning"), ("Lessons learnt", "learning"),
    ("Examples of innovation or good practice", "examples"), ("What should be kept", "keep"),
    ("Governance", None),
])
def test_section_matching(heading, kind):
    assert match_section(heading) == kind


def test_kind_values_in_cells():
    assert [match_kind_value(v) for v in ("Achievement", "challenges", "Lesson", "x")] == [
        "achievements", "challenges", "learning", None]
