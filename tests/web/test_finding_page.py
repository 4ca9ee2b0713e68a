"""The finding page keeps what is the same for every finding of a review (citations,
which findings have personal data) until the next action, and is never stale after one."""

from django.urls import reverse

from stocktake.collect import actions as collect_actions
from stocktake.report.actions.recommendations import cite_finding, uncite_finding
from stocktake.report.models import Recommendation
from tests.web.test_similar_practice import VIDEO, add_bracken_submission

NONE_CITED = "No recommendation you can see cites this finding."


def page(client, world, finding) -> str:
    url = reverse("finding", kwargs={"slug": world.review.slug, "finding_id": finding.pk})
    return client.get(url).content.decode()


def citations(html: str) -> str:
    return html.split("<h2>Recommendations citing this finding</h2>")[1].split("<h2>")[0]


def test_citations_follow_citing_and_unciting(world, login):
    lena = login(world.users["lena"])
    video, _, data = world.findings["ashby"]
    assert "Agree one regional data request per week." in citations(page(lena, world, data))
    assert NONE_CITED in citations(page(lena, world, video))
    hubs = Recommendation.objects.get(text__startswith="Keep the rest hubs")
    cite_finding(recommendation=hubs, finding=video, by=world.users["lena"])
    assert "Keep the rest hubs funded" in citations(page(lena, world, video))
    uncite_finding(recommendation=hubs, finding=video, by=world.users["lena"])
    assert NONE_CITED in citations(page(lena, world, video))


def test_citations_are_kept_per_scope(world, login, client):
    data = world.findings["ashby"][2]
    assert "Agree one regional" in citations(page(login(world.users["lena"]), world, data))
    client.logout()
    connie = page(login(world.users["connie"]), world, data)  # Ashby's contributor
    assert "Agree one regional" not in connie


def test_personal_data_in_a_similar_finding_is_hidden_from_all_but_leads(world, login, client):
    add_bracken_submission(world, VIDEO + " Ring Jane Smith on 07700 900123 to book.")
    video = world.findings["ashby"][0]
    ravi = page(login(world.users["ravi"]), world, video)
    assert "Video consultations replaced clinic follow-ups" in ravi  # the similar finding
    assert "07700 900123" not in ravi
    client.logout()
    assert "07700 900123" in page(login(world.users["lena"]), world, video)


def test_a_finding_flagged_after_the_page_was_kept_shows_its_panel(world, login):
    lena = login(world.users["lena"])
    video = world.findings["ashby"][0]
    assert "07700 900123" not in page(lena, world, video)
    collect_actions.correct_finding(finding=video, by=world.users["lena"],
                                    text=video.text + " Call 07700 900123.")
    html = page(lena, world, video)
    assert "07700 900123" in html and "personal-data-heading" in html
