"""The data pack: the review document (v2) and its schema, loading it back, the tables and the
REFI-QDA project."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command
from django.db import connection
from lxml import etree
from openpyxl import load_workbook

from stocktake.assess.actions import MachineCode, confirm_code, record_machine_codes
from stocktake.collect import actions as collect_actions
from stocktake.collect.models import Finding, Origin, Polarity, SectionKind
from stocktake.core.errors import InvalidInput
from stocktake.core.models import AuditEvent
from stocktake.example_review import load_example_review
from stocktake.report import actions as report_actions
from stocktake.report.actions import builder
from stocktake.report.datapack import review_document, write_data_pack, write_qdpx
from stocktake.report.datapack.qdpx import NAMESPACE, InvalidProject, validate
from stocktake.report.models import RecommendationStatus, TextKind
from stocktake.report.queries import reportable_examples
from stocktake.reviews import actions as review_actions
from stocktake.reviews.models import Framework, Organisation, OrganisationLevel, Review, Role
from stocktake.reviews.workflow import ReviewStatus
from stocktake.track import actions as track_actions
from stocktake.track.models import ResponseStatus
from stocktake.track.review_load import load_review, parse_document, read_document
from tests.collect.conftest import EXAMPLES

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "src/stocktake/report/datapack/schema/stocktake-review-v2.schema.json"
Q = f"{{{NAMESPACE}}}"


def _schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


@pytest.fixture
def example(db):
    """The Northmere example with machine suggestions, reviewers' decisions, chosen evidence,
    a published report and progress on a recommendation: every part of the document."""
    review = load_example_review(directory=EXAMPLES, by=None, password="example-password-42")
    reviewer = review.memberships.filter(role=Role.REVIEWER).first().user
    themes = {t.key: t for t in review.framework.themes.all()}
    findings = list(Finding.objects.filter(review=review).order_by("id")[:40])
    record_machine_codes(review=review, by=reviewer, backend="tfidf", seed=3, codes=[
        MachineCode(f, themes["technology" if i % 2 else "staff-wellbeing"], score=0.5 + i / 100,
                    rank=0, explanation="word overlap") for i, f in enumerate(findings)])
    confirm_code(finding=findings[0], theme=themes["full-system-working"], by=reviewer)
    confirm_code(finding=findings[1], theme=themes["technology"], applies=False, by=reviewer)
    builder.choose_quote(review=review, theme=themes["technology"], finding=findings[1],
                         by=reviewer)
    examples = list(reportable_examples(review).order_by("id")[:3])
    collect_actions.exclude_example(example=examples[0], reason="A national scheme", by=None)
    collect_actions.merge_examples(keep=examples[1], duplicates=[examples[2]], by=None)
    collect_actions.example_from_finding(finding=findings[2], title="Trusted assessors", by=None)
    review = review_actions.change_review_status(review=review, status="reporting", by=None)
    review = report_actions.publish_report(review=review, by=None, reason="Test data")
    track_actions.record_progress(recommendation=review.recommendations.get(number=1),
                                  status="in_progress", note="Weekly meetings agreed.", by=None)
    return review


# --------------------------------------------------------------------------- the document


def _canonical(doc: dict) -> dict:
    """The document with ids, timestamps and who-decided replaced by what they stand for,
    lists put in content order: two databases holding the same review give the same."""
    orgs = {o["id"]: o for o in doc["organisations"]}

    def org(pk):
        names = []
        while pk is not None:
            names.append(orgs[pk]["name"])
            pk = orgs[pk]["parent_id"]
        return " < ".join(names) or None

    docs = {d["id"]: d["name"] for d in doc["documents"]}
    subs = {s["id"]: (org(s["organisation_id"]), docs.get(s["document"])) for s in doc["submissions"]}
    findings = {f["id"]: f"{subs[f['submission']]} {f['text']}" for f in doc["findings"]}
    examples = {e["id"]: e["title"] for e in doc["examples"]}
    runs = {r["id"]: (r["backend"], r["seed"]) for r in doc["analysis_runs"]}
    recs = {r["id"]: r["number"] for r in doc["recommendations"]}

    def source(s):
        return {"file": s["file"], "location": s["location"]}

    def clean(rows, **changes):
        out = []
        for row in rows:
            row = dict(row)
            for key, change in changes.items():
                row[key] = change(row[key]) if callable(change) else change
            out.append(row)
        return sorted(out, key=lambda r: json.dumps(r, sort_keys=True))

    def response(r):
        return {**r, "source": source(r["source"]), "imported_at": None}

    return {
        "review": {**doc["review"], "slug": None, "region_id": org(doc["review"]["region_id"])},
        "framework": doc["framework"],
        "organisations": clean(doc["organisations"], id=None, parent_id=org),
        "participants": clean(doc["participants"], organisation_id=org),
        "documents": clean(doc["documents"], id=None),
        "analysis_runs": clean(doc["analysis_runs"], id=None, finished_at=None),
        "submissions": clean(doc["submissions"], id=None, organisation_id=org, submitted_at=None,
                             document=docs.get),
        "findings": clean(doc["findings"], id=None, submission=subs.get, organisation_id=org,
                          source=source,
                          human_codes=lambda codes: [{**c, "decided_by": None, "confirmed_at": None}
                                                     for c in codes],
                          machine_codes=lambda codes: [{**c, "analysis_run": runs.get(c["analysis_run"])}
                                                       for c in codes]),
        "examples": clean(doc["examples"], id=None, organisation_id=org, submission=subs.get,
                          finding=findings.get, merged_into=examples.get, source=source),
        "recommendations": clean(
            doc["recommendations"], id=None, owner_id=org, source=source,
            findings=lambda ids: sorted(findings[i] for i in ids),
            progress=lambda rows: [{**u, "reported_at": None} for u in rows],
            responses=lambda rows: [response(r) for r in rows]),
        "unattached_responses": clean(doc["unattached_responses"], source=source, imported_at=None),
        "case_studies": clean(doc["case_studies"], id=None, organisation_id=org, source=source),
        "report": {**doc["report"], "evidence_quotes": [
            {**q, "finding": findings[q["finding"]]} for q in doc["report"]["evidence_quotes"]],
            "versions": []},
        "recommendation_ids": sorted(recs.values()),
    }


@pytest.mark.slow
def test_the_data_pack_loads_into_a_fresh_database_with_nothing_lost(example, tmp_path):
    pack = write_data_pack(example, tmp_path / "northmere.zip")
    before = json.loads(zipfile.ZipFile(pack).read("review.json"))
    jsonschema.validate(before, _schema())
    assert len(before["findings"]) >= 250 and before["analysis_runs"] and before["report"]["texts"]
    assert before["recommendations"][0]["progress"][0]["note"] == "Weekly meetings agreed."
    assert {c["decided_by"] for f in before["findings"] for c in f["human_codes"]} == {"reviewer"}
    curated = [e for e in before["examples"]
               if e["excluded"] or e["merged_into"] or e["finding"]]
    assert len(curated) == 3 and len(before["case_studies"]) == 1  # one has consent

    if connection.vendor == "postgresql":  # fire deferred constraint checks before TRUNCATE
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)  # a fresh, empty database
    assert not Review.objects.exists() and not Organisation.objects.exists()
    loaded = load_review(data=read_document(pack), by=None)

    after = review_document(loaded)
    assert loaded.slug == "northmere-winter-2025" and loaded.status == "tracking"
    assert _canonical(after) == _canonical(before)
    assert AuditEvent.objects.filter(verb="review.loaded", review=loaded).count() == 1


def test_a_second_copy_matches_the_register_and_the_framework(coded, tmp_path):
    data = review_document(coded.review)
    orgs, frameworks = Organisation.objects.count(), Framework.objects.count()
    copy = load_review(data=parse_document(json.dumps(data)), by=coded.users["lena"],
                       slug="winter-2025-copy")
    assert (Organisation.objects.count(), Framework.objects.count()) == (orgs, frameworks)
    again = review_document(copy)
    assert _canonical(again) == _canonical(data)
    # who loaded it decided the codes it carries, recorded by role
    assert {c["decided_by"] for f in again["findings"] for c in f["human_codes"]} == {"lead"}


def test_personal_data_a_lead_kept_stays_kept_and_undecided_stays_hidden(coded):
    lena = coded.users["lena"]
    kept = collect_actions.add_example(
        review=coded.review, title="Booking line", by=lena, organisation=coded.orgs["ashby"],
        synopsis="Patients book on 0113 496 0000 at any hour.")
    collect_actions.keep_personal_data(by=lena, example=kept)
    collect_actions.add_example(
        review=coded.review, title="Named champion", by=lena, organisation=coded.orgs["ashby"],
        synopsis="Ring the ward on 0113 496 0999 for help.")
    data = review_document(coded.review)
    synopses = {e["title"]: e["synopsis"] for e in data["examples"]}
    assert "0113 496 0000" in synopses["Booking line"]
    assert "0999" not in synopses["Named champion"]  # undecided: replaced
    assert [i["example"] for i in data["personal_data_kept"]] == [kept.pk]

    copy = load_review(data=parse_document(json.dumps(data)), by=lena, slug="winter-copy")
    again = review_document(copy)
    assert {e["title"]: e["synopsis"] for e in again["examples"]} == synopses
    assert len(again["personal_data_kept"]) == 1


def test_the_export_validates_against_the_committed_schema(coded):
    data = review_document(coded.review)
    jsonschema.validate(data, _schema())
    docs_copy = ROOT / "docs/schema/stocktake-review-v2.schema.json"
    assert docs_copy.read_text(encoding="utf-8") == SCHEMA.read_text(encoding="utf-8")
    broken = json.loads(json.dumps(data))
    broken["findings"][0]["polarity"] = "glowing"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, _schema())


def test_the_schema_names_every_value_the_models_allow():
    schema = _schema()
    props, defs = schema["properties"], schema["$defs"]
    finding = props["findings"]["items"]["properties"]
    recommendation = props["recommendations"]["items"]["properties"]
    pairs = [
        (props["review"]["properties"]["status"], ReviewStatus),
        (finding["section"], SectionKind), (finding["polarity"], Polarity),
        (finding["polarity_origin"], Origin), (recommendation["status"], RecommendationStatus),
        (recommendation["progress"]["items"]["properties"]["status"], RecommendationStatus),
        (defs["response"]["properties"]["status"], ResponseStatus),
        (defs["organisation"]["properties"]["level"], OrganisationLevel),
        (props["report"]["properties"]["texts"]["items"]["properties"]["kind"], TextKind),
    ]
    for node, choices in pairs:
        assert sorted(node["enum"]) == sorted(choices.values), choices.__name__


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(("text", "message"), [
    ('{"format": "stocktake.review", "version": 1}', "version 1 of the stocktake review format"),
    ('{"format": "stocktake.review", "version": 3}', "this stocktake loads version 2"),
    ('{"format": "stocktake.review", "version": 2, "review"', "not valid JSON (line 1"),
    ('{"name": "something else"}', "not a stocktake review export"),
    ("[1, 2, 3]", "not a stocktake review export"),
])
def test_files_that_are_not_a_version_2_export_are_refused(text, message):
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(")):
        parse_document(text, name="upload.json")


def test_a_document_that_breaks_the_schema_names_the_place(coded):
    data = review_document(coded.review)
    data["findings"][1]["section"] = "musings"
    with pytest.raises(InvalidInput, match=r"at findings/1/section: 'musings' is not one of"):
        parse_document(json.dumps(data))
    data = review_document(coded.review)
    data["recommendations"][0]["findings"] = [999999]
    with pytest.raises(InvalidInput, match="findings refers to 999999"):
        parse_document(json.dumps(data))


def test_a_zip_without_review_json_and_a_damaged_zip_are_refused(tmp_path):
    empty = tmp_path / "pack.zip"
    with zipfile.ZipFile(empty, "w") as pack:
        pack.writestr("README.txt", "hello")
    with pytest.raises(InvalidInput, match="zip without review.json"):
        read_document(empty)
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(InvalidInput, match="not a readable zip"):
        read_document(damaged)


def test_loading_is_all_or_nothing(coded):
    data = review_document(coded.review)
    data["organisations"].append({
        "id": 99001, "name": "Brand New Trust", "short_name": "", "level": "organisation",
        "type": "acute_trust", "parent_id": data["review"]["region_id"], "parent": None,
        "system": None, "aliases": []})
    data["participants"].append({"organisation_id": 99001, "organisation": "Brand New Trust",
                                 "submitted": False})
    data["report"]["evidence_quotes"].append({"theme": "no-such-theme",
                                              "finding": data["findings"][0]["id"]})
    counts = (Review.objects.count(), Organisation.objects.count(), Finding.objects.count())
    with pytest.raises(InvalidInput, match="no-such-theme"):
        load_review(data=parse_document(json.dumps(data)), by=None, slug="half-loaded")
    assert (Review.objects.count(), Organisation.objects.count(), Finding.objects.count()) == counts
    with pytest.raises(InvalidInput, match="already exists"):
        load_review(data=review_document(coded.review), by=None)


# --------------------------------------------------------------------------- the tables


def test_the_data_pack_holds_the_tables_the_json_and_a_readme(coded, tmp_path):
    lena = coded.users["lena"]
    collect_actions.add_example(review=coded.review, title="=HYPERLINK(\"http://x\")", by=lena,
                                organisation=coded.orgs["ashby"])
    seen = []
    path = write_data_pack(coded.review, tmp_path / "pack.zip",
                           progress=lambda done, total, label: seen.append((done, total)))
    assert seen[-1] == (14, 14) and [d for d, _ in seen] == list(range(1, 15))
    pack = zipfile.ZipFile(path)
    assert sorted(pack.namelist()) == sorted([
        "README.txt", "review.json", "findings.csv", "codes.csv", "examples.csv",
        "recommendations.csv", "review.xlsx"])
    assert "version 2" in pack.read("README.txt").decode()

    def rows(name):
        return list(csv.DictReader(io.StringIO(pack.read(name).decode("utf-8-sig"))))

    findings = rows("findings.csv")
    assert len(findings) == 3 and "DRAFT" not in pack.read("findings.csv").decode()
    hubs = next(r for r in findings if r["text"].startswith("Staff"))
    assert hubs["themes"] == "staff-wellbeing" and hubs["system"] == "Northfold Integrated Care System"
    codes = rows("codes.csv")
    human = [c for c in codes if c["origin"] == "human"]
    assert {(c["theme"], c["decision"], c["decided_by"]) for c in human} == {
        ("staff-wellbeing", "applies", "reviewer"), ("new-workforce", "rejected", "reviewer"),
        ("regional-relationship", "applies", "reviewer")}
    assert {c["backend"] for c in codes if c["origin"] == "machine"} == {"tfidf"}
    examples = rows("examples.csv")
    assert "'=HYPERLINK(\"http://x\")" in {e["title"] for e in examples}  # never a formula
    recs = rows("recommendations.csv")
    assert [r["number"] for r in recs] == ["1", "2", "3"]

    workbook = load_workbook(io.BytesIO(pack.read("review.xlsx")), read_only=True)
    assert workbook.sheetnames == ["findings", "codes", "examples", "recommendations"]
    sheet = [list(row) for row in workbook["examples"].iter_rows(values_only=True)]
    assert len(sheet) == len(examples) + 1
    assert "=HYPERLINK(\"http://x\")" in [row[4] for row in sheet]  # stored as text
    assert len(list(workbook["codes"].iter_rows())) == len(codes) + 1
    workbook.close()


def test_a_failed_write_leaves_the_earlier_pack(coded, tmp_path, monkeypatch):
    path = write_data_pack(coded.review, tmp_path / "pack.zip")
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("stocktake.report.datapack.pack.write_xlsx", broken)
    with pytest.raises(OSError, match="disk full"):
        write_data_pack(coded.review, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.zip"]


# --------------------------------------------------------------------------- REFI-QDA


def _project(path: Path):
    pack = zipfile.ZipFile(path)
    qde = pack.read("project.qde")
    validate(qde)
    return pack, etree.fromstring(qde)


@pytest.mark.slow
def test_the_refi_qda_project_validates_and_its_selections_are_the_findings(example, tmp_path):
    path = write_qdpx(example, tmp_path / "northmere.qdpx")
    pack, root = _project(path)
    document = review_document(example)
    texts = {f"Finding {f['id']}": f["text"] for f in document["findings"]}
    selections = 0
    for source in root.iter(f"{Q}TextSource"):
        text = pack.read("Sources/" + source.get("plainTextPath").removeprefix("internal://"))
        text = text.decode("utf-8")
        for selection in source.iter(f"{Q}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end] == texts[selection.get("name")]
            selections += 1
    assert selections == len(document["findings"])
    codebook = {c.get("name") for c in root.iter(f"{Q}Code")}
    framework = document["framework"]
    assert {"Themes", "Domains", "Polarity"} | {i["name"] for i in framework["themes"]} | {
        i["name"] for i in framework["domains"]} <= codebook
    users = {u.get("name") for u in root.iter(f"{Q}User")}
    assert "Reviewer" in users and not any("@" in (u or "") for u in users)
    assert len(list(root.iter(f"{Q}Note"))) == len(document["recommendations"])
    cited = sum(len(r["findings"]) for r in document["recommendations"])
    assert len(list(root.iter(f"{Q}NoteRef"))) == cited
    assert len(list(root.iter(f"{Q}Case"))) == len({s["organisation_id"]
                                                    for s in document["submissions"]})


def test_formats_made_from_one_document_match_those_made_alone(coded, tmp_path):
    document = review_document(coded.review)
    seen = []
    alone = zipfile.ZipFile(write_qdpx(coded.review, tmp_path / "a.qdpx")).read("project.qde")
    shared = zipfile.ZipFile(write_qdpx(coded.review, tmp_path / "b.qdpx", document=document,
                                        progress=lambda *step: seen.append(step))).read("project.qde")
    assert alone.split(b">", 2)[2] == shared.split(b">", 2)[2]  # all but the dated root tag
    assert seen[-1] == (7, 7, "sources")
    pack = zipfile.ZipFile(write_data_pack(coded.review, tmp_path / "p.zip", document=document))
    assert json.loads(pack.read("review.json")) == document


def test_the_refi_qda_project_is_the_same_twice_and_invalid_projects_are_named(coded, tmp_path):
    first = zipfile.ZipFile(write_qdpx(coded.review, tmp_path / "a.qdpx")).read("project.qde")
    second = zipfile.ZipFile(write_qdpx(coded.review, tmp_path / "b.qdpx")).read("project.qde")
    strip = [line for line in first.decode().splitlines() if "creationDateTime" not in line]
    assert strip == [line for line in second.decode().splitlines()
                     if "creationDateTime" not in line]
    _project(tmp_path / "a.qdpx")
    broken = first.replace(b'isCodable="true"', b'isCodable="perhaps"', 1)
    with pytest.raises(InvalidProject, match="isCodable"):
        validate(broken)


def test_the_reflection_and_report_dates_travel_with_the_review(coded):
    dates = {"reflection_by": dt.date(2026, 5, 1), "report_due_on": dt.date(2026, 6, 1)}
    review = review_actions.update_review(review=coded.review, by=coded.users["lena"],
                                          **dates)
    data = review_document(review)
    assert (data["review"]["reflection_by"], data["review"]["report_due_on"]) == (
        "2026-05-01", "2026-06-01")
    copy = load_review(data=parse_document(json.dumps(data)), by=coded.users["lena"],
                       slug="winter-2025-dated")
    assert (copy.reflection_by, copy.report_due_on) == tuple(dates.values())
