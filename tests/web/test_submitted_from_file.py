"""An organisation whose submission came in a file: its contributors and its lead are told so.

Brackenford's returns are imported from a spreadsheet; Colin (its contributor) is
then told what the review team has, and what he can still do, never "not submitted".
"""

from __future__ import annotations

import pytest

from stocktake.collect.models import Invitation
from stocktake.report.importing import import_document
from stocktake.reviews import actions

CSV = ("Organisation,System,Domain,Type,Finding\n"
       + "".join(f'"BCS","Eastmarsh and Deane ICS",Governance,Challenge,"Point {n} on rotas."\n'
                 for n in range(1, 4)))


@pytest.fixture
def imported(world, tmp_path):
    path = tmp_path / "brackenford-returns.csv"
    path.write_text(CSV)
    import_document(review=world.review, path=path, by=world.users["lena"])
    return world


def _form_page(client, world):
    participant = world.review.participants.get(organisation=world.orgs["bracken"])
    return client.get(f"/reviews/winter-2025/participants/{participant.pk}/submission/")


def test_contributor_is_told_a_file_submission_was_received_and_can_add_to_it(imported, login):
    page = _form_page(login(imported.users["colin"]), imported).content.decode()
    assert "has not submitted its form yet" not in page
    assert "Submitted from a file" in page
    assert "brackenford-returns.csv, received" in page and ": 3 findings" in page
    assert "You can add to it through this form" in page


def test_once_collecting_stops_the_contributor_is_told_nothing_more_can_be_added(imported, login):
    actions.change_review_status(review=imported.review, status="assessing",
                                 by=imported.users["lena"])
    page = _form_page(login(imported.users["colin"]), imported).content.decode()
    assert "Submitted from a file" in page and ": 3 findings" in page
    assert "has not submitted its form yet" not in page
    assert "You can add to it through this form" not in page


def test_the_lead_sees_the_file_submission_on_the_form_page(imported, login):
    page = _form_page(login(imported.users["lena"]), imported).content.decode()
    assert "Submitted from a file" in page
    assert "has not submitted its form yet" not in page
    assert "Nothing has been sent through the form" in page


def test_inviting_an_organisation_that_has_submitted_warns_before_sending(imported, login):
    client = login(imported.users["lena"])
    form = {"organisation": str(imported.orgs["bracken"].pk), "contact_name": "Colin",
            "email": "colin@example.org"}
    page = client.post("/reviews/winter-2025/participation/invite/", form).content.decode()
    assert "Brackenford Community Services NHS Trust has already sent a submission" in page
    assert not Invitation.objects.exists()
    sent = client.post("/reviews/winter-2025/participation/invite/",
                       {**form, "confirm": form["organisation"]})
    assert sent.status_code == 302 and Invitation.objects.count() == 1


def test_while_not_collecting_invitations_and_reminders_are_not_offered(world, login):
    review, lena = world.review, world.users["lena"]
    actions.change_review_status(review=review, status="assessing", by=lena)
    client = login(lena)
    participation = client.get("/reviews/winter-2025/participation/").content.decode()
    assert "Invite a participant</a>" not in participation
    assert "The review is not collecting submissions (it is assessing)" in participation
    invite = client.get("/reviews/winter-2025/participation/invite/").content.decode()
    assert "Send invitation" not in invite and "not collecting submissions" in invite
    posted = client.post("/reviews/winter-2025/participation/invite/", {
        "organisation": str(world.orgs["bracken"].pk), "contact_name": "C",
        "email": "c@example.org"}).content.decode()
    assert 'href="#email"' not in posted and not Invitation.objects.exists()
    reminded = client.post("/reviews/winter-2025/participation/remind-all/", follow=True)
    page = reminded.content.decode()
    assert "no reminders were needed" not in page
    assert "so no invitations or reminders can be sent" in page


def test_dashboard_counts_submissions_and_the_organisations_they_come_from(world, login,
                                                                           tmp_path):
    path = tmp_path / "ashby.csv"
    path.write_text('Organisation,System,Domain,Type,Finding\n'
                    '"Ashby General","",Governance,Challenge,"A second return from Ashby."\n')
    import_document(review=world.review, path=path, by=world.users["lena"])
    page = login(world.users["lena"]).get("/reviews/winter-2025/").content.decode()
    assert "2 submissions from 1 organisation, 1 in draft" in page
