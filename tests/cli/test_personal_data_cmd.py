"""`stocktake review scan-personal-data`: data imported before detection existed, flagged and
redacted from the command line."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import run


@pytest.mark.slow
def test_scan_then_redact_all_from_the_command_line(tmp_path):
    data = str(tmp_path / "data")
    framework = tmp_path / "fw.yaml"
    framework.write_text(
        "name: Winter framework\nkey: winter\n"
        "domains:\n  - {key: flow, name: Patient flow, description: Discharge and admissions}\n"
        "themes:\n  - {key: discharge, name: Discharge, description: Getting people home}\n")
    notes = tmp_path / "notes.md"
    notes.write_text("Submission from Ashby General Hospital\n\nPatient flow\n\n"
                     "- Discharge letters went out within a day.\n"
                     "- A letter for NHS number 943 476 5919 went to the wrong practice.\n")
    for args in (("init",), ("framework", "load", str(framework)),
                 ("review", "create", "--title", "Winter", "--slug", "w", "--framework", "winter"),
                 ("review", "status", "w", "collecting"), ("import", str(notes), "--review", "w")):
        done = run(*args, "--data-dir", data)
        assert done.returncode == 0, done.stderr
    scanned = run("review", "scan-personal-data", "w", "--redact-all", "--data-dir", data)
    assert scanned.returncode == 0, scanned.stderr
    # Flagged on import already, so the scan finds nothing new; then it is redacted.
    assert scanned.stdout.splitlines() == [
        "w: 0 new items of possible personal data flagged.", "w: 1 flagged item redacted."]
    exported = json.loads(run("export", "--review", "w", "--data-dir", data).stdout)
    texts = [f["text"] for f in exported["findings"]]
    assert "A letter for NHS number [NHS number] went to the wrong practice." in texts
    missing = run("review", "scan-personal-data", "nope", "--data-dir", data)
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
