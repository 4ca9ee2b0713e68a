"""`stocktake import --dry-run --json`: one JSON object, no database, no review."""

import json
from pathlib import Path

from tests.cli.test_cli import assert_one_line_error, run

FIXTURES = Path(__file__).parent / "fixtures"


def test_dry_run_json_is_one_object_with_every_key_and_needs_no_database(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "export.txt").write_bytes((FIXTURES / "messy-partner-table-export.txt").read_bytes())
    (folder / "report.pdf").write_bytes((FIXTURES / "pdf" / "previous-report.pdf").read_bytes())
    (folder / "scan.pdf").write_bytes((FIXTURES / "pdf" / "scanned.pdf").read_bytes())
    (folder / "sheet.csv").write_text("Who,Said\nGullhaven Hospice,Volunteers were tired.\n", encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"columns": {"Who": "organisation", "Said": "finding"}}), encoding="utf-8")
    result = run("import", str(folder), "--dry-run", "--json", "--mapping", str(mapping), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)  # exactly one JSON document on standard output
    assert set(data) == {"organisations", "findings", "examples", "recommendations", "problems"}
    assert len(data["recommendations"]) == 5 and len(data["examples"]) == 2
    finding = data["findings"][0]
    assert set(finding) == {"text", "organisation", "system", "domain", "section", "attributes", "source"}
    assert finding["source"] == {"file": "export.txt", "location": "line 21, item 1"}
    assert {"name": "Gullhaven Hospice", "system": None} in data["organisations"]
    assert any(f["organisation"] == "Gullhaven Hospice" for f in data["findings"])
    [scan] = [p["message"] for p in data["problems"] if p["file"] == "scan.pdf"]
    assert scan.startswith("scan.pdf: the PDF has no text layer (a scanned document)")
    assert not (tmp_path / "var").exists()


def test_a_bad_mapping_file_is_one_line(tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  Who: somebody\n", encoding="utf-8")
    assert_one_line_error(run("import", str(FIXTURES / "messy-partner-table-export.txt"), "--dry-run",
                              "--mapping", str(mapping), cwd=tmp_path),
                          "mapping.yaml, column 'Who': 'somebody' is not a field")
