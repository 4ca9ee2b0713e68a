"""Personal data in free text (stocktake.analysis.pii): each kind, the check digit, the negatives."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from stocktake.analysis import pii

ROOT = Path(__file__).resolve().parents[2]


def found(text, kind=None):
    return [(s.kind, s.text) for s in pii.detect(text) if kind is None or s.kind == kind]


@pytest.mark.parametrize("digits, ok", [
    ("9434765919", True), ("9434765918", False), ("4010232137", True), ("4010232138", False),
    ("0000000000", False), ("123456789", False), ("94347659191", False),
])
def test_the_modulus_11_check(digits, ok):
    assert pii.nhs_check_digit_ok(digits) is ok


@pytest.mark.parametrize("written", ["943 476 5919", "9434765919", "943-476-5919", "9434 765 919",
                                     "94 34 76 59 19", "943  476  5919"])
def test_an_nhs_number_is_found_however_it_is_spaced(written):
    text = f"The patient's number {written} was on the letter."
    assert found(text) == [("nhs_number", written)]
    assert pii.redact(text, pii.detect(text)) == "The patient's number [NHS number] was on the letter."


@pytest.mark.parametrize("text", [
    "The number 943 476 5918 fails the check.",        # check digit wrong
    "Barcode 94347659190 is eleven digits.",           # inside a longer run
    "Card 1943 476 5919 was refunded.",
    "Invoice 9434765919 was paid late.",               # a reference number
    "Datix 4010232137 was closed.",
])
def test_numbers_that_are_not_nhs_numbers(text):
    assert found(text, "nhs_number") == []


@pytest.mark.parametrize("phone", ["0113 496 0000", "07700 900123", "+44 (0)20 7946 0958",
                                   "+447700900111", "(0113) 496 0999", "020 7946 0958",
                                   "01632 960123", "0044 20 7946 0111", "0800 011 4444"])
def test_uk_phone_numbers(phone):
    assert found(f"Call {phone} today.") == [("uk_phone", phone)]


@pytest.mark.parametrize("text", [
    "Call 111 or 999.", "On 01/02/2023 at 07:30.", "Between 2019 and 2020 2021.",
    "It cost £0.5m and £1 234 567.", "Staff ID 00451278.", "Extension 4567.",
    "The sort code 40-47-84.", "Barcode 5012345678900.",
])
def test_things_that_are_not_phone_numbers(text):
    assert found(text, "uk_phone") == []


def test_emails_and_postcodes():
    text = "Write to jane.doe@nhs.net or to 2 Park Square, LS1 2NE, or SW1A 2AA, or ls18 4rt."
    assert found(text) == [("email", "jane.doe@nhs.net"), ("uk_postcode", "LS1 2NE"),
                           ("uk_postcode", "SW1A 2AA"), ("uk_postcode", "ls18 4rt")]
    assert found("Areas LS8 and LS9; Q3 2ND quarter; M6 3rd junction; version 2.3") == []


@pytest.mark.parametrize("text, name", [
    ("Seen by Dr Sarah Jones on Monday.", "Sarah Jones"),
    ("Mrs Patel said it helped.", "Patel"),
    ("Oluchi Adeyemi, Practice Manager, led it.", "Oluchi Adeyemi"),
    ("We spoke to Zainab Hussain about it.", "Zainab Hussain"),
    ("Margaret, 84, was discharged.", "Margaret"),
])
def test_personal_names(text, name):
    assert found(text, "person_name") == [("person_name", name)]


@pytest.mark.parametrize("text", [
    "Leeds Teaching Hospitals NHS Trust shared its plan.",
    "Florence Nightingale Hospital hosted the day.",
    "St Mary's Hospital and Queen Elizabeth Hospital took part.",
    "Marie Curie nurses supported families.",
    "May was the busiest month; Grace period extended; Will it last?",
    "The Chief Executive wrote to all staff.",
    "Victoria Road surgery shared data.",
    "We prescribed amoxicillin and Rivaroxaban.",
])
def test_organisations_places_roles_and_words_are_not_names(text):
    assert found(text, "person_name") == []


def test_redact_replaces_each_kind_and_keeps_the_rest():
    text = "Dr Sarah Jones (sarah@nhs.net, 0113 496 0000) saw 943 476 5919 from LS1 4AP."
    assert pii.redact(text, pii.detect(text)) == (
        "Dr [name] ([email address], [phone number]) saw [NHS number] from [postcode].")
    assert pii.summary(pii.detect(text)) == {"person_name": 1, "email": 1, "uk_phone": 1,
                                             "nhs_number": 1, "uk_postcode": 1}


def test_spans_never_overlap_and_point_into_the_text():
    text = "Email sarah.jones@nhs.net, NHS 943 476 5919, Mr Sarah Jones, LS1 4AP " * 3
    spans = pii.detect(text)
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end <= b.start
    assert all(text[s.start:s.end] == s.text for s in spans)


def test_the_labelled_set_keeps_its_figures():
    # The benchmark's development set (docs/privacy.md): a rule change that loses
    # precision or recall on it fails here.
    spec = importlib.util.spec_from_file_location("pii_quality", ROOT / "benchmarks" / "pii_quality.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules["pii_quality"] = bench
    try:
        spec.loader.exec_module(bench)
    finally:
        del sys.modules["pii_quality"]
    counts = bench.score(bench.load())
    for kind in pii.KINDS:
        precision, recall = bench.ratios(counts[kind])
        assert precision >= 0.9 and recall >= 0.9, (kind, precision, recall)


@pytest.mark.parametrize("text, name", [
    ("Kind regards,\nTeodora Blackwood\nHead of Patient Experience", "Teodora Blackwood"),
    ("Yvaine Castellano\nClinical Lead, Frailty", "Yvaine Castellano"),
    ("Contact: Obadiah Fenwright for the figures.", "Obadiah Fenwright"),
    ("Prepared by Perpetua Ilesanmi with the ward teams.", "Perpetua Ilesanmi"),
    ("Name: Thaddeus Kowalczyk", "Thaddeus Kowalczyk"),
    ("Baroness Ottoline Vanstone opened the unit.", "Ottoline Vanstone"),
    ("The Rt Hon Cressida Marlowe visited.", "Cressida Marlowe"),
])
def test_names_where_the_layout_or_a_title_says_a_person_is_named(text, name):
    assert [s.text for s in pii.detect(text) if s.kind == pii.PERSON_NAME] == [name]


@pytest.mark.parametrize("text", [
    "Report prepared by the Northfold ICB quality team in March.",
    "Contact the Single Point of Access out of hours.",
    "Kind regards,\nThe Frailty Team",
    "Submitted by Brackenford Community Services NHS Trust.",
    "Quality Improvement Group\nChair approved the plan",
])
def test_labels_sign_offs_and_role_lines_naming_no_person_flag_nothing(text):
    assert [s.text for s in pii.detect(text) if s.kind == pii.PERSON_NAME] == []
