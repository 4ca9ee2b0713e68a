"""Owners' updates: evidence for "complete", per-system status, history, who may update."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from stocktake.collect.importers import ExtractedResponse
from stocktake.core.errors import InvalidInput, NotAllowed
from stocktake.core.models import AuditEvent
from stocktake.report import actions as report_actions
from stocktake.reviews import actions as review_actions
from stocktake.reviews.models import OrganisationLevel, OrganisationType
from stocktake.track.actions import record_progress, record_responses, set_per_system
from stocktake.track.actions.progress import rollup
from stocktake.track.models import ProgressUpdate, SystemStatus
from tests.track.test_actions import publish


@pytest.fixture
def published(world):
    world.review = publish(world)
    return world


def rec(world, number):
    return world.review.recommendations.get(number=number)


def test_complete_needs_evidence_or_reason(published):
    owen = published.users["owen"]
    with pytest.raises(InvalidInput, match="needs evidence"):
        record_progress(recommendation=rec(published, 1), status="completed", by=owen)
    update = record_progress(recommendation=rec(published, 1), status="completed", by=owen,
                             reason="The weekly request replaced the daily ones; no document.")
    assert update.reason.startswith("The weekly")
    attached = record_progress(recommendation=rec(published, 1), status="completed", by=owen,
                               attachment=ContentFile(b"%PDF-1.4 minutes", name="minutes.pdf"))
    assert attached.attachment_name == "minutes.pdf"
    assert storages["uploads"].exists(attached.attachment_path)


@pytest.mark.parametrize("links, message", [
    (["ftp://example.org/x"], "Evidence link 1"),
    (["https://example.org/a", "javascript:alert(1)"], "Evidence link 2"),
    ([f"https://example.org/{n}" for n in range(11)], "at most 10"),
])
def test_bad_links_are_refused(published, links, message):
    with pytest.raises(InvalidInput, match=message):
        record_progress(recommendation=rec(published, 1), status="in_progress",
                        evidence_links=links, by=published.users["owen"])
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("name, size, message", [
    ("run.exe", 10, "must be one of"), ("big.pdf", 11 * 1024 * 1024, "larger than 10 MB"),
    ("empty.pdf", 0, "is empty"),
])
def test_attachment_limits(published, name, size, message):
    with pytest.raises(InvalidInput, match=message):
        record_progress(recommendation=rec(published, 1), status="in_progress",
                        attachment=ContentFile(b"x" * size, name=name), by=published.users["owen"])
    assert not ProgressUpdate.objects.exists()
    assert not storages["uploads"].exists("progress")


def test_action_owner_updates_only_what_their_organisation_owns(published):
    owen, lena = published.users["owen"], published.users["lena"]
    with pytest.raises(NotAllowed):  # owned by Brackenford
        record_progress(recommendation=rec(published, 2), status="in_progress", by=owen)
    for user in ("ravi", "connie", "vera"):
        with pytest.raises(NotAllowed):
            record_progress(recommendation=rec(published, 1), status="in_progress",
                            by=published.users[user])
    record_progress(recommendation=rec(published, 2), status="in_progress", by=lena)
    assert rec(published, 2).status == "in_progress"


def test_history_is_kept_newest_first_and_status_follows(published):
    owen = published.users["owen"]
    for status, rag in [("in_progress", "amber"), ("not_progressed", "red"),
                        ("in_progress", "green")]:
        record_progress(recommendation=rec(published, 1), status=status, rag=rag, by=owen,
                        note=f"now {status}")
    history = list(rec(published, 1).progress_updates.values_list("status", "rag"))
    assert history == [("in_progress", "green"), ("not_progressed", "red"),
                       ("in_progress", "amber")]
    assert (rec(published, 1).status, rec(published, 1).rag) == ("in_progress", "green")
    event = AuditEvent.objects.filter(verb="recommendation.progress").first()
    assert "now" not in str(event.details)  # no narrative (which may name people) in the audit


def test_rollup():
    assert rollup([]) == ("agreed", "")
    assert rollup([("completed", "green"), ("completed", "")]) == ("completed", "green")
    assert rollup([("completed", "green"), ("agreed", "amber")]) == ("in_progress", "amber")
    assert rollup([("agreed", "red"), ("not_progressed", "green")]) == ("agreed", "red")


def test_per_system_status(published):
    lena, owen = published.users["lena"], published.users["owen"]
    northfold, eastmarsh = published.orgs["northfold"], published.orgs["eastmarsh"]
    with pytest.raises(NotAllowed):
        set_per_system(recommendation=rec(published, 1), per_system=True, by=owen)
    set_per_system(recommendation=rec(published, 1), per_system=True, by=lena)
    rows = dict(SystemStatus.objects.filter(recommendation=rec(published, 1))
                .values_list("organisation_id", "status"))
    assert rows == {northfold.pk: "agreed", eastmarsh.pk: "agreed"}
    with pytest.raises(InvalidInput, match="choose the system"):
        record_progress(recommendation=rec(published, 1), status="in_progress", by=owen)
    with pytest.raises(InvalidInput, match="not tracked for that system"):
        record_progress(recommendation=rec(published, 1), status="in_progress", by=owen,
                        organisation=published.orgs["ashby"])
    # Owen's organisation owns it, so he may report for any system.
    record_progress(recommendation=rec(published, 1), status="completed", rag="green", by=owen,
                    organisation=northfold, evidence_links=["https://example.org/n"])
    assert (rec(published, 1).status, rec(published, 1).rag) == ("in_progress", "green")
    record_progress(recommendation=rec(published, 1), status="completed", rag="amber", by=lena,
                    organisation=eastmarsh, reason="Signed off by the board")
    assert (rec(published, 1).status, rec(published, 1).rag) == ("completed", "amber")
    # Back to one status, then per system again: each system resumes from its latest update.
    set_per_system(recommendation=rec(published, 1), per_system=False, by=lena)
    assert not SystemStatus.objects.exists() and rec(published, 1).status == "completed"
    with pytest.raises(InvalidInput, match="leave the system empty"):
        record_progress(recommendation=rec(published, 1), status="in_progress", by=lena,
                        organisation=northfold)
    set_per_system(recommendation=rec(published, 1), per_system=True, by=lena)
    assert SystemStatus.objects.get(organisation=eastmarsh).rag == "amber"


def test_action_owner_of_a_system_updates_its_row(published):
    """An action owner speaking for a system may report that system's status on any
    per-system recommendation, even one another organisation owns."""
    lena = published.users["lena"]
    northfold = published.orgs["northfold"]
    review_actions.add_member(review=published.review, member=published.users["sam"],
                              role="action_owner", organisation=northfold, by=lena)
    set_per_system(recommendation=rec(published, 2), per_system=True, by=lena)
    record_progress(recommendation=rec(published, 2), status="in_progress", by=published.users["sam"],
                    organisation=northfold)
    with pytest.raises(NotAllowed):
        record_progress(recommendation=rec(published, 2), status="in_progress",
                        by=published.users["sam"], organisation=published.orgs["eastmarsh"])


def test_per_system_needs_systems(world):
    lena = world.users["lena"]
    lonely = review_actions.create_organisation(
        name="Lonely Region", level=OrganisationLevel.REGION, kind=OrganisationType.REGIONAL_BODY,
        by=world.users["ada"])
    review = review_actions.create_review(title="Elsewhere", slug="elsewhere",
                                          framework=world.framework, region=lonely, by=lena)
    made = report_actions.create_recommendation(review=review, text="Do it.", by=lena)
    with pytest.raises(InvalidInput, match="has no systems"):
        set_per_system(recommendation=made, per_system=True, by=lena)


def test_imported_responses_become_updates_once_published(published):
    lena = published.users["lena"]
    recorded = record_responses(review=published.review, by=lena, responses=[
        ExtractedResponse(label="1", number=1, text="Weekly request live since March.",
                          status="complete", recommendation_text="", location="Table 1"),
        ExtractedResponse(label="2", number=2, text="We accept this.", status="accepted",
                          recommendation_text="", location="Table 1"),
    ])
    assert recorded.attached == 2
    first = rec(published, 1).progress_updates.get()
    assert (first.channel, first.status, first.response.text) == (
        "import", "completed", "Weekly request live since March.")
    assert rec(published, 1).status == "completed"
    assert rec(published, 2).status == "agreed"
    assert rec(published, 2).progress_updates.get().note == "We accept this."


def test_merging_systems_keeps_one_status_each(published):
    """Merging two systems: the kept one's per-system status stays, the other's goes, and
    the absorbed one's updates move to the kept one (reviews.actions.merge_organisations)."""
    lena, ada = published.users["lena"], published.users["ada"]
    northfold, eastmarsh = published.orgs["northfold"], published.orgs["eastmarsh"]
    set_per_system(recommendation=rec(published, 1), per_system=True, by=lena)
    record_progress(recommendation=rec(published, 1), status="in_progress", by=lena,
                    organisation=eastmarsh)
    record_progress(recommendation=rec(published, 1), status="not_progressed", by=lena,
                    organisation=northfold)
    review_actions.merge_organisations(keep=northfold, absorb=eastmarsh, by=ada)
    rows = list(SystemStatus.objects.values_list("organisation_id", "status"))
    assert rows == [(northfold.pk, "not_progressed")]
    assert set(ProgressUpdate.objects.values_list("organisation_id", flat=True)) == {northfold.pk}
