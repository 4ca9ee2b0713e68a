"""Reviewer coding in the browser: confirm, reject, add a theme, set polarity, review next."""

from __future__ import annotations

import pytest

from stocktake.assess.actions import analyse_review, confirm_code
from stocktake.assess.models import Code, CodeOrigin
from stocktake.assess.themes import theme_assignments
from stocktake.collect.models import Origin
from tests.assess.test_tasks import run_queue

REVIEW = "/reviews/winter-2025/"
FINDINGS = REVIEW + "findings/"
NEXT = REVIEW + "review-next/"


def themes(world):
    return {t.key: t for t in world.framework.themes.all()}


def decide(client, finding, theme, applies="yes", data=(), **extra):
    return client.post(f"{FINDINGS}{finding.id}/coding/",
                       {"theme": theme, "applies": applies, **dict(data)}, **extra)


def human(finding):
    return {c.theme.key: c.applies
            for c in Code.objects.filter(finding=finding, origin=CodeOrigin.HUMAN)}


@pytest.fixture
def analysed(world):
    analyse_review(review=world.review, by=world.users["lena"])
    return world


def test_reviewer_confirms_and_rejects_suggestions_without_javascript(analysed, login):
    world = analysed
    video = world.findings["ashby"][0]
    client = login(world.users["ravi"])
    page = client.get(f"{FINDINGS}{video.id}/").content.decode()
    assert 'action="' + f"{FINDINGS}{video.id}/coding/" + '"' in page
    assert "Confirm<span class=\"nhsuk-u-visually-hidden\"> Using technology" in page

    response = decide(client, video, "technology")
    assert response.status_code == 302
    assert response["Location"] == f"{FINDINGS}{video.id}/#coding"
    page = client.get(response["Location"]).content.decode()
    assert "Using technology to improve care delivery: confirmed for this finding." in page
    assert "Ravi Reviewer" in page and "Confirmed by a reviewer" in page

    decide(client, video, "technology", applies="no")
    assert human(video) == {"technology": False}
    decide(client, video, "full-system-working")  # "Add a theme"
    assert human(video) == {"technology": False, "full-system-working": True}
    page = client.get(f"{FINDINGS}{video.id}/").content.decode()
    assert "Counted under: Full system working." in page


def test_htmx_swaps_the_coding_panel_in_place(analysed, login):
    world = analysed
    rest = world.findings["ashby"][1]
    response = decide(login(world.users["lena"]), rest, "staff-wellbeing", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "HX-Request" in response["Vary"]
    assert "<html" not in html and html.lstrip().startswith("<section id=\"coding\"")
    assert 'role="status"' in html and "confirmed for this finding" in html
    assert 'hx-post="' in html and 'hx-target="#coding"' in html
    assert human(rest) == {"staff-wellbeing": True}


def test_bad_decisions_say_what_is_wrong(analysed, login):
    world = analysed
    video = world.findings["ashby"][0]
    client = login(world.users["lena"])
    response = decide(client, video, "no-such-theme")
    # Without JavaScript the browser goes back to the finding page, never stays on /coding/.
    assert response.status_code == 302 and response["Location"] == f"{FINDINGS}{video.id}/#coding"
    html = client.get(response["Location"]).content.decode()
    assert "There is a problem" in html and 'id="coding-error"' in html
    assert "Select a theme from the list" in html and "<title>Error:" in html
    partial = decide(client, video, "", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Select a theme" in partial and 'id="coding-error"' in partial
    assert human(video) == {}


@pytest.mark.parametrize("action", ["coding", "polarity"])
def test_opening_a_coding_address_goes_to_the_finding_page(world, login, action):
    video = world.findings["ashby"][0]
    response = login(world.users["lena"]).get(f"{FINDINGS}{video.id}/{action}/")
    assert response.status_code == 302 and response["Location"] == f"{FINDINGS}{video.id}/"


def test_reviewer_sets_polarity(world, login):
    rest = world.findings["ashby"][1]
    client = login(world.users["ravi"])
    response = client.post(f"{FINDINGS}{rest.id}/polarity/", {"polarity": "mixed"})
    assert response.status_code == 302
    rest.refresh_from_db()
    assert (rest.polarity, rest.polarity_origin) == ("mixed", Origin.HUMAN)
    page = client.get(response["Location"]).content.decode()
    assert "Mixed (set by a reviewer)" in page
    # The notice shows by the polarity form, not under the Themes heading.
    themes_part, polarity_part = page.split('id="polarity-heading"')
    assert "Polarity set to Mixed." in polarity_part and "Polarity set to" not in themes_part
    bad = client.post(f"{FINDINGS}{rest.id}/polarity/", {"polarity": "furious"})
    assert bad.status_code == 302 and bad["Location"] == f"{FINDINGS}{rest.id}/#polarity"
    page = client.get(bad["Location"]).content.decode()
    themes_part, polarity_part = page.split('id="polarity-heading"')
    assert "Select a polarity from the list" in polarity_part and "nhsuk-select--error" in polarity_part
    assert 'href="#polarity"' in page and "coding-error" not in page  # the summary links to it
    assert "<title>Error:" in page


def test_decisions_made_in_the_browser_survive_reanalysis_from_the_browser(analysed, login):
    world = analysed
    video, rest, data = world.findings["ashby"]
    client = login(world.users["ravi"])
    top_code = Code.objects.get(finding=video, origin=CodeOrigin.MACHINE, rank=0)
    top = top_code.theme.key
    decide(client, video, top, applies="no")
    decide(client, data, "staff-wellbeing")
    client.post(f"{FINDINGS}{rest.id}/polarity/", {"polarity": "neutral"})

    client.post(REVIEW + "analysis/", {"backend": "tfidf", "seed": "1"})
    run_queue()

    assert human(video) == {top: False} and human(data) == {"staff-wellbeing": True}
    rest.refresh_from_db()
    assert (rest.polarity, rest.polarity_origin) == ("neutral", Origin.HUMAN)
    page = client.get(f"{FINDINGS}{video.id}/").content.decode()
    assert "Rejected by a reviewer" in page
    assert top_code.theme_id not in theme_assignments([video]).get(video.id, set())


@pytest.mark.parametrize("name,status", [
    ("connie", 403), ("owen", 403), ("vera", 403), ("sam", 404),
])
def test_only_leads_and_reviewers_code(world, login, name, status):
    video = world.findings["ashby"][0]
    client = login(world.users[name])
    assert decide(client, video, "technology").status_code == status
    assert decide(client, video, "technology", HTTP_HX_REQUEST="true").status_code == status
    assert client.post(f"{FINDINGS}{video.id}/polarity/",
                       {"polarity": "mixed"}).status_code == status
    assert client.get(NEXT).status_code == status
    assert human(video) == {}
    video.refresh_from_db()
    assert video.polarity_origin == Origin.SOURCE


def test_contributor_sees_codes_but_no_coding_controls(world, login):
    video = world.findings["ashby"][0]
    html = login(world.users["connie"]).get(f"{FINDINGS}{video.id}/").content.decode()
    assert "Reviewers' coding" in html and "/coding/" not in html and "/polarity/" not in html


def test_a_draft_cannot_be_coded_by_a_lead(world, login):
    draft = world.findings["bracken"][0]
    assert decide(login(world.users["lena"]), draft, "technology").status_code == 404
    assert human(draft) == {}


def test_review_next_lists_uncoded_findings_the_machine_is_least_sure_of(analysed, login):
    world = analysed
    video, rest, data = world.findings["ashby"]
    confirm_code(finding=rest, theme=themes(world)["staff-wellbeing"], by=world.users["ravi"])
    client = login(world.users["ravi"])
    html = client.get(NEXT).content.decode()
    assert video.text in html and data.text in html
    assert rest.text not in html  # already coded
    assert "DRAFT-ONLY" not in html  # never shown to a lead
    assert 'name="next" value="review_next"' in html

    top = Code.objects.get(finding=video, origin=CodeOrigin.MACHINE, rank=0).theme
    response = decide(client, video, top.key, data={"next": "review_next"})
    assert response.status_code == 302 and response["Location"] == NEXT
    html = client.get(NEXT).content.decode()
    # Away from the finding's page, the notice says which finding it was about.
    first_words = " ".join(video.text.split()[:8])
    assert f"confirmed for finding {video.id} (\u201c{first_words}\u2026\u201d)." in html
    assert "this finding" not in html and video.text not in html


def test_review_next_before_any_analysis_links_to_the_findings(world, login):
    html = login(world.users["lena"]).get(NEXT).content.decode()
    assert world.findings["ashby"][0].text in html
    assert "No stored suggestions yet" in html and 'name="next"' not in html


def test_review_next_when_everything_is_coded(world, login):
    t = themes(world)
    for finding in world.findings["ashby"]:
        confirm_code(finding=finding, theme=t["technology"], by=world.users["ravi"])
    html = login(world.users["lena"]).get(NEXT).content.decode()
    assert "Nothing to review next" in html
