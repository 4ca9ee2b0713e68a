"""`stocktake themes`: JSON out, one-line errors, no partial output (no database)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.analysis.explore_data import constructed_findings
from tests.cli.test_cli import assert_one_line_error, run

FRAMEWORK = Path(__file__).resolve().parents[2] / "src/stocktake/analysis/default_framework.yaml"

# Every test runs `stocktake themes` as a process.
pytestmark = pytest.mark.slow


def _write(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def findings(tmp_path_factory) -> Path:
    rows = [{k: r[k] for k in ("id", "text", "organisation", "system")}
            for r in constructed_findings()]
    rows.append({"id": "copy", "text": rows[0]["text"], "organisation": "Elsewhere Council",
                 "system": "Northmere"})
    return _write(tmp_path_factory.mktemp("themes") / "findings.jsonl", rows)


def test_emergent_themes_and_consensus_as_json(findings):
    result = run("themes", "--input", str(findings), "--seed", "0", "--duplicates")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "stocktake.themes/1"
    assert data["input"] == {"findings": 25, "organisations": 13, "systems": [
        "Carrowfold", "Dunmarrow", "Northmere", "Saltmere", "Velbrook"]}
    labels = [t["label"].lower() for t in data["emergent"]["themes"]]
    assert len(labels) == 3
    assert any("virtual ward" in label for label in labels)
    assert any("food bank" in label for label in labels)
    assert any("estates" in label for label in labels)
    themes = {m["name"]: m for m in data["consensus"]["themes"]}
    estates = next(m for name, m in themes.items() if "estates" in name.lower())
    assert estates["pattern"] == "distinctive"
    assert estates["systems"] == ["Saltmere", "Velbrook"]
    assert {"key": estates["key"], "systems": ["Saltmere", "Velbrook"]} in \
        data["consensus"]["distinctive"]
    assert len(data["consensus"]["systems"]) == 5
    pairs = data["near_duplicates"]
    assert len(pairs) == 1 and pairs[0]["b"]["id"] == "copy"
    again = run("themes", "--input", str(findings), "--seed", "0", "--duplicates")
    assert again.stdout == result.stdout


def test_with_a_framework_and_output_file(findings, tmp_path):
    out = tmp_path / "themes.json"
    result = run("themes", "--input", str(findings), "--framework", str(FRAMEWORK),
                 "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["parameters"]["framework"] == "system-learning-review"
    framework = [m for m in data["consensus"]["themes"] if m["source"] == "framework"]
    assert len(framework) == 9
    assert data["emergent"]["considered"] < 25
    assert "near_duplicates" not in data


@pytest.mark.parametrize("content,fragments", [
    ('{"id": 1, "text": "fine"}\n{"id": 2, "text": \n', ["findings.jsonl:2", "not valid JSON"]),
    ('{"id": 1, "text": "fine"}\n["a list"]\n', ["findings.jsonl:2", "JSON object"]),
    ('{"id": 1, "text": ""}\n', ["findings.jsonl:1", "'text' is empty"]),
    ('{"id": 1, "text": "a"}\n{"id": 1, "text": "b"}\n', ["findings.jsonl:2", "duplicate id 1"]),
    ('{"id": 1, "text": "a", "system": 5}\n', ["findings.jsonl:1", "'system' must be a string"]),
    ("", ["findings.jsonl", "no findings"]),
    ("\n\n", ["findings.jsonl", "no findings"]),
])
def test_bad_input_is_one_line_and_leaves_no_output(tmp_path, content, fragments):
    path = tmp_path / "findings.jsonl"
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "out.json"
    result = run("themes", "--input", str(path), "--output", str(out))
    assert_one_line_error(result, *fragments)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [path]


def test_bad_framework_and_missing_files(findings, tmp_path):
    framework = tmp_path / "framework.yaml"
    framework.write_text("name: Broken\nthemes: []\n", encoding="utf-8")
    out = tmp_path / "out.json"
    result = run("themes", "--input", str(findings), "--framework", str(framework),
                 "--output", str(out))
    assert_one_line_error(result, "framework.yaml:1", "'themes' is empty")
    assert not out.exists()
    assert_one_line_error(run("themes", "--input", str(tmp_path / "nope.jsonl")),
                          "nope.jsonl: no such file")
    assert_one_line_error(run("themes", "--input", str(findings), "--framework",
                              str(tmp_path / "nope.yaml")), "nope.yaml: no such file")
    assert_one_line_error(run("themes", "--input", str(findings), "--output",
                              str(tmp_path / "missing" / "out.json")), "does not exist")


def test_help():
    result = run("themes", "--help")
    assert result.returncode == 0
    assert "Usage: stocktake themes" in result.stdout
