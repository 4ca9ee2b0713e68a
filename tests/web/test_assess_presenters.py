"""Presenters for analysis runs, coding controls and review next: no database."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from stocktake.analysis.calibration import calibrated
from stocktake.reviews.orgtree import OrgTree
from stocktake.web.presenters.analysis import (
    any_active,
    backend_items,
    format_datetime,
    parameter_rows,
    run_row,
)
from stocktake.web.presenters.coding import coding_controls, next_rows
from stocktake.web.presenters.findings import machine_score

UTC = dt.timezone.utc


def run(**kw):
    user = SimpleNamespace(get_full_name=lambda: "Ravi Reviewer", get_username=lambda: "ravi")
    values = dict(pk=3, status="running", created_at=dt.datetime(2025, 3, 3, 14, 5, tzinfo=UTC),
                  finished_at=None, created_by=user, backend="tfidf", seed=7, finding_count=0,
                  progress=0, message="", parameters={"ngram": [1, 2], "examples": 0},
                  heartbeat_at=None)
    values.update(kw)
    return SimpleNamespace(**values)


def test_format_datetime_is_nhs_style_in_local_time(settings):
    settings.TIME_ZONE = "Europe/London"
    assert format_datetime(dt.datetime(2025, 3, 3, 14, 5, tzinfo=UTC)) == "3 March 2025 at 2:05pm"
    assert format_datetime(dt.datetime(2025, 7, 1, 0, 30, tzinfo=UTC)) == "1 July 2025 at 1:30am"
    assert format_datetime(None) == "Not yet"


def test_run_parameters_read_as_labels_and_values():
    recorded = {"backend": "tfidf", "example_beta": None, "temperature": 0.35, "chunk_size": 500,
                "parts": [{"backend": "tfidf"}, {"backend": "semantic"}]}
    assert parameter_rows(recorded) == [
        ("Weight given to confirmed examples", "Not used"), ("Theme temperature", "0.35"),
        ("Backends combined", "tfidf, semantic"), ("Findings coded per batch", "500")]


def test_run_rows_say_where_a_run_is():
    assert run_row(run(status="queued"), slug="s").progress == "Waiting for a worker to start it"
    assert run_row(run(), slug="s").progress == "Reading the findings"
    row = run_row(run(finding_count=4000, progress=2000), slug="s")
    assert row.progress == "2,000 of 4,000 findings coded" and row.active and not row.waiting
    assert row.status == {"text": "Running", "colour": "blue"}
    assert row.href == "/reviews/s/analysis/3/" and row.by == "Ravi Reviewer"
    assert row.parameters == [("Confirmed examples learned from", "0"), ("Ngram", "[1, 2]")]
    failed = run_row(run(status="failed", finding_count=10, progress=4, message="boom"), slug="s")
    assert failed.failed and failed.progress == "Stopped after 4 of 10 findings"
    assert failed.message == "boom" and not failed.active
    done = run_row(run(status="done", finding_count=5, progress=5, created_by=None), slug="s")
    assert done.progress == "5 findings coded" and done.by == "Command line"
    assert not any_active([done, failed]) and any_active([done, row])


def test_cancelled_runs_and_runs_whose_worker_went_quiet(settings):
    settings.STOCKTAKE_ANALYSIS_STALE_SECONDS = 600
    cancelled = run_row(run(status="cancelled", finding_count=10, progress=4,
                            message="Cancelled by Lena Lead"), slug="s")
    assert cancelled.cancelled and not cancelled.active and not cancelled.failed
    assert cancelled.progress == "Cancelled after 4 of 10 findings"
    assert cancelled.status == {"text": "Cancelled", "colour": "orange"}
    assert cancelled.cancel_href == "/reviews/s/analysis/3/cancel/"
    assert run_row(run(status="cancelled"), slug="s").progress == "Cancelled"

    beat = dt.datetime(2025, 3, 3, 14, 10, tzinfo=UTC)
    running = run(heartbeat_at=beat)
    assert not run_row(running, slug="s", now=beat + dt.timedelta(seconds=600)).silent
    quiet = run_row(running, slug="s", now=beat + dt.timedelta(seconds=601))
    assert quiet.silent and quiet.active and quiet.heartbeat == "3 March 2025 at 2:10pm"
    # Never reported at all: silent counts from when it was queued.
    assert run_row(run(), slug="s", now=dt.datetime(2025, 3, 3, 14, 16, tzinfo=UTC)).silent
    assert run_row(run(), slug="s").heartbeat == "Not yet"
    # Only a running run can be silent: a queued one waits for a worker.
    assert not run_row(run(status="queued"), slug="s", now=beat + dt.timedelta(days=1)).silent


def test_backend_items_check_the_chosen_one_and_explain_the_known_ones():
    items = backend_items(["semantic", "tfidf"], "tfidf")
    assert [(i["value"], i["checked"]) for i in items] == [("semantic", False), ("tfidf", True)]
    assert "offline" in items[1]["hint"]["text"]
    assert backend_items(["custom"], "")[0]["hint"] is None


def test_next_rows_show_the_top_two_suggestions():
    theme = lambda key, name: SimpleNamespace(key=key, name=name)  # noqa: E731
    run = {"analysis_run_id": 1, "analysis_run": SimpleNamespace(backend="tfidf")}
    codes = [
        SimpleNamespace(finding_id=1, origin="machine", rank=1, score=0.39,
                        theme=theme("people", "People"), **run),
        SimpleNamespace(finding_id=1, origin="machine", rank=0, score=0.41,
                        theme=theme("tech", "Technology"), **run),
        SimpleNamespace(finding_id=1, origin="machine", rank=2, score=0.2,
                        theme=theme("place", "Place"), **run),
    ]
    findings = [SimpleNamespace(id=1, text="Video clinics", organisation_id=None),
                SimpleNamespace(id=2, text="Not analysed", organisation_id=None)]
    rows = next_rows(findings, codes=codes, slug="s", tree=OrgTree([]))
    assert [c.theme for c in rows[0].candidates] == ["Technology", "People"]
    assert rows[0].margin == "0.02" and rows[0].action == "/reviews/s/findings/1/coding/"
    assert rows[1].candidates == [] and rows[1].margin == "No suggestion"
    # the top suggestion says how often one with its score was right (calibrated)
    assert rows[0].candidates[0].right == f"{round(100 * calibrated(0.41))}%"
    assert rows[0].candidates[1].right == ""
    # a backend without a calibration shows the raw score only
    run["analysis_run"].backend = "semantic"
    again = next_rows(findings, codes=codes, slug="s", tree=OrgTree([]))
    assert again[0].candidates[0].right == ""


def test_machine_score_is_calibrated_for_the_top_suggestion_only():
    assert machine_score(None, top=True) == "None"
    assert machine_score(0.3, top=False) == "0.30"
    shown = machine_score(0.9, top=True)
    assert shown.startswith("0.90 (right about ") and shown.endswith("% of the time)")
    assert f"{round(100 * calibrated(0.9))}%" in shown
    assert machine_score(0.9, top=True, backend="semantic") == "0.90"
    assert machine_score(0.9, top=True, backend=None) == "0.90"


def test_coding_controls_offer_only_undecided_themes():
    themes = [SimpleNamespace(key="a", name="A"), SimpleNamespace(key="b", name="B")]
    controls = coding_controls(slug="s", finding_id=9, themes=themes, decided=["a"],
                               polarity="challenge", polarity_origin="source", messages=["Done."])
    assert [i["value"] for i in controls.add_items] == ["", "b"]
    assert controls.polarity == "Challenge (stated in the source)"
    assert [i["value"] for i in controls.polarity_items if i["selected"]] == ["challenge"]
    assert controls.action == "/reviews/s/findings/9/coding/"
    assert controls.polarity_action == "/reviews/s/findings/9/polarity/"
    everything = coding_controls(slug="s", finding_id=9, themes=themes, decided=["a", "b"],
                                 polarity="neutral", polarity_origin="machine")
    assert everything.add_items == []
