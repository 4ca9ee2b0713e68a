"""Issue 11, item 8, on the example's two reviews of one region (the 2025 review unpublished,
the 2023 one published and followed up): action owners see and update what their
organisation owns; contributors log innovations for their organisation; leads see
everything; viewers see the published registers, read only."""

from __future__ import annotations

import pytest

from stocktake.example_review import load_example_review
from stocktake.report.models import Recommendation
from stocktake.reviews.models import Organisation
from stocktake.track.models import Decision, Innovation, ProgressUpdate, StocktakeCycle
from tests.collect.conftest import EXAMPLES
from tests.personas import PASSWORD

EARLIER, LATER = "/reviews/northmere-recovery-2023", "/reviews/northmere-winter-2025"
pytestmark = pytest.mark.slow  # each loads the example review

INNOVATION = {
    "title": "Evening physiotherapy classes",
    "what_changed": "Classes after work.",
    "since-month": "3",
    "since-year": "2024",
}


@pytest.fixture
def example(db):
    load_example_review(directory=EXAMPLES, by=None, password=PASSWORD)


def sign_in(client, username):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    return client


def rec_url(number, review=EARLIER):
    rec = Recommendation.objects.get(review__slug=review.rsplit("/", 1)[1], number=number)
    return f"{review}/register/{rec.pk}/"


def org(short_name):
    return Organisation.objects.get(short_name=short_name)


def test_an_action_owner_sees_and_updates_what_their_organisation_owns(example, client):
    sign_in(client, "owner.quayle")  # Carrowfold Royal Infirmary: owns recommendation 3
    assert "Save update" in client.get(rec_url(3)).content.decode()
    saved = client.post(
        rec_url(3),
        {
            "status": "in_progress",
            "rag": "amber",
            "note": "Two coordinators start in March.",
            "evidence_links": "https://cri.example/board/2025-02.pdf",
        },
    )
    assert saved.status_code == 302
    update = ProgressUpdate.objects.get(note="Two coordinators start in March.")
    assert update.cycle.number == 2 and update.reported_by.username == "owner.quayle"
    for other in (2, 4):  # Saltmere's and Velbrook's
        assert "Save update" not in client.get(rec_url(other)).content.decode()
        assert (
            client.post(rec_url(other), {"status": "completed", "reason": "x"}).status_code == 404
        )
    assert (
        ProgressUpdate.objects.filter(
            reported_by__username="owner.quayle", recommendation__number__in=(2, 4)
        ).count()
        == 0
    )
    mine = client.get(f"{EARLIER}/cycles/2/mine/").content.decode()
    assert "Give everyone waiting more than 18 weeks" in mine
    assert "Keep patient-initiated follow-up" not in mine
    cycle = client.get(f"{EARLIER}/cycles/2/").content.decode()
    assert "Owners' updates" not in cycle and "Save the dates" not in cycle
    assert client.post(f"{EARLIER}/cycles/2/", {"deadline": "2099-01-01"}).status_code == 403
    assert client.post(f"{EARLIER}/cycles/2/send/").status_code == 403
    for download in ("export.csv", "report.html"):  # the same items as the page
        text = client.get(f"{EARLIER}/cycles/2/{download}").content.decode()
        assert "18 weeks" in text, download
        assert "patient-initiated" not in text and "Video visits" not in text, download
    # The innovations register: their trust's only; Ostley's cannot be decided on.
    ostley = Innovation.objects.filter(organisation=org("OCH")).first()
    assert client.get(f"/innovations/{ostley.pk}/").status_code == 404
    decided = Decision.objects.count()
    assert (
        client.post(
            f"/innovations/{ostley.pk}/decision/", {"outcome": "reject", "rationale": "No"}
        ).status_code
        == 404
    )
    assert Decision.objects.count() == decided


def test_an_owner_of_both_reviews_updates_only_the_published_one(example, client):
    sign_in(client, "owner.penhallow")  # Saltmere Coast ICB in both reviews
    assert (
        client.post(
            rec_url(2),
            {
                "status": "completed",
                "note": "Done",
                "evidence_links": "https://saltmere-icb.example/q1",
            },
        ).status_code
        == 302
    )
    later = rec_url(1, LATER)  # theirs too, but the 2025 report is not published
    assert "Updates open once the report is published" in client.get(later).content.decode()
    client.post(later, {"status": "in_progress"})
    assert not ProgressUpdate.objects.filter(
        recommendation__review__slug="northmere-winter-2025",
        reported_by__username="owner.penhallow",
    ).exists()
    across = client.get(f"/organisations/{org('SC ICB').pk}/recommendations/").content.decode()
    assert "Keep patient-initiated follow-up" in across
    assert "discharge to assess model the default" in across  # owners see their own drafts


def test_a_contributor_logs_innovations_for_their_organisation_only(example, client):
    sign_in(client, "contrib.latchford")  # Velbrook Teaching Hospitals
    form = client.get("/innovations/log/").content.decode()
    assert 'type="hidden" name="organisation"' in form
    made = client.post("/innovations/log/", {**INNOVATION, "organisation": org("VTH").pk})
    assert made.status_code == 302
    assert Innovation.objects.get(title=INNOVATION["title"]).organisation == org("VTH")
    refused = client.post(
        "/innovations/log/", {**INNOVATION, "title": "Not ours", "organisation": org("OCH").pk}
    )
    assert "Select an organisation from the list" in refused.content.decode()
    assert not Innovation.objects.filter(title="Not ours").exists()
    # Recommendations are the action owner's to update, even those their trust owns.
    assert "Save update" not in client.get(rec_url(4)).content.decode()
    client.post(rec_url(4), {"status": "completed", "reason": "Done"})
    assert not ProgressUpdate.objects.filter(reported_by__username="contrib.latchford").exists()
    assert client.get(f"{EARLIER}/cycles/").status_code == 403


def test_a_viewer_sees_the_published_registers_read_only(example, client):
    sign_in(client, "viewer.brandt")
    register = client.get(f"{EARLIER}/register/")
    assert register.status_code == 200
    assert "Run one shared waiting list" in register.content.decode()
    assert client.get(f"{EARLIER}/register/export.csv").status_code == 200
    page = client.get(rec_url(2)).content.decode()
    assert "Keep patient-initiated follow-up" in page and "Save update" not in page
    client.post(rec_url(2), {"status": "not_progressed"})
    assert not ProgressUpdate.objects.filter(reported_by__username="viewer.brandt").exists()
    assert client.get(f"{EARLIER}/cycles/1/").status_code == 200  # closed cycles only
    assert client.get(f"{EARLIER}/cycles/2/").status_code == 404
    assert client.post(f"{EARLIER}/cycles/1/", {"deadline": "2099-01-01"}).status_code == 403
    # The 2025 report is not published: its register is not theirs to see.
    unpublished = client.get(f"{LATER}/register/")
    assert "Make the discharge to assess model" not in unpublished.content.decode()
    across = client.get(f"/organisations/{org('SC ICB').pk}/recommendations/").content.decode()
    assert "Keep patient-initiated follow-up" in across
    assert "discharge to assess model the default" not in across
    # The region's innovations, to read: no logging, no decisions.
    assert (
        "Video visits for insulin-dependent patients"
        in client.get("/innovations/").content.decode()
    )
    assert client.get("/innovations/log/").status_code == 403
    assert (
        client.post("/innovations/log/", {**INNOVATION, "organisation": org("VTH").pk}).status_code
        == 403
    )
    assert not Innovation.objects.filter(title=INNOVATION["title"]).exists()
    video = Innovation.objects.get(title="Video visits for insulin-dependent patients")
    assert (
        client.post(
            f"/innovations/{video.pk}/decision/", {"outcome": "reject", "rationale": "No"}
        ).status_code
        == 403
    )
    assert (
        StocktakeCycle.objects.get(review__slug="northmere-recovery-2023", number=2).status
        == "open"
    )


def test_the_lead_sees_everything(example, client):
    sign_in(client, "lead.hartley")
    cycle = client.get(f"{EARLIER}/cycles/2/").content.decode()
    assert "Owners' updates" in cycle and "Save the dates" in cycle
    for rec in (
        "Run one shared waiting list",
        "Keep patient-initiated follow-up",
        "Turn the mutual aid agreement",
    ):
        assert rec in client.get(f"{EARLIER}/register/").content.decode()
    assert "Make the discharge to assess model" in client.get(f"{LATER}/register/").content.decode()
    register = client.get("/innovations/").content.decode()
    assert "Video visits for insulin-dependent patients" in register
