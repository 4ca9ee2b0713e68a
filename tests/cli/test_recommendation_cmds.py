"""`stocktake recommendation …` in-process, on the persona world: the builder's actions
from the command line, numbering included, and one-line errors."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from stocktake.cli import main
from tests.report.actions import publish_version


def run(*args, data_dir, input=None):
    return CliRunner().invoke(main, ["recommendation", *map(str, args),
                                     "--data-dir", str(data_dir)], input=input)


def numbers(world) -> list[tuple[int, str]]:
    return [(r.number, r.text.split()[0]) for r in world.review.recommendations.order_by("number")]


def test_add_edit_move_cite_and_list(world, tmp_path):
    video, hubs, data = world.findings["ashby"]
    added = run("add", "winter-2025", "Share one rota tool.", "--theme", "technology",
                "--owner", "NICS", "--lead-contact", "Chief digital officer",
                "--due", "2026-03-31", "--cite", video.pk, data_dir=tmp_path)
    assert added.exit_code == 0, added.output
    assert added.output == "Added recommendation 1.\n"
    assert numbers(world) == [(1, "Share"), (2, "Keep"), (3, "Agree")]
    rec = world.review.recommendations.get(number=1)
    assert (rec.owner, rec.lead_contact, rec.due_date, list(rec.findings.all())) == (
        world.orgs["northfold"], "Chief digital officer", dt.date(2026, 3, 31), [video])

    edited = run("edit", "winter-2025", "3", "--text", "Agree a weekly request.", "--no-owner",
                 "--due", "2026-06-30", data_dir=tmp_path)
    assert edited.exit_code == 0, edited.output
    rec = world.review.recommendations.get(number=3)
    assert (rec.text, rec.owner, rec.due_date) == ("Agree a weekly request.", None,
                                                   dt.date(2026, 6, 30))
    moved = run("move", "winter-2025", "3", "--theme", "full-system-working", data_dir=tmp_path)
    assert moved.output == ("Moved recommendation 3: it is now recommendation 1 under "
                            "Full system working.\n"), moved.output
    assert numbers(world) == [(1, "Agree"), (2, "Share"), (3, "Keep")]
    down = run("move", "winter-2025", "1", "--no-theme", data_dir=tmp_path)
    assert "now recommendation 3 among the further recommendations" in down.output
    cited = run("cite", "winter-2025", "1", hubs.pk, data.pk, data_dir=tmp_path)
    assert cited.output == "Recommendation 1: 2 findings cited, 3 in all.\n", cited.output
    uncited = run("uncite", "winter-2025", "1", video.pk, data_dir=tmp_path)
    assert uncited.output == "Recommendation 1: 1 finding no longer cited, 2 left.\n"

    listing = run("list", "winter-2025", data_dir=tmp_path).output.splitlines()
    assert listing[0] == "Using technology to improve care delivery [technology]"
    assert listing[1].startswith("   1  draft          Northfold Integrated Care System · "
                                 "2026-03-31 · 2 cited  Share one rota tool.")
    assert listing[-2] == "Further recommendations"
    assert listing[-1].endswith("no owner · 2026-06-30 · 1 cited  Agree a weekly request.")


def test_delete_renumbers_until_published_then_numbers_are_frozen(world, tmp_path):
    refused = run("delete", "winter-2025", "1", data_dir=tmp_path, input="n\n")
    assert refused.exit_code == 1 and "Nothing deleted" in refused.output
    deleted = run("delete", "winter-2025", "1", "--yes", data_dir=tmp_path)
    assert deleted.output == "Deleted recommendation 1; the others were renumbered.\n"
    assert numbers(world) == [(1, "Keep")]
    publish_version(world.review, by=None)
    run("add", "winter-2025", "Share one rota tool.", "--theme", "technology", data_dir=tmp_path)
    assert numbers(world) == [(1, "Keep"), (2, "Share")]
    assert "numbers are frozen" in run("list", "winter-2025", data_dir=tmp_path).output
    up = run("move", "winter-2025", "2", "--up", data_dir=tmp_path)
    assert up.exit_code == 1 and "numbers are frozen" in up.output
    gone = run("delete", "winter-2025", "2", "--yes", data_dir=tmp_path)
    assert gone.exit_code == 1 and "cannot be deleted" in gone.output


def test_bad_input_is_one_line(world, tmp_path):
    cases = [
        (("add", "winter-2025", " "), "Error: A recommendation needs its text"),
        (("add", "winter-2025", "x", "--theme", "nope"),
         "'nope' is not a theme of this review's framework"),
        (("add", "winter-2025", "x", "--owner", "Ashby Generel Hospital"),
         "No organisation called 'Ashby Generel Hospital'; did you mean"),
        (("add", "winter-2025", "x", "--due", "31/03/2026"), "'31/03/2026' is not a date"),
        (("add", "winter-2025", "x", "--cite", "9999"), "winter-2025 has no finding 9999"),
        (("edit", "winter-2025", "7", "--text", "x"), "winter-2025 has no recommendation 7"),
        (("edit", "winter-2025", "1"), "Nothing to change"),
        (("move", "winter-2025", "1"), "Say where to move it"),
        (("cite", "winter-2025", "1", world.findings["bracken"][0].pk), "is not submitted yet"),
        (("list", "nope"), "No review with slug 'nope'"),
    ]
    for args, message in cases:
        result = run(*args, data_dir=tmp_path)
        assert result.exit_code != 0 and message in result.output, (args, result.output)
        assert "Traceback" not in result.output
    assert world.review.recommendations.count() == 2
