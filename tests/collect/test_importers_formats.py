"""Each reader on the example files: counts, organisations, domains, sections, locations."""

from collections import Counter

import pytest

from stocktake.collect.importers import SUPPORTED_SUFFIXES, extract
from tests.collect.conftest import SUBMISSIONS

DOMAINS = {"governance", "clinical-quality", "support-processes", "people", "inequalities",
           "leadership-culture"}


def test_supported_suffixes_cover_the_example_formats():
    assert {p.suffix for p in SUBMISSIONS.iterdir()} <= set(SUPPORTED_SUFFIXES)


def test_docx_with_list_bullets_and_an_examples_table():
    x = extract(SUBMISSIONS / "velbrook-teaching-hospitals.docx")
    assert x.format == "docx"
    assert [(o.name, o.system) for o in x.organisations] == [
        ("Velbrook Teaching Hospitals NHS Foundation Trust", "Velbrook and Ostley ICS")]
    assert len(x.findings) == 42
    assert {f.domain for f in x.findings} == DOMAINS
    first = x.findings[0]
    assert first.location == "heading 'Governance' › 'Key achievements' › bullet 1"
    assert first.section == "achievements" and first.domain == "governance"
    people = [f for f in x.findings if f.domain == "people" and f.section == "challenges"]
    assert people[2].location == "heading 'People' › 'Challenges' › bullet 3"
    # "Title: synopsis" items under examples, and the Example/Synopsis table
    titles = {e.title for e in x.examples}
    assert {"Escalation on a page", "Wellbeing hub", "Interpreter on every ward"} <= titles
    assert all(e.organisation == first.organisation for e in x.examples)
    # the introduction is not a finding
    assert not any("emergency planning team with input" in f.text for f in x.findings)


def test_docx_paragraphs_are_split_at_sentences_under_bold_subheadings():
    x = extract(SUBMISSIONS / "carrowfold-royal-infirmary.docx")
    assert x.organisations[0].name == "Carrowfold Royal Infirmary NHS Foundation Trust"
    governance = [f for f in x.findings if f.domain == "governance" and f.section == "achievements"]
    # four sentences; the last ("This made…") leans on the one before and stays with it
    assert [f.location for f in governance[:3]] == [
        f"heading 'Domain 1: Governance' › 'Key achievements' › paragraph 1, sentence {n}"
        for n in (1, 2, 3)]
    assert governance[2].text.endswith("instead of a hospital problem.")
    assert governance[3].text.startswith("The board delegated")  # a short paragraph stays whole
    assert all(f.text[-1] in ".!?" for f in x.findings)


def test_docx_table_cells_with_lists_give_one_finding_per_item_with_the_rows_organisation():
    x = extract(SUBMISSIONS / "saltmere-coast-system.docx")
    orgs = [o.name for o in x.organisations]
    assert orgs[0] == "Saltmere Coast Integrated Care Board"
    assert "Gullhaven Hospice" in orgs and len(orgs) == 5
    hospice = [f for f in x.findings if f.organisation == "Gullhaven Hospice"]
    assert len(hospice) == 4
    assert hospice[0].section == "achievements" and hospice[-1].section == "challenges"
    assert hospice[1].location == (
        "heading 'Partner summaries' › table 1, row 4, column 'Key achievements', item 2")
    assert all(f.system == "Saltmere Coast ICS" for f in x.findings)


def test_docx_typed_bullets_numbered_headings_and_partner_table():
    x = extract(SUBMISSIONS / "dunmarrow-hensby-hospitals.docx")
    by_org = Counter(f.organisation for f in x.findings)
    assert by_org["Dunmarrow Metropolitan Borough Council"] == 4
    assert by_org["Wrayford Care Partnership NHS Trust"] == 3
    assert {f.domain for f in x.findings} == DOMAINS
    council = [f for f in x.findings if f.organisation == "Dunmarrow Metropolitan Borough Council"]
    assert all(f.domain == "clinical-quality" for f in council)


def test_xlsx_rows_fill_down_and_best_practice_sheet():
    x = extract(SUBMISSIONS / "northmere-partner-findings.xlsx")
    assert x.format == "xlsx"
    assert len(x.findings) == 59 and len(x.examples) == 14
    assert len(x.organisations) == 8
    ambulance = [o for o in x.organisations if o.name.startswith("Northmere Ambulance")][0]
    assert ambulance.system is None  # a new organisation does not inherit the row above's system
    larkspur = [f for f in x.findings if f.organisation == "Larkspur House Hospice"]
    assert len(larkspur) == 5 and larkspur[1].location == "Findings!row 14"
    assert larkspur[1].section == "challenges" and larkspur[1].system == "Velbrook and Ostley ICS"
    example = x.examples[0]
    assert (example.title, example.domain, example.system, example.location) == (
        "Respiratory virtual ward", "clinical-quality", "Velbrook and Ostley ICS", "Best practice!row 2")
    assert any("Read me" in p.location for p in x.problems)


def test_csv_with_unknown_domain_reports_a_problem():
    x = extract(SUBMISSIONS / "carrowfold-partnership-form-export.csv")
    assert x.format == "csv" and len(x.findings) == 25
    assert Counter(f.section for f in x.findings)["keep"] == 2
    estates = x.findings[-1]
    assert estates.domain is None and estates.location == "row 26"
    assert [p.message for p in x.problems] == ["domain 'Estates' is not in the framework; left uncoded"]
    assert {f.domain for f in x.findings if f.text.startswith("A choice of video")} == {"clinical-quality"}


def test_plain_text_with_capitals_headings_and_colon_subheadings():
    x = extract(SUBMISSIONS / "ostley-community-health.txt")
    assert x.organisations[0].name == "Ostley Community Health NHS Trust"
    assert len(x.findings) == 26 and {f.domain for f in x.findings} == DOMAINS
    assert x.findings[0].location == "line 10"
    assert x.findings[0].text.startswith("We joined the acute trust")


def test_pdf_export_drops_page_furniture_and_joins_lines_across_pages():
    x = extract(SUBMISSIONS / "hensby-wrayford-mh-submission-pdf-export.txt")
    assert x.organisations[0].name == "Hensby and Wrayford Mental Health NHS Foundation Trust"
    assert len(x.findings) == 20
    texts = " ".join(f.text for f in x.findings)
    assert "Page " not in texts and "Learning Review Submission" not in texts and "...." not in texts
    joined = [f for f in x.findings if f.text.startswith("Joint response with the police")]
    assert joined[0].text.endswith("not just shared vehicles.")
    assert joined[0].section == "learning" and joined[0].domain == "clinical-quality"
    assert {e.title for e in x.examples} == {
        "Street triage car", "Lived experience in every team", "Decision log on the intranet"}


def test_markdown_session_notes():
    x = extract(SUBMISSIONS / "wrayford-care-partnership-session-notes.md")
    assert x.format == "markdown"
    assert len(x.findings) == 9 and all(f.section == "general" for f in x.findings)
    assert x.findings[0].domain == "governance"


def test_html(tmp_path):
    page = tmp_path / "submission.html"
    page.write_text(
        "<html><head><title>x</title><style>p{}</style></head><body>"
        "<h1>Submission from Gullhaven Hospice</h1><h2>People</h2><h3>Challenges</h3>"
        "<ul><li>Volunteers were tired.</li><li>Nurses were stretched.</li></ul>"
        "<table><tr><th>Example</th><th>Synopsis</th></tr>"
        "<tr><td>Hospice at home</td><td>Care at home for the last days of life.</td></tr></table>"
        "</body></html>", encoding="utf-8")
    x = extract(page)
    assert [o.name for o in x.organisations] == ["Gullhaven Hospice"]
    assert [(f.text, f.domain, f.section) for f in x.findings] == [
        ("Volunteers were tired.", "people", "challenges"),
        ("Nurses were stretched.", "people", "challenges")]
    assert x.examples[0].title == "Hospice at home"


def test_to_dict_is_json_ready():
    import json

    data = extract(SUBMISSIONS / "ostley-community-health.txt").to_dict()
    assert set(data) >= {"organisations", "findings", "examples", "recommendations", "problems"}
    finding = data["findings"][0]
    assert set(finding) >= {"text", "organisation", "system", "domain", "source"}
    assert finding["source"] == {"file": "ostley-community-health.txt", "location": "line 10"}
    json.dumps(data)


@pytest.mark.parametrize("path", sorted(SUBMISSIONS.iterdir()), ids=lambda p: p.name)
def test_every_example_finding_names_its_organisation(path):
    x = extract(path)
    assert x.findings and all(f.organisation for f in x.findings)
    assert all(f.location for f in x.findings)
