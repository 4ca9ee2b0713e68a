"""The one table engine: every format gives the same findings, examples and approaches for
the table shapes of real submissions; column roles from header words and cells, with evidence."""

from __future__ import annotations

import shutil

import pytest

from stocktake.collect.importers import default_domains, extract, parse_mapping
from stocktake.collect.importers.columns import ROLE_CHOICES, role_choices, table_plan
from stocktake.collect.importers.examples import is_person_line, parse_example
from stocktake.collect.importers.mapping import FIELDS
from tests.collect import table_shapes
from tests.collect.table_shapes import (
    EXPORTS,
    GOOD_PRACTICE,
    PARTNER_APPROACHES,
    SHAPES,
    SYSTEM_ROWS,
)

FORMATS = ("docx", "xlsx", "pdf", "txt")


def _read(shape, fmt, tmp_path):
    if fmt == "txt":
        return extract(EXPORTS / f"{shape.name}.txt")
    return extract(table_shapes.WRITERS[fmt](shape, tmp_path / f"{shape.name}.{fmt}"))


def _findings(x):
    return [(f.organisation, f.system, f.domain, f.text) for f in x.findings]


def _examples(x):
    return [(e.title, e.synopsis, e.domain, e.organisation, e.system) for e in x.examples]


def _approaches(x):
    return [(a.organisation, a.text) for a in x.approaches]


def _expected_partner_findings():
    out = []
    for org, _, cell in PARTNER_APPROACHES.rows[1:]:
        items = [i.rstrip(".") for i in cell.items] if cell.style == "semicolons" else list(cell.items)
        out += [(org, None, None, item) for item in items]
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_organisation_approach_key_findings_table(fmt, tmp_path):
    x = _read(PARTNER_APPROACHES, fmt, tmp_path)
    # every list item its own finding, with its row's organisation; the approach is not a finding
    assert _findings(x) == _expected_partner_findings()
    assert len(x.findings) == 20
    assert _approaches(x) == [
        ("Brackwater Community Healthcare NHS Trust (BCH)",
         "Staff workshops in each locality, then a short survey of team managers."),
        ("Fellmouth City Council", "Interviews with twelve social workers and two carers' groups."),
        ("Saltholme Hospice", "Interviews with twelve social workers and two carers' groups."),  # "As above"
        ("Merebank Primary Care Network", "A review of incident reports and a staff listening event."),
        ("Thornbury and Wyck Integrated Care Board", "Board development sessions with partners."),
        ("Ashcombe Ambulance Service NHS Trust", "Crew debriefs after each surge day."),
        ("Dunholme Mental Health NHS Foundation Trust",
         "Peer reviews between wards, and a survey of patients and their families."),
        ("Kettlewick Voluntary Action", "Conversations with member charities."),
    ]
    assert x.examples == [] and x.recommendations == []
    assert not any("organisation" in p.message for p in x.problems)
    plan = x.tables[0]
    assert [(c.header, c.role) for c in plan.columns] == [
        ("Organisation", "organisation"), ("Approach", "approach"), ("Key findings so far", "list")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_good_practice_table_gives_examples_not_findings(fmt, tmp_path):
    x = _read(GOOD_PRACTICE, fmt, tmp_path)
    assert x.findings == []
    assert _examples(x) == [
        ("Weekly system huddle", "Chief executives of all partners met for thirty minutes each Monday "
         "to agree the week's priorities.", "leadership-culture", None, "Thornbury and Wyck ICS"),
        ("Shared leadership programme", "Managers from health and social care trained together in "
         "mixed cohorts.", "leadership-culture", None, "Fellmouth and Dale ICS"),
        ("Staff passport", "A passport let staff move between partner organisations without repeating "
         "checks.", "people", None, "Thornbury and Wyck ICS"),
        ("Wellbeing hubs", "Quiet rooms with peer supporters opened on every hospital site.", "people",
         None, "Fellmouth and Dale ICS"),
        ("Community connectors", "Connectors phoned people who were shielding and arranged food and "
         "medicines.", "inequalities", None, "Fellmouth and Dale ICS"),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_rows_name_their_own_system_and_organisation(fmt, tmp_path):
    x = _read(SYSTEM_ROWS, fmt, tmp_path)
    thornbury, fellmouth = "Thornbury and Wyck ICS", "Fellmouth and Dale ICS"
    assert _findings(x) == [
        ("Thornbury General Hospital NHS Foundation Trust", thornbury, "governance",
         "Daily system calls replaced three escalation meetings."),
        ("Thornbury General Hospital NHS Foundation Trust", thornbury, "people",
         "Redeployed nurses were trained in a single morning."),
        ("Wyck Borough Council", thornbury, "people",
         "Social workers joined the hospital discharge hub at weekends."),
        (None, fellmouth, "governance", "One escalation route was agreed for every partner in the system."),
        ("Dale Valley Hospice", fellmouth, "inequalities",
         "Bereavement support reached people without internet access."),
        ("Dale Valley Hospice", fellmouth, "support-processes",  # "Same as above"
         "Pharmacy delivered end-of-life medicines at weekends."),
    ]
    # a system's own row is the system's: the file needs no document-level organisation
    assert not any("organisation" in p.message for p in x.problems)


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_every_format_gives_the_same(shape, tmp_path):
    results = [_read(shape, fmt, tmp_path) for fmt in FORMATS]
    first = results[0]
    for x in results[1:]:
        assert (_findings(x), _examples(x), _approaches(x)) == \
            (_findings(first), _examples(first), _approaches(first)), x.file


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_text_exports_are_current(shape, tmp_path):
    pdf = table_shapes.write_pdf(shape, tmp_path / "shape.pdf")
    if not table_shapes.FONT.exists():
        pytest.skip("the exports were written with DejaVu Sans")
    assert table_shapes.export_text(pdf) == (EXPORTS / f"{shape.name}.txt").read_text(encoding="utf-8")


# -- text exports: page breaks, running headers, rows broken across pages -------------------

BROKEN = (
    "Partner returns\n\n"
    "Organisation                 Domain         Key findings\n"
    "Brackwater Community         People         • Night staff asked for the same\n"
    "Healthcare NHS Trust                           briefings as day staff.\n"
    "                                            • Carers wanted one number to\n"
    "Page 1 of 2\n"
    "\fPartner returns – winter review\n"
    "Organisation                 Domain         Key findings\n"
    "                                            ring at weekends.\n"
    "                                            • Agency staff were given the\n"
    "                                            same induction.\n"
    "Fellmouth City Council       Governance     - One call replaced five.\n"
    "                                            - The board met weekly.\n"
    "Page 2 of 2\n"
)


def test_text_export_row_broken_across_a_page_joins(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text(BROKEN, encoding="utf-8")
    x = extract(path)
    assert _findings(x) == [
        ("Brackwater Community Healthcare NHS Trust", None, "people",
         "Night staff asked for the same briefings as day staff."),
        ("Brackwater Community Healthcare NHS Trust", None, "people",
         "Carers wanted one number to ring at weekends."),
        ("Brackwater Community Healthcare NHS Trust", None, "people",
         "Agency staff were given the same induction."),
        ("Fellmouth City Council", None, "governance", "One call replaced five."),
        ("Fellmouth City Council", None, "governance", "The board met weekly."),
    ]


def test_word_table_row_continued_on_a_new_page_joins(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    for r, cells in enumerate([
        ("Organisation", "Domain", "Finding"),
        ("Saltholme Hospice", "People", "Volunteers phoned carers every day and"),
        ("", "", "kept a log of who needed help."),
        ("Merebank PCN", "Governance", "Pharmacists joined the morning huddle."),
    ]):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    document.save(tmp_path / "t.docx")
    x = extract(tmp_path / "t.docx")
    assert _findings(x) == [
        ("Saltholme Hospice", None, "people", "Volunteers phoned carers every day and kept a log of who needed help."),
        ("Merebank PCN", None, "governance", "Pharmacists joined the morning huddle.")]


# -- column roles from header words and from cells ---------------------------------------

def test_table_plan_gives_each_column_its_role_and_evidence():
    rows = [
        ["Organisation", "Approach", "Key findings so far", "RAG", "Who"],
        ["Fellmouth City Council", "Interviews.", "• One call replaced five.\n• The board met weekly.",
         "Green", "Kettlewick NHS Trust"],
    ]
    plan = table_plan(rows)
    assert plan.header_row == 0 and plan.mode == "findings"
    assert plan.describe() == [
        "Column 'Organisation' taken as: organisation (header words)",
        "Column 'Approach' taken as: approach or method (header words)",
        "Column 'Key findings so far' taken as: list of findings (header words)",
        "Column 'RAG' taken as: status (header words)",
        "Column 'Who' taken as: kept as a note on each finding (not recognised)",
    ]
    assert [c.sample for c in plan.columns][:2] == ["Fellmouth City Council", "Interviews."]
    # the user's choice is a mapping of header to a ROLE_CHOICES key
    changed = table_plan(rows, mapping=parse_mapping({"columns": {"Approach": "finding"}}, "preview"))
    assert [(c.header, c.role, c.evidence) for c in changed.columns][1] == ("Approach", "finding", "your mapping")


def test_columns_decided_by_content_when_headers_say_nothing():
    rows = [
        ["Partner", "Area", "What they said", "When"],
        ["Brackwater Community Healthcare NHS Trust", "People",
         "Night staff asked for the same briefings as day staff, and carers wanted one number.", "2025-01-10"],
        ["Fellmouth City Council", "Governance",
         "One call replaced five meetings, and the board met weekly through the winter.", "2025-02-03"],
        ["Saltholme Hospice", "People",
         "Volunteers phoned carers every day and kept a log of who needed help.", "2025-02-07"],
    ]
    plan = table_plan(rows, domains=default_domains())
    assert [(c.role, c.evidence) for c in plan.columns] == [
        ("organisation", "header words"),
        ("domain", "content: the framework's domains"),
        ("finding", "content: long prose"),
        ("date", "content: dates"),
    ]


def test_table_without_header_row_is_read_by_its_cells(tmp_path):
    path = tmp_path / "no-header.csv"
    path.write_text(
        "Brackwater Community Healthcare NHS Trust,\"• Night staff asked for briefings.\n• Carers wanted one number.\"\n"
        "Fellmouth City Council,\"- One call replaced five.\n- The board met weekly.\"\n"
        "Saltholme Hospice,Volunteers phoned carers every day and kept a log of who needed help.\n",
        encoding="utf-8")
    x = extract(path)
    assert [(f.organisation, f.text) for f in x.findings] == [
        ("Brackwater Community Healthcare NHS Trust", "Night staff asked for briefings."),
        ("Brackwater Community Healthcare NHS Trust", "Carers wanted one number."),
        ("Fellmouth City Council", "One call replaced five."),
        ("Fellmouth City Council", "The board met weekly."),
        ("Saltholme Hospice", "Volunteers phoned carers every day and kept a log of who needed help.")]
    assert x.tables[0].header_row is None
    assert x.tables[0].describe()[0] == "Column 'column 1' taken as: organisation (content: names of organisations)"


def test_ditto_cells_and_list_items_naming_their_own_organisation(tmp_path):
    path = tmp_path / "ditto.csv"
    path.write_text(
        "System,Domain,Key findings\n"
        "Fellmouth and Dale ICS,People,\"• Dale Valley Hospice: volunteers phoned carers every day.\n"
        "• Fellmouth City Council – social workers joined the discharge hub.\"\n"
        "Ditto,As above,Same as above\n"
        "\"\"\"\",Governance,One escalation route was agreed for every partner.\n", encoding="utf-8")
    x = extract(path)
    assert _findings(x) == [
        ("Dale Valley Hospice", "Fellmouth and Dale ICS", "people", "volunteers phoned carers every day."),
        ("Fellmouth City Council", "Fellmouth and Dale ICS", "people", "social workers joined the discharge hub."),
        (None, "Fellmouth and Dale ICS", "governance", "One escalation route was agreed for every partner."),
    ]


def test_role_choices_are_all_mapping_fields():
    for key, label in ROLE_CHOICES:
        assert key in FIELDS and label
    assert ("domain:people", "Findings of the domain People") in role_choices([("people", "People")])
    mapping = parse_mapping({"columns": {"How we did it": "approach", "Points": "list",
                                         "Progress": "response", "RAG": "status"}}, "m.yaml")
    assert mapping.columns == {"how we did it": "approach", "points": "list", "progress": "response",
                               "rag": "status"}


# -- examples written as lines of a list -----------------------------------------------------

@pytest.mark.parametrize(("line", "title", "organisation", "synopsis"), [
    ("Fellmouth City Council: Shared discharge hub", "Shared discharge hub", "Fellmouth City Council", ""),
    ("Shared discharge hub – Fellmouth City Council", "Shared discharge hub", "Fellmouth City Council", ""),
    ("Shared discharge hub (Fellmouth City Council)", "Shared discharge hub", "Fellmouth City Council", ""),
    ("Staff passport (BCH)", "Staff passport", "BCH", ""),
    ("Hospice at home: nurses cared for people in their own homes.", "Hospice at home", None,
     "nurses cared for people in their own homes."),
])
def test_listed_examples(line, title, organisation, synopsis):
    found = parse_example(line)
    assert (found.title, found.organisation, found.synopsis) == (title, organisation, synopsis)


@pytest.mark.parametrize("line", [
    "Jane Doe, GP Partner", "Dr Amir Khan, Clinical Director, Merebank PCN", "Sam Ellis – Practice Manager",
    "Written by Priya Shah, Lead Nurse",
])
def test_people_credited_are_never_examples(line):
    assert is_person_line(line)
    assert parse_example(line) is None


def test_case_study_authors_under_an_examples_heading_are_not_examples(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(
        "Partner returns\n\nOrganisation: Fellmouth City Council\n\n"
        "Examples of good practice\n\n"
        "• Shared discharge hub – Fellmouth City Council\n"
        "• Jane Doe, GP Partner\n"
        "• Staff passport (Brackwater Community Healthcare NHS Trust)\n", encoding="utf-8")
    x = extract(path)
    assert [(e.title, e.organisation) for e in x.examples] == [
        ("Shared discharge hub", "Fellmouth City Council"),
        ("Staff passport", "Brackwater Community Healthcare NHS Trust")]


@pytest.mark.parametrize(("header", "cells", "roles"), [
    (["Name of organisation", "How we approached it", "What we have learned so far"],
     ["Fellmouth City Council", "Workshops with staff across the city.", "• One.\n• Two."],
     ["organisation", "approach", "learning"]),
    (["Provider", "Key themes emerging", "Next steps"],
     ["Fellmouth City Council", "• One call replaced five meetings.\n• The board met weekly.", "Keep going."],
     ["organisation", "list", "attribute"]),
    (["Organisation / system", "Summary of learning"],
     ["Brackwater Community Healthcare NHS Trust (BCH)", "Night staff asked for the same briefings."],
     ["organisation", "learning"]),
    (["ICS", "Trust", "Notable practice", "Impact"],
     ["Fellmouth and Dale ICS", "Dale Valley Hospice", "Hospice at home", "Fewer admissions at night."],
     ["system", "organisation", "example", "synopsis"]),
    (["Rec no", "Recommendation", "Progress update", "RAG status", "Owner", "Target date"],
     ["R1", "Publish the plan.", "Draft published in March.", "Amber", "ICB", "2025-06-30"],
     ["number", "recommendation", "response", "status", "owner", "date"]),
])
def test_header_wording_variants(header, cells, roles):
    plan = table_plan([header, cells], domains=default_domains())
    assert [c.role for c in plan.columns] == roles


def test_progress_table_gives_responses_with_a_status(tmp_path):
    path = tmp_path / "progress.csv"
    path.write_text(
        "Rec no,Recommendation,Progress update,RAG status\n"
        "R1,Publish one escalation plan.,The plan was published in March.,Complete\n"
        "R2,Share occupational health capacity.,Two trusts share a service; others are in talks.,Amber\n",
        encoding="utf-8")
    x = extract(path)
    assert x.recommendations == []
    assert [(r.label, r.number, r.status, r.text, r.recommendation_text) for r in x.responses] == [
        ("R1", 1, "complete", "The plan was published in March.", "Publish one escalation plan."),
        ("R2", 2, "in_progress", "Two trusts share a service; others are in talks.",
         "Share occupational health capacity.")]


def test_examples_listed_in_a_cell_keep_their_own_organisations(tmp_path):
    path = tmp_path / "examples.csv"
    path.write_text(
        "Domain,Examples of good practice\n"
        "People,\"• Staff passport – Fellmouth City Council\n• Wellbeing hubs (Dale Valley Hospice)\"\n",
        encoding="utf-8")
    x = extract(path)
    assert [(e.title, e.organisation, e.domain) for e in x.examples] == [
        ("Staff passport", "Fellmouth City Council", "people"),
        ("Wellbeing hubs", "Dale Valley Hospice", "people")]


def test_text_export_with_cells_set_in_the_middle_says_to_check_it(tmp_path):
    path = tmp_path / "centred.txt"
    path.write_text(
        "Partner returns\n\n"
        "Organisation             Domain       Key findings\n"
        "                                      • One call replaced five.\n"
        "Fellmouth City Council   Governance   • The board met weekly.\n"
        "                                      • Minutes were published.\n", encoding="utf-8")
    x = extract(path)
    assert any("middle of their rows" in p.message and p.location == "line 3" for p in x.problems)


def test_a_table_of_labels_and_values_is_read_down_its_first_column(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("Partner return", level=1)
    table = document.add_table(rows=3, cols=2)
    for r, (label, value) in enumerate([
        ("Organisation", "Saltholme Hospice"),
        ("Approach", "Conversations with volunteers and families."),
        ("Key findings so far", "• Volunteers ran a daily befriending call.\n• Families valued a named contact."),
    ]):
        table.cell(r, 0).text = label
        table.cell(r, 1).text = value
    document.save(tmp_path / "form.docx")
    x = extract(tmp_path / "form.docx")
    assert _findings(x) == [
        ("Saltholme Hospice", None, None, "Volunteers ran a daily befriending call."),
        ("Saltholme Hospice", None, None, "Families valued a named contact.")]
    assert _approaches(x) == [("Saltholme Hospice", "Conversations with volunteers and families.")]
    assert x.findings[0].location.endswith("row 3, column 'Key findings so far', item 1")


def test_a_header_wrapped_onto_the_next_line_of_a_tab_export_is_joined(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text(
        "Appendix\n\n"
        "Domain\tSystem\tExamples of good\tSynopsis\n"
        "\t\tpractice\t\n"
        "People\tFellmouth and Dale ICS\tWellbeing hubs\tQuiet rooms with peer supporters on every site.\n",
        encoding="utf-8")
    x = extract(path)
    assert [(e.title, e.system, e.domain) for e in x.examples] == [
        ("Wellbeing hubs", "Fellmouth and Dale ICS", "people")]
    assert x.tables[0].columns[2].header == "Examples of good practice"


def test_html_table_with_cells_spanning_rows(tmp_path):
    path = tmp_path / "practice.html"
    path.write_text(
        "<h1>Examples of good practice</h1><table>"
        "<tr><th>Domain</th><th>System</th><th>Examples of good practice</th><th>Synopsis</th></tr>"
        "<tr><td rowspan='2'>People</td><td>Thornbury and Wyck ICS</td><td>Staff passport</td>"
        "<td>Staff moved between partners without repeating checks.</td></tr>"
        "<tr><td>Fellmouth and Dale ICS</td><td>Wellbeing hubs</td><td>Quiet rooms on every site.</td></tr>"
        "</table>", encoding="utf-8")
    x = extract(path)
    assert [(e.title, e.domain, e.system) for e in x.examples] == [
        ("Staff passport", "people", "Thornbury and Wyck ICS"),
        ("Wellbeing hubs", "people", "Fellmouth and Dale ICS")]
    assert x.findings == []


def test_word_cell_lines_split_by_line_breaks_are_items(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Organisation", "Key findings"
    table.cell(1, 0).text = "Saltholme Hospice"
    run = table.cell(1, 1).paragraphs[0].add_run("- Volunteers ran a daily befriending call.")
    run.add_break()
    run.add_text("- Families valued a named contact.")
    document.save(tmp_path / "breaks.docx")
    assert [f.text for f in extract(tmp_path / "breaks.docx").findings] == [
        "Volunteers ran a daily befriending call.", "Families valued a named contact."]


WRAPPED = (
    'Partner returns\n'
    '\n'
    'Organisation\tApproach\tKey findings so far\n'
    'Brackwater Community\tStaff workshops in each\t• Discharge huddles cut delays by a\n'
    'Healthcare NHS Trust (BCH)\tlocality, then a short\tthird.\n'
    '\tsurvey of team managers.\t• Night staff asked for the same\n'
    '\t\tbriefings as day staff.\n'
    'Fellmouth City Council\tInterviews with twelve\t1. Joint visits with district nurses\n'
    '\tsocial workers and two\tavoided repeat assessments.\n'
    "\tcarers' groups.\t2. Out-of-hours cover depended on\n"
    '\t\tgoodwill.\n'
    '\n'
    'Page 1 of 2\n'
    'Partner returns – winter review\n'
    '\n'
    'Thornbury and Wyck\tBoard development\tShared dashboards replaced weekly\n'
    'Integrated Care Board\tsessions with partners.\treturns.\n'
    'Saltholme Hospice\tAs above\t- Volunteers ran a daily befriending\n'
    '\t\tcall.\n'
    '\t\t- Families valued a named contact.\n'
)


def test_tab_export_with_cells_wrapped_line_by_line_and_a_table_going_on_after_a_page(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text(WRAPPED, encoding="utf-8")
    x = extract(path)
    assert [(f.organisation, f.text) for f in x.findings] == [
        ("Brackwater Community Healthcare NHS Trust (BCH)", "Discharge huddles cut delays by a third."),
        ("Brackwater Community Healthcare NHS Trust (BCH)", "Night staff asked for the same briefings as day staff."),
        ("Fellmouth City Council", "Joint visits with district nurses avoided repeat assessments."),
        ("Fellmouth City Council", "Out-of-hours cover depended on goodwill."),
        ("Thornbury and Wyck Integrated Care Board", "Shared dashboards replaced weekly returns."),
        ("Saltholme Hospice", "Volunteers ran a daily befriending call."),
        ("Saltholme Hospice", "Families valued a named contact.")]
    assert _approaches(x)[:2] == [
        ("Brackwater Community Healthcare NHS Trust (BCH)",
         "Staff workshops in each locality, then a short survey of team managers."),
        ("Fellmouth City Council", "Interviews with twelve social workers and two carers' groups.")]
    assert not x.problems


def test_word_symbol_bullets_in_a_text_export_are_list_items(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text(
        "Partner returns\n\n"
        "Organisation              Key findings so far\n"
        "Saltholme Hospice          \uf0b7 Volunteers ran a daily befriending\n"
        "                             call.\n"
        "                           \uf0b7 Families valued a named contact.\n", encoding="utf-8")
    assert [(f.organisation, f.text) for f in extract(path).findings] == [
        ("Saltholme Hospice", "Volunteers ran a daily befriending call."),
        ("Saltholme Hospice", "Families valued a named contact.")]


def test_every_item_under_an_examples_heading_is_an_example_but_people_are_not(tmp_path):
    path = tmp_path / "return.txt"
    path.write_text(
        "Organisation: Saltholme Hospice\n\nExamples of good practice\n\n"
        "- Virtual wards for frail patients\n"
        "- We set up a daily huddle with the acute trust, which cut delays in discharge by a third "
        "over the winter months and was welcomed by staff.\n"
        "- Jane Doe, GP Partner\n", encoding="utf-8")
    x = extract(path)
    assert [(e.title, e.organisation) for e in x.examples] == [
        ("Virtual wards for frail patients", "Saltholme Hospice"),
        ("We set up a daily huddle with the acute trust,…", "Saltholme Hospice")]
    assert x.examples[1].synopsis.startswith("We set up a daily huddle")


def test_a_system_column_naming_organisations_is_taken_as_organisations():
    plan = table_plan([
        ["Domain", "System", "Examples of good practice", "Synopsis"],
        ["People", "Dale Valley Hospice", "Wellbeing hubs", "Quiet rooms on every site."],
        ["People", "Fellmouth City Council", "Staff passport", "One check for every partner."],
    ], domains=default_domains())
    assert (plan.columns[1].role, plan.columns[1].evidence) == (
        "organisation", "content: names of organisations, not systems (header: system)")
