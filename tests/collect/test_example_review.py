"""The Northmere example review loads through actions and can be explored by its personas."""

from collections import Counter

import pytest
import yaml
from django.utils import timezone

from stocktake.collect.models import (
    Example,
    Finding,
    OrganisationApproach,
    PersonalDataFlag,
    SourceDocument,
)
from stocktake.core.errors import InvalidInput
from stocktake.example_review import load_example_review
from stocktake.reviews.models import Membership, Organisation, OrganisationLevel, Review
from stocktake.reviews.orgtree import OrgTree
from stocktake.track.models import (
    GoldenThread,
    Innovation,
    ProgressUpdate,
    Questionnaire,
    RecommendationResponse,
    TeamNotes,
)
from tests.collect.conftest import EXAMPLES

PASSWORD = "example-password-42"


@pytest.fixture
def review(db):
    return load_example_review(directory=EXAMPLES, by=None, password=PASSWORD)


def test_the_example_review_loads(review, client):
    assert review.slug == "northmere-winter-2025" and review.status == "assessing"
    findings = Finding.objects.filter(review=review)
    assert findings.count() >= 250
    assert Organisation.objects.filter(level=OrganisationLevel.ORGANISATION).count() >= 16
    assert Organisation.objects.filter(level=OrganisationLevel.SYSTEM).count() == 4
    assert Example.objects.filter(review=review).count() >= 10
    domains = set(findings.exclude(domain=None).values_list("domain__key", flat=True))
    assert domains == {d.key for d in review.framework.domains.all()}
    polarity = Counter(findings.values_list("polarity", flat=True))
    assert polarity["achievement"] > 80 and polarity["challenge"] > 80
    assert SourceDocument.objects.filter(review=review).count() == 12  # 11 files, 1 team's notes
    assert review.recommendations.count() == 6
    assert review.participants.count() >= 16
    assert not Organisation.objects.filter(kind="other", level=OrganisationLevel.ORGANISATION).exists()
    # every system has findings, so consistent messages can be looked for across all four
    tree = OrgTree.load()
    systems = {tree.system_name(f.organisation_id) for f in findings} - {""}
    assert len(systems) == 4


def test_the_example_shows_round_two_imports(review):
    """The system's compiled Word table gives each organisation its findings and approach,
    the board's response attaches to every recommendation, and personal data is flagged."""
    approaches = {a.organisation.short_name for a in OrganisationApproach.objects.filter(review=review)}
    assert approaches == {"DMBC", "HWMH", "WCP"}
    returns = Finding.objects.filter(review=review, source_document__original_name="dhw-system-returns.docx")
    assert returns.count() == 9
    assert {f.organisation.short_name for f in returns} == {"DMBC", "HWMH", "WCP"}
    responses = RecommendationResponse.objects.filter(recommendation__review=review)
    assert sorted(responses.values_list("recommendation__number", "status")) == [
        (1, "accepted"), (2, "accepted_in_part"), (3, "in_progress"), (4, "accepted"),
        (5, "not_accepted"), (6, "complete")]
    kinds = set(PersonalDataFlag.objects.filter(finding__review=review).values_list("kind", flat=True))
    assert {"uk_phone", "email", "person_name"} <= kinds


def test_personas_have_roles_and_can_log_in(review, client):
    personas = yaml.safe_load((EXAMPLES / "review.yaml").read_text())["personas"]
    roles = {m.user.username: m.role for m in Membership.objects.filter(review=review)}
    assert roles == {p["username"]: p["role"] for p in personas}
    assert set(roles.values()) == {"lead", "reviewer", "contributor", "action_owner", "viewer"}
    for persona in personas:
        assert client.login(username=persona["username"], password=PASSWORD)
    contributors = Membership.objects.filter(review=review, role="contributor")
    assert len({m.organisation_id for m in contributors}) == 2


def test_loading_twice_is_refused(review):
    with pytest.raises(InvalidInput, match="already exists"):
        load_example_review(directory=EXAMPLES, by=None, password=PASSWORD)


def test_a_folder_without_review_yaml(db, tmp_path):
    with pytest.raises(InvalidInput, match="review.yaml: no such file"):
        load_example_review(directory=tmp_path, by=None, password=PASSWORD)


def test_the_example_report_has_what_the_team_wrote(review):
    from stocktake.report.build import build_report

    data = build_report(review)
    assert "<strong>the changes that held were the ones made together</strong>" in " ".join(
        data.summary_html.split())
    written = [s for s in data.theme_sections if s.narrative_html]
    assert len(written) >= 6 and all("<script" not in s.narrative_html for s in written)
    assert len(data.summary_observations) == 3
    assert data.summary_observations[0].reach.startswith("Raised in ")
    assert all(r.lead_contact and r.due_date for r in data.recommendations if r.number <= 6)
    assert any(r.citations for r in data.recommendations)
    assert "Reflection sessions" in data.method.note_html
    # Two case studies stored; only the one with consent recorded reaches the report.
    assert review.case_studies.filter(title__in=["A room to stop", "Home for Christmas through "
                                                 "discharge to assess"]).count() == 2
    assert [c.title for c in data.case_studies] == ["Home for Christmas through discharge to assess"]


def test_the_example_has_an_innovations_register_with_golden_threads(review):
    ostley = Organisation.objects.get(short_name="OCH")
    logged = Innovation.objects.filter(organisation=ostley)
    assert logged.count() >= 8 and len(set(logged.values_list("unit", flat=True))) >= 6
    assert Innovation.objects.exclude(organisation=ostley).exists()
    assert not Innovation.objects.filter(coded_at__isnull=True).exists()
    assert all(i.themes.exists() for i in Innovation.objects.all())
    threads = {t.name: t for t in GoldenThread.objects.filter(organisation=ostley)}
    assert {"Digital", "Home first", "Self-management", "Inclusion"} <= set(threads)
    assert all(t.confirmed and t.innovations.count() == 2 for t in threads.values())


def test_the_example_evaluates_an_innovation_from_three_angles(review):
    from stocktake.analysis.runchart import SHIFT, chart

    home_first = Innovation.objects.get(title="Home first discharge with therapy on the day")
    days = home_first.measures.get(name="Days from medically fit to discharge")
    values = list(days.values.order_by("on").values_list("value", flat=True))
    assert len(values) == 16
    drawn = chart(values, baseline=days.baseline_points, spc=False)
    assert any(s.rule == SHIFT and s.direction == "below" for s in drawn.signals)
    assert home_first.feedback.filter(source="staff").count() == 3
    assert home_first.feedback.filter(source="service_user").count() == 3
    assert home_first.outcome == "adapt" and home_first.decisions.get().scores["benefit"]["score"] == 5
    assert home_first.adoptions.count() == 2


def test_the_example_has_a_double_coding_exercise_for_the_lead_and_a_reviewer(review):
    exercise = review.agreement_exercises.get()
    assert exercise.items.count() == 12
    roles = {m.role for m in review.memberships.filter(
        user__in=[c.user for c in exercise.coders.all()])}
    assert roles == {"lead", "reviewer"}


def test_the_example_has_an_open_staff_questionnaire_and_a_teams_notes(review):
    questionnaire = Questionnaire.objects.get(review=review)
    assert questionnaire.is_open and questionnaire.identity == "anonymous"
    responses = list(questionnaire.responses.order_by("number"))
    assert len(responses) == 4 and not any(r.name or r.role for r in responses)
    answered = Finding.objects.filter(submission__questionnaire_response__questionnaire=questionnaire)
    assert answered.count() == 8
    assert all(f.source_location.startswith("staff questionnaire › response ") for f in answered)
    notes = TeamNotes.objects.get(review=review)
    assert notes.team == "District nursing, Ostley north" and notes.findings == 5
    located = Finding.objects.filter(source_document=notes.document)
    assert all(f.source_location.startswith("team 'District nursing, Ostley north' › ")
               for f in located)
    assert located.filter(domain__key="people", polarity="challenge").count() == 1
def test_the_earlier_review_shows_the_whole_track_chain(review):
    """The 2023 review of the same region: published, owners' updates with evidence, a status
    per system, and two stocktake cycles (the first closed) with decisions on innovations."""
    earlier = Review.objects.get(slug="northmere-recovery-2023")
    assert earlier.status == "tracking" and earlier.region_id == review.region_id
    assert earlier.report_versions.count() == 1 and earlier.findings.count() == 8
    assert not earlier.findings.filter(domain=None).exists()
    recs = {r.number: r for r in earlier.recommendations.all()}
    assert {n: r.status for n, r in recs.items()} == {
        1: "in_progress", 2: "completed", 3: "not_progressed", 4: "in_progress", 5: "superseded"}
    assert all(r.owner_id and r.lead_contact and r.due_date and r.theme_id for r in recs.values())
    systems = dict(recs[1].system_statuses.values_list("organisation__short_name", "status"))
    assert systems == {"VOICS": "completed", "CICS": "in_progress", "DHW": "in_progress",
                       "SCICS": "in_progress"}
    by_link = ProgressUpdate.objects.filter(recommendation__review=earlier, channel="link")
    assert {u.reported_by.username for u in by_link} == {"owner.penhallow", "owner.quayle"}
    assert by_link.exclude(evidence_links=[]).count() == 3
    first, second = earlier.stocktake_cycles.order_by("number")
    assert (first.status, second.status) == ("closed", "open")
    assert second.deadline > timezone.localdate() > second.opens_on
    outcomes = {}
    for cycle in (first, second):
        outcomes[cycle.number] = dict(cycle.entries.filter(innovation__isnull=False).exclude(
            outcome="").values_list("innovation__title", "outcome"))
    video = "Video visits for insulin-dependent patients"
    therapy = "Video speech and language therapy sessions"
    assert (outcomes[1][video], outcomes[2][video]) == ("adapt", "retain")
    assert (outcomes[1][therapy], outcomes[2][therapy]) == ("undecided", "reject")
    statuses = {c.number: dict(c.entries.filter(recommendation__number=3).values_list(
        "recommendation__number", "status")) for c in (first, second)}
    assert statuses == {1: {3: "in_progress"}, 2: {3: "not_progressed"}}
    asked = {c.number: sorted((r.organisation.short_name, r.revoked_at is None, bool(r.sent_at))
                              for r in c.update_requests.all()) for c in (first, second)}
    assert asked == {1: [("CRI", False, True), ("SC ICB", False, True)],  # closed: links ended
                     2: [("CRI", True, True), ("SC ICB", True, True)]}
    roles = {(m.user.username, m.role) for m in Membership.objects.filter(review=earlier)}
    assert {("owner.quayle", "action_owner"), ("contrib.latchford", "contributor"),
            ("lead.hartley", "lead"), ("viewer.brandt", "viewer")} <= roles
