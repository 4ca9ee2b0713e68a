"""`stocktake innovation …` in-process, on the persona world."""

from __future__ import annotations

import openpyxl
from click.testing import CliRunner

from stocktake.cli import main
from stocktake.track.models import GoldenThread, Innovation


def run(*args, data_dir):
    return CliRunner().invoke(main, ["innovation", *args, "--data-dir", str(data_dir)])


def test_log_list_and_export(world, tmp_path):
    logged = run("log", "--organisation", "AGH", "--title", "Virtual ward for frailty",
                 "--what-changed", "Remote monitoring at home", "--since", "March 2024",
                 "--unit", "Frailty team", data_dir=tmp_path)
    assert logged.exit_code == 0, logged.output
    assert "Logged innovation" in logged.output and "themes:" in logged.output
    made = Innovation.objects.get()
    assert made.started_on.isoformat() == "2024-03-01" and made.source == "cli"
    listing = run("list", "--organisation", "Northfold ICS", data_dir=tmp_path)
    assert "Virtual ward for frailty" in listing.output
    none = run("list", "--organisation", "EDICS", data_dir=tmp_path)
    assert "No innovations match." in none.output
    out = tmp_path / "register.xlsx"
    exported = run("export", str(out), data_dir=tmp_path)
    assert exported.exit_code == 0, exported.output
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[1][4] == "Virtual ward for frailty"


def test_bad_input_gets_one_clear_message(world, tmp_path):
    result = run("log", "--organisation", "Ashby Generel Hospital", "--title", "x",
                 "--what-changed", "y", data_dir=tmp_path)
    assert result.exit_code == 1 and "did you mean" in result.output
    result = run("log", "--organisation", "AGH", "--title", "x", "--what-changed", "y",
                 "--since", "soon", data_dir=tmp_path)
    assert result.exit_code == 2 and "'soon' is not a month" in result.output


def test_import_checks_then_imports_and_threads_are_suggested(world, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Organisation,Title\nNowhere Trust,Ward\n", encoding="utf-8")
    result = run("import", str(bad), data_dir=tmp_path)
    assert result.exit_code == 1 and "Row 2: no organisation called" in result.output
    good = tmp_path / "log.csv"
    titles = ["Virtual ward for frailty", "Virtual ward for heart failure",
              "Virtual ward at night", "Video clinics for diabetes", "Video clinics for asthma",
              "Video clinics in outpatients"]
    good.write_text("Organisation,Team,Title,What changed\n" + "".join(
        f"AGH,Medicine,{t},{t}.\n" for t in titles), encoding="utf-8")
    checked = run("import", str(good), "--check", data_dir=tmp_path)
    assert "6 innovation(s) ready to import" in checked.output
    assert not Innovation.objects.exists()
    done = run("import", str(good), data_dir=tmp_path)
    assert done.exit_code == 0, done.output
    assert Innovation.objects.filter(coded_at__isnull=False).count() == 6
    threads = run("threads", "NICS", "--suggest", data_dir=tmp_path)
    assert threads.exit_code == 0, threads.output
    assert "Virtual ward (suggested, 3 innovations)" in threads.output
    assert GoldenThread.objects.filter(organisation=world.orgs["northfold"]).count() == 2
