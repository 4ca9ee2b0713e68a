"""Tracking in a real browser: an action owner opens the register, updates the recommendation
their organisation owns with a RAG rating, an evidence link and an attachment, and sees it in
the history; a lead tracks it per system. axe (WCAG 2.2 AA) on the register and the
recommendation's page, with and without an error."""

from __future__ import annotations

import pytest

from tests.browser import test_journeys as journeys
from tests.browser.test_journeys import AXE, WCAG_TAGS, sign_in
from tests.track.test_actions import publish

browser = journeys.browser
page = journeys.page
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-register")]
# NHS.UK frontend's file-upload drop zone names its button "label, status, button text",
# which axe's label-content-name-mismatch rule flags (as on the upload page, see
# tests/browser/test_collect_journeys.py): that rule is waived on that element only.
WAIVED = {("label-content-name-mismatch", "#attachment")}


def axe_violations(tab) -> list[str]:
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    found = []
    for v in result["violations"]:
        nodes = [n["target"] for n in v["nodes"] if (v["id"], n["target"][0]) not in WAIVED]
        if nodes:
            found.append(f"{v['id']} ({v['impact']}): {v['help']} — {nodes[:3]}")
    return found


def test_action_owner_updates_a_recommendation(page, world, tmp_path):
    world.review = publish(world)
    base, slug = page.base, world.review.slug
    sign_in(page, base, "owen")
    page.goto(f"{base}/reviews/{slug}/recommendations/")
    page.get_by_role("link", name="Recommendations register").click()
    page.wait_for_url(f"**/reviews/{slug}/register/")
    problems = {"register": axe_violations(page)}
    page.get_by_role("link", name="Agree one regional data request per week.").click()
    page.wait_for_url(f"**/reviews/{slug}/register/*/")
    problems["recommendation"] = axe_violations(page)

    page.get_by_role("radio", name="Complete").check()
    page.get_by_role("button", name="Save update").click()
    page.wait_for_selector("text=There is a problem")
    assert page.get_by_text("needs evidence").count() >= 1
    problems["recommendation with an error"] = axe_violations(page)

    minutes = tmp_path / "board-minutes.pdf"
    minutes.write_bytes(b"%PDF-1.4 minutes of the board")
    page.get_by_role("radio", name="Complete").check()
    page.get_by_role("radio", name="Green").check()
    page.get_by_label("What has been done").fill("The weekly request replaced the daily ones.")
    page.get_by_label("Evidence links (optional)").fill("https://example.org/weekly-request")
    page.set_input_files("input[type=file]", [str(minutes)])
    page.get_by_role("button", name="Save update").click()
    page.wait_for_selector("text=Update on recommendation 1 saved.")
    assert page.get_by_role("link", name="board-minutes.pdf").count() == 1
    assert page.get_by_text("The weekly request replaced the daily ones.").count() == 1
    problems["recommendation with history"] = axe_violations(page)
    rec = world.review.recommendations.get(number=1)
    assert (rec.status, rec.rag) == ("completed", "green")

    page.context.clear_cookies()
    sign_in(page, base, "lena")
    page.goto(f"{base}/reviews/{slug}/register/{rec.pk}/")
    page.get_by_role("button", name="Track per system").click()
    page.wait_for_selector("text=is now tracked per system")
    problems["per system"] = axe_violations(page)
    page.goto(f"{base}/reviews/{slug}/register/?status=completed")
    assert page.get_by_role("heading", name="Status in each system").count() == 1
    problems["register filtered, with the matrix"] = axe_violations(page)
    assert {name: found for name, found in problems.items() if found} == {}
