"""The Memos page, writing, editing and deleting memos from the pages they are about, and the
search page: who sees what, conflicts, filters, CSV, highlighting that cannot inject markup."""

from __future__ import annotations

import csv
import io
import re

import pytest

from stocktake.assess import actions
from stocktake.assess.models import Memo
from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
from stocktake.core.models import AuditEvent

REVIEW = "/reviews/winter-2025/"
MEMOS = REVIEW + "memos/"
SEARCH = REVIEW + "search/"


def _revision(html: str) -> str:
    return re.search(r'name="revision" value="(\d+)"', html).group(1)


def test_a_reviewer_writes_a_memo_on_a_finding_and_finds_it_on_the_memos_page(world, login):
    client = login(world.users["ravi"])
    video = world.findings["ashby"][0]
    page = f"{REVIEW}findings/{video.pk}/"
    assert "Save memo" in client.get(page).content.decode()
    response = client.post(
        MEMOS + "new/",
        {
            "about": "finding",
            "id": video.pk,
            "next": page,
            "text": "Check whether clinics <b>kept</b> it up.",
        },
    )
    assert response.status_code == 302 and response["Location"] == page
    html = client.get(page).content.decode()
    assert "Memo about finding" in html  # the notice
    assert "Check whether clinics &lt;b&gt;kept&lt;/b&gt; it up." in html
    memo = Memo.objects.get()
    assert memo.kind == "finding" and memo.author == world.users["ravi"]
    assert AuditEvent.objects.filter(verb="assess.memo_added", subject_id=str(memo.pk)).exists()
    listing = client.get(MEMOS).content.decode()
    assert "Check whether clinics" in listing and f"Finding {video.pk}" in listing
    assert "1 memo" in listing


def test_an_empty_memo_is_refused_with_one_message(world, login):
    client = login(world.users["lena"])
    response = client.post(MEMOS + "new/", {"about": "review", "text": "  "})
    assert response.status_code == 400
    assert "Write the memo&#39;s text" in response.content.decode()
    assert not Memo.objects.exists()


@pytest.mark.parametrize("name", ["connie", "colin", "owen", "vera"])
def test_memos_are_for_leads_and_reviewers_only(world, login, name):
    memo = actions.add_memo(
        review=world.review,
        text="Private note",
        by=world.users["lena"],
        finding=world.findings["ashby"][0],
    )
    client = login(world.users[name])
    for url in (
        MEMOS,
        MEMOS + "memos.csv",
        MEMOS + "new/",
        f"{MEMOS}{memo.pk}/",
        f"{MEMOS}{memo.pk}/delete/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(MEMOS + "new/", {"about": "review", "text": "x"}).status_code == 403
    finding_page = client.get(f"{REVIEW}findings/{world.findings['ashby'][0].pk}/")
    assert "Private note" not in finding_page.content.decode()
    assert "Private note" not in client.get(REVIEW).content.decode()
    assert "Private note" not in client.get(SEARCH, {"q": "private"}).content.decode()
    assert Memo.objects.count() == 1


def test_a_stranger_gets_404(world, login):
    client = login(world.users["sam"])
    assert client.get(MEMOS).status_code == 404
    assert client.get(SEARCH).status_code == 404


def test_two_reviewers_editing_one_memo_never_overwrite_silently(world, login):
    memo = actions.add_memo(review=world.review, text="First thoughts", by=world.users["lena"])
    lena, ravi = login(world.users["lena"]), None
    url = f"{MEMOS}{memo.pk}/"
    revision = _revision(lena.get(url).content.decode())
    actions.update_memo(
        memo=memo, text="Ravi's thoughts", by=world.users["ravi"], expected_revision=int(revision)
    )
    response = lena.post(url, {"text": "Lena's thoughts", "revision": revision})
    assert response.status_code == 409
    html = response.content.decode()
    assert "changed by someone else" in html and "Ravi&#39;s thoughts" in html
    assert "Lena&#39;s thoughts" in html  # hers is kept in the form
    memo.refresh_from_db()
    assert memo.text == "Ravi's thoughts" and memo.revision == 2
    # Saving again from the page she was shown still carries the old revision: refused again.
    assert lena.post(url, {"text": "Lena's thoughts", "revision": revision}).status_code == 409
    response = lena.post(url, {"text": "Lena's thoughts", "revision": "2"})
    assert response.status_code == 302
    memo.refresh_from_db()
    assert memo.text == "Lena's thoughts" and memo.revision == 3
    assert ravi is None
    # A form without its revision is refused rather than overwriting.
    assert lena.post(url, {"text": "No revision"}).status_code == 400


def test_deleting_a_memo_asks_first_and_refuses_a_changed_one(world, login):
    memo = actions.add_memo(review=world.review, text="To go", by=world.users["lena"])
    client = login(world.users["ravi"])
    url = f"{MEMOS}{memo.pk}/delete/"
    html = client.get(url).content.decode()
    assert "Delete this memo?" in html and "To go" in html
    actions.update_memo(memo=memo, text="Changed", by=world.users["lena"])
    assert client.post(url, {"revision": "1"}).status_code == 409
    assert client.post(url, {"revision": "2"}).status_code == 302
    assert not Memo.objects.exists()
    assert client.get(url).status_code == 404


def test_next_never_leaves_the_site(world, login):
    client = login(world.users["lena"])
    response = client.post(
        MEMOS + "new/", {"about": "review", "text": "x", "next": "https://evil.example/"}
    )
    assert response["Location"] == MEMOS
    response = client.post(MEMOS + "new/", {"about": "review", "text": "y", "next": "//evil"})
    assert response["Location"] == MEMOS


def test_subjects_must_be_the_reviews_and_visible(world, login):
    client = login(world.users["lena"])
    draft = world.findings["bracken"][0]  # a draft: the lead does not see it
    assert (
        client.post(MEMOS + "new/", {"about": "finding", "id": draft.pk, "text": "x"}).status_code
        == 404
    )
    assert (
        client.post(MEMOS + "new/", {"about": "theme", "id": 999999, "text": "x"}).status_code
        == 404
    )
    assert client.post(MEMOS + "new/", {"about": "planet", "text": "x"}).status_code == 404
    assert not Memo.objects.exists()


def test_memos_on_themes_organisations_and_the_dashboard(world, login):
    theme = world.framework.themes.get(key="staff-wellbeing")
    ashby = world.orgs["ashby"]
    client = login(world.users["ravi"])
    listing = f"{REVIEW}findings/?theme=staff-wellbeing"
    html = client.get(listing).content.decode()
    assert "Memos about the theme" in html
    client.post(
        MEMOS + "new/",
        {"about": "theme", "id": theme.pk, "text": "Rest hubs recur.", "next": listing},
    )
    assert "Rest hubs recur." in client.get(listing).content.decode()
    assert (
        "Rest hubs recur." not in client.get(f"{REVIEW}findings/?theme=technology").content.decode()
    )
    org_page = f"/organisations/{ashby.pk}/"
    assert "Memos in Winter 2025 learning review" in client.get(org_page).content.decode()
    client.post(
        MEMOS + "new/",
        {"about": "organisation", "id": ashby.pk, "next": org_page, "text": "Ashby moved fastest."},
    )
    assert "Ashby moved fastest." in client.get(org_page).content.decode()
    dashboard = client.get(REVIEW).content.decode()
    assert "Latest memos" in dashboard and "Ashby moved fastest." in dashboard
    assert "All 2 memos" in dashboard
    # A contributor of Ashby sees the organisation page without the memos.
    other = login(world.users["connie"])
    assert "Ashby moved fastest." not in other.get(org_page).content.decode()


def test_the_memos_page_filters_and_exports(world, login):
    lena, ravi = world.users["lena"], world.users["ravi"]
    actions.add_memo(review=world.review, text="=HYPERLINK(1)", by=lena)
    actions.add_memo(
        review=world.review, text="On a finding", by=ravi, finding=world.findings["ashby"][1]
    )
    client = login(lena)
    assert "2 memos" in client.get(MEMOS).content.decode()
    html = client.get(MEMOS, {"kind": "finding"}).content.decode()
    assert "1 memo" in html and "On a finding" in html
    html = client.get(MEMOS, {"author": str(lena.pk)}).content.decode()
    assert "1 memo" in html and "HYPERLINK" in html
    html = client.get(MEMOS, {"q": "finding"}).content.decode()
    assert "1 memo" in html
    bad = client.get(MEMOS, {"kind": "planet"})
    assert "Select what memos are about from the list" in bad.content.decode()
    response = client.get(MEMOS + "memos.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["text"] for r in rows} == {"'=HYPERLINK(1)", "On a finding"}
    assert {r["kind"] for r in rows} == {"review", "finding"}
    filtered = list(
        csv.DictReader(
            io.StringIO(client.get(MEMOS + "memos.csv", {"kind": "finding"}).content.decode())
        )
    )
    assert [r["text"] for r in filtered] == ["On a finding"]


# -- search ------------------------------------------------------------------------------------


def test_search_finds_highlights_and_escapes(world, login):
    finding = collect_actions.add_findings(
        submission=world.submissions["ashby"],
        by=world.users["lena"],
        findings=[NewFinding("<script>alert(1)</script> Discharge to assess cut delays.")],
    )[0]
    client = login(world.users["ravi"])
    html = client.get(SEARCH, {"q": "discharge"}).content.decode()
    assert "1 result" in html
    assert "<mark>Discharge</mark>" in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f'href="{REVIEW}findings/{finding.pk}/#similar"' in html
    assert client.get(SEARCH).status_code == 200  # no words yet: asks for some


def test_search_filters_kinds_and_scoping(world, login):
    video, rest, data = world.findings["ashby"]
    actions.add_memo(review=world.review, text="Rest matters", by=world.users["ravi"], finding=rest)
    client = login(world.users["ravi"])
    html = client.get(SEARCH, {"q": "rest"}).content.decode()
    assert "2 results" in html and "Memo about finding" in html
    assert "1 result" in client.get(SEARCH, {"q": "rest", "kind": "memo"}).content.decode()
    # A memo on a finding is narrowed through its finding: both are in the people domain.
    assert "2 results" in client.get(SEARCH, {"q": "rest", "domain": "people"}).content.decode()
    html = client.get(SEARCH, {"q": "rest", "domain": "governance"}).content.decode()
    assert "0 results" in html
    html = client.get(SEARCH, {"q": "rest", "polarity": "challenge"}).content.decode()
    assert "0 results" in html
    bad = client.get(SEARCH, {"q": "rest", "kind": "planet"}).content.decode()
    assert "Select what to search from the list" in bad
    connie = login(world.users["connie"])
    html = connie.get(SEARCH, {"q": "rest"}).content.decode()
    assert "1 result" in html and "Rest matters" not in html
    # Memos are not offered to a contributor as something to search.
    assert 'value="memo"' not in connie.get(SEARCH).content.decode()
    assert "0 results" in login(world.users["colin"]).get(SEARCH, {"q": "rest"}).content.decode()


def test_search_pages_and_answers_htmx_with_the_results_only(world, login):
    collect_actions.add_findings(
        submission=world.submissions["ashby"],
        by=world.users["lena"],
        findings=[NewFinding(f"Winter pressure note number {i}.") for i in range(45)],
    )
    client = login(world.users["lena"])
    first = client.get(SEARCH, {"q": "winter pressure"}).content.decode()
    assert "45 results" in first and "Page 1 of 3" in first
    third = client.get(SEARCH, {"q": "winter pressure", "page": "3"}).content.decode()
    assert third.count('class="stocktake-finding"') == 5
    partial = client.get(SEARCH, {"q": "winter"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "45 results" in partial
