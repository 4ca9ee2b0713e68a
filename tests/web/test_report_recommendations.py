"""The recommendations builder's pages: who may open them, the list in reading order,
add and edit with their refusals (one message each), two people editing, moves, delete,
and citing findings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from stocktake.report.actions import recommendations as actions
from stocktake.report.models import Recommendation
from stocktake.web.views import report_recommendations as view
from tests.report.actions import publish_version
from tests.web.test_page_queries import add_findings, queries

SLUG = "winter-2025"
LIST = f"/reviews/{SLUG}/report/recommendations/"
ADD = LIST + "add/"


@pytest.fixture
def themes(world):
    return {t.key: t for t in world.framework.themes.all()}


def rec_url(rec, what: str) -> str:
    return reverse(f"report_recommendation_{what}", kwargs={"slug": SLUG, "rec_id": rec.pk})


def by_text(world, start: str) -> Recommendation:
    return world.review.recommendations.get(text__startswith=start)


def form(**fields) -> dict:
    data = {"text": "Share one rota tool across the system.", "theme": "technology",
            "owner": "", "lead_contact": "", "due-day": "", "due-month": "", "due-year": ""}
    return {**data, **fields}


@pytest.mark.parametrize("persona,status", [
    ("lena", 200), ("ravi", 200), ("ada", 200),
    ("connie", 404), ("owen", 404), ("vera", 404), ("sam", 404),
])
def test_only_leads_and_reviewers_reach_the_builder(world, login, persona, status):
    client = login(world.users[persona])
    rec = by_text(world, "Agree")
    for url in (LIST, ADD, rec_url(rec, "edit"), rec_url(rec, "move"), rec_url(rec, "delete"),
                rec_url(rec, "evidence")):
        assert client.get(url).status_code == status, url
    response = client.post(ADD, form())
    assert response.status_code == (302 if status == 200 else 404)


def test_read_only_list_links_to_the_builder_for_those_who_may_edit(world, login):
    html = login(world.users["ravi"]).get(f"/reviews/{SLUG}/recommendations/").content.decode()
    assert f'href="{LIST}"' in html
    html = login(world.users["vera"]).get(f"/reviews/{SLUG}/recommendations/").content.decode()
    assert f'href="{LIST}"' not in html


def test_list_groups_by_theme_in_framework_order_with_details(world, login, themes):
    lena = world.users["lena"]
    actions.edit_recommendation(recommendation=by_text(world, "Agree"), by=lena,
                                lead_contact="Director of strategy",
                                due_date=dt.date(2026, 3, 31))
    actions.add_recommendation(review=world.review, text="Write it all down.", by=lena)
    html = login(lena).get(LIST).content.decode()
    wellbeing, regional = themes["staff-wellbeing"].name, themes["regional-relationship"].name
    order = [html.index(text) for text in (
        f">{wellbeing}</h2>", "Recommendation 1", "Keep the rest hubs",
        f">{regional}</h2>", "Recommendation 2", "Agree one regional",
        ">Further recommendations</h2>", "Recommendation 3", "Write it all down")]
    assert order == sorted(order)
    assert "Director of strategy" in html and "31 March 2026" in html
    assert "Ashby General Hospital NHS Foundation Trust" in html
    assert "1 finding<span" in html  # recommendation 2 cites one
    assert "Adding, moving or deleting one renumbers the rest" in html
    assert 'aria-current="page"><strong>Edit recommendations</strong>' in html  # the report menu


def test_add_with_owner_theme_and_due_date(world, login):
    client = login(world.users["ravi"])
    response = client.post(ADD, form(owner="NICS", lead_contact="Chief digital officer",
                                     **{"due-day": "31", "due-month": "3", "due-year": "2026"}))
    rec = by_text(world, "Share one rota tool")
    assert response.status_code == 302 and response["Location"].endswith(
        f"#recommendation-{rec.pk}")
    assert (rec.number, rec.theme.key, rec.owner, rec.lead_contact, rec.due_date) == (
        1, "technology", world.orgs["northfold"], "Chief digital officer", dt.date(2026, 3, 31))
    assert "Recommendation 1 added." in client.get(LIST).content.decode()


@pytest.mark.parametrize("fields,message,anchor", [
    ({"text": "   "}, "Enter the recommendation", "#text"),
    ({"theme": "made-up"}, "Choose a theme from the list", "#theme"),
    ({"owner": "Nowhere Trust"}, "There is no organisation called “Nowhere Trust” for the owner",
     "#owner"),
    ({"due-day": "31", "due-month": "2", "due-year": "2026"},
     "The due date must be a real date, like 31 3 2026", "#due-day"),
    ({"due-day": "x", "due-month": "2", "due-year": "2026"},
     "The due date must be a real date, like 31 3 2026", "#due-day"),
    ({"due-day": "", "due-month": "2", "due-year": "2026"},
     "The due date must include a day", "#due-day"),
])
def test_bad_input_gets_one_clear_message_and_keeps_what_was_typed(world, login, fields,
                                                                    message, anchor):
    client = login(world.users["lena"])
    response = client.post(ADD, form(lead_contact="Chief nurse", **fields))
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count(message) == 2  # the summary and the field
    assert f'href="{anchor}"' in html
    assert 'value="Chief nurse"' in html
    assert world.review.recommendations.count() == 2


def test_edit_keeps_number_and_shows_a_conflict_with_the_input_kept(world, login):
    lena, ravi = world.users["lena"], world.users["ravi"]
    rec = by_text(world, "Agree")
    html = login(lena).get(rec_url(rec, "edit")).content.decode()
    assert f'name="revision" value="{rec.revision}"' in html
    assert 'value="Ashby General Hospital NHS Foundation Trust"' in html
    # Ravi saves first, from the same revision.
    actions.edit_recommendation(recommendation=rec, by=ravi, expected_revision=rec.revision,
                                text="Agree one request a month.")
    response = login(lena).post(rec_url(rec, "edit"), form(
        text="Agree one request a fortnight.", theme="regional-relationship",
        revision=str(rec.revision)))
    html = response.content.decode()
    assert response.status_code == 409
    assert "was changed by someone else while you were editing it" in html
    assert "Agree one request a fortnight." in html  # what Lena typed
    assert "Agree one request a month." in html  # and what is saved now
    rec.refresh_from_db()
    assert rec.text == "Agree one request a month."
    response = login(lena).post(rec_url(rec, "edit"), form(
        text="Agree one request a fortnight.", theme="regional-relationship",
        owner="Ashby General", revision=str(rec.revision)))
    assert response.status_code == 302
    rec.refresh_from_db()
    assert (rec.text, rec.owner, rec.theme.key) == (
        "Agree one request a fortnight.", world.orgs["ashby"], "regional-relationship")


def test_move_up_down_and_to_another_theme(world, login, themes):
    lena = world.users["lena"]
    client = login(lena)
    actions.add_recommendation(review=world.review, text="Thank the staff.", by=lena,
                               theme=themes["staff-wellbeing"])
    thank = by_text(world, "Thank")
    assert thank.number == 2
    response = client.post(rec_url(thank, "move"), {"direction": "up"})
    assert response.status_code == 302
    thank.refresh_from_db()
    assert thank.number == 1
    assert "it is now recommendation 1" in client.get(LIST).content.decode()
    response = client.post(rec_url(thank, "move"), {"direction": "up"})
    assert "already the first in its section" in client.get(LIST).content.decode()
    page = client.get(rec_url(thank, "move")).content.decode()
    assert "renumbered to run on through the report" in page
    response = client.post(rec_url(thank, "move"), {"theme": "", "revision": thank.revision})
    thank.refresh_from_db()
    assert response.status_code == 302 and (thank.theme, thank.number) == (None, 3)
    response = client.post(rec_url(thank, "move"), {"theme": "made-up",
                                                   "revision": thank.revision})
    assert response.status_code == 400
    assert "Choose a theme from the list" in response.content.decode()
    stale = client.post(rec_url(thank, "move"), {"theme": "technology",
                                                 "revision": thank.revision - 1})
    assert stale.status_code == 400 and "changed by someone else" in stale.content.decode()


def test_frozen_numbers_are_explained_and_delete_refused(world, login, themes):
    lena = world.users["lena"]
    publish_version(world.review, by=lena)
    client = login(lena)
    html = client.get(LIST).content.decode()
    assert "The report has been published (version 1), so the numbers are frozen" in html
    assert "Move up" not in html and "Move down" not in html and ">Delete<" not in html
    rec = by_text(world, "Agree")
    html = client.get(rec_url(rec, "delete")).content.decode()
    assert "cannot be deleted: the report has been published" in html
    assert "Delete recommendation 1 </button>" not in " ".join(html.split())
    response = client.post(rec_url(rec, "delete"))
    assert response.status_code == 302 and Recommendation.objects.filter(pk=rec.pk).exists()
    client.post(ADD, form())
    assert by_text(world, "Share one rota tool").number == 3
    html = client.get(rec_url(rec, "move")).content.decode()
    assert "keeps its number 1 in its new section" in html


def test_delete_asks_first_then_renumbers(world, login):
    client = login(world.users["lena"])
    rec = by_text(world, "Keep")
    html = client.get(rec_url(rec, "delete")).content.decode()
    assert "Delete recommendation 2 </button>" in " ".join(html.split())
    response = client.post(rec_url(rec, "delete"))
    assert response.status_code == 302
    assert list(world.review.recommendations.values_list("number", "text")) == [
        (1, "Agree one regional data request per week.")]
    assert "Recommendation 2 deleted" in client.get(LIST).content.decode()


def test_cite_and_remove_findings_from_a_search(world, login):
    client = login(world.users["ravi"])
    rec = by_text(world, "Keep")
    video, hubs, data = world.findings["ashby"]
    url = rec_url(rec, "evidence")
    html = client.get(url, {"q": "rest hubs"}).content.decode()
    assert "1 submitted finding matches" in html
    assert "Staff rest hubs" in html and "Video consultations" not in html
    assert "Section 4, bullet 2" in html  # its source
    response = client.post(url, {"cite": hubs.pk, "q": "rest hubs", "theme": ""})
    assert response.status_code == 302 and response["Location"] == f"{url}?q=rest+hubs"
    assert list(rec.findings.all()) == [hubs]
    html = client.get(response["Location"]).content.decode()
    assert f"Finding {hubs.pk} cited." in html and "Cited (1)" in html
    # The draft finding is never offered, and cannot be cited by hand either.
    html = client.get(url).content.decode()
    assert "3 submitted findings" in html and "DRAFT-ONLY" not in html
    (draft,) = world.findings["bracken"]
    client.post(url, {"cite": draft.pk})
    assert list(rec.findings.all()) == [hubs]
    client.post(url, {"uncite": hubs.pk})
    assert list(rec.findings.all()) == []
    assert "no longer cited" in client.get(url).content.decode()


def test_search_is_paginated(world, login, monkeypatch):
    monkeypatch.setattr(view, "SEARCH_PAGE_SIZE", 2)
    client = login(world.users["lena"])
    url = rec_url(by_text(world, "Keep"), "evidence")
    html = client.get(url).content.decode()
    assert "Page 1 of 2" in html and f'href="{url}?page=2"' in html
    html = client.get(url, {"page": "2"}).content.decode()
    assert "Page 2 of 2" in html and "Daily data requests" in html


def test_builder_pages_do_not_query_per_row(world, login):
    client = login(world.users["lena"])
    rec = by_text(world, "Keep")
    urls = [LIST, rec_url(rec, "evidence")]
    before = [queries(client, url) for url in urls]
    lena = world.users["lena"]
    for n in range(6):
        added = actions.add_recommendation(review=world.review, text=f"Extra {n}.", by=lena,
                                           owner=world.orgs["ashby"])
        actions.cite_finding(recommendation=added, finding=world.findings["ashby"][n % 3],
                             by=lena)
        actions.cite_finding(recommendation=rec, finding=world.findings["ashby"][n % 3], by=lena)
    add_findings(world, 12)
    assert [queries(client, url) for url in urls] == before
