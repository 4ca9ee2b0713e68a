"""Stocktake cycle pages, per persona; the owner's personal link; exports and the report."""

import io

import pytest
from django.core import mail
from openpyxl import load_workbook

from stocktake.reviews.actions import create_user
from stocktake.track import actions as track_actions
from stocktake.track import cycle_requests
from stocktake.track.models import StocktakeCycle, UpdateRequest
from tests.personas import PASSWORD
from tests.track.cycle_helpers import EVIDENCE, link_for, progress, publish, start
from tests.web.crawl import crawl
from tests.web.test_persona_walk import ALLOWED, REVIEW
from tests.web.test_review_menu import EXPECTED, assert_one_menu, menu

CYCLES = "/reviews/winter-2025/cycles/"


@pytest.fixture
def cycles(world, settings):
    """Cycle 1 closed (recommendation 1 in progress); cycle 2 open (1 complete)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    publish(world)
    world.review.refresh_from_db()
    one = world.review.recommendations.get(number=1)
    first = start(world, title="Stocktake 2027")
    progress(one, "in_progress", world.users["owen"])
    track_actions.close_cycle(cycle=first, by=world.users["lena"])
    start(world, title="Stocktake 2028")
    progress(one, "completed", world.users["owen"], evidence_links=[EVIDENCE],
             note="Weekly return agreed")
    return world


@pytest.mark.parametrize("persona, cycles_page, cycle_1, cycle_2", [
    ("lena", 200, 200, 200), ("ravi", 200, 200, 200), ("owen", 200, 200, 200),
    ("vera", 200, 200, 404), ("connie", 403, 403, 403), ("sam", 404, 404, 404),
])
def test_who_opens_the_cycle_pages(cycles, login, persona, cycles_page, cycle_1, cycle_2):
    client = login(cycles.users[persona])
    assert client.get(CYCLES).status_code == cycles_page
    assert client.get(CYCLES + "1/").status_code == cycle_1
    assert client.get(CYCLES + "2/").status_code == cycle_2


def test_the_lead_sees_the_comparison_side_by_side(cycles, login):
    client = login(cycles.users["lena"])
    page = client.get(CYCLES + "2/").content.decode()
    assert "Since cycle 1" in page and "Owners' updates" in page
    assert "In progress → Complete: 1" in page
    assert "Start the cycle" not in client.get(CYCLES).content.decode()  # one is open
    first = client.get(CYCLES + "1/?before=0").content.decode()
    assert "Since the report&#39;s publication" in first and "Agreed, not started → In progress: 1" in first
    changed = client.get(CYCLES + "2/?changed=1").content.decode()
    assert "Agree one regional data request" in changed
    assert "Keep the rest hubs funded" not in changed
    wrong = client.get(CYCLES + "1/?before=2", follow=True).content.decode()
    assert "Compare cycle 1 with an earlier cycle" in wrong


def test_the_owner_sees_only_their_items(cycles, login):
    client = login(cycles.users["owen"])
    page = client.get(CYCLES + "2/").content.decode()
    assert "Agree one regional data request" in page
    assert "Keep the rest hubs funded" not in page
    assert "Owners' updates" not in page and "Close cycle" not in page
    mine = client.get(CYCLES + "2/mine/").content.decode()
    assert "Agree one regional data request" in mine and "Updated" in mine
    assert client.post(CYCLES + "2/close/").status_code == 403


def test_a_lead_starts_sends_and_closes(world, login, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    publish(world)
    client = login(world.users["lena"])
    bad = client.post(CYCLES, {"title": "Spring", "opens_on": "2027-03-01", "deadline": "soon"})
    assert bad.status_code == 400 and "Enter the deadline as a date" in bad.content.decode()
    assert 'href="#deadline"' in bad.content.decode()
    early = client.post(CYCLES, {"title": "Spring", "opens_on": "2027-03-01",
                                 "deadline": "2027-02-01"}).content.decode()
    assert "must be on or after" in early and 'href="#deadline"' in early
    untitled = client.post(CYCLES, {"title": "", "opens_on": "", "deadline": ""}).content.decode()
    assert "Enter the date it opens" in untitled and 'href="#opens_on"' in untitled
    nagging = client.post(CYCLES, {"title": "Spring", "opens_on": "2027-03-01",
                                   "deadline": "2027-03-31", "reminders_from": "2027-04-02"})
    assert nagging.status_code == 400 and 'href="#reminders_from"' in nagging.content.decode()
    assert "Reminders must start between" in nagging.content.decode()
    done = client.post(CYCLES, {"title": "Spring stocktake", "opens_on": "2027-03-01",
                                "deadline": "2027-03-31", "reminders_from": "2027-03-15"},
                       follow=True)
    assert "Cycle 1 started" in done.content.decode() and "From 15 March 2027" in done.content.decode()
    sent = client.post(CYCLES + "1/send/", follow=True).content.decode()
    assert "1 request sent: Ashby General" in sent and "no contact known yet" in sent
    named = client.post(CYCLES + "1/contact/", {
        "organisation": str(world.orgs["bracken"].pk), "contact_name": "Bea Bracken",
        "email": "bea@example.org"}, follow=True).content.decode()
    assert "A personal link was sent to Brackenford" in named
    assert [m.to for m in mail.outbox] == [["connie@example.org"], ["bea@example.org"]]
    reminded = client.post(CYCLES + "1/remind/", follow=True).content.decode()
    assert "2 reminders sent" in reminded
    client.post(CYCLES + "1/close/")
    assert StocktakeCycle.objects.get(number=1).status == "closed"


def test_the_owner_signs_in_by_link(world, client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    publish(world)
    cycle = start(world)
    cycle_requests.send_one(cycle=cycle, organisation=world.orgs["bracken"],
                            contact_name="Bea Bracken", email="bea@example.org",
                            by=world.users["lena"], link_for=link_for)
    token = mail.outbox[-1].body.split("cycle-link/")[1].split("/")[0]
    url = f"/stocktake/{token}/"
    shown = client.get(url)
    assert shown.status_code == 200 and "Continue to your items" in shown.content.decode()
    assert client.get(CYCLES + "1/mine/").status_code == 302  # not signed in by a GET
    landed = client.post(url, follow=True)
    page = landed.content.decode()
    assert landed.redirect_chain[-1][0] == CYCLES + "1/mine/"
    assert "Keep the rest hubs funded" in page and "Agree one regional" not in page
    assert UpdateRequest.objects.get().last_used_at is not None
    assert client.get("/stocktake/not-a-token/").status_code == 404
    track_actions.close_cycle(cycle=cycle, by=world.users["lena"])
    closed = client.get(url)
    assert closed.status_code == 404 and "stocktake has closed" in closed.content.decode()


def test_a_revoked_link_does_not_sign_in(world, client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    publish(world)
    cycle = start(world)
    cycle_requests.send_one(cycle=cycle, organisation=world.orgs["bracken"],
                            contact_name="Bea Bracken", email="bea@example.org",
                            by=world.users["lena"], link_for=link_for)
    token = mail.outbox[-1].body.split("cycle-link/")[1].split("/")[0]
    track_actions.revoke_organisation_links(cycle=cycle, organisation=world.orgs["bracken"],
                                            by=world.users["lena"])
    assert client.post(f"/stocktake/{token}/").status_code == 404
    assert "_auth_user_id" not in client.session


def test_a_link_for_an_account_with_a_password_asks_to_sign_in(cycles, client):
    cycle = StocktakeCycle.objects.get(number=2)
    create_user(username="olive", password=PASSWORD, email="olive@example.org", by=None)
    request, token = track_actions.issue_update_request(
        cycle=cycle, organisation=cycles.orgs["ashby"], contact_name="Olive",
        email="olive@example.org", by=cycles.users["lena"])
    page = client.post(f"/stocktake/{token}/").content.decode()
    assert "Sign in to continue" in page and "_auth_user_id" not in client.session


def test_exports_and_the_stocktake_report(cycles, login):
    client = login(cycles.users["lena"])
    csv_text = client.get(CYCLES + "2/export.csv").content.decode()
    assert "Recommendation,1,Agree one regional data request per week." in csv_text
    assert "In progress,Complete" in csv_text
    book = load_workbook(io.BytesIO(client.get(CYCLES + "2/export.xlsx").content))
    assert book.sheetnames == ["Items", "By theme", "By system"]
    html = client.get(CYCLES + "2/report.html").content.decode()
    assert "<h1>Stocktake 2028</h1>" in html and "compared with cycle 1" in html
    docx = client.get(CYCLES + "2/report.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    made = client.get(CYCLES + "2/report.pdf")
    assert made.status_code == 302 or made.content[:5] == b"%PDF-"  # 302: no pango here
    assert client.get(CYCLES + "2/report.odt").status_code == 404


@pytest.mark.parametrize("name", ["ada", "lena", "ravi", "connie", "owen", "vera", "sam"])
def test_each_persona_walks_the_cycle_pages(cycles, login, name):
    """No server error anywhere; every cycle page a persona reaches has their one menu."""
    client = login(cycles.users[name])
    result = crawl(client, ["/", REVIEW, CYCLES, CYCLES + "1/", CYCLES + "2/", CYCLES + "2/mine/"])
    bad = {url: v.status for url, v in result.visits.items() if v.status not in ALLOWED}
    assert not bad
    pages = {url: menu(v.html) for url, v in result.visits.items()
             if url.startswith(CYCLES) and v.status == 200 and v.html
             and "/report." not in url and "/export." not in url}
    if name == "sam" or name == "connie":
        assert not pages
        return
    expected = EXPECTED[name] + ([] if "Report" in EXPECTED[name] else ["Report"])
    assert_one_menu(pages, expected)


def test_a_lead_changes_the_deadline_and_the_reminder_date(cycles, login):
    client = login(cycles.users["lena"])
    page = client.get(CYCLES + "2/").content.decode()
    assert "Save the dates" in page and "From the day it opened" in page
    assert "Save the dates" not in client.get(CYCLES + "1/").content.decode()  # closed
    bad = client.post(CYCLES + "2/", {"deadline": "2027-02-01", "reminders_from": ""})
    text = bad.content.decode()
    assert bad.status_code == 400 and "<title>Error: " in text and 'href="#deadline"' in text
    assert 'value="2027-02-01"' in text  # what was typed stays in the form
    early = client.post(CYCLES + "2/", {"deadline": "2027-04-30", "reminders_from": "2027-02-01"})
    assert early.status_code == 400 and 'href="#reminders_from"' in early.content.decode()
    typo = client.post(CYCLES + "2/", {"deadline": "2027-04-30", "reminders_from": "next week"})
    assert "Enter the date reminders start as a date" in typo.content.decode()
    saved = client.post(CYCLES + "2/", {"deadline": "2027-04-30", "reminders_from": "2027-04-09"},
                        follow=True).content.decode()
    assert "The dates of cycle 2 were saved" in saved and "From 9 April 2027" in saved
    cycle = StocktakeCycle.objects.get(number=2)
    assert (str(cycle.deadline), str(cycle.reminders_from)) == ("2027-04-30", "2027-04-09")
    client.post(CYCLES + "2/", {"deadline": "2027-04-30", "reminders_from": ""})
    assert StocktakeCycle.objects.get(number=2).reminders_from is None


@pytest.mark.parametrize("persona", ["ravi", "owen", "vera"])
def test_only_a_lead_changes_a_cycles_dates(cycles, login, persona):
    client = login(cycles.users[persona])
    number = "1" if persona == "vera" else "2"  # viewers see closed cycles only
    assert "Save the dates" not in client.get(CYCLES + number + "/").content.decode()
    assert client.post(CYCLES + number + "/", {"deadline": "2027-04-30"}).status_code == 403
    assert StocktakeCycle.objects.get(number=2).deadline.isoformat() == "2027-03-31"


def test_the_kept_owners_table_takes_each_requests_csrf_field_and_moves_on(world, settings):
    """The owners' table is drawn once per state of the cycle's links and kept; each page
    still carries its own session's CSRF field (the forms work with checks on), and a
    link sent shows at once."""
    import re

    from django.test import Client

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    publish(world)
    start(world, title="Spring stocktake")
    tokens = []
    for _ in range(2):  # two sessions of the lead: the second is served the kept table
        client = Client(enforce_csrf_checks=True)
        assert client.login(username=world.users["lena"].username, password=PASSWORD)
        page = client.get(CYCLES + "1/").content.decode()
        owners = page.split('id="owners"')[1].split('id="comparison"')[0]
        assert "Not asked yet" in owners and "<!--stocktake:csrf-->" not in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', owners).group(1)
        tokens.append(token)
    assert tokens[0] != tokens[1]
    sent = client.post(CYCLES + "1/send/", {"csrfmiddlewaretoken": tokens[1]})  # (its own)
    assert sent.status_code == 302
    owners = client.get(CYCLES + "1/").content.decode().split('id="owners"')[1]
    assert "Not asked yet" not in owners.split("</table>")[0].split("Ashby General")[1]
