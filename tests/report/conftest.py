"""Fixtures for report tests: the persona world with themes coded to its findings."""

from __future__ import annotations

import pytest

from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
from stocktake.report import actions as report_actions
from stocktake.reviews import actions as review_actions
from stocktake.reviews.models import OrganisationLevel as L
from stocktake.reviews.models import OrganisationType as T
from tests.report.codes import human, machine


@pytest.fixture
def themes(world):
    return {t.key: t for t in world.framework.themes.all()}


@pytest.fixture
def domains(world):
    return {d.key: d for d in world.framework.domains.all()}


@pytest.fixture
def coded(world, themes, domains):
    """The world with codes, examples and a third, unthemed recommendation.

    Ashby (submitted):
      0 video consultations   machine rank 0 technology, rank 1 innovation-spread
      1 staff rest hubs       human staff-wellbeing; machine rank 0 new-workforce,
                              rejected by a human
      2 regional data         machine rank 0 regional-relationship, confirmed by a human
    Brackenford (draft):      machine rank 0 inequalities-vulnerable (must never show)
    """
    ravi = world.users["ravi"]
    video, hubs, data = world.findings["ashby"]
    (draft,) = world.findings["bracken"]
    machine(world.review, (video, themes["technology"], 0, 0.9),
            (video, themes["innovation-spread"], 1, 0.4), (hubs, themes["new-workforce"], 0, 0.5),
            (data, themes["regional-relationship"], 0, 0.5),
            (draft, themes["inequalities-vulnerable"], 0, 0.5), by=ravi, backend="tfidf", seed=7)
    human(hubs, themes["staff-wellbeing"], user=ravi)
    human(hubs, themes["new-workforce"], applies=False, user=ravi)
    human(data, themes["regional-relationship"], user=ravi)

    lena = world.users["lena"]
    collect_actions.add_example(
        review=world.review, title="Virtual outpatient clinic", by=lena,
        synopsis="Follow-ups by video within two weeks of lockdown.",
        organisation=world.orgs["ashby"], domain=domains["clinical-quality"],
        submission=world.submissions["ashby"],
    )
    collect_actions.add_example(
        review=world.review, title="Round-the-clock rest hubs", by=lena,
        synopsis="Rest and psychological support on every site.",
        organisation=world.orgs["ashby"], domain=domains["people"],
    )
    collect_actions.add_example(
        review=world.review, title="DRAFT-ONLY example of a home visiting app", by=lena,
        organisation=world.orgs["bracken"], domain=domains["inequalities"],
        submission=world.submissions["bracken"],
    )
    report_actions.create_recommendation(
        review=world.review, text="Publish the review's learning to every partner board.",
        by=lena,
    )
    return world


@pytest.fixture
def five_systems(world, themes):
    """A fresh review with five systems, one organisation each with two findings, all submitted.

    Themes are coded so that full-system-working is raised in 5 systems,
    focus-on-place in 4, innovation-spread in 3, technology in 2 and
    staff-wellbeing in 1.
    """
    lena = world.users["lena"]
    ada = world.users["ada"]
    review = review_actions.create_review(
        title="Five systems review", slug="five-systems", framework=world.framework,
        region=world.orgs["region"], by=lena,
    )
    review = review_actions.change_review_status(review=review, status="collecting", by=lena)
    raised = {
        "full-system-working": 5, "focus-on-place": 4, "innovation-spread": 3,
        "technology": 2, "staff-wellbeing": 1,
    }
    for index in range(5):
        system = review_actions.create_organisation(
            name=f"System {index + 1} ICS", level=L.SYSTEM, kind=T.ICS,
            parent=world.orgs["region"], by=ada,
        )
        org = review_actions.create_organisation(
            name=f"Trust {index + 1}", level=L.ORGANISATION, kind=T.ACUTE_TRUST, parent=system,
            by=ada,
        )
        participant = review_actions.add_participant(review=review, organisation=org, by=lena)
        submission = collect_actions.create_submission(participant=participant, by=lena)
        # Two findings per system: a consistent message needs two in each system.
        findings = collect_actions.add_findings(submission=submission, by=lena, findings=[
            NewFinding(f"Trust {index + 1} worked with partners across the system."),
            NewFinding(f"Trust {index + 1} kept the joint control room open at weekends."),
        ])
        collect_actions.submit_submission(submission=submission, by=lena)
        for key, systems in raised.items():
            if index < systems:
                for finding in findings:
                    human(finding, themes[key])
    return review
