import io
import json
import os

import pytest

from stocktake.core.models import AuditEvent
from stocktake.report import actions as report_actions
from stocktake.report.export import export_findings_jsonl, export_review
from stocktake.reviews import actions as review_actions
from stocktake.track import actions as track_actions


def test_write_report_creates_directory_and_audits(coded, tmp_path):
    target_dir = tmp_path / "published" / "winter-2025"
    path = report_actions.write_report(
        review=coded.review, directory=target_dir, by=coded.users["lena"]
    )
    assert path == target_dir / "index.html"
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Winter 2025 learning review" in html
    assert sorted(os.listdir(target_dir)) == ["index.html"]  # no temporary file left behind
    event = AuditEvent.objects.get(verb="report.written")
    assert event.actor == coded.users["lena"]
    assert event.review == coded.review
    assert event.details["path"] == str(path)
    assert event.details["findings"] == 3
    assert event.details["recommendations"] == 3
    assert event.details["examples"] == 2
    assert event.details["themes"] == 9


def test_write_report_replaces_atomically(coded, tmp_path, monkeypatch):
    lena = coded.users["lena"]
    path = report_actions.write_report(review=coded.review, directory=tmp_path, by=lena)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk went away")

    monkeypatch.setattr(report_actions.os, "replace", broken_replace)
    coded.review = review_actions.update_review(
        review=coded.review, title="A new title that must not half-appear", by=lena)
    with pytest.raises(OSError, match="disk went away"):
        report_actions.write_report(review=coded.review, directory=tmp_path, by=lena)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["index.html"]
    assert AuditEvent.objects.filter(verb="report.written").count() == 1

    monkeypatch.undo()
    report_actions.write_report(review=coded.review, directory=tmp_path, by=lena)
    assert "A new title that must not half-appear" in path.read_text(encoding="utf-8")
    assert AuditEvent.objects.filter(verb="report.written").count() == 2


def test_export_review_round_trips_and_excludes_drafts(coded, themes):
    lena = coded.users["lena"]
    review = coded.review
    for status in ("assessing", "reporting"):
        review = review_actions.change_review_status(review=review, status=status, by=lena)
    coded.review = report_actions.publish_report(review=review, by=lena, reason="Testing")
    first = coded.review.recommendations.get(number=1)
    track_actions.record_progress(
        recommendation=first, status="in_progress", by=lena, note="Weekly request agreed."
    )
    data = export_review(coded.review)
    text = json.dumps(data)
    assert json.loads(text) == data
    assert "DRAFT-ONLY" not in text

    assert data["review"]["slug"] == "winter-2025"
    assert [t["key"] for t in data["framework"]["themes"]] == [
        t.key for t in coded.framework.themes.order_by("position")
    ]
    assert len(data["findings"]) == 3
    by_text = {f["text"][:5]: f for f in data["findings"]}
    video, hubs = by_text["Video"], by_text["Staff"]
    assert video["organisation"] == "Ashby General Hospital NHS Foundation Trust"
    assert video["system"] == "Northfold Integrated Care System"
    assert video["domain"] == "clinical-quality"
    assert video["polarity"] == "achievement"
    assert video["themes"] == ["technology"]
    assert video["human_codes"] == []
    assert [(c["theme"], c["rank"]) for c in video["machine_codes"]] == [
        ("technology", 0), ("innovation-spread", 1),
    ]
    assert hubs["themes"] == ["staff-wellbeing"]
    assert {(c["theme"], c["applies"]) for c in hubs["human_codes"]} == {
        ("staff-wellbeing", True), ("new-workforce", False),
    }
    assert video["source"] == {"document": None, "file": None, "location": "Section 2, bullet 1"}
    assert {c["decided_by"] for c in hubs["human_codes"]} == {"reviewer"}  # a role, never a name

    assert [e["title"] for e in data["examples"]] == [
        "Virtual outpatient clinic", "Round-the-clock rest hubs",
    ]
    recs = {r["number"]: r for r in data["recommendations"]}
    assert recs[1]["status"] == "in_progress"
    assert recs[1]["theme"] == "regional-relationship"
    assert recs[1]["owner"] == "Ashby General Hospital NHS Foundation Trust"
    assert recs[1]["progress"][0]["note"] == "Weekly request agreed."
    assert recs[1]["progress"][0]["channel"] == "form" and recs[1]["rag"] == ""
    assert len(recs[1]["findings"]) == 1
    assert recs[3]["theme"] is None
    orgs = {o["name"]: o for o in data["organisations"]}
    assert orgs["Ashby General Hospital NHS Foundation Trust"]["system"] == (
        "Northfold Integrated Care System"
    )
    assert orgs["Ashby General Hospital NHS Foundation Trust"]["aliases"] == ["Ashby General"]

    again = export_review(coded.review)
    data.pop("exported_at"), again.pop("exported_at")
    assert again == data


def test_export_findings_jsonl(coded):
    out = io.StringIO()
    count = export_findings_jsonl(coded.review, out)
    lines = out.getvalue().splitlines()
    assert count == len(lines) == 3
    rows = [json.loads(line) for line in lines]
    assert all(set(row) == {"id", "text", "organisation", "system"} for row in rows)
    assert "DRAFT-ONLY" not in out.getvalue()
    assert [row["id"] for row in rows] == sorted(f.pk for f in coded.findings["ashby"])
    assert rows[0]["system"] == "Northfold Integrated Care System"
    again = io.StringIO()
    export_findings_jsonl(coded.review, again)
    assert again.getvalue() == out.getvalue()
