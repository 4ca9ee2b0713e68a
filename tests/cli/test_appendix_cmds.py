"""`stocktake example …` and `stocktake case-study …` in-process, on the persona world."""

from __future__ import annotations

from click.testing import CliRunner

from stocktake.cli import main
from stocktake.collect import actions as collect_actions
from stocktake.collect.models import Example
from stocktake.report.models import CaseStudy


def run(*args, data_dir):
    return CliRunner().invoke(main, [*args, "--data-dir", str(data_dir)])


def _examples(world):
    lena = world.users["lena"]
    return [collect_actions.add_example(review=world.review, title=title, synopsis=synopsis,
                                        organisation=world.orgs[org], by=lena)
            for title, org, synopsis in [
                ("Staff rest hubs", "ashby", "Rest on every site."),
                ("Rest hubs for staff", "bracken", "Rest on each site."),
                ("Virtual wards", "ashby", "Hospital care at home.")]]


def test_list_duplicates_merge_unmerge(world, tmp_path):
    hubs, hubs2, wards = _examples(world)
    listing = run("example", "list", "winter-2025", data_dir=tmp_path)
    assert listing.exit_code == 0, listing.output
    assert f"{hubs.pk}\tNo domain\tNorthfold Integrated Care System\t" in listing.output
    pairs = run("example", "duplicates", "winter-2025", data_dir=tmp_path)
    assert pairs.output.splitlines() == [
        f"{hubs.pk}\t{hubs2.pk}\t1.00\tStaff rest hubs\tRest hubs for staff"]
    merged = run("example", "merge", "winter-2025", str(hubs.pk), str(hubs2.pk), data_dir=tmp_path)
    assert merged.exit_code == 0 and f"into example {hubs.pk}" in merged.output
    assert Example.objects.get(pk=hubs2.pk).merged_into_id == hubs.pk
    assert "1 merged" in run("example", "list", "winter-2025", data_dir=tmp_path).output
    assert run("example", "duplicates", "winter-2025", data_dir=tmp_path).output == (
        "No likely duplicates.\n")
    run("example", "unmerge", "winter-2025", str(hubs2.pk), data_dir=tmp_path)
    assert Example.objects.get(pk=hubs2.pk).merged_into_id is None
    again = run("example", "unmerge", "winter-2025", str(hubs2.pk), data_dir=tmp_path)
    assert again.exit_code == 1 and "is not merged" in again.output


def test_exclude_include_edit_and_bad_input(world, tmp_path):
    _hubs, _hubs2, wards = _examples(world)
    left = run("example", "exclude", "winter-2025", str(wards.pk), "--reason", "A plan only",
               data_dir=tmp_path)
    assert left.exit_code == 0, left.output
    assert f"{wards.pk}\tVirtual wards\tA plan only" in run(
        "example", "list", "winter-2025", "--left-out", data_dir=tmp_path).output
    run("example", "include", "winter-2025", str(wards.pk), data_dir=tmp_path)
    assert not Example.objects.get(pk=wards.pk).excluded
    edited = run("example", "edit", "winter-2025", str(wards.pk), "--title", "Virtual wards at home",
                 data_dir=tmp_path)
    assert edited.exit_code == 0 and Example.objects.get(pk=wards.pk).title == "Virtual wards at home"
    missing = run("example", "exclude", "winter-2025", "999999", "--reason", "x", data_dir=tmp_path)
    assert missing.exit_code == 1 and "No example 999999 in winter-2025" in missing.output
    empty = run("example", "exclude", "winter-2025", str(wards.pk), "--reason", " ",
                data_dir=tmp_path)
    assert empty.exit_code == 1 and "Say why" in empty.output
    nothing = run("example", "edit", "winter-2025", str(wards.pk), data_dir=tmp_path)
    assert nothing.exit_code == 2 and "--title or --synopsis" in nothing.output


def test_example_from_a_finding(world, tmp_path):
    video = world.findings["ashby"][0]
    made = run("example", "from-finding", "winter-2025", str(video.pk), "--title", "Video clinics",
               data_dir=tmp_path)
    assert made.exit_code == 0, made.output
    assert Example.objects.get(finding=video).organisation_id == video.organisation_id


def test_case_studies_from_the_command_line(world, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("We changed the rota every week.\nIt worked.", encoding="utf-8")
    added = run("case-study", "add", "winter-2025", "--title", "A ward sister's winter",
                "--text-file", str(story), "--person", "Ward sister", "--organisation", "AGH",
                data_dir=tmp_path)
    assert added.exit_code == 0, added.output
    study = CaseStudy.objects.get()
    assert study.organisation == world.orgs["ashby"] and study.text.endswith("It worked.")
    assert "consent not recorded" in run("case-study", "list", "winter-2025", data_dir=tmp_path).output
    run("case-study", "consent", "winter-2025", str(study.pk), "--note", "Signed form",
        data_dir=tmp_path)
    assert "in the report" in run("case-study", "list", "winter-2025", data_dir=tmp_path).output
    run("case-study", "exclude", "winter-2025", str(study.pk), data_dir=tmp_path)
    assert "left out" in run("case-study", "list", "winter-2025", data_dir=tmp_path).output
    run("case-study", "exclude", "winter-2025", str(study.pk), "--include", data_dir=tmp_path)
    run("case-study", "withdraw", "winter-2025", str(study.pk), data_dir=tmp_path)
    assert not CaseStudy.objects.get().consent_recorded
    second = run("case-study", "add", "winter-2025", "--title", "Porter", "--text", "Nights.",
                 data_dir=tmp_path)
    assert second.exit_code == 0
    moved = run("case-study", "move", "winter-2025", str(CaseStudy.objects.last().pk), "up",
                data_dir=tmp_path)
    assert moved.exit_code == 0
    assert run("case-study", "list", "winter-2025", data_dir=tmp_path).output.split("\t")[1] == "Porter"
    both = run("case-study", "add", "winter-2025", "--title", "x", "--text", "y", "--text-file",
               str(story), data_dir=tmp_path)
    assert both.exit_code == 2 and "not both" in both.output
    unknown = run("case-study", "add", "winter-2025", "--title", "x", "--text", "y",
                  "--organisation", "Ashby Generel Hospital", data_dir=tmp_path)
    assert unknown.exit_code == 1 and "did you mean" in unknown.output
    edited = run("case-study", "edit", "winter-2025", str(study.pk), "--person", "Sister",
                 data_dir=tmp_path)
    assert edited.exit_code == 0 and CaseStudy.objects.get(pk=study.pk).person == "Sister"
