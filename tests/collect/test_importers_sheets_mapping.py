"""Spreadsheets: headers by name and synonym, mapping files, attributes, one row per organisation."""

import json

import pytest

from stocktake.collect.importers import ImportInputError, extract, load_mapping, parse_mapping


def _xlsx(path, rows, title="Returns"):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_synonyms_and_unknown_columns_kept_as_attributes(tmp_path):
    path = _xlsx(tmp_path / "returns.xlsx", [
        ["Provider", "ICS", "Domain area", "Comments", "RAG rating", "Lead"],
        ["Gullhaven Hospice", "Saltmere Coast ICS", "People", "Volunteers ran befriending calls.", "Green", "A. Shah"],
        [None, None, "Governance", "One call replaced five.", "Amber", None],
    ])
    x = extract(path)
    assert [(f.organisation, f.system, f.domain, f.text, f.attributes) for f in x.findings] == [
        ("Gullhaven Hospice", "Saltmere Coast ICS", "people", "Volunteers ran befriending calls.",
         {"RAG rating": "Green", "Lead": "A. Shah"}),
        ("Gullhaven Hospice", "Saltmere Coast ICS", "governance", "One call replaced five.",
         {"RAG rating": "Amber"})]
    assert x.findings[1].location == "Returns!row 3"
    assert x.to_dict()["findings"][0]["attributes"] == {"RAG rating": "Green", "Lead": "A. Shah"}


def test_one_row_per_organisation_with_domain_columns(tmp_path):
    path = tmp_path / "by-org.csv"
    path.write_text(
        "Organisation,System,Governance,People,Notes\n"
        "Gullhaven Hospice,Saltmere Coast ICS,\"• One call replaced five.\n• Trustees met weekly.\","
        "Volunteers were tired.,late return\n"
        "Ashby General Hospital,Northfold ICS,,Rotas were hard to fill.,\n", encoding="utf-8")
    x = extract(path)
    assert [(f.organisation, f.domain, f.text) for f in x.findings] == [
        ("Gullhaven Hospice", "governance", "One call replaced five."),
        ("Gullhaven Hospice", "governance", "Trustees met weekly."),
        ("Gullhaven Hospice", "people", "Volunteers were tired."),
        ("Ashby General Hospital", "people", "Rotas were hard to fill.")]
    assert x.findings[0].attributes == {"Notes": "late return"}
    assert x.findings[0].location == "row 2, column 'Governance', item 1"


def test_mapping_file_names_columns_the_importer_cannot_guess(tmp_path):
    path = _xlsx(tmp_path / "odd.xlsx", [
        ["Who", "Where", "Went well", "Not so well", "Tell us about digital", "Internal ref"],
        ["Gullhaven Hospice", "Saltmere Coast ICS", "Volunteers ran befriending calls.",
         "Guidance arrived late. Staff in every ward were anxious about it for weeks on end, and it showed in sickness. "
         "Rotas had to be rewritten every few days at short notice for every team in the hospice, "
         "including the night nurses and the volunteers who drive patients home.",
         "Video calls with families.", "X-17"],
    ])
    mapping_path = tmp_path / "mapping.yaml"
    mapping_path.write_text(
        "columns:\n  Who: organisation\n  Where: system\n  Went well: achievements\n"
        "  Not so well: challenges\n  Tell us about digital: domain:Support processes\n"
        "  Internal ref: ignore\none_row_per: organisation\n", encoding="utf-8")
    x = extract(path, mapping=load_mapping(mapping_path))
    assert [(f.organisation, f.system, f.domain, f.section) for f in x.findings][:2] == [
        ("Gullhaven Hospice", "Saltmere Coast ICS", None, "achievements"),
        ("Gullhaven Hospice", "Saltmere Coast ICS", None, "challenges")]
    challenges = [f.text for f in x.findings if f.section == "challenges"]
    assert len(challenges) == 3  # one row per organisation: long cells split at sentences
    assert x.findings[-1].domain == "support-processes"
    assert all(f.attributes == {} for f in x.findings)


def test_json_mapping_one_row_per_finding(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Partner org,Learning text\nGullhaven Hospice,Staff were tired. Rotas were hard. "
                    "Agency use rose. Sickness was high in every team across the whole winter period.\n",
                    encoding="utf-8")
    mapping_path = tmp_path / "m.json"
    mapping_path.write_text(json.dumps({"columns": {"Partner org": "organisation",
                                                    "Learning text": "finding"},
                                        "one_row_per": "finding"}), encoding="utf-8")
    x = extract(path, mapping=load_mapping(mapping_path))
    assert len(x.findings) == 1 and x.findings[0].organisation == "Gullhaven Hospice"


def test_mapping_to_a_domain_not_in_the_framework_is_a_problem(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Organisation,Finding,Estates notes\nGullhaven Hospice,Beds were full.,Old roof\n",
                    encoding="utf-8")
    mapping = parse_mapping({"columns": {"Estates notes": "domain:Estates"}}, "m.yaml")
    x = extract(path, mapping=mapping)
    assert x.findings[0].attributes == {"Estates notes": "Old roof"}
    assert "the mapping names domain 'Estates'" in x.problems[0].message


@pytest.mark.parametrize("content, message", [
    ("columns: [a, b]", "a mapping needs a 'columns' object"),
    ("columns:\n  Who: organisaton\n", "'organisaton' is not a field"),
    ("columns:\n  Who: organisation\none_row_per: sheet\n", "one_row_per is 'sheet'"),
    ("columns:\n  Who: organisation\nrows: 1\n", "unknown key 'rows'"),
    ("columns: {Who: [", "not valid YAML or JSON"),
    ("", "a mapping needs a 'columns' object"),
])
def test_bad_mapping_files(tmp_path, content, message):
    path = tmp_path / "mapping.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportInputError) as info:
        load_mapping(path)
    assert str(info.value).startswith("mapping.yaml") and message in str(info.value)
    assert "\n" not in str(info.value)
