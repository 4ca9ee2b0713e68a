"""The evaluation, decision and spread pages, the region's spread and the survey by link."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stocktake.track.actions import evaluation as ev
from stocktake.track.models import Adoption, Decision, Feedback, MeasureValue
from stocktake.track.values_csv import ValueRow
from tests.track.actions import log_innovation
from tests.web.test_similar_practice import add_bracken_submission


@pytest.fixture
def clinic(world):
    innovation = log_innovation(organisation=world.orgs["ashby"], title="Virtual fracture clinic",
                                what_changed="Video consultations replaced outpatient "
                                             "follow-ups for fractures.",
                                by=world.users["connie"])
    measure = ev.add_measure(innovation=innovation, name="Days to follow-up", kind="performance",
                             unit="days", target=7, higher_is_better=False, baseline_points=8,
                             by=world.users["connie"])
    start = date(2025, 1, 6)
    values = [10, 12, 9, 11, 10, 12, 9, 11, 5, 6, 5, 6, 5, 6]
    ev.record_values(measure=measure, by=world.users["connie"], rows=[
        ValueRow(start + timedelta(days=7 * i), v) for i, v in enumerate(values)])
    ev.add_feedback(innovation=innovation, source="staff", by=world.users["connie"],
                    texts=["The clinic worked well and saved us time.",
                           "The video system was slow and unreliable."])
    return innovation


def url(name, innovation, **extra):
    return reverse(name, kwargs={"innovation_id": innovation.pk, **extra})


def test_the_evaluation_shows_charts_signals_table_and_both_sides(world, login, clinic):
    html = login(world.users["lena"]).get(url("innovation_evaluation", clinic)).content.decode()
    assert "Shift: 6 points in a row below the centre line (points 9 to 14) — an improvement" in html
    assert 'role="img"' in html and "The data as a table" in html
    assert "Staff" in html and "Service users" in html and "Most representative" in html
    assert "Add a measure" in html


@pytest.mark.parametrize("name,status", [("ada", 200), ("lena", 200), ("ravi", 200),
                                         ("connie", 200), ("owen", 200), ("colin", 404),
                                         ("vera", 404), ("sam", 404)])
def test_each_persona_sees_the_pages_only_within_the_register_scope(world, login, clinic,
                                                                     name, status):
    client = login(world.users[name])
    for page in ("innovation_evaluation", "innovation_decision", "innovation_spread"):
        assert client.get(url(page, clinic)).status_code == status
    editable = client.get(url("measure_new", clinic)).status_code
    assert editable == (200 if status == 200 else 404)
    assert client.get(reverse("innovations_spread")).status_code == 200


def test_a_reader_who_may_not_log_for_the_organisation_gets_no_edit_links(world, login, clinic):
    from stocktake.reviews import actions as review_actions
    from stocktake.reviews.models import Role

    review_actions.add_member(review=world.review, member=world.users["sam"], role=Role.CONTRIBUTOR,
                              organisation=world.orgs["northfold"], by=world.users["lena"])
    # sam speaks for the system above Ashby: may log for it, so may edit.
    assert login(world.users["sam"]).get(url("measure_new", clinic)).status_code == 200


def test_values_by_csv_all_or_nothing_then_replacing(world, login, clinic):
    client, measure = login(world.users["connie"]), clinic.measures.get()
    page = url("measure_values", clinic, measure_id=measure.pk)
    bad = client.post(page, {"form": "file", "file": SimpleUploadedFile(
        "v.csv", b"date,value\n2025-06-01,4\nnot a date,3\n")})
    html = bad.content.decode()
    assert "nothing was stored" in html and "Row 3: “not a date” is not a date" in html
    assert measure.values.count() == 14
    good = client.post(page, {"form": "file", "file": SimpleUploadedFile(
        "v.csv", b"2025-06-01,4\n2025-01-06,9,recount\n")}, follow=True)
    assert "1 value added; 1 date already had a value, now replaced: 06 Jan 2025" in \
        good.content.decode()
    assert MeasureValue.objects.get(measure=measure, on=date(2025, 1, 6)).value == 9
    empty = client.post(page, {"form": "file", "file": SimpleUploadedFile("v.csv", b"")})
    assert "The file has no values" in empty.content.decode()
    one = client.post(page, {"form": "one", "on": "31/13/2025", "value": "x"})
    assert "Enter the date as" in one.content.decode() and "Enter the value as a number" in \
        one.content.decode()


def test_feedback_from_an_excel_column(world, login, clinic):
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Respondent", "Comments"])
    sheet.append(["1", "Much quicker than coming in."])
    sheet.append(["2", ""])
    sheet.append(["3", "I missed seeing the consultant face to face."])
    data = BytesIO()
    book.save(data)
    client = login(world.users["connie"])
    missing = client.post(url("innovation_feedback", clinic), {
        "source": "service_user", "column": "Comment",
        "file": SimpleUploadedFile("f.xlsx", data.getvalue())})
    assert "There is no column called “Comment”" in missing.content.decode()
    client.post(url("innovation_feedback", clinic), {
        "source": "service_user", "column": "comments",
        "file": SimpleUploadedFile("f.xlsx", data.getvalue())})
    assert Feedback.objects.filter(innovation=clinic, source="service_user",
                                   channel="import").count() == 2


def test_the_survey_needs_no_sign_in_honeypot_rate_limit_and_closing(world, login, clinic, client):
    survey, token = ev.open_survey(innovation=clinic, source="service_user",
                                   question="How was your video appointment?",
                                   by=world.users["connie"])
    page = reverse("survey_answer", kwargs={"token": token})
    assert client.get(page).status_code == 200  # not signed in
    client.post(page, {"answer": "Lovely", "website": "http://spam.example"})
    assert not Feedback.objects.filter(channel="survey").exists()  # the honeypot: dropped
    missing = client.post(page, {"answer": " ", "rating": "4"})
    assert "Enter the answer" in missing.content.decode()
    for _ in range(ev.SURVEY_ANSWERS_PER_HOUR):
        assert client.post(page, {"answer": "Quick and easy", "rating": "5",
                                  "role": "patient"}).status_code == 302
    assert client.post(page, {"answer": "Once more"}).status_code == 429
    assert Feedback.objects.filter(channel="survey").count() == ev.SURVEY_ANSWERS_PER_HOUR
    assert client.get(reverse("survey_answer", kwargs={"token": "wrong"})).status_code == 404
    ev.set_survey_open(survey=survey, is_open=False, by=world.users["connie"])
    assert client.get(page).status_code == 404


def test_a_decision_is_validated_and_listed_in_the_history(world, login, clinic):
    client = login(world.users["lena"])
    page = url("innovation_decision", clinic)
    html = client.post(page, {"outcome": "retain", "rationale": ""}).content.decode()
    assert "Enter the rationale for the decision" in html and not Decision.objects.exists()
    client.post(page, {"outcome": "adapt", "rationale": "Keep, for non-complex fractures",
                       "score-benefit": "4", "note-benefit": "Waits halved"})
    html = client.get(page).content.decode()
    assert "Adopted" not in html and "Keep, for non-complex fractures" in html
    assert "4 of 5" in html and "Waits halved" in html
    clinic.refresh_from_db()
    assert clinic.outcome == "adapt"
    assert login(world.users["ravi"]).get(page).status_code == 200


def test_an_organisation_framework_is_offered_on_the_decision_page(world, login, clinic):
    client = login(world.users["connie"])
    response = client.post(url("decision_framework_new", clinic), {
        "name": "Ashby executive", "label-1": "Patient safety", "label-2": "Value for money"})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Patient safety" in html and "Ashby executive" in html


def _map(html: str) -> str:
    return html.split("<h2>Across the region</h2>")[1]


def test_adoptions_on_the_spread_page_and_the_region_view(world, login, clinic):
    client = login(world.users["lena"])
    page = url("innovation_spread", clinic)
    before = _map(client.get(reverse("innovations_spread")).content.decode())
    assert "Brackenford" not in before and "Logged: 1" in before  # (now kept for this scope)
    client.post(page, {"organisation": str(world.orgs["bracken"].pk), "status": "adapted",
                       "note": "For hand injuries"})
    client.post(page, {"organisation": str(world.orgs["bracken"].pk), "status": "adopted"})
    assert list(Adoption.objects.values_list("status", flat=True)) == ["adopted"]
    missing = client.post(page, {"organisation": "", "status": "adopted"}).content.decode()
    assert "Choose the organisation from the list" in missing
    add_bracken_submission(world, "Fracture follow-ups by video consultation from the "
                                  "community hospital.")
    html = client.get(page).content.decode()
    similar = html.split("<h2>Similar practice</h2>")[1]
    assert "Brackenford Community Services NHS Trust</strong> (adopted)" in similar
    assert "Ashby General" not in similar  # its own organisation's findings: left out
    region = client.get(reverse("innovations_spread")).content.decode()
    assert "Virtual fracture clinic" in region
    # The adoption shows at once in the map kept before it: the organisation with its count,
    # under its system (the adopter's system, above it in the tree).
    bracken = _map(region).split("Brackenford Community Services NHS Trust</strong>")[1]
    assert bracken.split("</ul>")[0].count("<li>") == 1 and "<li>Adopted: 1</li>" in bracken
    assert "Eastmarsh and Deane ICS" in _map(region)
    ashby = _map(region).split("Ashby General")[1].split("</ul>")[0]
    assert f'href="{reverse("innovations")}?organisation={world.orgs["ashby"].pk}">Logged: 1' in ashby
    east = client.get(reverse("innovations_spread"),
                      {"organisation": world.orgs["eastmarsh"].pk}).content.decode()
    assert "Virtual fracture clinic" not in east and "No innovations you can see" in east
    north = client.get(reverse("innovations_spread"),
                       {"organisation": world.orgs["northfold"].pk}).content.decode()
    assert "Virtual fracture clinic" in north


@pytest.mark.parametrize("name", ["ada", "lena", "ravi", "connie", "colin", "owen", "vera",
                                  "sam"])
def test_each_persona_walks_the_pages_without_errors_or_drafts(world, login, clinic, name):
    from tests.web.crawl import crawl

    ev.decide(innovation=clinic, outcome="retain", rationale="Works", by=world.users["lena"])
    log_innovation(organisation=world.orgs["ashby"], title="Tablets on loan",
                   what_changed="Home visiting teams reach digitally excluded patients with "
                                "tablets on loan.", by=world.users["connie"])
    ev.record_adoption(innovation=clinic, organisation=world.orgs["bracken"], status="adopted",
                       by=world.users["lena"])
    result = crawl(login(world.users[name]), [url("innovation_evaluation", clinic),
                                               reverse("innovations_spread")],
                   within="/innovations/")
    bad = {u: v.status for u, v in result.visits.items() if v.status not in {200, 302, 404}}
    assert not bad
    if name not in {"ada", "colin"}:  # similar practice: only the findings one may see
        assert "DRAFT-ONLY" not in result.text
    seen = "Virtual fracture clinic" in result.text
    assert seen == (name in {"ada", "lena", "ravi", "connie", "owen"})


def test_a_viewer_of_a_published_review_reads_but_cannot_change(world, login, clinic):
    from stocktake.report.actions import publish_report
    from stocktake.reviews import actions as review_actions

    for status in ("assessing", "reporting"):
        review_actions.change_review_status(review=world.review, status=status,
                                            by=world.users["lena"])
    publish_report(review=world.review, by=world.users["lena"], reason="Testing")
    client = login(world.users["vera"])
    html = client.get(url("innovation_evaluation", clinic)).content.decode()
    assert "Days to follow-up" in html and "Add a measure" not in html
    assert "Record decision" not in client.get(url("innovation_decision", clinic)).content.decode()
    assert "Record adoption" not in client.get(url("innovation_spread", clinic)).content.decode()
    assert client.get(url("measure_new", clinic)).status_code == 403
    assert client.get(url("innovation_surveys", clinic)).status_code == 403
    assert client.post(url("innovation_decision", clinic), {
        "outcome": "reject", "rationale": "No"}).status_code == 403
    assert client.post(url("innovation_spread", clinic), {
        "organisation": str(world.orgs["bracken"].pk), "status": "adopted"}).status_code == 403
    assert not Decision.objects.exists() and not Adoption.objects.exists()


def test_an_editor_removes_a_value_and_a_comment(world, login, clinic):
    client, measure = login(world.users["connie"]), clinic.measures.get()
    value = measure.values.first()
    client.post(reverse("measure_value_remove", kwargs={
        "innovation_id": clinic.pk, "measure_id": measure.pk, "value_id": value.pk}))
    assert measure.values.count() == 13
    comment = clinic.feedback.first()
    assert login(world.users["vera"]).post(reverse("innovation_feedback_remove", kwargs={
        "innovation_id": clinic.pk, "feedback_id": comment.pk})).status_code == 404
    client = login(world.users["connie"])
    client.post(reverse("innovation_feedback_remove", kwargs={
        "innovation_id": clinic.pk, "feedback_id": comment.pk}))
    assert not Feedback.objects.filter(pk=comment.pk).exists()


def test_editing_a_measure_saved_by_someone_else_meanwhile_is_refused(world, login, clinic):
    measure = clinic.measures.get()
    page = url("measure_edit", clinic, measure_id=measure.pk)
    form = {"name": "Days to follow-up", "kind": "performance", "unit": "days",
            "higher_is_better": "no", "target": "7", "revision": "1"}
    assert login(world.users["lena"]).post(page, {**form, "unit": "working days"}).status_code \
        == 302
    html = login(world.users["connie"]).post(page, {**form, "target": "5"}).content.decode()
    assert "There is a problem" in html and 'name="revision" value="2"' in html
    measure.refresh_from_db()
    assert measure.unit == "working days" and measure.target == 7
