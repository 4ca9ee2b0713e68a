"""`stocktake report-text …` in-process: narratives from files, summary observations and
chosen evidence, through the same actions as the Write pages."""

from __future__ import annotations

from click.testing import CliRunner

from stocktake.cli import main
from stocktake.report.models import EvidenceQuote, ReportText, SummaryObservation, TextKind
from tests.report import conftest as report_fixtures

coded, domains, themes = report_fixtures.coded, report_fixtures.domains, report_fixtures.themes
five_systems = report_fixtures.five_systems


def run(*args, data_dir, stdin=None):
    return CliRunner().invoke(main, ["report-text", *args, "--data-dir", str(data_dir)],
                              input=stdin)


def test_set_show_and_clear_a_theme_narrative(coded, tmp_path):
    narrative = tmp_path / "narrative.md"
    narrative.write_text("# Video\n\nIt **stayed**. <script>alert(1)</script>\n", encoding="utf-8")
    result = run("set", "winter-2025", "--theme", "technology", "--file", str(narrative),
                 data_dir=tmp_path)
    assert result.exit_code == 0, result.output
    assert "The narrative for Using technology to improve care delivery of winter-2025 saved" \
        in result.output
    text = ReportText.objects.get(kind=TextKind.THEME)
    assert "<h3>Video</h3>" in text.html and "<script>" not in text.html
    shown = run("show", "winter-2025", "--theme", "technology", data_dir=tmp_path)
    assert shown.output.startswith("# Video")
    status = run("status", "winter-2025", data_dir=tmp_path).output
    assert "technology\twritten\tevidence suggested" in status and "method\tnot written" in status
    cleared = run("set", "winter-2025", "--method", "--file", "-", stdin="", data_dir=tmp_path)
    assert "The method note of winter-2025 cleared." in cleared.output


def test_one_part_at_a_time_and_clear_errors(coded, tmp_path):
    both = run("show", "winter-2025", "--summary", "--method", data_dir=tmp_path)
    assert both.exit_code == 2 and "exactly one of --summary, --method or --theme" in both.output
    unknown = run("show", "winter-2025", "--theme", "nope", data_dir=tmp_path)
    assert unknown.exit_code == 1 and "No theme 'nope' in winter-2025's framework" in unknown.output
    missing = run("set", "winter-2025", "--summary", "--file", str(tmp_path / "none.md"),
                  data_dir=tmp_path)
    assert missing.exit_code != 0 and "none.md" in missing.output
    assert not ReportText.objects.exists()


def test_summary_draft_list_add_remove(five_systems, tmp_path):
    drafted = run("summary", "draft", "five-systems", data_dir=tmp_path)
    assert drafted.exit_code == 0, drafted.output
    assert "2 observations drafted." in drafted.output
    added = run("summary", "add", "five-systems", "Partners met weekly.", "--theme",
                "technology", data_dir=tmp_path)
    assert "Added observation 3." in added.output
    listing = run("summary", "list", "five-systems", data_dir=tmp_path).output.splitlines()
    assert listing[0].startswith("1\tfull-system-working\t")
    assert listing[0].endswith("Raised in 5 of 5 systems, by 5 organisations")
    assert listing[2] == ("3\ttechnology\tPartners met weekly.\t"
                          "Raised in 2 of 5 systems, by 2 organisations")
    gone = run("summary", "remove", "five-systems", "1", data_dir=tmp_path)
    assert gone.exit_code == 0 and SummaryObservation.objects.count() == 2
    beyond = run("summary", "remove", "five-systems", "9", data_dir=tmp_path)
    assert beyond.exit_code == 1 and "there is no number 9" in beyond.output


def test_evidence_add_keep_list_remove(coded, tmp_path):
    video, hubs, _data = coded.findings["ashby"]
    (draft,) = coded.findings["bracken"]
    suggested = run("evidence", "list", "winter-2025", "--theme", "technology", data_dir=tmp_path)
    assert "None chosen; the report suggests:" in suggested.output
    kept = run("evidence", "keep-suggested", "winter-2025", "--theme", "technology",
               data_dir=tmp_path)
    assert kept.exit_code == 0, kept.output
    assert list(EvidenceQuote.objects.values_list("finding_id", flat=True)) == [video.pk]
    added = run("evidence", "add", "winter-2025", "--theme", "technology", "--finding", hubs.pk,
                data_dir=tmp_path)
    assert "1 finding chosen (2 in all)" in added.output
    refused = run("evidence", "add", "winter-2025", "--theme", "technology", "--finding",
                  draft.pk, data_dir=tmp_path)
    assert refused.exit_code == 1 and "not from a submitted submission" in refused.output
    nowhere = run("evidence", "add", "winter-2025", "--theme", "technology", "--finding", 99999,
                  data_dir=tmp_path)
    assert "No finding 99999 in winter-2025" in nowhere.output
    listing = run("evidence", "list", "winter-2025", "--theme", "technology", data_dir=tmp_path)
    assert listing.output.splitlines()[1].startswith(f"{hubs.pk}\tAshby General")
    removed = run("evidence", "remove", "winter-2025", "--theme", "technology", "--finding",
                  video.pk, data_dir=tmp_path)
    assert removed.exit_code == 0 and EvidenceQuote.objects.count() == 1
    again = run("evidence", "keep-suggested", "winter-2025", "--theme", "technology",
                data_dir=tmp_path)
    assert again.exit_code == 1 and "already has evidence chosen" in again.output
