"""Each persona walks the collect pages: upload, the submission forms, participation.

Colin has a draft section for Brackenford whose text starts "COLIN-DRAFT"; only he
may ever see it. Only leads and reviewers upload; only the lead invites.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stocktake.collect import actions as collect_actions
from stocktake.collect.models import Invitation, SourceDocument
from tests.web.crawl import crawl

REVIEW = "/reviews/winter-2025/"
ALLOWED = {200, 302, 403, 404}
SECRET = "COLIN-DRAFT: agency staff were block-booked for every weekend."
PERSONAS = ["ada", "lena", "ravi", "connie", "colin", "owen", "vera", "sam"]


@pytest.fixture
def drafted(world):
    people = world.framework.domains.get(key="people")
    participant = world.review.participants.get(organisation=world.orgs["bracken"])
    collect_actions.save_draft(participant=participant, submission=world.submissions["bracken"],
                               texts={(people, "challenges"): SECRET}, by=world.users["colin"])
    return world


def pages(world):
    ashby = world.review.participants.get(organisation=world.orgs["ashby"]).pk
    bracken = world.review.participants.get(organisation=world.orgs["bracken"]).pk
    return {
        "upload": REVIEW + "upload/",
        "participation": REVIEW + "participation/",
        "invite": REVIEW + "participation/invite/",
        "mine": REVIEW + "submission/",
        "ashby form": f"{REVIEW}participants/{ashby}/submission/",
        "bracken form": f"{REVIEW}participants/{bracken}/submission/",
        "bracken check": f"{REVIEW}participants/{bracken}/submission/check/",
    }


EXPECTED = {  # page -> statuses for ada, lena, ravi, connie, colin, owen, vera, sam
    "upload": [200, 200, 200, 403, 403, 403, 403, 404],
    "participation": [200, 200, 403, 403, 403, 403, 403, 404],
    "invite": [200, 200, 403, 403, 403, 403, 403, 404],
    "mine": [404, 404, 404, 302, 302, 404, 404, 404],
    "ashby form": [200, 200, 200, 200, 404, 404, 404, 404],
    "bracken form": [200, 200, 200, 404, 200, 404, 404, 404],
    "bracken check": [302, 302, 302, 404, 200, 404, 404, 404],
}


@pytest.mark.parametrize("name", PERSONAS)
def test_each_persona_walks_the_collect_pages_without_a_server_error(drafted, login, name):
    world = drafted
    client = login(world.users[name])
    urls = pages(world)
    result = crawl(client, ["/", REVIEW, *urls.values()])
    bad = {url: v.status for url, v in result.visits.items() if v.status not in ALLOWED}
    assert not bad, f"{name} got unexpected statuses: {bad}"
    index = PERSONAS.index(name)
    got = {page: result.status(url) for page, url in urls.items()}
    assert got == {page: statuses[index] for page, statuses in EXPECTED.items()}
    if name == "colin":
        assert SECRET in result.text
    else:
        assert SECRET not in result.text
        assert "DRAFT-ONLY" not in result.text


@pytest.mark.parametrize("name", ["lena", "ravi"])
def test_the_nav_leads_leads_and_reviewers_to_upload(drafted, login, name):
    html = login(drafted.users[name]).get(REVIEW).content.decode()
    assert f'href="{REVIEW}upload/"' in html
    assert (f'href="{REVIEW}participation/"' in html) == (name == "lena")


@pytest.mark.parametrize("name", ["connie", "colin"])
def test_contributors_find_their_form_from_the_dashboard(drafted, login, name):
    html = login(drafted.users[name]).get(REVIEW).content.decode()
    assert f'href="{REVIEW}submission/"' in html
    assert f'href="{REVIEW}upload/"' not in html


@pytest.mark.parametrize("name", ["vera", "owen", "connie", "colin", "sam"])
def test_viewers_owners_and_contributors_cannot_upload_or_invite(drafted, login, name):
    world = drafted
    client = login(world.users[name])
    upload = client.post(REVIEW + "upload/", {
        "files": [SimpleUploadedFile("notes.txt", b"Ashby General\n\n- A finding here.")]})
    invite = client.post(REVIEW + "participation/invite/", {
        "organisation": str(world.orgs["bracken"].pk), "contact_name": "X Y",
        "email": "x@example.org"})
    remind = client.post(REVIEW + "participation/remind-all/")
    assert {upload.status_code, invite.status_code, remind.status_code} <= {403, 404}
    assert not SourceDocument.objects.exists() and not Invitation.objects.exists()
