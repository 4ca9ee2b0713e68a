"""`stocktake org …` in-process, on the persona world."""

from __future__ import annotations

from click.testing import CliRunner

from stocktake.cli import main
from stocktake.reviews.models import Organisation
from stocktake.reviews.orgtree import OrgTree


def run(*args, data_dir):
    return CliRunner().invoke(main, ["org", *args, "--data-dir", str(data_dir)])


def test_add_list_edit_and_resolve_by_acronym(world, tmp_path):
    added = run("add", "Leeds Community Healthcare NHS Trust (LCH)", "--level", "organisation",
                "--type", "nhs_trust", "--parent", "NICS", data_dir=tmp_path)
    assert added.exit_code == 0, added.output
    assert "Added Leeds Community Healthcare NHS Trust (LCH), organisation in Northfold" in added.output
    listing = run("list", "--search", "leeds", data_dir=tmp_path)
    assert "Leeds Community Healthcare NHS Trust (LCH)\torganisation\tNHS trust" in listing.output
    assert "Ashby" not in listing.output
    edited = run("edit", "LCH", "--add-alias", "Leeds Community Health", "--type",
                 "Community trust", data_dir=tmp_path)
    assert edited.exit_code == 0, edited.output
    assert "aliases, kind" in edited.output
    assert OrgTree.load().resolve("Leeds Community Health").short_name == "LCH"
    tree_listing = run("list", data_dir=tmp_path).output.splitlines()
    assert tree_listing[0].startswith("Wessex Vale Region")
    assert any(line.startswith("    Leeds Community") for line in tree_listing)


def test_unknown_organisation_offers_the_likely_one(world, tmp_path):
    result = run("edit", "Ashby Generel Hospital", "--acronym", "X", data_dir=tmp_path)
    assert result.exit_code == 1
    assert ("No organisation called 'Ashby Generel Hospital'; did you mean "
            "'Ashby General Hospital NHS Foundation Trust'?") in result.output


def test_merge_shows_what_moves_and_needs_yes(world, tmp_path):
    run("add", "Ashby General Hospital", "--level", "organisation", "--parent", "Northfold ICS",
        data_dir=tmp_path)
    refused = run("merge", "AGH", "Ashby General Hospital", data_dir=tmp_path)
    assert refused.exit_code == 1 and "--yes" in refused.output
    merged = run("merge", "AGH", "Ashby General Hospital", "--yes", data_dir=tmp_path)
    assert merged.exit_code == 0, merged.output
    assert "now an alias of Ashby General Hospital NHS Foundation Trust" in merged.output
    assert not Organisation.objects.filter(name="Ashby General Hospital").exists()
    itself = run("merge", "AGH", "Ashby General", "--yes", data_dir=tmp_path)
    assert "cannot be merged with itself" in itself.output


def test_export_then_import_round_trip_and_bad_rows(world, tmp_path):
    out = tmp_path / "register.csv"
    assert run("export", "-o", str(out), data_dir=tmp_path).exit_code == 0
    assert out.read_text().startswith("name,acronym,level,type,parent,aliases\n")
    again = run("import", str(out), data_dir=tmp_path)
    assert again.exit_code == 0, again.output
    assert "0 added, 0 updated, 5 unchanged." in again.output
    bad = tmp_path / "bad.csv"
    bad.write_text("name,level\nGood,region\nBad,regin\n")
    result = run("import", str(bad), data_dir=tmp_path)
    assert result.exit_code == 1
    assert "Row 3: Unknown organisation level 'regin'" in result.output
    assert not Organisation.objects.filter(name="Good").exists()
