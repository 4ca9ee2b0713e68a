"""The command line as a user meets it: real processes, real data dirs, one-line errors."""

from __future__ import annotations

import ast
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path = ROOT, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "STOCKTAKE_DATA_DIR"}}
    env["PYTHONWARNINGS"] = "error"
    return subprocess.run(
        [sys.executable, "-m", "stocktake", *args], cwd=cwd, env=env, capture_output=True,
        text=True, timeout=timeout, stdin=subprocess.DEVNULL,
    )


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    message = result.stderr.strip().splitlines()[-1]
    for fragment in fragments:
        assert fragment in message, result.stderr


def test_help_lists_every_command():
    result = run("--help")
    assert result.returncode == 0
    for command in ("init", "demo", "serve", "import", "export", "report", "manage",
                    "framework", "review", "user"):
        assert f"  {command}" in result.stdout


@pytest.mark.parametrize("command", ["init", "demo", "serve", "import", "export", "report"])
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.returncode == 0
    assert "Usage: stocktake " + command in result.stdout


def test_unknown_command_and_bad_option():
    assert_one_line_error(run("frobnicate"), "No such command 'frobnicate'")
    assert_one_line_error(run("serve", "--port", "99999"), "99999 is not in the range")


def test_commands_refuse_an_uninitialised_data_dir(tmp_path):
    result = run("export", "--review", "x", "--data-dir", str(tmp_path / "new"))
    assert_one_line_error(result, "run `stocktake init` first")


def test_init_then_unknown_review_and_missing_file(tmp_path):
    data = tmp_path / "data"
    result = run("init", "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    assert (data / "stocktake.sqlite3").exists()
    mode = sqlite3.connect(data / "stocktake.sqlite3").execute("PRAGMA journal_mode").fetchone()
    assert mode == ("wal",)
    assert_one_line_error(run("report", "--review", "nope", "--data-dir", str(data)),
                          "No review with slug 'nope'")
    assert_one_line_error(run("import", str(tmp_path / "missing.docx"), "--review", "nope",
                              "--data-dir", str(data)), "does not exist")


def test_manage_passes_through_to_django(tmp_path):
    result = run("manage", "statemachine", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "reporting --> tracking" in result.stdout


@pytest.mark.slow
def test_demo_without_serving_leaves_a_report_and_a_database(tmp_path):
    data = tmp_path / "demo"
    result = run("demo", "--no-serve", "--data-dir", str(data), timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    report = data / "report" / "index.html"
    assert report.exists() and "<h1" in report.read_text()
    db = sqlite3.connect(data / "stocktake.sqlite3")
    (findings,) = db.execute("select count(*) from collect_finding").fetchone()
    (orgs,) = db.execute("select count(*) from reviews_organisation where level='organisation'").fetchone()
    (machine_codes,) = db.execute("select count(*) from assess_code where origin='machine'").fetchone()
    assert findings >= 250 and orgs >= 16 and machine_codes >= findings
    assert "Sign in with" in result.stdout and "lead" in result.stdout.lower()
    (staff,) = db.execute("select count(*) from auth_user where username='admin.demo' and is_staff").fetchone()
    assert staff == 1 and "admin.demo" in result.stdout  # the register's merge and import
    track = result.stdout.split("Track: ")[1]  # the followed-up review's sign-ins
    assert track.startswith("Northmere planned care recovery learning review 2023 (published; "
                            "cycle 1 closed, cycle 2 open)")
    assert "owner.quayle       Action owner (CRI)" in track
    assert "contrib.latchford  Contributor (VTH)" in track
    again = run("demo", "--no-serve", "--data-dir", str(data), timeout=600)
    assert again.returncode == 0 and "already loaded" in again.stdout


def test_cli_error_messages_start_with_a_capital():
    """`Error: No review…`, not `Error: no review…`: every message the commands raise reads alike."""
    lower = []
    for path in (ROOT / "src" / "stocktake" / "cli").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") in
                    {"ClickException", "UsageError", "BadParameter"} and node.args):
                continue
            first = node.args[0]
            head = first.values[0] if isinstance(first, ast.JoinedStr) else first
            if isinstance(head, ast.Constant) and head.value[:1].islower():
                lower.append(f"{path.name}:{node.lineno}: {head.value[:40]}")
    assert not lower
