"""`stocktake report` in-process, on the persona world."""

from click.testing import CliRunner

from stocktake.cli import main


def test_report_writes_the_page_and_prints_numbering_warnings(world, tmp_path, monkeypatch):
    monkeypatch.setenv("STOCKTAKE_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(main, ["report", "--review", world.review.slug,
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "index.html").exists()
    # Recommendation 1 (regional relationship) comes after 2 (staff wellbeing) in theme order.
    assert "Warning:" in result.stderr and "number" in result.stderr.lower()
