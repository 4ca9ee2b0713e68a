"""`stocktake track` with RAG, evidence, reason and system, and `stocktake register export`."""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner
from openpyxl import load_workbook

from stocktake.cli import main
from stocktake.track.actions import set_per_system
from stocktake.track.models import ProgressUpdate
from tests.track.test_actions import publish


def run(*args, data_dir):
    return CliRunner().invoke(main, [*map(str, args), "--data-dir", str(data_dir)])


def test_track_records_rag_evidence_reason_and_system(world, tmp_path):
    world.review = publish(world)
    refused = run("track", "winter-2025", "--recommendation", 1, "--status", "completed",
                  data_dir=tmp_path)
    assert refused.exit_code == 1 and "needs evidence" in refused.output
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(b"%PDF-1.4 minutes")
    done = run("track", "winter-2025", "--recommendation", 1, "--status", "completed",
               "--rag", "green", "--evidence", "https://example.org/a", "--attachment", minutes,
               data_dir=tmp_path)
    assert done.exit_code == 0, done.output
    update = ProgressUpdate.objects.get()
    assert (update.channel, update.rag, update.evidence_links, update.attachment_name) == (
        "cli", "green", ["https://example.org/a"], "minutes.pdf")
    set_per_system(recommendation=world.review.recommendations.get(number=2), per_system=True,
                   by=world.users["lena"])
    system = run("track", "winter-2025", "--recommendation", 2, "--status", "no_longer_relevant",
                 "--reason", "Merged into 1", "--organisation", "NICS", data_dir=tmp_path)
    assert system.exit_code == 0, system.output
    assert "in Northfold Integrated Care System" in system.output
    unknown = run("track", "winter-2025", "--recommendation", 2, "--status", "in_progress",
                  "--organisation", "Nowhere", data_dir=tmp_path)
    assert unknown.exit_code == 2 and "not in the organisation register" in unknown.output
    listing = run("track", "winter-2025", data_dir=tmp_path).output
    assert "completed       green" in listing and "NICS: no_longer_relevant" in listing


def test_register_export(world, tmp_path):
    world.review = publish(world)
    run("track", "winter-2025", "--recommendation", 1, "--status", "in_progress",
        "--note", "Started", data_dir=tmp_path)
    out = tmp_path / "register.csv"
    result = run("register", "export", "winter-2025", "--output", out, data_dir=tmp_path)
    assert result.output == f"Wrote 2 recommendations to {out}.\n", result.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert [(r["Number"], r["Narrative"]) for r in rows] == [("1", "Started"), ("2", "")]
    book = tmp_path / "register.xlsx"
    assert run("register", "export", "winter-2025", "-o", book, data_dir=tmp_path).exit_code == 0
    assert load_workbook(io.BytesIO(book.read_bytes()))["Recommendations"].max_row == 3
    bad = run("register", "export", "winter-2025", "-o", tmp_path / "r.pdf", data_dir=tmp_path)
    assert bad.exit_code == 2 and "must end .csv or .xlsx" in bad.output
