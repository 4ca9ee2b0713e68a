"""`stocktake evaluation …` in-process, on the persona world."""

from __future__ import annotations

from click.testing import CliRunner

from stocktake.cli import main
from stocktake.track.models import Adoption, Decision
from tests.track.actions import log_innovation


def run(*args, data_dir):
    return CliRunner().invoke(main, [*args, "--data-dir", str(data_dir)])


def test_measure_values_chart_decide_and_adopt(world, tmp_path):
    clinic = log_innovation(organisation=world.orgs["ashby"], title="Virtual fracture clinic",
                            what_changed="Follow-ups by video.", by=world.users["connie"])
    added = run("evaluation", "measure", "add", str(clinic.pk), "--name", "Days to follow-up",
                "--kind", "performance", "--unit", "days", "--lower-is-better",
                "--baseline-points", "8", data_dir=tmp_path)
    assert added.exit_code == 0, added.output
    measure_id = added.output.split()[1]
    bad = tmp_path / "bad.csv"
    bad.write_text("date,value\n2025-01-01,x\n")
    refused = run("evaluation", "measure", "values", measure_id, str(bad), data_dir=tmp_path)
    assert refused.exit_code == 1 and "Row 2: “x” is not a number" in refused.output
    good = tmp_path / "good.csv"
    good.write_text("\n".join(f"2025-01-{i + 1:02d},{v}" for i, v in enumerate(
        [10, 12, 9, 11, 10, 12, 9, 11, 5, 6, 5, 6, 5, 6])))
    assert run("evaluation", "measure", "values", measure_id, str(good),
               data_dir=tmp_path).output == "14 added, 0 replaced\n"
    chart = run("evaluation", "measure", "chart", measure_id, "--svg", str(tmp_path / "c.svg"),
                data_dir=tmp_path)
    assert "Shift: 6 points in a row below the centre line (points 9 to 14) — an improvement" \
        in chart.output
    assert (tmp_path / "c.svg").read_text().startswith("<svg")
    decided = run("evaluation", "decide", str(clinic.pk), "--outcome", "retain", "--rationale",
                  "Waits halved", "--score", "benefit=5", data_dir=tmp_path)
    assert decided.exit_code == 0, decided.output
    assert Decision.objects.get().scores == {"benefit": {"score": 5, "note": ""}}
    wrong = run("evaluation", "decide", str(clinic.pk), "--outcome", "retain", "--rationale",
                "x", "--score", "benefit=9", data_dir=tmp_path)
    assert wrong.exit_code == 1 and "from 0 to 5" in wrong.output
    adopted = run("evaluation", "adopt", str(clinic.pk), "--organisation", "BCS", "--status",
                  "considering", data_dir=tmp_path)
    assert "Brackenford Community Services NHS Trust: considering (recorded)" in adopted.output
    assert Adoption.objects.get().status == "considering"
    assert "Brackenford" in run("evaluation", "spread", str(clinic.pk), data_dir=tmp_path).output
