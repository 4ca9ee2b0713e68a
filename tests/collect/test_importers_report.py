"""A previous review's report, in text, Markdown, Word and PDF: recommendations and examples."""

import pytest

from stocktake.collect.importers import extract

REPORT_TEXT = """Winter 2024/25 learning review: report

Contents
4 Themes ........................................ 3

4 Themes

4.1 Full system working
Systems told us that working together across organisations made the difference.

Recommendations
1. The region should keep the system coordination centre as a standing
function with a named lead in every integrated care system.
2. Every system should publish a single escalation framework.

4.2 Supporting the health and wellbeing of staff
Staff wellbeing was the most common theme in every submission.

Recommendation 3: Employers should keep rest hubs open for at least two years.

Recommendations
4. Wellbeing conversations should become part of every appraisal.
5. Publish the occupational health offer

Appendix A: Examples of best practice

Domain\tSystem\tExample\tSynopsis
People\tSaltmere Coast ICS\tShared staff bank\tStaff worked across three trusts on one contract.
\tCarrowfold ICS\tRest hubs\tQuiet rooms on every site, open day and night.
"""

EXPECTED = [
    (1, "Full system working", "The region should keep the system coordination centre as a standing "
                               "function with a named lead in every integrated care system."),
    (2, "Full system working", "Every system should publish a single escalation framework."),
    (3, "Supporting the health and wellbeing of staff",
     "Employers should keep rest hubs open for at least two years."),
    (4, "Supporting the health and wellbeing of staff",
     "Wellbeing conversations should become part of every appraisal."),
    (5, "Supporting the health and wellbeing of staff", "Publish the occupational health offer"),
]


def _check(x):
    assert [(r.number, r.section, r.text) for r in x.recommendations] == EXPECTED
    assert [(e.title, e.domain, e.system) for e in x.examples] == [
        ("Shared staff bank", "people", "Saltmere Coast ICS"),
        ("Rest hubs", "people", "Carrowfold ICS")]
    assert x.findings == []


def test_text_report(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(REPORT_TEXT, encoding="utf-8")
    _check(extract(path))


MARKDOWN = """# Winter 2024/25 learning review: report

## 4.1 Full system working

Systems told us that working together across organisations made the difference.

### Recommendations

1. The region should keep the system coordination centre as a standing
   function with a named lead in every integrated care system.
2. Every system should publish a single escalation framework.

## 4.2 Supporting the health and wellbeing of staff

Recommendation 3: Employers should keep rest hubs open for at least two years.

### Recommendations

4. Wellbeing conversations should become part of every appraisal.
5. Publish the occupational health offer

## Appendix A: Examples of best practice

| Domain | System | Example | Synopsis |
|---|---|---|---|
| People | Saltmere Coast ICS | Shared staff bank | Staff worked across three trusts on one contract. |
| | Carrowfold ICS | Rest hubs | Quiet rooms on every site, open day and night. |
"""


def test_markdown_report(tmp_path):
    path = tmp_path / "report.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    _check(extract(path))


def test_word_report_with_automatic_numbering_continues_through_the_report(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("Winter 2024/25 learning review: report", level=0)
    sections = {"4.1 Full system working": [t for n, s, t in EXPECTED if n <= 2],
                "4.2 Supporting the health and wellbeing of staff": [t for n, s, t in EXPECTED if n > 2]}
    for heading, recs in sections.items():
        document.add_heading(heading, level=2)
        document.add_paragraph("Narrative about the theme, which is not a recommendation.")
        document.add_heading("Recommendations", level=3)
        for text in recs:
            document.add_paragraph(text, style="List Number")  # Word numbers these itself
    document.add_heading("Appendix A: Examples of best practice", level=1)
    table = document.add_table(rows=3, cols=4)
    for row, cells in zip(table.rows, [("Domain", "System", "Example", "Synopsis"),
                                       ("People", "Saltmere Coast ICS", "Shared staff bank",
                                        "Staff worked across three trusts on one contract."),
                                       ("", "Carrowfold ICS", "Rest hubs",
                                        "Quiet rooms on every site, open day and night.")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    path = tmp_path / "report.docx"
    document.save(path)
    _check(extract(path))
