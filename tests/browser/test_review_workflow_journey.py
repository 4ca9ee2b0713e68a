"""The whole review step in one browser journey (issue 12's acceptance), with axe (WCAG 2.2 AA)
on every page visited: sign in, create a review, add a theme, import, analyse, code ten findings
with the keyboard, open the matrix and drill down, write a memo, double-code a sample as two
reviewers and see kappa, schedule a reflection session from its drafted agenda, take notes and
turn two of them into findings."""

from __future__ import annotations

import pytest

from stocktake.assess import actions as assess_actions
from stocktake.assess.agreement.models import AgreementExercise
from stocktake.assess.models import AnalysisRun, Code, CodeOrigin, Memo
from stocktake.collect.models import Finding
from stocktake.reflection.models import SessionFinding
from stocktake.reviews.models import Review
from tests.browser import test_journeys as journeys
from tests.browser.test_journeys import axe_violations, sign_in

browser = journeys.browser
page = journeys.page
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-review-workflow")]

SUBMISSION = """# Learning review submission: Ashby General Hospital NHS Foundation Trust

Organisation: Ashby General Hospital NHS Foundation Trust

## Governance

- A daily system call agreed which patients moved between hospitals each morning.
- Board papers were cut to two pages so decisions could be taken within a day.
- The regional data requests duplicated what we already sent nationally every week.

## Clinical and Quality Processes

- Video consultations replaced most outpatient follow-ups within a fortnight.
- Discharge to assess let patients leave hospital the day they were medically fit.
- The virtual ward kept frail older people at home with daily nurse visits.
- Elective waiting lists grew while theatres were used for intensive care.

## People

- Staff rest hubs with psychological support were open around the clock.
- Redeployed nurses asked for a proper induction before moving to new wards.
- Volunteers phoned every shielding patient weekly to check on food and medicines.
- Sickness absence rose sharply among healthcare assistants in the second wave.

## Inequalities

- Interpreters joined video appointments so families could speak in their own language.
- Patients without broadband could not use the new digital services.
"""

NOTES = ("Welcome and purpose of the session\n"
         "- The virtual ward should become a permanent service for frail older people\n"
         "- Interpreter video calls need a contract that covers evenings")


def _create_review(page, base, problems) -> Review:
    page.get_by_role("link", name="Create a review").click()
    page.wait_for_url("**/reviews/new/")
    problems["create"] = axe_violations(page)
    page.get_by_label("Title").fill("Autumn 2026 learning review")
    page.get_by_label("Region or system (optional)").select_option(label="Wessex Vale Region")
    page.get_by_role("button", name="Create review").click()
    page.wait_for_selector("text=You are its lead")
    problems["set up"] = axe_violations(page)
    review = Review.objects.get(slug="autumn-2026-learning-review")
    page.get_by_role("link", name="Framework", exact=True).click()
    page.get_by_role("link", name="Add a theme").click()
    page.get_by_label("Name").fill("Digital inclusion")
    page.get_by_label("Keywords (optional)").fill("broadband\ndigital services")
    page.get_by_role("button", name="Save theme").click()
    page.wait_for_selector("text=Theme “Digital inclusion” added.")
    problems["framework"] = axe_violations(page)
    page.goto(f"{base}/reviews/{review.slug}/setup/participants/")
    page.get_by_label("Search the register by name, acronym or other name").fill("AGH")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Ashby General Hospital NHS Foundation Trust (AGH)").check()
    page.get_by_role("button", name="Add chosen organisations").click()
    page.wait_for_selector("text=1 organisation added")
    page.goto(f"{base}/reviews/{review.slug}/setup/members/")
    page.get_by_label("Email address or username").fill("ravi")
    page.get_by_label("Reviewer: reads all submitted material", exact=False).check()
    page.get_by_role("button", name="Add member").click()
    page.wait_for_selector("text=added as reviewer")
    page.goto(f"{base}/reviews/{review.slug}/setup/")
    page.get_by_role("link", name="Open collection").click()
    page.get_by_role("button", name="Yes, open collection").click()
    page.wait_for_selector("text=is now collecting submissions")
    return review


def _import_and_analyse(page, base, review, tmp_path, problems) -> None:
    path = tmp_path / "ashby-general-submission.md"
    path.write_text(SUBMISSION, encoding="utf-8")
    page.goto(f"{base}/reviews/{review.slug}/upload/")
    page.set_input_files("input[type=file]", [str(path)])
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/upload/*/")
    problems["preview"] = axe_violations(page)
    page.get_by_role("button", name="Confirm import").click()
    page.wait_for_selector("text=Import results")
    assert Finding.objects.filter(review=review).count() >= 12
    page.goto(f"{base}/reviews/{review.slug}/analysis/")
    page.get_by_role("button", name="Analyse").click()
    page.wait_for_url("**/analysis/*/")
    run = AnalysisRun.objects.filter(review=review).latest("pk")
    assert assess_actions.run_analysis.call(run.pk) == "done"  # what the worker does
    page.reload()
    problems["analysed"] = axe_violations(page)


def _code_ten_with_the_keyboard(page, base, review, problems) -> None:
    page.goto(f"{base}/reviews/{review.slug}/coding/")
    problems["coding"] = axe_violations(page)
    for _ in range(10):
        finding = page.locator("input[name=finding]").get_attribute("value")
        page.locator("h1").click()  # out of any field: the shortcuts apply
        page.keyboard.press("s")
        page.wait_for_selector(f"text=Finding {finding}:")
    decided = Code.objects.filter(finding__review=review, origin=CodeOrigin.HUMAN)
    assert decided.values("finding").distinct().count() == 10


def _matrix(page, base, review, problems) -> None:
    page.goto(f"{base}/reviews/{review.slug}/")
    page.locator("nav[aria-label='This review']").get_by_role("link", name="Matrix").click()
    page.wait_for_url(f"**/reviews/{review.slug}/matrix/")
    problems["matrix"] = axe_violations(page)
    cell = page.locator("table a[href*='findings/?theme=']").first
    cell.click()  # drill down: the findings of one cell
    page.wait_for_url("**/findings/?theme=*")
    assert page.locator("main a[href*='/findings/']").count() >= 1
    problems["a cell's findings"] = axe_violations(page)


def _memo(page, base, review, problems) -> None:
    finding = Finding.objects.filter(review=review, text__startswith="The virtual ward").get()
    page.goto(f"{base}/reviews/{review.slug}/findings/{finding.pk}/")
    problems["finding"] = axe_violations(page)
    page.get_by_label("Memo", exact=True).fill("Ask in the session whether it will be funded.")
    page.get_by_role("button", name="Save memo").click()
    page.wait_for_selector(f"text=Memo about finding {finding.pk} saved.")
    assert Memo.objects.filter(finding=finding).exists()


def _double_code(page, base, review, problems) -> None:
    root = f"{base}/reviews/{review.slug}/agreement/"
    page.goto(root)
    page.get_by_label("Title").fill("Double-coding, first sample")
    page.get_by_label("How many findings to sample").fill("4")
    page.get_by_label("Ada Admin").check()
    page.get_by_label("Ravi Reviewer").check()
    page.get_by_role("button", name="Start the exercise").click()
    page.wait_for_selector("h1:has-text('Double-coding, first sample')")
    problems["exercise"] = axe_violations(page)
    for who, tick in (("ada", "Using technology to improve care delivery"),
                      ("ravi", "Supporting the health and wellbeing of staff")):
        if who == "ravi":
            page.context.clear_cookies()
            sign_in(page, base, "ravi")
            page.goto(root)
            page.locator("table").get_by_role("link", name="Double-coding, first sample").click()
        page.locator("a.nhsuk-button", has_text="Start coding").click()
        for n in range(4):
            page.wait_for_selector("h1:has-text('Code this finding')")
            if n == 0:
                problems[f"blind coding ({who})"] = axe_violations(page)
            if n % 2 == 0:
                page.get_by_label(tick, exact=True).check()
            page.get_by_role("button", name="Save and next").click()
        page.wait_for_selector("text=You have coded every finding in the sample")
    assert "kappa" in page.content()
    problems["kappa"] = axe_violations(page)
    assert AgreementExercise.objects.get(review=review).items.count() == 4


def _reflection_session(page, base, review, problems) -> None:
    page.goto(f"{base}/reviews/{review.slug}/sessions/")
    page.get_by_role("button", name="Schedule a session").click()
    page.get_by_label("Northfold Integrated Care System (the whole system)").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("text=The agenda this session will start with")
    # drafted from Ashby's submitted findings
    drafted = page.locator("main").inner_text()
    assert sum(line[2:40] in drafted for line in SUBMISSION.splitlines()
               if line.startswith("- ")) >= 2
    problems["schedule"] = axe_violations(page)
    page.get_by_label("Date").fill("2030-06-05")
    page.get_by_label("Start time").fill("14:00")
    page.get_by_role("button", name="Schedule the session").click()
    page.wait_for_selector("text=Session scheduled")
    problems["session"] = axe_violations(page)
    page.get_by_role("button", name="Take notes").click()
    page.get_by_label("Notes from the session").fill(NOTES)
    page.get_by_label("Notes from the session").blur()
    page.wait_for_selector("#notes-status:has-text('Saved at')")
    for line in (2, 3):
        page.locator(f"#line-{line}").check()
        page.get_by_label("About which organisation?").select_option(
            label="Ashby General Hospital NHS Foundation Trust")
        page.get_by_role("button", name="Make a finding").click(timeout=120_000)
        page.wait_for_selector(f"text=made from line {line}", timeout=120_000)
    problems["notes"] = axe_violations(page)
    assert SessionFinding.objects.filter(session__review=review).count() == 2


def test_a_review_from_set_up_to_reflection_sessions(page, world, tmp_path):
    base = page.base
    problems: dict[str, list] = {}
    sign_in(page, base, "ada")
    review = _create_review(page, base, problems)
    _import_and_analyse(page, base, review, tmp_path, problems)
    _code_ten_with_the_keyboard(page, base, review, problems)
    _matrix(page, base, review, problems)
    _memo(page, base, review, problems)
    _double_code(page, base, review, problems)
    page.context.clear_cookies()
    sign_in(page, base, "ravi")
    _reflection_session(page, base, review, problems)
    assert {k: v for k, v in problems.items() if v} == {}
