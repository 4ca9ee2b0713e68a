"""A few journeys in a real browser (Debian's chromium via Playwright), with axe checks.

Skipped where chromium, Playwright or axe-core (npm) is missing; `.ci/run`
installs chromium so CI runs them. Every page visited is checked against
WCAG 2.0/2.1/2.2 A and AA rules with axe-core.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.personas import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("STOCKTAKE_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

sync_api = pytest.importorskip("playwright.sync_api")
if not CHROMIUM.exists() or not AXE.exists():
    pytest.skip("needs /usr/bin/chromium and node_modules/axe-core", allow_module_level=True)

# Under pytest-xdist (`--dist loadgroup`) one worker runs the module: one chromium.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-journeys")]
# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# fixtures here are ordinary synchronous calls, so Django's guard is lifted.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


def axe_violations(page) -> list[str]:
    # A click that navigates may still be loading the next page: axe goes into that page.
    page.wait_for_load_state("domcontentloaded")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/")


@pytest.fixture
def page(browser, live_server, world):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.base = live_server.url
    yield page
    context.close()


def test_reviewer_journey_passes_axe_on_every_page(page, world):
    base, slug = page.base, world.review.slug
    page.goto(base + "/sign-in/")
    problems = {"sign-in": axe_violations(page)}
    sign_in(page, base, "ravi")
    problems["reviews"] = axe_violations(page)
    page.get_by_role("link", name=world.review.title).first.click()
    page.wait_for_url(f"{base}/reviews/{slug}/")
    problems["dashboard"] = axe_violations(page)
    for name, path in [("findings", "findings/"), ("examples", "examples/"),
                       ("recommendations", "recommendations/")]:
        page.goto(f"{base}/reviews/{slug}/{path}")
        problems[name] = axe_violations(page)
    page.goto(f"{base}/reviews/{slug}/findings/")
    video = world.findings["ashby"][0]  # "Video consultations …", Section 2, bullet 1
    page.locator(f"main a[href$='/findings/{video.pk}/']").first.click()
    page.wait_for_url(f"{base}/reviews/{slug}/findings/{video.pk}/")
    assert "Section 2, bullet 1" in page.content()
    problems["finding"] = axe_violations(page)
    page.goto(f"{base}/reviews/{slug}/report/")
    problems["report"] = axe_violations(page)
    page.goto(f"{base}/reviews/no-such-review/")
    problems["not found"] = axe_violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


def test_filtering_findings_updates_in_place_with_javascript(page, world):
    sign_in(page, page.base, "lena")
    page.goto(f"{page.base}/reviews/{world.review.slug}/findings/")
    page.get_by_label("Polarity").select_option("challenge")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**polarity=challenge**")
    text = page.locator("main").inner_text()
    assert "regional team duplicated" in text
    assert "Video consultations replaced" not in text
    assert axe_violations(page) == []


def test_filtering_works_without_javascript(browser, live_server, world):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "lena")
    page.goto(f"{live_server.url}/reviews/{world.review.slug}/findings/")
    page.get_by_label("Polarity").select_option("achievement")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**polarity=achievement**")
    text = page.locator("main").inner_text()
    assert "Video consultations replaced" in text
    assert "regional team duplicated" not in text
    context.close()


def test_contributor_never_sees_another_organisations_draft(page, world):
    sign_in(page, page.base, "connie")
    page.goto(f"{page.base}/reviews/{world.review.slug}/findings/")
    assert "DRAFT-ONLY" not in page.content()
    assert "Video consultations replaced" in page.content()


def test_the_axe_check_catches_a_known_violation(browser):
    page = browser.new_page()
    page.set_content('<html><body><main><img src="chart.png"><input type="text"></main></body></html>')
    found = " ".join(axe_violations(page))
    assert "image-alt" in found and "html-has-lang" in found
    page.close()
