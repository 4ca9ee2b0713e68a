"""A small, realistic world built only through actions, with named personas.

Two systems in one region; Ashby General (in Northfold system) has submitted,
Brackenford Community Services (in Eastmarsh system) is still drafting.

- ada: administrator (superuser)
- lena: review lead
- ravi: reviewer
- connie: contributor for Ashby General
- colin: contributor for Brackenford Community Services
- owen: action owner for Ashby General
- vera: viewer
- sam: signed in, no role in the review
"""

from __future__ import annotations

from dataclasses import dataclass

from stocktake.analysis.framework import default_framework
from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
from stocktake.collect.models import SectionKind
from stocktake.report import actions as report_actions
from stocktake.reviews import actions
from stocktake.reviews.models import OrganisationLevel as L
from stocktake.reviews.models import OrganisationType as T
from stocktake.reviews.models import Role

PASSWORD = "correct-horse-battery-staple"


@dataclass
class World:
    review: object
    framework: object
    users: dict
    orgs: dict
    submissions: dict
    findings: dict


def build_world() -> World:
    ada = actions.create_user(username="ada", by=None, password=PASSWORD, is_superuser=True,
                              full_name="Ada Admin")
    users = {"ada": ada}
    for name, full in [("lena", "Lena Lead"), ("ravi", "Ravi Reviewer"),
                       ("connie", "Connie Contributor"), ("colin", "Colin Contributor"),
                       ("owen", "Owen Owner"), ("vera", "Vera Viewer"), ("sam", "Sam Stranger")]:
        users[name] = actions.create_user(username=name, by=ada, password=PASSWORD, full_name=full)

    region = actions.create_organisation(name="Wessex Vale Region", level=L.REGION,
                                         kind=T.REGIONAL_BODY, by=ada)
    northfold = actions.create_organisation(name="Northfold Integrated Care System", level=L.SYSTEM,
                                            kind=T.ICS, parent=region, short_name="NICS",
                                            aliases=("Northfold ICS",), by=ada)
    eastmarsh = actions.create_organisation(name="Eastmarsh and Deane ICS", level=L.SYSTEM,
                                            kind=T.ICS, parent=region, short_name="EDICS", by=ada)
    ashby = actions.create_organisation(name="Ashby General Hospital NHS Foundation Trust",
                                        level=L.ORGANISATION, kind=T.ACUTE_TRUST, parent=northfold,
                                        short_name="AGH", aliases=("Ashby General",), by=ada)
    bracken = actions.create_organisation(name="Brackenford Community Services NHS Trust",
                                          level=L.ORGANISATION, kind=T.COMMUNITY_TRUST,
                                          parent=eastmarsh, short_name="BCS", by=ada)
    orgs = {"region": region, "northfold": northfold, "eastmarsh": eastmarsh,
            "ashby": ashby, "bracken": bracken}

    framework = actions.create_framework(spec=default_framework(), by=ada)
    lena = users["lena"]
    review = actions.create_review(title="Winter 2025 learning review", slug="winter-2025",
                                   framework=framework, region=region, by=lena)
    review = actions.change_review_status(review=review, status="collecting", by=lena)
    for person, role, org in [("ravi", Role.REVIEWER, None), ("connie", Role.CONTRIBUTOR, ashby),
                              ("colin", Role.CONTRIBUTOR, bracken),
                              ("owen", Role.ACTION_OWNER, ashby), ("vera", Role.VIEWER, None)]:
        actions.add_member(review=review, member=users[person], role=role, organisation=org,
                           by=lena)

    domains = {d.key: d for d in framework.domains.all()}
    themes = {t.key: t for t in framework.themes.all()}
    p_ashby = actions.add_participant(review=review, organisation=ashby, by=lena,
                                      contact_name="Connie Contributor",
                                      contact_email="connie@example.org")
    p_bracken = actions.add_participant(review=review, organisation=bracken, by=lena)
    s_ashby = collect_actions.create_submission(participant=p_ashby, by=users["connie"])
    ashby_findings = collect_actions.add_findings(submission=s_ashby, by=users["connie"], findings=[
        NewFinding("Video consultations replaced most outpatient follow-ups within a fortnight.",
                   domain=domains["clinical-quality"], section=SectionKind.ACHIEVEMENTS,
                   source_location="Section 2, bullet 1"),
        NewFinding("Staff rest hubs with psychological support were open around the clock.",
                   domain=domains["people"], section=SectionKind.ACHIEVEMENTS,
                   source_location="Section 4, bullet 2"),
        NewFinding("Daily data requests from the regional team duplicated local reporting.",
                   domain=domains["governance"], section=SectionKind.CHALLENGES,
                   source_location="Section 1, paragraph 3"),
    ])
    collect_actions.submit_submission(submission=s_ashby, by=users["connie"])
    s_bracken = collect_actions.create_submission(participant=p_bracken, by=users["colin"])
    bracken_findings = collect_actions.add_findings(submission=s_bracken, by=users["colin"], findings=[
        NewFinding("DRAFT-ONLY: home visiting teams struggled to reach digitally excluded patients.",
                   domain=domains["inequalities"], section=SectionKind.CHALLENGES,
                   source_location="Draft form"),
    ])
    report_actions.create_recommendation(
        review=review, text="Agree one regional data request per week.", by=lena,
        section="The regional relationship", theme=themes["regional-relationship"], owner=ashby,
        findings=[ashby_findings[2]],
    )
    report_actions.create_recommendation(
        review=review, text="Keep the rest hubs funded through the next winter.", by=lena,
        section="Staff wellbeing", theme=themes["staff-wellbeing"], owner=bracken,
    )
    return World(
        review=review, framework=framework, users=users, orgs=orgs,
        submissions={"ashby": s_ashby, "bracken": s_bracken},
        findings={"ashby": ashby_findings, "bracken": bracken_findings},
    )



