"""Correcting findings and editing examples."""

from __future__ import annotations

import pytest

from stocktake.collect import actions
from stocktake.core.errors import InvalidInput
from stocktake.core.models import AuditEvent


def domains(world):
    return {d.key: d for d in world.framework.domains.all()}


def test_correct_finding_changes_fields_and_audits_names_not_text(world):
    ravi, data = world.users["ravi"], world.findings["ashby"][2]
    finding = actions.correct_finding(
        finding=data, by=ravi, text="Weekly  data requests\nduplicated reporting.",
        domain=domains(world)["people"], polarity="mixed", section="learning",
        organisation=world.orgs["ashby"])
    finding.refresh_from_db()
    assert finding.text == "Weekly data requests duplicated reporting."
    assert (finding.domain.key, finding.polarity, finding.polarity_origin) == (
        "people", "mixed", "human")
    assert (finding.section, finding.organisation) == ("learning", world.orgs["ashby"])
    event = AuditEvent.objects.get(verb="finding.corrected")
    assert event.actor == ravi and event.details == {"fields": [
        "domain", "polarity", "polarity_origin", "section", "text"]}
    assert "reporting" not in str(event.details)


@pytest.mark.parametrize("changes,message", [
    ({"text": "  "}, "needs its text"),
    ({"polarity": "happy"}, "Unknown polarity 'happy'"),
    ({"section": "misc"}, "Unknown section 'misc'"),
    ({"organisation": None}, "must belong to an organisation"),
    ({"source_location": "p. 2"}, "'source_location' of a finding cannot be changed"),
])
def test_correct_finding_refuses_bad_values(world, changes, message):
    with pytest.raises(InvalidInput, match=message):
        actions.correct_finding(finding=world.findings["ashby"][2], by=None, **changes)
    assert not AuditEvent.objects.filter(verb="finding.corrected").exists()


def test_update_example_changes_fields_and_audits_names(world):
    lena = world.users["lena"]
    example = actions.add_example(review=world.review, title="Rest hubs", by=lena)
    example = actions.update_example(example=example, by=lena, title=" Round-the-clock  rest hubs",
                                     synopsis=" Support on every site. ",
                                     organisation=world.orgs["ashby"],
                                     domain=domains(world)["people"])
    example.refresh_from_db()
    assert (example.title, example.synopsis) == ("Round-the-clock rest hubs",
                                                 "Support on every site.")
    assert (example.organisation, example.domain.key) == (world.orgs["ashby"], "people")
    event = AuditEvent.objects.get(verb="example.updated")
    assert event.details == {"fields": ["domain", "organisation", "synopsis", "title"],
                             "from_organisation": None, "to_organisation": world.orgs["ashby"].pk}


def test_update_example_refuses_an_empty_title_or_an_unknown_field(world):
    example = actions.add_example(review=world.review, title="Rest hubs", by=None)
    with pytest.raises(InvalidInput, match="needs a title"):
        actions.update_example(example=example, title=" ", by=None)
    with pytest.raises(InvalidInput, match="'review' of an example cannot be changed"):
        actions.update_example(example=example, review=None, by=None)


def _from_a_file(world, org="ashby"):
    """A finding and an example of ``org`` from an imported file (a submitted submission)."""
    lena = world.users["lena"]
    document = actions.record_source_document(
        review=world.review, original_name="returns.xlsx", stored_path="x/returns.xlsx",
        sha256="ab" * 32, size=10, format="xlsx", by=lena)
    participant = world.review.participants.get(organisation=world.orgs[org])
    submission = actions.create_submission(participant=participant, by=lena,
                                           source_document=document, status="submitted")
    [finding] = actions.add_findings(submission=submission, by=lena, findings=[
        actions.NewFinding("Step-down beds freed acute capacity.", source_location="Row 3")])
    example = actions.add_example(review=world.review, title="Step-down beds", by=lena,
                                  organisation=world.orgs[org], submission=submission,
                                  source_document=document)
    return document, submission, finding, example


def test_moving_a_finding_moves_it_to_that_organisations_submission_from_the_same_file(world):
    ravi = world.users["ravi"]
    document, before, finding, _ = _from_a_file(world)
    moved = actions.correct_finding(finding=finding, by=ravi, organisation=world.orgs["bracken"])
    moved.refresh_from_db()
    assert moved.organisation == world.orgs["bracken"]
    assert moved.submission != before
    assert (moved.submission.participant.organisation, moved.submission.source_document,
            moved.submission.status) == (world.orgs["bracken"], document, "submitted")
    event = AuditEvent.objects.get(verb="finding.corrected")
    assert event.details == {"fields": ["organisation", "submission"],
                             "from_organisation": world.orgs["ashby"].pk,
                             "to_organisation": world.orgs["bracken"].pk}
    # A second finding moved the same way joins the same submission.
    [other] = actions.add_findings(submission=before, by=ravi, findings=[
        actions.NewFinding("Discharge lounges opened at weekends.")])
    other = actions.correct_finding(finding=other, by=ravi, organisation=world.orgs["bracken"])
    assert other.submission == moved.submission


def test_moving_to_a_register_organisation_in_the_region_adds_it_as_a_participant(world):
    _, _, finding, _ = _from_a_file(world)
    ada = world.users["ada"]
    from stocktake.reviews import actions as review_actions
    wyke = review_actions.create_organisation(name="Wyke Mental Health Trust", level="organisation",
                                              parent=world.orgs["northfold"], by=ada)
    moved = actions.correct_finding(finding=finding, by=world.users["lena"], organisation=wyke)
    assert moved.submission.participant.organisation == wyke
    assert world.review.participants.filter(organisation=wyke).exists()


def test_a_finding_cannot_move_outside_the_review_or_out_of_a_web_form(world):
    from stocktake.reviews import actions as review_actions
    _, submission, finding, _ = _from_a_file(world)
    elsewhere = review_actions.create_organisation(name="Far Away Trust", level="organisation",
                                                   by=world.users["ada"])
    with pytest.raises(InvalidInput, match="Far Away Trust is neither taking part in Winter 2025"):
        actions.correct_finding(finding=finding, by=None, organisation=elsewhere)
    with pytest.raises(InvalidInput, match="web form, so it stays with that organisation"):
        actions.correct_finding(finding=world.findings["ashby"][0], by=None,
                                organisation=world.orgs["bracken"])
    finding.refresh_from_db()
    assert (finding.organisation, finding.submission) == (world.orgs["ashby"], submission)
    assert not AuditEvent.objects.filter(verb="finding.corrected").exists()


def test_moving_an_example_moves_its_submission_too(world):
    document, _, _, example = _from_a_file(world)
    moved = actions.update_example(example=example, by=world.users["lena"],
                                   organisation=world.orgs["bracken"])
    moved.refresh_from_db()
    assert (moved.organisation, moved.submission.participant.organisation,
            moved.submission.source_document) == (world.orgs["bracken"], world.orgs["bracken"],
                                                  document)
    with pytest.raises(InvalidInput, match="An example must belong to an organisation"):
        actions.update_example(example=moved, by=None, organisation=None)


def test_an_example_with_no_organisation_keeps_none_without_naming_organisations(world):
    example = actions.add_example(review=world.review, title="Rest hubs", by=None)
    actions.update_example(example=example, by=None, title="Rest hubs on every site",
                           organisation=None)
    assert AuditEvent.objects.get(verb="example.updated").details == {"fields": ["title"]}
