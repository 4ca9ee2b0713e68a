"""Responses to recommendations: imported from a response document, attached by the number as
printed, unmatched ones kept and named, never duplicated; shown and exported."""

from __future__ import annotations

import re

import pytest

from stocktake.collect import actions as collect_actions
from stocktake.collect import importers
from stocktake.collect.importers import (
    ExtractedCaseStudy,
    ExtractedRecommendation,
    ExtractedResponse,
    Extraction,
)
from stocktake.collect.models import PersonalDataFlag
from stocktake.collect.response_matching import ResponseMatcher, Target, normalise_label
from stocktake.core.errors import InvalidInput
from stocktake.core.models import AuditEvent
from stocktake.report import importing as report_importing
from stocktake.report.export import export_review
from stocktake.report.models import CaseStudy, Recommendation
from stocktake.track.importing import import_document
from stocktake.track.imports.actions import undo_import
from stocktake.track.models import RecommendationResponse, ResponseStatus

REPORT = Extraction(file="inquiry-report.txt", format="text", recommendations=[
    ExtractedRecommendation(number=101, label="8.12", section="Relationship with the region",
                            text="Publish a single weekly data request for all systems.",
                            location="line 40"),
    ExtractedRecommendation(number=102, label="2a", section="Supporting staff",
                            text="Fund rest hubs for night staff through the winter.",
                            location="line 52"),
])
RESPONSE = Extraction(file="government-response.txt", format="text", responses=[
    ExtractedResponse(label="8.12", number=None, status="accepted",
                      text="Accepted. The weekly request starts in April.",
                      recommendation_text="Publish a single weekly data request for all systems.",
                      location="page 3"),
    ExtractedResponse(label="2A", number=None, status="accepted_in_part",
                      text="Accepted in part: funding covers two of the three sites.",
                      location="page 4"),
    ExtractedResponse(label="9.4", number=None, status="not_accepted",
                      text="Not accepted: this is a matter for local systems.", location="page 6"),
])


def test_response_statuses_match_the_importer_model():
    assert set(ResponseStatus.values) == set(importers.RESPONSE_STATUSES)


def test_labels_are_compared_as_printed():
    assert normalise_label("Recommendation 8.12") == normalise_label("R8.12.") == "8.12"
    assert normalise_label("4a) iii") == normalise_label("4a(iii)") == normalise_label("4.a iii")
    assert normalise_label("2A") == "2a"
    matcher = ResponseMatcher([Target(1, "8.12", 1, "x"), Target(2, "", 12, "y")])
    assert matcher.match(label="8.12", number=None).target.id == 1
    assert matcher.match(label="12", number=None).target.id == 2
    assert matcher.match(label="", number=12).target.id == 2
    missing = matcher.match(label="8.13", number=None)
    assert missing.target is None and "no recommendation 8.13" in missing.reason


def test_two_recommendations_with_one_label_are_told_apart_by_the_quoted_text():
    matcher = ResponseMatcher([Target(1, "3", 1, "Train every ward in the new escalation policy"),
                               Target(2, "3", 2, "Publish the capital plan for the hospital estate")])
    found = matcher.match(label="3", number=None, quoted="Publish the capital plan for estates")
    assert found.target.id == 2
    unclear = matcher.match(label="3", number=None)
    assert unclear.target is None and "unclear" in unclear.reason


def test_a_response_document_attaches_to_the_recommendations_imported_before(world, documents):
    lena = world.users["lena"]
    report = import_document(review=world.review, path=documents(REPORT), by=lena)
    assert report.recommendations == 2
    rec_812 = Recommendation.objects.get(review=world.review, label="8.12")
    assert rec_812.shown_number == "8.12" and rec_812.number == 101
    result = import_document(review=world.review, path=documents(RESPONSE), by=lena)
    assert result.responses == 3
    assert "3 responses to recommendations (2 attached; 1 not matched" in result.message
    assert any("recommendation 9.4 (page 6) was kept but not attached: no recommendation 9.4"
               in str(p) for p in result.problems)
    attached = RecommendationResponse.objects.get(recommendation=rec_812)
    assert attached.status == "accepted" and attached.source_location == "page 3"
    assert attached.source_document == result.document and attached.imported_by == lena
    assert Recommendation.objects.get(label="2a").responses.get().status == "accepted_in_part"
    unattached = RecommendationResponse.objects.get(recommendation__isnull=True)
    assert unattached.label == "9.4" and unattached.status == "not_accepted"
    event = AuditEvent.objects.get(verb="responses.imported")
    assert event.details == {"attached": 2, "unattached": 1, "duplicates": 0, "reattached": 0}


def test_reimporting_a_response_document_adds_nothing(world, documents):
    lena = world.users["lena"]
    import_document(review=world.review, path=documents(REPORT), by=lena)
    import_document(review=world.review, path=documents(RESPONSE), by=lena)
    same = import_document(review=world.review, path=documents(RESPONSE), by=lena)
    assert not same.created and "nothing changed" in same.message
    # Another copy (a re-saved file: other bytes, same answers) adds none of them again.
    copy = Extraction(file="response-resaved.txt", format="text", responses=RESPONSE.responses)
    again = import_document(review=world.review, path=documents(copy), by=lena)
    assert again.created and again.responses == 0 and again.responses_duplicate == 3
    assert "3 responses already recorded, not added again" in again.message
    assert RecommendationResponse.objects.count() == 3


def test_an_import_that_cannot_store_responses_refuses_the_file(world, documents):
    with pytest.raises(InvalidInput, match="holds responses to recommendations"):
        report_importing.import_document(review=world.review, path=documents(RESPONSE),
                                         by=world.users["lena"])
    assert not RecommendationResponse.objects.exists()


def test_case_studies_are_stored_as_case_studies_never_examples(world, documents):
    extraction = Extraction(file="report-with-stories.txt", format="text", case_studies=[
        ExtractedCaseStudy(title="A night on the virtual ward", person="Staff nurse",
                           organisation="Ashby General", text="I started my shift at 8pm ...",
                           location="page 12"),
    ])
    result = import_document(review=world.review, path=documents(extraction),
                             by=world.users["lena"])
    assert result.case_studies == 1 and result.examples == 0
    study = CaseStudy.objects.get()
    assert study.organisation == world.orgs["ashby"] and study.person == "Staff nurse"
    assert not study.consent_recorded and study.source_location == "page 12"
    assert world.review.examples.count() == 0
    event = AuditEvent.objects.get(verb="case_study.created")
    assert "Staff nurse" not in str(event.details) and "8pm" not in str(event.details)


def test_the_recommendations_page_shows_labels_responses_and_unattached_ones(world, documents,
                                                                           login):
    lena = world.users["lena"]
    import_document(review=world.review, path=documents(REPORT), by=lena)
    import_document(review=world.review, path=documents(RESPONSE), by=lena)
    html = login(lena).get("/reviews/winter-2025/recommendations/").content.decode()
    assert "Recommendation 8.12" in html and "Recommendation 2a" in html
    assert "Accepted. The weekly request starts in April." in html
    assert "Accepted in part or in principle" in html
    assert "Responses not matched to a recommendation" in html
    assert "Response to recommendation 9.4" in html and "Not accepted" in html


def test_two_documents_with_one_label_are_told_apart_on_the_page_and_in_the_report(world, login,
                                                                                tmp_path):
    from stocktake.report.build import build_report
    lena = world.users["lena"]
    for name in ("first.txt", "second.txt"):
        path = tmp_path / name
        path.write_text(f"Review {name}\n\nRecommendations\n\n1. The board should act on {name} now.\n"
                        f"2. Wards should report on {name} weekly.\n", encoding="utf-8")
        import_document(review=world.review, path=path, by=lena)
    html = login(lena).get("/reviews/winter-2025/recommendations/").content.decode()
    assert "Recommendation 1 &mdash; from first.txt" in html and "Recommendation 1 &mdash; from second.txt" in html
    anchors = re.findall(r'<section class="stocktake-recommendation" id="([^"]+)"', html)
    assert len(anchors) == len(set(anchors))
    items = build_report(world.review).recommendations
    assert {i.origin for i in items if i.shown_number == "1" and i.origin} >= {"from first.txt", "from second.txt"}


def test_an_action_owner_sees_responses_only_to_recommendations_they_own(world, documents, login):
    lena = world.users["lena"]
    import_document(review=world.review, path=documents(REPORT), by=lena)
    import_document(review=world.review, path=documents(RESPONSE), by=lena)
    html = login(world.users["owen"]).get("/reviews/winter-2025/recommendations/").content.decode()
    assert "Responses not matched" not in html and "weekly request starts" not in html


def test_the_export_carries_labels_and_responses(world, documents):
    lena = world.users["lena"]
    import_document(review=world.review, path=documents(REPORT), by=lena)
    import_document(review=world.review, path=documents(RESPONSE), by=lena)
    data = export_review(world.review)
    by_label = {r["label"]: r for r in data["recommendations"]}
    assert by_label["8.12"]["responses"][0]["status"] == "accepted"
    source = by_label["8.12"]["responses"][0]["source"]
    assert (source["file"], source["location"]) == ("government-response.txt", "page 3")
    assert source["document"] in {d["id"] for d in data["documents"]}
    assert [r["recommendation"] for r in data["unattached_responses"]] == ["9.4"]


def test_record_responses_keeps_unknown_statuses_as_unknown_and_skips_empty_answers(world):
    from stocktake.track.actions import record_responses

    rec = world.review.recommendations.get(number=1)
    outcome = record_responses(review=world.review, by=world.users["lena"], responses=[
        ExtractedResponse(label="1", number=1, text="Under consideration.", status="pondering"),
        ExtractedResponse(label="2", number=2, text="   "),
    ])
    assert outcome.attached == 1 and outcome.unattached == [] and outcome.stored == 1
    stored = RecommendationResponse.objects.get()
    assert stored.recommendation == rec and stored.status == "unknown"
    assert stored.get_status_display() == "Status not stated"


def test_a_recommendation_keeps_its_printed_number_through_edits_and_the_report(world):
    from stocktake.report.actions import create_recommendation, update_recommendation
    from stocktake.report.build import build_report
    from stocktake.report.render import render_html

    lena = world.users["lena"]
    rec = create_recommendation(review=world.review, text="Name one lead for discharge.",
                                label=" 4a)  iii ", by=lena)
    assert rec.label == "4a) iii" and rec.shown_number == "4a) iii" and rec.number == 3
    event = AuditEvent.objects.get(verb="recommendation.created", subject_id=str(rec.pk))
    assert event.details["label"] == "4a) iii"
    update_recommendation(recommendation=rec, label="4b", by=lena)
    rec.refresh_from_db()
    assert rec.label == "4b" and str(rec).startswith("4b. Name one lead")
    html = render_html(build_report(world.review))
    assert "Recommendation 4b</span>" in html and 'id="recommendation-3"' in html


def test_responses_imported_before_their_report_attach_when_it_comes(world, documents):
    lena = world.users["lena"]
    first = import_document(review=world.review, path=documents(RESPONSE), by=lena)
    assert len(first.responses_unattached) == 3
    report = import_document(review=world.review, path=documents(REPORT), by=lena)
    assert report.responses_reattached == 2
    assert "2 earlier responses attached to these recommendations" in report.message
    assert Recommendation.objects.get(label="8.12").responses.get().status == "accepted"
    assert RecommendationResponse.objects.filter(recommendation__isnull=True).count() == 1
    event = AuditEvent.objects.filter(verb="responses.imported").order_by("id").last()
    assert event.details["reattached"] == 2


def test_a_case_study_naming_an_unknown_organisation_creates_none(world, documents):
    from stocktake.reviews.models import Organisation

    before = Organisation.objects.count()
    extraction = Extraction(file="stories.txt", format="text", case_studies=[
        ExtractedCaseStudy(title="Home first", person="District nurse",
                           organisation="Somewhere Unknown PCN", text="We went to people.")])
    import_document(review=world.review, path=documents(extraction), by=world.users["lena"])
    study = CaseStudy.objects.get()
    assert study.organisation is None and study.person == "District nurse, Somewhere Unknown PCN"
    assert Organisation.objects.count() == before


def test_an_imported_response_with_personal_data_is_flagged_and_undo_removes_its_flags(
        world, documents):
    lena = world.users["lena"]
    import_document(review=world.review, path=documents(REPORT), by=lena)
    told = Extraction(file="told.txt", format="text", responses=[ExtractedResponse(
        label="8.12", number=None, text="Accepted: ring Dr Priya Shah on 0113 496 0000.",
        status="accepted", recommendation_text="", location="page 1")])
    batch = collect_actions.start_import_batch(review=world.review, by=lena)
    import_document(review=world.review, path=documents(told), by=lena, batch=batch)
    response = RecommendationResponse.objects.get(source_document__original_name="told.txt")
    assert {f.kind for f in response.personal_data_flags.all()} == {"person_name", "uk_phone"}
    undo_import(batch=batch, by=lena)
    assert not PersonalDataFlag.objects.filter(review=world.review, object_id=response.pk,
                                               content_type__model="recommendationresponse").exists()


def test_the_upload_preview_tags_personal_data_in_responses_and_case_studies(world, documents):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from stocktake.collect import staging
    from stocktake.collect.importers import ExtractedCaseStudy

    told = Extraction(file="told.txt", format="text", responses=[ExtractedResponse(
        label="8.12", number=None, text="Accepted: ring Dr Priya Shah on 0113 496 0000.",
        status="accepted", recommendation_text="", location="page 1")], case_studies=[
        ExtractedCaseStudy(title="A long night", person="Mrs Edith Barnes",
                           text="Her NHS number 943 476 5919 was on the letter.")])
    documents(told)
    staged = staging.stage([SimpleUploadedFile("told.txt", b"stand-in")],
                           user_id=world.users["lena"].pk, review_id=world.review.pk)
    preview = staging.preview_file(world.review, staged, staged.files[0],
                                   domains=list(world.framework.domains.all()))
    assert preview.personal_data_count == 2
    assert [item.labels for item in preview.personal_data] == [
        ("Possible name", "Possible NHS number"), ("Possible name", "Possible phone number")]
