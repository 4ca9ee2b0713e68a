"""Personal data in recommendations, case studies and imported responses: flagged when stored
and by `scan-personal-data`, listed for leads with Redact and Keep, and replaced for everyone
else, in the report and in the exports until a lead decides."""

from __future__ import annotations

import pytest

from stocktake.collect import actions as collect_actions
from stocktake.collect.importers import ExtractedResponse
from stocktake.collect.models import PersonalDataFlag, PersonalDataStatus
from stocktake.collect.personal_data import hide_flagged
from stocktake.report import actions as report_actions
from stocktake.report.build.recommendations import by_theme
from stocktake.report.export import export_review
from stocktake.report.models import CaseStudy, Recommendation
from stocktake.track.actions import record_responses
from stocktake.track.models import RecommendationResponse

REVIEW = "/reviews/winter-2025/"
NHS = "943 476 5919"
REC = f"Write to the family of the patient with NHS number {NHS} within a week."
STORY = "She rang edith.barnes@example.org every evening from LS1 4AP."
ANSWER = "Accepted. Call Dr Priya Shah on 0113 496 0000 for progress."


@pytest.fixture
def stored(world):
    lena = world.users["lena"]
    rec = report_actions.create_recommendation(review=world.review, text=REC, by=lena)
    study = report_actions.create_case_study(review=world.review, title="A long night",
                                             person="Mrs Edith Barnes", text=STORY, by=lena)
    record_responses(review=world.review, by=lena, responses=[ExtractedResponse(
        text=ANSWER, status="accepted", number=rec.number, label=str(rec.number))])
    return rec, study, RecommendationResponse.objects.get()


def kinds(obj) -> set[tuple[str, str]]:
    return {(f.field, f.kind) for f in obj.personal_data_flags.all()}


def test_each_is_flagged_when_stored(world, stored):
    rec, study, response = stored
    assert kinds(rec) == {("text", "nhs_number")}
    assert kinds(study) == {("person", "person_name"), ("text", "email"), ("text", "uk_postcode")}
    assert kinds(response) == {("text", "person_name"), ("text", "uk_phone")}
    assert all(f.status == PersonalDataStatus.FLAGGED and f.review_id == world.review.pk
               for f in PersonalDataFlag.objects.all())


def test_undecided_items_are_replaced_in_the_report_and_exports(world, stored):
    rec, study, _ = stored
    recs, further = by_theme(world.review, list(world.framework.themes.all()))
    [shown] = [r for r in further + [r for rs in recs.values() for r in rs] if r.pk == rec.pk]
    assert shown.text == ("Write to the family of the patient with NHS number [NHS number] "
                          "within a week.")
    data = export_review(world.review)
    assert NHS not in str(data) and "Priya Shah" not in str(data) and "0113 496 0000" not in str(data)
    [exported] = [r for r in data["recommendations"] if r["number"] == rec.number]
    assert exported["responses"][0]["text"] == "Accepted. Call Dr [name] on [phone number] for progress."
    [hidden] = hide_flagged([CaseStudy.objects.get(pk=study.pk)])  # as the report's appendix
    assert (hidden.person, hidden.text) == (
        "Mrs [name]", "She rang [email address] every evening from [postcode].")
    # Kept: shown as written from then on; redacted: replaced in the stored text.
    collect_actions.keep_personal_data(subject=rec, by=world.users["lena"])
    assert REC in [r["text"] for r in export_review(world.review)["recommendations"]]
    assert collect_actions.redact_personal_data(subject=study, by=world.users["lena"]) == 3
    study.refresh_from_db()
    assert (study.person, study.text) == ("Mrs [name]", "She rang [email address] every evening from "
                                                        "[postcode].")
    assert CaseStudy.objects.get(pk=study.pk).personal_data_flags.filter(
        status=PersonalDataStatus.REDACTED).count() == 3


def test_only_leads_see_them_as_written_on_the_pages(world, login, stored):
    lead = login(world.users["lena"]).get(f"{REVIEW}recommendations/").content.decode()
    assert NHS in lead and "Priya Shah" in lead
    client = login(world.users["ravi"])
    for url in ("recommendations/", "examples/"):
        html = client.get(REVIEW + url).content.decode()
        for secret in (NHS, "Priya Shah", "0113 496 0000", "Edith Barnes", "edith.barnes@"):
            assert secret not in html, (url, secret)
    assert "[NHS number]" in client.get(f"{REVIEW}recommendations/").content.decode()


def test_the_personal_data_page_lists_them_with_redact_and_keep(world, login, stored):
    rec, study, response = stored
    client = login(world.users["lena"])
    html = client.get(f"{REVIEW}personal-data/").content.decode()
    assert f"Recommendation: {rec}" in html and "Case study: A long night" in html
    assert "Recommendation response" in html
    for subject, obj in (("recommendation", rec), ("casestudy", study)):
        assert f'name="subject" value="{subject}"' in html and f'value="{obj.pk}"' in html
    flag = response.personal_data_flags.get(kind="uk_phone")
    done = client.post(f"{REVIEW}personal-data/decide/", {
        "decision": "redact", "subject": "recommendationresponse", "subject_id": response.pk,
        "flag": flag.pk})
    assert done.status_code == 302
    response.refresh_from_db()
    assert response.text == "Accepted. Call Dr Priya Shah on [phone number] for progress."
    done = client.post(f"{REVIEW}personal-data/decide/", {
        "decision": "keep", "subject": "recommendation", "subject_id": rec.pk})
    assert done.status_code == 302
    assert rec.personal_data_flags.get().status == PersonalDataStatus.KEPT
    # An unknown subject is one clear message; and deciding is not for reviewers.
    bad = client.post(f"{REVIEW}personal-data/decide/", {
        "decision": "redact", "subject": "auditevent", "subject_id": 1}, follow=True)
    assert "Choose Redact or Keep" in bad.content.decode()
    ravi = login(world.users["ravi"])
    assert ravi.post(f"{REVIEW}personal-data/decide/", {
        "decision": "redact", "subject": "casestudy", "subject_id": study.pk}).status_code == 403


def test_editing_a_recommendation_finds_its_personal_data_again_and_keeps_what_was_kept(world, stored):
    rec, _, _ = stored
    lena = world.users["lena"]
    collect_actions.keep_personal_data(subject=rec, by=lena)
    rec = report_actions.update_recommendation(
        recommendation=rec, by=lena, text=REC + " Copy ops@example.nhs.uk.")
    assert {(f.kind, f.status) for f in rec.personal_data_flags.all()} == {
        ("nhs_number", PersonalDataStatus.KEPT), ("email", PersonalDataStatus.FLAGGED)}


def test_scan_flags_what_was_stored_before_detection(world, monkeypatch):
    lena = world.users["lena"]
    monkeypatch.setattr(collect_actions, "flag_personal_data", lambda **_: 0)
    rec = report_actions.create_recommendation(review=world.review, text=REC, by=lena)
    study = report_actions.create_case_study(review=world.review, title="A long night",
                                             person="Mrs Edith Barnes", text=STORY, by=lena)
    monkeypatch.undo()
    assert not PersonalDataFlag.objects.exists()
    assert collect_actions.scan_personal_data(review=world.review, by=None) == 4
    assert kinds(rec) == {("text", "nhs_number")} and len(kinds(study)) == 3
    assert collect_actions.scan_personal_data(review=world.review, by=None) == 0  # once only
    assert collect_actions.redact_all_personal_data(review=world.review, by=lena) == 4
    assert Recommendation.objects.get(pk=rec.pk).text == (
        "Write to the family of the patient with NHS number [NHS number] within a week.")


def test_editing_a_case_study_finds_its_personal_data_again(world, stored):
    from stocktake.report.actions.appendix import update_case_study

    _, study, _ = stored
    lena = world.users["lena"]
    collect_actions.keep_personal_data(subject=study, by=lena)  # a lead kept all three
    study = update_case_study(study=study, by=lena, expected_revision=study.revision,
                              text=STORY + " Her son's mobile is 07700 900461.")
    assert {(f.field, f.kind, f.status) for f in study.personal_data_flags.all()} == {
        ("person", "person_name", PersonalDataStatus.KEPT),
        ("text", "email", PersonalDataStatus.KEPT), ("text", "uk_postcode", PersonalDataStatus.KEPT),
        ("text", "uk_phone", PersonalDataStatus.FLAGGED)}


def test_the_builder_pages_hide_undecided_items_from_reviewers_who_may_not_edit_them(
        world, login, stored):
    rec, study, _ = stored
    client = login(world.users["ravi"])  # a reviewer: may edit the report, may not decide
    for url in ("report/recommendations/", f"report/recommendations/{rec.pk}/evidence/",
                f"report/recommendations/{rec.pk}/move/", f"report/recommendations/{rec.pk}/delete/",
                "report/appendix/"):
        response = client.get(REVIEW + url)
        html = response.content.decode()
        assert response.status_code == 200, url
        for secret in (NHS, "Edith Barnes", "edith.barnes@"):
            assert secret not in html, (url, secret)
    refused = client.get(f"{REVIEW}report/recommendations/{rec.pk}/edit/", follow=True)
    assert "only a lead can edit it until then" in refused.content.decode()
    refused = client.post(f"{REVIEW}report/appendix/case-studies/{study.pk}/edit/",
                          {"title": "x", "text": "y", "revision": study.revision}, follow=True)
    assert "only a lead can edit it until then" in refused.content.decode()
    assert CaseStudy.objects.get(pk=study.pk).text == STORY  # nothing saved
    # The lead edits as written.
    lead = login(world.users["lena"])
    assert NHS in lead.get(f"{REVIEW}report/recommendations/{rec.pk}/edit/").content.decode()


def test_the_publish_checks_count_undecided_items_in_recommendations_and_published_case_studies(
        world, stored):
    from stocktake.report.actions.appendix import record_consent
    from stocktake.report.checks import publish_checks

    rec, study, _ = stored

    def pending() -> int:
        return next(c for c in publish_checks(world.review)
                    if c.code == "personal_data_undecided").count

    assert pending() == 1  # the recommendation; the case study is not published without consent
    record_consent(study=study, note="Signed form, 3 March", by=world.users["lena"])
    assert pending() == 4
    from stocktake.report.build.texts import case_study_items

    [item] = case_study_items(world.review)  # the report's case studies: replaced
    assert (item.person, item.text) == ("Mrs [name]", "She rang [email address] every evening "
                                                      "from [postcode].")
    collect_actions.redact_all_personal_data(review=world.review, by=world.users["lena"])
    assert pending() == 0
