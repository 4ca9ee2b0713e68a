"""`stocktake code`: files in, JSONL out, no database; bad input fails cleanly."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from stocktake.analysis.framework import DEFAULT_FRAMEWORK_PATH, default_framework
from stocktake.cli import main

FINDINGS = [
    {"id": "a1", "text": "Outpatient follow-ups moved to video consultations within two weeks.",
     "organisation": "Ashby", "system": "North"},
    {"id": 2, "text": "Staff rest hubs offered psychological support around the clock."},
    {"id": "a3", "text": "Daily data requests from the regional team duplicated local reporting."},
]
THEMES = sorted(t.key for t in default_framework().themes)


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


@pytest.fixture
def files(tmp_path):
    return {"framework": DEFAULT_FRAMEWORK_PATH, "input": write_jsonl(tmp_path / "f.jsonl", FINDINGS),
            "dir": tmp_path}


def run(*args):
    return CliRunner().invoke(main, ["code", *map(str, args)])


def check_output_lines(lines):
    assert [line["id"] for line in lines] == ["a1", 2, "a3"]
    for line in lines:
        assert set(line) == {"id", "themes", "domain", "polarity", "explanation"}
        scores = [t["score"] for t in line["themes"]]
        assert sorted(t["key"] for t in line["themes"]) == THEMES
        assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
        assert line["polarity"] in {"achievement", "challenge", "mixed", "neutral"}
        assert line["explanation"] and 0 <= line["domain"]["score"] <= 1
    assert [line["themes"][0]["key"] for line in lines] == [
        "technology", "staff-wellbeing", "regional-relationship"]


def test_writes_one_line_per_finding_in_input_order(files):
    out = files["dir"] / "out.jsonl"
    result = run("--framework", files["framework"], "--input", files["input"], "--output", out)
    assert result.exit_code == 0, result.output
    check_output_lines([json.loads(line) for line in out.read_text().splitlines()])
    assert {p.name for p in files["dir"].iterdir()} == {"f.jsonl", "out.jsonl"}


def test_stdout_without_output_and_examples_are_used(files):
    examples = write_jsonl(files["dir"] / "coded.jsonl", [
        {"text": "A frailty huddle for the neighbourhood meets daily.", "theme": "focus-on-place"},
        {"text": "Tablets for care home video calls.", "theme": "technology", "domain": "people"},
        {"text": "Bed managers from every provider met daily.", "domain": "governance"},
    ])
    result = run("--framework", files["framework"], "--input", files["input"],
                 "--examples", examples, "--threshold", "0.1")
    assert result.exit_code == 0, result.output
    check_output_lines([json.loads(line) for line in result.output.splitlines()])


@pytest.mark.slow
def test_runs_as_a_process_without_django_or_a_database(files, tmp_path):
    code = (
        "import sys; from stocktake.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit as exc:\n    status = exc.code\n"
        "print('DJANGO' if any(m.startswith('django') for m in sys.modules) else 'NO-DJANGO',"
        " file=sys.stderr)\nsys.exit(status)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    env["STOCKTAKE_DATA_DIR"] = str(tmp_path / "nowhere")
    done = subprocess.run(
        [sys.executable, "-c", code, "code", "--framework", str(files["framework"]),
         "--input", str(files["input"])], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    check_output_lines([json.loads(line) for line in done.stdout.splitlines()])
    assert "NO-DJANGO" in done.stderr
    assert not (tmp_path / "nowhere").exists()


def test_bad_input_as_a_process_exits_non_zero_with_one_line(files):
    bad = write_jsonl(files["dir"] / "bad.jsonl", [FINDINGS[0], "{not json"])
    out = files["dir"] / "out.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "stocktake", "code", "--framework", str(files["framework"]),
         "--input", str(bad), "--output", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [f"Error: {bad}:2: not valid JSON "
                                                "(Expecting property name enclosed in double "
                                                "quotes, column 2)"]
    assert not out.exists() and done.stdout == ""
