"""PDF files: text layer, headings, bullets, tables, reports; scans and passwords refused."""

import importlib.util
from pathlib import Path

import pytest

from stocktake.collect.importers import CorruptFile, EncryptedFile, NoTextLayer, extract

FIXTURES = Path(__file__).parent / "fixtures"
PDFS = FIXTURES / "pdf"


def test_fixtures_are_what_the_generator_writes(tmp_path):
    pytest.importorskip("fpdf")
    spec = importlib.util.spec_from_file_location("make_pdfs", FIXTURES / "make_pdfs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for written in module.generate(tmp_path):
        assert (PDFS / written.name).read_bytes() == written.read_bytes(), (
            f"{written.name} is stale: run tests/collect/fixtures/make_pdfs.py")


def test_submission_pdf_headings_bullets_paragraphs_and_table():
    x = extract(PDFS / "gullhaven-submission.pdf")
    assert x.format == "pdf"
    assert [(o.name, o.system) for o in x.organisations] == [
        ("Gullhaven Hospice", "Saltmere Coast ICS"),
        ("Saltmere Coast Integrated Care Board", "Saltmere Coast ICS")]
    governance = [f for f in x.findings if f.domain == "governance" and f.organisation == "Gullhaven Hospice"]
    assert [(f.section, f.location) for f in governance] == [
        ("achievements", "page 1, line 5"), ("achievements", "page 1, line 6"),
        ("challenges", "page 1, line 8")]
    assert governance[0].text.endswith("within an hour.")  # a wrapped bullet stays whole
    people = [f for f in x.findings if f.domain == "people"]
    assert len(people) == 3 and people[-1].text.endswith("asked us to keep.")  # split at sentences
    table = [f for f in x.findings if f.location.startswith("page 2, table 1")]
    assert [(f.organisation, f.domain, f.text) for f in table] == [
        ("Gullhaven Hospice", "inequalities", "Interpreters joined video calls with families."),
        ("Gullhaven Hospice", "inequalities", "Bereavement support reached people without internet."),
        ("Gullhaven Hospice", "support-processes", "Pharmacy delivered end-of-life medicines at weekends."),
        ("Saltmere Coast Integrated Care Board", "governance", "One escalation call replaced five.")]
    assert table[1].location == "page 2, table 1, row 2, item 2"
    assert [e.title for e in x.examples] == ["Hospice at home"]
    assert not any("Page" in f.text for f in x.findings)


def test_report_pdf_recommendations_and_examples():
    x = extract(PDFS / "previous-report.pdf")
    assert [(r.number, r.section) for r in x.recommendations] == [
        (1, "Full system working"), (2, "Full system working"),
        (3, "Supporting the health and wellbeing of staff"),
        (4, "Supporting the health and wellbeing of staff"),
        (5, "Supporting the health and wellbeing of staff")]
    assert x.recommendations[2].text.endswith("whether staff are using them.")  # three lines
    assert x.findings == []  # narrative of a report is not anyone's finding
    assert [(e.title, e.domain, e.system) for e in x.examples] == [
        ("Respiratory virtual ward", "clinical-quality", "Velbrook and Ostley ICS"),
        ("Shared staff bank", "people", "Saltmere Coast ICS")]


def test_scanned_pdf_without_text_layer():
    # Grey bars, no words: text recognition (tests/collect/test_ocr.py) finds nothing either,
    # or, without tesseract, the message names its install. Never an empty import.
    with pytest.raises(NoTextLayer) as info:
        extract(PDFS / "scanned.pdf")
    assert str(info.value).startswith("scanned.pdf: the PDF has no text layer (a scanned document)")


def test_password_protected_pdf():
    with pytest.raises(EncryptedFile, match=r"^encrypted\.pdf: the PDF is password-protected"):
        extract(PDFS / "encrypted.pdf")


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
def test_truncated_pdf_is_corrupt_or_read(tmp_path, cut):
    data = (PDFS / "gullhaven-submission.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: int(len(data) * cut)])
    try:
        extract(path)
    except (CorruptFile, NoTextLayer) as exc:
        assert str(exc).startswith("truncated.pdf: ") and "\n" not in str(exc)


def test_pdf_named_docx_is_read_by_content(tmp_path):
    path = tmp_path / "submission.docx"
    path.write_bytes((PDFS / "gullhaven-submission.pdf").read_bytes())
    x = extract(path)
    assert x.format == "pdf" and x.findings
    assert "the name says a Word document but the content is a PDF file" in x.problems[0].message
