"""A theme raised only by organisations outside any system is raised, never "Not raised"."""

from __future__ import annotations

from stocktake.analysis.consensus import NOT_RAISED, SHARED, pattern_of
from stocktake.assess.actions import confirm_code
from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
from stocktake.report.build import build_report
from stocktake.reviews import actions as review_actions
from stocktake.reviews.models import OrganisationLevel as L
from stocktake.reviews.models import OrganisationType as T


def test_findings_outside_any_system_raise_a_message():
    assert pattern_of({"": 12}, 0) == SHARED
    assert pattern_of({"": 3}, 2) == SHARED  # systems took part, but not in this theme
    assert pattern_of({"": 0}, 2) == NOT_RAISED
    assert pattern_of({}, 2) == NOT_RAISED


def test_a_theme_with_findings_from_organisations_without_a_system_is_raised(world):
    lena, ada = world.users["lena"], world.users["ada"]
    review = review_actions.create_review(
        title="No systems", slug="no-systems", framework=world.framework,
        region=world.orgs["region"], by=lena)
    review = review_actions.change_review_status(review=review, status="collecting", by=lena)
    theme = world.framework.themes.get(key="staff-wellbeing")
    for index in range(3):
        org = review_actions.create_organisation(
            name=f"Hospice {index + 1}", level=L.ORGANISATION, kind=T.ACUTE_TRUST,
            parent=world.orgs["region"], by=ada)
        participant = review_actions.add_participant(review=review, organisation=org, by=lena)
        submission = collect_actions.create_submission(participant=participant, by=lena)
        findings = collect_actions.add_findings(submission=submission, by=lena, findings=[
            NewFinding(f"Hospice {index + 1} finding {n}.") for n in range(4)])
        collect_actions.submit_submission(submission=submission, by=lena)
        for finding in findings:
            confirm_code(finding=finding, theme=theme, by=lena)

    data = build_report(review)
    observation = next(o for o in data.observations if o.key == "staff-wellbeing")
    assert observation.finding_count == 12
    assert observation.pattern == SHARED
    assert observation.pattern_label == "Raised"
    others = [o for o in data.observations if o.key != "staff-wellbeing"]
    assert all(o.pattern_label == "Not raised" for o in others)
