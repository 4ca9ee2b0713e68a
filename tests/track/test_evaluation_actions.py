"""Measures and their values, feedback and surveys, decisions and adoptions (the actions)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from stocktake.core.errors import EditConflict, InvalidInput, NotAllowed
from stocktake.core.models import AuditEvent
from stocktake.reviews import actions as review_actions
from stocktake.reviews.models import OrganisationLevel as L
from stocktake.reviews.models import OrganisationType as T
from stocktake.track.actions import evaluation as ev
from stocktake.track.models import Adoption, Decision, Feedback, Innovation, SurveyReceipt
from stocktake.track.values_csv import ValueRow, parse_values
from tests.track.actions import age_survey_receipts, log_innovation


@pytest.fixture
def clinic(world):
    return log_innovation(organisation=world.orgs["ashby"], title="Virtual fracture clinic",
                          what_changed="Fracture follow-ups by video instead of in person.",
                          by=world.users["connie"])


def test_a_measure_and_its_values_replace_a_date_already_there(world, clinic):
    connie = world.users["connie"]
    measure = ev.add_measure(innovation=clinic, name="Days to follow-up", kind="performance",
                             unit="days", baseline=14, target=7, higher_is_better=False,
                             by=connie)
    first = ev.record_values(measure=measure, by=connie, rows=[
        ValueRow(date(2025, 1, 1), 14), ValueRow(date(2025, 2, 1), 12)])
    assert first.added == 2 and first.replaced == []
    again = ev.record_values(measure=measure, by=connie, rows=[
        ValueRow(date(2025, 2, 1), 11, "recounted"), ValueRow(date(2025, 3, 1), 9)])
    assert again.added == 1 and again.replaced == [date(2025, 2, 1)]
    assert list(measure.values.values_list("value", flat=True)) == [14, 11, 9]
    with pytest.raises(InvalidInput, match="given twice"):
        ev.record_values(measure=measure, by=connie, rows=[
            ValueRow(date(2025, 4, 1), 1), ValueRow(date(2025, 4, 1), 2)])
    assert measure.values.count() == 3  # nothing half-written
    with pytest.raises(InvalidInput, match="already has a measure"):
        ev.add_measure(innovation=clinic, name="days to follow-up", kind="quality", by=connie)


def test_editing_a_measure_from_an_old_form_is_refused(world, clinic):
    connie = world.users["connie"]
    measure = ev.add_measure(innovation=clinic, name="Cost per case", kind="finance", by=connie)
    assert ev.update_measure(measure=measure, by=connie, revision=1, unit="£") == ["unit"]
    with pytest.raises(EditConflict):
        ev.update_measure(measure=measure, by=connie, revision=1, unit="GBP")
    with pytest.raises(InvalidInput, match="at least 2 points"):
        ev.update_measure(measure=measure, by=connie, baseline_points=1)


def test_only_those_who_log_for_the_organisation_and_leads_change_an_evaluation(world, clinic):
    for name in ("colin", "vera", "sam"):
        with pytest.raises(NotAllowed):
            ev.add_measure(innovation=clinic, name="Waits", kind="performance",
                           by=world.users[name])
    for name in ("connie", "lena", "ada"):
        ev.add_measure(innovation=clinic, name=f"Waits {name}", kind="performance",
                       by=world.users[name])


def test_values_csv_reports_every_bad_row_and_stores_nothing():
    good = parse_values(b"date,value,note\n2025-01-31,12.5,first\n28/02/2025,\"1,250\"\n")
    assert good.problems == [] and [r.value for r in good.rows] == [12.5, 1250.0]
    bad = parse_values("date,value\n2025-13-01,3\n2025-01-02,abc\n2025-01-03\n"
                       "2025-01-04,1\n2025-01-04,2\n")
    assert bad.problems == [
        "Row 2: “2025-13-01” is not a date (use 2025-01-31 or 31/01/2025)",
        "Row 3: “abc” is not a number",
        "Row 4: needs a date and a value",
        "Row 6: 2025-01-04 is also on row 5; give each date once"]
    assert parse_values(b"").problems == [
        "The file has no values: one row per date, “date,value[,note]”"]
    assert parse_values(b"\xff\xfe1").problems[0].startswith("The file is not UTF-8")


def test_feedback_is_coded_for_polarity(world, clinic):
    made = ev.add_feedback(innovation=clinic, source="service_user", by=world.users["connie"],
                           texts=["The video appointment was excellent and saved me a journey.",
                                  "", "I could not get the video link to work and nobody helped."])
    assert [f.polarity for f in made] == ["positive", "negative"]
    with pytest.raises(InvalidInput, match="rating must be from 1 to 5"):
        ev.add_feedback(innovation=clinic, source="staff", texts=["Fine"], rating=6,
                        by=world.users["connie"])


def test_a_survey_answer_by_link_is_limited_per_address_and_refused_once_closed(world, clinic):
    survey, token = ev.open_survey(innovation=clinic, source="staff", by=world.users["connie"],
                                   question="What difference has the clinic made to your work?")
    assert ev.survey_for_token(token) == survey and survey.token_hash != token
    for _ in range(ev.SURVEY_ANSWERS_PER_HOUR):
        ev.answer_survey(survey=survey, answer="It has saved me time.", rating=4, role="Nurse",
                         sender="10.0.0.1")
    with pytest.raises(ev.TooManyAnswers):
        ev.answer_survey(survey=survey, answer="Again", sender="10.0.0.1")
    ev.answer_survey(survey=survey, answer="Fewer calls.", sender="10.0.0.2")
    assert Feedback.objects.filter(innovation=clinic, channel="survey").count() == 6
    assert not SurveyReceipt.objects.filter(sender_hash__contains="10.0.0").exists()
    ev.set_survey_open(survey=survey, is_open=False, by=world.users["connie"])
    assert ev.survey_for_token(token) is None
    with pytest.raises(NotAllowed, match="closed"):
        ev.answer_survey(survey=survey, answer="Late", sender="10.0.0.3")


def test_a_decision_needs_a_rationale_scores_the_framework_and_keeps_history(world, clinic):
    lena = world.users["lena"]
    with pytest.raises(InvalidInput, match="Enter the rationale"):
        ev.decide(innovation=clinic, outcome="retain", rationale=" ", by=lena)
    with pytest.raises(InvalidInput, match="from 0 to 5"):
        ev.decide(innovation=clinic, outcome="retain", rationale="Works", by=lena,
                  scores={"benefit": {"score": 6}})
    with pytest.raises(InvalidInput, match="not a criterion"):
        ev.decide(innovation=clinic, outcome="retain", rationale="Works", by=lena,
                  scores={"speed": {"score": 3}})
    ev.decide(innovation=clinic, outcome="adapt", rationale="Works for most", by=lena,
              scores={"benefit": {"score": 4, "note": "Waits halved"}, "cost": {"score": ""}})
    second = ev.decide(innovation=clinic, outcome="retain", rationale="Now for everyone",
                       by=lena)
    clinic.refresh_from_db()
    assert clinic.outcome == "retain"
    history = list(Decision.objects.filter(innovation=clinic))
    assert [d.outcome for d in history] == ["retain", "adapt"] and history[0] == second
    assert history[1].scores == {"benefit": {"score": 4, "note": "Waits halved"}}
    assert [c["key"] for c in history[1].criteria] == [c["key"] for c in ev.DEFAULT_CRITERIA]
    assert AuditEvent.objects.filter(verb="innovation.decided").count() == 2


def test_an_organisation_frameworks_criteria_are_copied_into_each_decision(world, clinic):
    connie = world.users["connie"]
    mine = ev.save_framework(organisation=world.orgs["ashby"], name="Ashby board", by=connie,
                             criteria=[{"label": "Safety"}, {"label": "Value for money"}])
    assert [c["key"] for c in mine.criteria] == ["safety", "value-for-money"]
    decision = ev.decide(innovation=clinic, outcome="retain", rationale="Safe", framework=mine,
                         scores={"safety": {"score": 5}}, by=connie)
    ev.save_framework(organisation=world.orgs["ashby"], name="Ashby board", framework=mine,
                      revision=1, criteria=[{"label": "Safety"}], by=connie)
    decision.refresh_from_db()
    assert len(decision.criteria) == 2
    with pytest.raises(EditConflict):
        ev.save_framework(organisation=world.orgs["ashby"], name="Ashby board", framework=mine,
                          revision=1, criteria=[{"label": "Cost"}], by=connie)
    with pytest.raises(InvalidInput, match="there twice"):
        ev.save_framework(organisation=world.orgs["ashby"], name="Other", by=connie,
                          criteria=[{"label": "Cost"}, {"label": "cost"}])
    with pytest.raises(NotAllowed):
        ev.save_framework(organisation=world.orgs["bracken"], name="Theirs", by=connie,
                          criteria=[{"label": "Cost"}])


def test_one_adoption_per_organisation_recorded_again_changes_it(world, clinic):
    colin = world.users["colin"]  # speaks for the adopting organisation
    adoption, created = ev.record_adoption(innovation=clinic, organisation=world.orgs["bracken"],
                                           status="considering", by=colin)
    again, created_again = ev.record_adoption(
        innovation=clinic, organisation=world.orgs["bracken"], status="adopted",
        note="From March", by=colin)
    assert created and not created_again and again.pk == adoption.pk
    assert Adoption.objects.get().status == "adopted"
    with pytest.raises(InvalidInput, match="logged"):
        ev.record_adoption(innovation=clinic, organisation=world.orgs["ashby"],
                           status="adopted", by=world.users["lena"])
    with pytest.raises(NotAllowed):
        ev.record_adoption(innovation=clinic, organisation=world.orgs["bracken"],
                           status="declined", by=world.users["sam"])


def test_merging_two_organisations_that_both_adopted_keeps_one_adoption(world, clinic):
    ada = world.users["ada"]
    twin = review_actions.create_organisation(
        name="Brackenford Community Services (old name)", level=L.ORGANISATION,
        kind=T.COMMUNITY_TRUST, parent=world.orgs["eastmarsh"], by=ada)
    ev.record_adoption(innovation=clinic, organisation=world.orgs["bracken"], status="adopted",
                       note="Kept", by=ada)
    ev.record_adoption(innovation=clinic, organisation=twin, status="considering", by=ada)
    review_actions.merge_organisations(keep=world.orgs["bracken"], absorb=twin, by=ada)
    assert list(Adoption.objects.values_list("organisation_id", "status", "note")) == [
        (world.orgs["bracken"].pk, "adopted", "Kept")]
    assert Innovation.objects.filter(pk=clinic.pk).exists()


def test_old_survey_receipts_are_cleared(world, clinic):
    survey, _ = ev.open_survey(innovation=clinic, source="service_user", question="How was it?",
                               by=world.users["connie"])
    ev.answer_survey(survey=survey, answer="Good", sender="a")
    age_survey_receipts(survey=survey, by=timedelta(days=2))
    ev.answer_survey(survey=survey, answer="Good", sender="b")
    assert SurveyReceipt.objects.count() == 1
