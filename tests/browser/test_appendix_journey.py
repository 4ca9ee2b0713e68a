"""The report's examples and case studies in a real browser, as a review lead works through
them: merge two duplicate examples from the suggestion, leave one out, mark a finding as an
example, add a case study and record consent — with axe (WCAG 2.2 AA) on every page."""

from __future__ import annotations

import pytest

from stocktake.collect import actions as collect_actions
from stocktake.collect.models import Example
from stocktake.report.models import CaseStudy
from tests.browser import test_journeys as journeys
from tests.browser.test_journeys import axe_violations, sign_in

browser = journeys.browser
page = journeys.page
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-appendix")]


def _examples(world):
    lena, domain = world.users["lena"], world.framework.domains.first()
    for title, org in [("Virtual outpatient clinic", "ashby"),
                       ("Virtual outpatient clinics", "bracken"),
                       ("Round-the-clock rest hubs", "ashby")]:
        collect_actions.add_example(review=world.review, title=title, organisation=world.orgs[org],
                                    synopsis="Follow-ups by video." if "Virtual" in title
                                    else "Rest on every site.", domain=domain, by=lena)


def test_lead_curates_examples_and_case_studies(page, world):
    _examples(world)
    base, slug = page.base, world.review.slug
    sign_in(page, base, "lena")
    page.goto(f"{base}/reviews/{slug}/report/")
    page.get_by_role("link", name="Examples and case studies").click()
    page.wait_for_url(f"**/reviews/{slug}/report/appendix/")
    problems = {"appendix": axe_violations(page)}

    page.get_by_role("link", name="Merge “Virtual outpatient clinic” and “Virtual outpatient "
                                   "clinics”").click()
    page.wait_for_url("**/examples/merge/?ids=*")
    problems["merge"] = axe_violations(page)
    # The example whose suggestion was followed is offered as the one that stays.
    assert page.get_by_label("Virtual outpatient clinic", exact=True).is_checked()
    page.get_by_role("button", name="Merge examples").click()
    page.wait_for_url("**/report/appendix/#examples")
    assert "Also from Brackenford Community Services NHS Trust" in page.content()
    assert Example.objects.filter(merged_into__isnull=False).count() == 1

    page.get_by_role("link", name="Leave out “Round-the-clock rest hubs”").click()
    problems["leave out"] = axe_violations(page)
    page.get_by_role("button", name="Leave it out").click()  # no reason: an error
    page.wait_for_selector("text=There is a problem")
    problems["leave out error"] = axe_violations(page)
    page.get_by_label("Why is it left out?").fill("Only a plan for next winter")
    page.get_by_role("button", name="Leave it out").click()
    page.wait_for_url("**/report/appendix/#examples")
    assert "Only a plan for next winter" in page.locator("main").inner_text()

    page.get_by_role("link", name="Add a case study").click()
    problems["case study"] = axe_violations(page)
    page.get_by_label("Title").fill("A ward sister's winter")
    page.get_by_label("Person or role (optional)").fill("Ward sister")
    page.get_by_label("The case study").fill("We changed the rota every week.")
    page.get_by_role("button", name="Save case study").click()
    page.wait_for_url("**/report/appendix/#case-studies")
    page.get_by_role("link", name="Record consent for “A ward sister's winter”").click()
    problems["consent"] = axe_violations(page)
    page.get_by_label("How was consent given?").fill("Signed consent form, 3 March")
    page.get_by_role("button", name="Record consent").click()
    page.wait_for_url("**/report/appendix/#case-studies")
    assert CaseStudy.objects.get().consent_recorded
    problems["appendix after"] = axe_violations(page)

    video = world.findings["ashby"][0]
    page.goto(f"{base}/reviews/{slug}/findings/{video.pk}/")
    page.get_by_role("link", name="Mark as an example").click()
    problems["mark as example"] = axe_violations(page)
    page.get_by_label("Title").fill("Video by default")
    page.get_by_role("button", name="Add the example").click()
    page.wait_for_url(f"**/findings/{video.pk}/")
    assert Example.objects.get(finding=video).title == "Video by default"
    assert {k: v for k, v in problems.items() if v} == {}
