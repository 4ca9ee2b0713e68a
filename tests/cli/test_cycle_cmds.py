"""`stocktake cycle …` in-process, on the persona world."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner
from django.core import mail

from stocktake.cli import main
from stocktake.track.actions import set_cycle_dates
from stocktake.track.models import StocktakeCycle, UpdateRequest
from tests.track.cycle_helpers import progress, publish

BASE = ["--base-url", "https://stocktake.example.nhs.uk"]


def run(*args, data_dir):
    return CliRunner().invoke(main, [*args, "--data-dir", str(data_dir)])


def test_a_cycle_from_start_to_report(world, tmp_path, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    publish(world)
    world.review.refresh_from_db()
    started = run("cycle", "start", "winter-2025", "--title", "Stocktake 2027",
                  "--opens", "2027-03-01", "--deadline", "2027-03-31", data_dir=tmp_path)
    assert started.exit_code == 0, started.output
    assert started.output == "Started cycle 1 of winter-2025 with 2 items.\n"
    assert run("cycle", "send", "winter-2025", data_dir=tmp_path).exit_code == 2  # no base URL
    sent = run("cycle", "send", "winter-2025", *BASE, data_dir=tmp_path)
    assert sent.output.splitlines() == ["sent\tAshby General Hospital NHS Foundation Trust",
                                        "no contact\tBrackenford Community Services NHS Trust"]
    assert "https://stocktake.example.nhs.uk/stocktake/" in mail.outbox[0].body
    progress(world.review.recommendations.get(number=1), "in_progress", world.users["owen"])
    listing = run("cycle", "list", "winter-2025", data_dir=tmp_path)
    assert listing.output == "1\topen\t2027-03-01\t2027-03-31\t1/2 updated\tStocktake 2027\n"
    reminded = run("cycle", "remind", "--all-open", "--every", "7", *BASE, data_dir=tmp_path)
    assert "answered\tAshby General Hospital NHS Foundation Trust" in reminded.output
    assert UpdateRequest.objects.filter(reminder=True).count() == 0
    later = run("cycle", "remind", "--all-open", "--after", "2999-01-01", *BASE, data_dir=tmp_path)
    assert later.output.startswith("Nothing sent: reminders start on 2999-01-01")
    cycle = StocktakeCycle.objects.get()
    set_cycle_dates(cycle=cycle, deadline=dt.date(2999, 3, 31), reminders_from=dt.date(2999, 3, 1),
                    by=world.users["lena"])  # the lead's reminder date, set in the browser
    waiting = run("cycle", "remind", "--all-open", *BASE, data_dir=tmp_path).output
    assert waiting == ("# winter-2025 cycle 1\n"
                       "Nothing sent: reminders start on 2999-03-01.\n")
    set_cycle_dates(cycle=cycle, deadline=dt.date(2999, 3, 31), reminders_from=None,
                    by=world.users["lena"])
    due = run("cycle", "remind", "--all-open", *BASE, data_dir=tmp_path).output
    assert "answered\tAshby General Hospital NHS Foundation Trust" in due
    summary = run("cycle", "compare", "winter-2025", "1", data_dir=tmp_path)
    assert "Cycle 1 compared with the report's publication" in summary.output
    assert "agreed -> in_progress\t1" in summary.output
    assert run("cycle", "close", "winter-2025", data_dir=tmp_path).output == (
        "Closed cycle 1 of winter-2025.\n")
    assert StocktakeCycle.objects.get().status == "closed"
    out = tmp_path / "stocktake.html"
    written = run("cycle", "report", "winter-2025", "1", "--output", str(out), data_dir=tmp_path)
    assert written.exit_code == 0 and "<h1>Stocktake 2027</h1>" in out.read_text()
    docx = tmp_path / "stocktake.docx"
    run("cycle", "report", "winter-2025", "1", "--format", "docx", "--output", str(docx),
        data_dir=tmp_path)
    assert docx.read_bytes()[:2] == b"PK"
    csv_file = tmp_path / "compare.csv"
    run("cycle", "compare", "winter-2025", "1", "--format", "csv", "--output", str(csv_file),
        data_dir=tmp_path)
    assert '"Agreed, not started",In progress' in csv_file.read_text()


def test_clear_errors(world, tmp_path):
    before = run("cycle", "start", "winter-2025", "--title", "Too soon", "--deadline",
                 "2027-03-31", data_dir=tmp_path)
    assert before.exit_code == 1 and "publish the report before starting a cycle" in before.output
    none = run("cycle", "close", "winter-2025", data_dir=tmp_path)
    assert "winter-2025 has no open cycle" in none.output
    both = run("cycle", "remind", *BASE, data_dir=tmp_path)
    assert both.exit_code == 2 and "Give a review's SLUG, or --all-open" in both.output
