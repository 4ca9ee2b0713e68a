"""Setting up a review of one's own from the command line, as a new lead would."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import ROOT, assert_one_line_error, run

SUBMISSIONS = ROOT / "examples" / "northmere" / "submissions"


@pytest.mark.slow
def test_from_framework_to_imported_review(tmp_path):
    data = str(tmp_path / "data")
    framework = tmp_path / "fw.yaml"
    framework.write_text(
        "name: Winter framework\nkey: winter\n"
        "domains:\n  - {key: flow, name: Patient flow, description: Discharge and admissions}\n"
        "themes:\n  - {key: discharge, name: Discharge, description: Getting people home}\n"
        "  - {key: staff, name: Staff, description: People and wellbeing}\n"
    )
    assert run("init", "--data-dir", data).returncode == 0
    loaded = run("framework", "load", str(framework), "--data-dir", data)
    assert "1 domains, 2 themes" in loaded.stdout, loaded.stderr
    exported = run("framework", "export", "winter", "--data-dir", data)
    assert "key: discharge" in exported.stdout

    created = run("review", "create", "--title", "Winter 2026", "--slug", "w26",
                  "--framework", "winter", "--opens", "2026-01-05", "--data-dir", data)
    assert created.returncode == 0, created.stderr
    assert_one_line_error(run("review", "status", "w26", "reporting", "--data-dir", data),
                          "cannot move from draft to reporting")
    assert_one_line_error(run("review", "publish", "w26", "--data-dir", data),
                          "Error: The report can be published only while the review is reporting "
                          "(it is draft)")
    assert run("review", "status", "w26", "collecting", "--data-dir", data).returncode == 0

    import_ = run("import", str(SUBMISSIONS / "carrowfold-royal-infirmary.docx"),
                  "--review", "w26", "--data-dir", data)
    assert import_.returncode == 0 and "Imported" in import_.stdout, import_.stderr
    again = run("import", str(SUBMISSIONS / "carrowfold-royal-infirmary.docx"),
                "--review", "w26", "--data-dir", data)
    assert "already imported" in again.stdout and "nothing changed" in again.stdout

    made = run("user", "create", "alice", "--password", "a-long-password", "--data-dir", data)
    assert made.returncode == 0, made.stderr
    assert_one_line_error(
        run("review", "add-member", "w26", "alice", "--role", "contributor", "--data-dir", data),
        "must belong to an organisation")
    member = run("review", "add-member", "w26", "alice", "--role", "contributor",
                 "--organisation", "Carrowfold Royal Infirmary", "--data-dir", data)
    assert member.returncode == 0, member.stderr
    listing = run("review", "list", "--data-dir", data)
    assert "w26\tcollecting" in listing.stdout

    exported = run("export", "--review", "w26", "--data-dir", data)
    review = json.loads(exported.stdout)
    assert review["framework"]["key"] == "winter" and review["findings"]

    updated = run("review", "update", "w26", "--title", "Winter 2026 review", "--closes",
                  "2026-03-31", "--data-dir", data)
    assert "Updated w26: title, closing date." in updated.stdout, updated.stderr
    assert_one_line_error(run("review", "update", "w26", "--closes", "2025-12-01",
                              "--data-dir", data), "cannot close before it opens")
    dated = run("review", "update", "w26", "--reflection-by", "2026-04-30", "--report-due",
                "2026-06-30", "--data-dir", data)
    assert "Updated w26: reflection date, report due date." in dated.stdout, dated.stderr
    assert_one_line_error(run("review", "update", "w26", "--report-due", "2026-04-01",
                              "--data-dir", data), "report cannot be due before")
    for status in ("assessing", "reporting"):
        assert run("review", "status", "w26", status, "--data-dir", data).returncode == 0
    assert_one_line_error(run("review", "status", "w26", "reporting", "--data-dir", data),
                          "Error: The review is already reporting")
    assert_one_line_error(run("review", "status", "w26", "tracking", "--data-dir", data),
                          "only when its report is published", "run `stocktake review publish w26`")
    bogus = run("review", "status", "w26", "bogus", "--data-dir", data)
    assert_one_line_error(bogus, "use one of draft, collecting, assessing, reporting, closed (")
    assert "tracking," not in bogus.stderr
    assert_one_line_error(run("review", "publish", "w26", "--data-dir", data),
                          "give a reason to publish anyway")
    published = run("review", "publish", "w26", "--reason", "A test review.", "--data-dir", data)
    assert "w26 is published and now tracking." in published.stdout, published.stderr
    assert "Version 1: ready" in published.stdout, published.stderr
    assert "w26\ttracking\t" in run("review", "list", "--data-dir", data).stdout
    assert_one_line_error(run("review", "publish", "w26", "--data-dir", data),
                          "Error: The report is already published")
    assert run("track", "w26", "--data-dir", data).returncode == 0
    assert run("track", "--review", "w26", "--data-dir", data).returncode == 0
    assert_one_line_error(run("track", "--data-dir", data), "Give the review's slug")
    assert_one_line_error(run("track", "nope", "--data-dir", data), "Error: No review with slug")


def test_bad_framework_file_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: X\nthemes:\n  - {key: a, name: A}\n  - {key: a, name: Again}\n")
    result = run("framework", "load", str(bad), "--data-dir", str(tmp_path / "d"))
    assert_one_line_error(result, f"{bad}:4", "duplicate theme key 'a'")


@pytest.mark.slow
def test_junk_file_is_refused_with_one_line(tmp_path):
    data = str(tmp_path / "data")
    run("init", "--data-dir", data)
    run("review", "create", "--title", "T", "--slug", "t", "--data-dir", data)
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"\x00\x01not a zip at all" * 20)
    result = run("import", str(junk), "--review", "t", "--data-dir", data)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert_one_line_error(result, "junk.docx", "not a Word document")


@pytest.mark.slow
def test_review_load_copies_an_exported_review_into_another_database(tmp_path):
    first, second = str(tmp_path / "first"), str(tmp_path / "second")
    assert run("init", "--data-dir", first).returncode == 0
    assert run("review", "create", "--title", "Winter 2026", "--slug", "w26",
               "--data-dir", first).returncode == 0
    assert run("review", "status", "w26", "collecting", "--data-dir", first).returncode == 0
    imported = run("import", str(SUBMISSIONS / "carrowfold-royal-infirmary.docx"),
                   "--review", "w26", "--data-dir", first)
    assert imported.returncode == 0, imported.stderr
    export = tmp_path / "w26.json"
    assert run("export", "--review", "w26", "-o", str(export), "--data-dir", first).returncode == 0

    assert run("init", "--data-dir", second).returncode == 0
    loaded = run("review", "load", str(export), "--data-dir", second)
    assert loaded.returncode == 0, loaded.stderr
    assert "Loaded w26.json as review w26 (collecting)" in loaded.stdout
    again = json.loads(run("export", "--review", "w26", "--data-dir", second).stdout)
    assert len(again["findings"]) == len(json.loads(export.read_text())["findings"]) > 0

    assert_one_line_error(run("review", "load", str(export), "--data-dir", second),
                          "A review with slug 'w26' already exists")
    junk = tmp_path / "notes.json"
    junk.write_text('{"title": "meeting notes"}')
    assert_one_line_error(run("review", "load", str(junk), "--data-dir", second),
                          "notes.json is not a stocktake review export")
