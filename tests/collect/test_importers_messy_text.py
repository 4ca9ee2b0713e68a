"""Text exported from PDFs and Word: broken tables, split names, list markup, page furniture."""

from pathlib import Path

import pytest

from stocktake.collect.importers import extract
from stocktake.collect.importers.columns import read_header
from stocktake.collect.importers.loose import merge_rows

FIXTURES = Path(__file__).parent / "fixtures"

CRI = "Carrowfold Royal Infirmary NHS Foundation Trust"
CPT = "Carrowfold Partnership NHS Foundation Trust"
DMBC = "Dunmarrow Metropolitan Borough Council"
WCP = "Wrayford Care Partnership NHS Trust"


def test_messy_partner_table_every_finding_has_the_right_organisation():
    x = extract(FIXTURES / "messy-partner-table-export.txt")
    assert [(f.organisation, f.domain, f.text) for f in x.findings] == [
        (CRI, "governance", "Daily system calls replaced three separate escalation meetings."),
        (CRI, "governance", "The board met weekly in a shorter format."),
        (CRI, "people", "Redeployed nurses were trained in a morning."),
        (CRI, "people", "Staff wellbeing hubs opened on every site."),
        (CRI, "inequalities", "Interpreters were booked for video calls."),
        (CRI, "inequalities", "Community connectors phoned people who were shielding."),
        (CPT, "clinical-quality", "The crisis line took over 9,000 calls and kept people away from "
                                  "the emergency department and out of police custody."),
        (CPT, "support-processes", "Laptops were loaned to inpatients."),
        (CPT, "support-processes", "Pharmacy delivered medicines at weekends."),
        (DMBC, "clinical-quality", "Care home in-reach visits rose to twice weekly."),
        (DMBC, "clinical-quality", "Discharge to assess beds were commissioned within a week."),
        (DMBC, "people", "Social workers joined the hospital discharge hub and worked weekends for "
                         "the first time."),
        (WCP, "leadership-culture", "Leaders held open listening sessions every Friday."),
    ]
    assert [(o.name, o.system) for o in x.organisations] == [
        (CRI, "Carrowfold ICS"), (CPT, "Carrowfold ICS"), (DMBC, "Dunmarrow and Hensby ICS"),
        (WCP, "Dunmarrow and Hensby ICS")]
    assert x.findings[0].location == "line 21, item 1"
    assert x.findings[6].location == "line 25"  # where the broken row starts
    assert x.problems == []


def test_page_furniture_never_becomes_a_finding():
    x = extract(FIXTURES / "messy-partner-table-export.txt")
    texts = " ".join(f.text for f in x.findings)
    for furniture in ("Page ", "Microsoft Word", "Embedded file", "....", "partner returns", "<li>", "<br>"):
        assert furniture not in texts


def _merge(rows, breaks=None):
    columns = read_header(rows[0])
    return [cells for _, cells in merge_rows(rows, columns, 1, len(rows[0]), breaks)]


def test_split_name_joined_only_when_it_reads_as_the_end_of_a_name():
    header = ["Organisation", "Finding"]
    assert _merge([header, ["Ashby General Hospital NHS", "Beds were full."], ["Foundation Trust", ""]]) == [
        ["Ashby General Hospital NHS Foundation Trust", "Beds were full."]]
    assert _merge([header, ["Ashby General", "Beds were full."], ["Gullhaven Hospice", ""]]) == [
        ["Ashby General", "Beds were full."], ["Gullhaven Hospice", ""]]


@pytest.mark.parametrize("above, below, broke, joined", [
    ("Staff were tired and", "many were off sick.", False, True),  # lower case: a continuation
    ("Staff were tired", "Agency use rose.", False, False),  # a new finding, same organisation
    ("Staff were tired and", "Agency use rose.", True, True),  # after a page break, unfinished
    ("Staff were tired.", "agency use rose.", True, False),  # the cell above had finished
    ("<ul><li>One</li>", "<li>Two</li></ul>", False, True),  # an open list goes on
])
def test_continuation_rows(above, below, broke, joined):
    rows = [["Organisation", "Finding"], ["Ashby General", above], ["", below]]
    merged = _merge(rows, [False, False, broke])
    assert (len(merged) == 1) is joined


def test_blank_cells_mean_same_as_above(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text("Organisation\tDomain\tFinding\nGullhaven Hospice\tPeople\tVolunteers were tired.\n"
                    "\t\tNurses were stretched.\n\tGovernance\tOne call replaced five.\n", encoding="utf-8")
    x = extract(path)
    assert [(f.organisation, f.domain) for f in x.findings] == [
        ("Gullhaven Hospice", "people"), ("Gullhaven Hospice", "people"), ("Gullhaven Hospice", "governance")]


def test_numbered_section_headings_and_contents_lines(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text(
        "Submission from Gullhaven Hospice\n\nContents\n4.3 People\t7\n4.4 Governance ........ 9\n\n"
        "4.3 People\n\n4.3.1 Challenges\n• Volunteers were tired.\n3\n\n4.4 Governance\n\nKey achievements:\n"
        "- One call replaced five.\n", encoding="utf-8")
    x = extract(path)
    assert [(f.domain, f.section, f.text) for f in x.findings] == [
        ("people", "challenges", "Volunteers were tired."),
        ("governance", "achievements", "One call replaced five.")]
