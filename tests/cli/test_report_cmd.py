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


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_report_slug_format_output_writes_one_file_with_progress(world, tmp_path, monkeypatch):
    monkeypatch.setenv("STOCKTAKE_DATA_DIR", str(tmp_path / "data"))
    target = tmp_path / "board.html"
    result = invoke("report", world.review.slug, "--format", "html", "--output", target)
    assert result.exit_code == 0, result.output
    assert f"Wrote {target}" in result.stdout
    assert "Built the report: 3 findings" in result.stderr and "html: 1/1" in result.stderr
    assert "Agree one regional data request per week." in target.read_text()
    # The long spelling does the same; an unknown format is refused with the choices.
    result = invoke("report", "write", "--review", world.review.slug, "--format", "html",
                    "-o", tmp_path)
    assert (tmp_path / "winter-2025-report-draft.html").exists(), result.output
    bad = invoke("report", world.review.slug, "--format", "odt")
    assert bad.exit_code == 2 and "'odt' is not one of" in bad.stderr


def test_report_format_not_in_this_build_says_so(world, tmp_path, monkeypatch):
    from stocktake.report import formats

    monkeypatch.setenv("STOCKTAKE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(formats, "unavailable_reason",
                        lambda key: f"PDF: {formats.NOT_AVAILABLE} (test)")
    result = invoke("report", world.review.slug, "--format", "pdf", "-o", tmp_path / "r.pdf")
    assert result.exit_code == 1
    assert "Error: PDF: format not available in this build" in result.stderr
    assert not (tmp_path / "r.pdf").exists()


def test_review_publish_refuses_open_checks_without_a_reason_then_versions(world, tmp_path,
                                                                           monkeypatch):
    from stocktake.reviews import actions as review_actions

    monkeypatch.setenv("STOCKTAKE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CI", "true")
    for status in ("assessing", "reporting"):
        review_actions.change_review_status(review=world.review, status=status,
                                            by=world.users["lena"])
    slug = world.review.slug
    refused = invoke("review", "publish", slug)
    assert refused.exit_code == 1
    assert "Check open: 1 recommendation cites no finding as evidence." in refused.stderr
    assert "give a reason to publish anyway" in refused.stderr
    world.review.refresh_from_db()
    assert world.review.status == "reporting"
    assert "has no published version yet" in invoke("report", "versions", slug).stdout

    done = invoke("review", "publish", slug, "--reason", "The board meets on Monday.")
    assert done.exit_code == 0, done.output
    assert "winter-2025 is published and now tracking." in done.stdout
    assert "Version 1: ready" in done.stdout and "files: 1/" in done.stderr
    corrected = invoke("review", "publish", slug, "--reason", "Still open.",
                       "--correction", "Recommendation 2 reworded.", "--no-build")
    assert corrected.exit_code == 0, corrected.output
    assert "version 2 (a correction) is published" in corrected.stdout
    listing = invoke("report", "versions", slug).stdout
    assert "Version 1\tready" in listing and "Version 2\tbuilding" in listing
    assert "correction: Recommendation 2 reworded." in listing
    assert "html\t" in listing and "reports/winter-2025/v1/winter-2025-report-v1.html" in listing
    assert "published with" in listing and "The board meets on Monday." in listing
