"""The pages one at a time: sign-in, filters, pagination, HTMX, the finding page, the report."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from stocktake.assess.actions import MachineCode, confirm_code, record_machine_codes
from stocktake.assess.models import Code
from stocktake.assess.themes import counted_themes, theme_assignments
from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
from stocktake.report import actions as report_actions
from stocktake.report.actions import update_recommendation
from tests.personas import PASSWORD

REVIEW = "/reviews/winter-2025/"
FINDINGS = REVIEW + "findings/"


def themes(world):
    return {t.key: t for t in world.framework.themes.all()}


def suggest(*codes):
    """Machine suggestions, as one finished run: (finding, theme, rank[, score]) each."""
    record_machine_codes(review=codes[0][0].review, by=None, codes=[
        MachineCode(finding, theme, rank=rank, score=score[0] if score else 0.5)
        for finding, theme, rank, *score in codes])


def decide(finding, theme, *, applies=True, by=None):
    """A reviewer's decision that the theme applies (or not)."""
    confirm_code(finding=finding, theme=theme, applies=applies, by=by)


# -- signing in and out -----------------------------------------------------------


@pytest.mark.parametrize("name,kwargs", [
    ("reviews", {}), ("review", {"slug": "winter-2025"}), ("findings", {"slug": "winter-2025"}),
    ("finding", {"slug": "winter-2025", "finding_id": 1}), ("examples", {"slug": "winter-2025"}),
    ("recommendations", {"slug": "winter-2025"}), ("review_report", {"slug": "winter-2025"}),
])
def test_every_page_but_sign_in_needs_a_signed_in_user(client, db, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_sign_in_page_is_an_nhs_form_with_labels(client, db):
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en"' in html
    assert 'class="nhsuk-header' in html
    assert 'for="id_username"' in html and 'id="id_username"' in html
    assert 'for="id_password"' in html and 'id="id_password"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_wrong_password_shows_the_error_summary(client, world):
    response = client.post(reverse("login"), {"username": "lena", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert "There is a problem" in html
    assert "<title>Error: Sign in" in html
    assert 'href="#id_username"' in html


def test_an_empty_sign_in_names_each_missing_field(client, db):
    html = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    summary = " ".join(html[html.index("nhsuk-error-summary__list"):].split())
    assert "This field is required" not in html
    assert '<a href="#id_username" > Enter your username </a>' in summary
    assert '<a href="#id_password" > Enter your password </a>' in summary


def test_signing_in_and_out(client, world):
    response = client.post(reverse("login"), {"username": "lena", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("reviews")
    html = client.get(reverse("reviews")).content.decode()
    assert "Lena Lead" in html and "Sign out" in html
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("reviews")).status_code == 302


# -- reviews and the dashboard ----------------------------------------------------


def test_reviews_list_shows_status_and_role(world, login):
    html = login(world.users["connie"]).get("/").content.decode()
    assert "Winter 2025 learning review" in html
    assert "Collecting submissions" in html
    assert "Contributor" in html
    assert "<caption" in html and 'scope="col"' in html


def test_dashboard_counts_only_what_the_user_sees(world, login):
    html = login(world.users["lena"]).get(REVIEW).content.decode()
    assert "1 submission from 1 organisation, 1 in draft" in html  # the lead is told a draft exists, no more
    assert "3 findings" in html
    html = login(world.users["colin"]).get(REVIEW).content.decode()
    assert "0 submissions, 1 in draft" in html
    assert "1 finding<" in html


def test_dashboard_matrix_follows_the_theme_rule(world, login):
    t = themes(world)
    video, rest, data = world.findings["ashby"]
    suggest((video, t["technology"], 0, 0.8), (data, t["regional-relationship"], 0, 0.6))
    decide(rest, t["staff-wellbeing"])
    decide(data, t["regional-relationship"], applies=False)
    html = login(world.users["lena"]).get(REVIEW).content.decode()
    assert f'href="{FINDINGS}?domain=clinical-quality&amp;theme=technology"' in html
    assert f'href="{FINDINGS}?domain=people&amp;theme=staff-wellbeing"' in html
    # The rejected suggestion leaves the data finding uncoded.
    assert f'href="{FINDINGS}?domain=governance&amp;theme=none"' in html
    assert f'href="{FINDINGS}?domain=governance&amp;theme=regional-relationship"' not in html


def test_dashboard_links_by_polarity_and_organisation(world, login):
    html = login(world.users["lena"]).get(REVIEW).content.decode()
    northfold = world.orgs["northfold"]
    assert f'href="{FINDINGS}?organisation={northfold.id}"' in html
    assert f'href="{FINDINGS}?polarity=challenge"' in html
    assert "Findings by system and organisation</caption>" in html


# -- the findings list ------------------------------------------------------------


def texts(response):
    html = response.content.decode()
    known = ["Video consultations", "Staff rest hubs", "Daily data requests", "DRAFT-ONLY"]
    return [t for t in known if t in html]


@pytest.mark.parametrize("query,expected", [
    ("", ["Video consultations", "Staff rest hubs", "Daily data requests"]),
    ("?domain=people", ["Staff rest hubs"]),
    ("?polarity=challenge", ["Daily data requests"]),
    ("?q=VIDEO", ["Video consultations"]),
    ("?domain=none", []),
    ("?polarity=achievement&q=rest", ["Staff rest hubs"]),
])
def test_findings_filters(world, login, query, expected):
    assert texts(login(world.users["lena"]).get(FINDINGS + query)) == expected


def test_findings_filter_by_system_includes_its_organisations(world, login):
    client = login(world.users["lena"])
    northfold = world.orgs["northfold"]
    assert len(texts(client.get(f"{FINDINGS}?organisation={northfold.id}"))) == 3
    # An organisation with nothing the user can see is not a choice.
    response = client.get(f"{FINDINGS}?organisation={world.orgs['bracken'].id}")
    assert "nhsuk-error-summary" in response.content.decode()


def test_findings_filter_by_theme_uses_the_same_rule_as_the_dashboard(world, login):
    t = themes(world)
    video, rest, data = world.findings["ashby"]
    suggest((video, t["technology"], 0), (rest, t["technology"], 1))
    decide(data, t["technology"])
    client = login(world.users["lena"])
    assert texts(client.get(FINDINGS + "?theme=technology")) == [
        "Video consultations", "Daily data requests"]
    assert texts(client.get(FINDINGS + "?theme=none")) == ["Staff rest hubs"]


def test_an_unknown_filter_value_is_reported_not_a_crash(world, login):
    response = login(world.users["lena"]).get(FINDINGS + "?domain=nonsense&polarity=challenge")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a domain from the list" in html
    assert 'href="#domain"' in html
    assert texts(response) == ["Daily data requests"]  # the valid filter still applies


def test_filter_form_works_without_javascript_and_has_labels(world, login):
    html = login(world.users["lena"]).get(FINDINGS).content.decode()
    assert f'<form class="stocktake-filters" method="get" action="{FINDINGS}"' in html
    for field in ["domain", "theme", "organisation", "polarity", "q"]:
        assert f'for="{field}"' in html
        assert f'id="{field}"' in html
    assert 'hx-get="' in html and 'hx-target="#results"' in html and 'hx-push-url="true"' in html


def add_many(world, n):
    submission = world.submissions["ashby"]
    collect_actions.add_findings(submission=submission, by=world.users["connie"], findings=[
        NewFinding(f"Extra finding number {i:03d}") for i in range(n)
    ])


def test_findings_are_paginated_fifty_a_page(world, login):
    add_many(world, 60)
    client = login(world.users["lena"])
    html = client.get(FINDINGS).content.decode()
    assert "63 findings" in html
    assert html.count('class="stocktake-finding"') == 50
    assert 'class="nhsuk-pagination' in html
    assert f'href="{FINDINGS}?page=2"' in html
    html = client.get(FINDINGS + "?page=2").content.decode()
    assert html.count('class="stocktake-finding"') == 13
    assert "Page 2 of 2" in html
    assert client.get(FINDINGS + "?page=999").status_code == 200
    # Page 0 or below is the first page (Django's get_page would give the last).
    for number in ("0", "-1"):
        html = client.get(FINDINGS + "?page=" + number).content.decode()
        assert "Page 1 of 2" in html and html.count('class="stocktake-finding"') == 50


def test_pagination_links_keep_the_filters(world, login):
    add_many(world, 60)
    html = login(world.users["lena"]).get(FINDINGS + "?q=extra").content.decode()
    assert f'href="{FINDINGS}?q=extra&amp;page=2"' in html


def test_htmx_request_gets_only_the_results(world, login):
    client = login(world.users["lena"])
    response = client.get(FINDINGS + "?domain=people", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "nhsuk-header" not in html
    assert 'id="results-heading"' in html
    assert texts(response) == ["Staff rest hubs"]
    assert "HX-Request" in response["Vary"]
    full = client.get(FINDINGS + "?domain=people")
    assert "<html" in full.content.decode()
    assert "HX-Request" in full["Vary"]


def test_htmx_history_restore_gets_the_whole_page(world, login):
    response = login(world.users["lena"]).get(
        FINDINGS, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()


# -- one finding ------------------------------------------------------------------


def returned_in_a_document(world):
    """Ashby's data-requests finding again, from a second, imported return that cites it."""
    document = collect_actions.record_source_document(
        review=world.review, original_name="ashby-winter-return.docx", stored_path="a.docx",
        sha256="0" * 64, size=1, format="docx", by=world.users["ravi"])
    submission = collect_actions.create_submission(
        participant=world.submissions["ashby"].participant, source_document=document,
        by=world.users["ravi"])
    (finding,) = collect_actions.add_findings(submission=submission, by=world.users["ravi"],
                                              findings=[NewFinding(
        "Daily data requests from the regional team duplicated local reporting.",
        domain=world.findings["ashby"][2].domain, section="challenges",
        source_location="Section 1, paragraph 3")])
    collect_actions.submit_submission(submission=submission, by=world.users["ravi"])
    update_recommendation(recommendation=world.review.recommendations.get(number=1),
                          findings=[finding], by=world.users["lena"])
    return finding


def test_finding_page_shows_source_codes_and_recommendations(world, login):
    t = themes(world)
    data = returned_in_a_document(world)
    record_machine_codes(review=world.review, by=None, codes=[
        MachineCode(data, t["regional-relationship"], 0.73,
                    explanation="mentions: regional team, data requests"),
        MachineCode(data, t["full-system-working"], 0.41, rank=1)])
    decide(data, t["full-system-working"], by=world.users["ravi"])
    html = login(world.users["lena"]).get(f"{FINDINGS}{data.id}/").content.decode()
    assert "Daily data requests from the regional team duplicated local reporting." in html
    assert "ashby-winter-return.docx" in html
    assert "Section 1, paragraph 3" in html
    assert "Ashby General Hospital NHS Foundation Trust" in html
    assert "Northfold Integrated Care System" in html
    assert "Challenge (stated in the source)" in html
    assert "Reviewers' coding" in html and "Ravi Reviewer" in html
    assert "0.73" in html and "mentions: regional team, data requests" in html
    assert ("Counted under: Full system working, "
            "The relationship between the regional body and the local NHS.") in html
    assert f'href="{REVIEW}recommendations/#recommendation-1"' in html


def test_a_web_form_finding_says_it_came_from_the_form_and_who_submitted_it(world, login):
    from django.utils import timezone
    finding = world.findings["ashby"][0]  # Ashby submitted through the web form
    submitted = timezone.localtime(world.submissions["ashby"].submitted_at)
    html = login(world.users["lena"]).get(f"{FINDINGS}{finding.id}/").content.decode()
    html = html.replace("&#39;", "'")
    assert (f"Web form (submitted by Ashby General Hospital NHS Foundation Trust on "
            f"{submitted.day} {submitted:%B %Y})") in html
    assert "Not recorded" not in html


def test_finding_page_hides_recommendations_the_user_cannot_see(world, login, settings):
    data = world.findings["ashby"][2]
    html = login(world.users["connie"]).get(f"{FINDINGS}{data.id}/").content.decode()
    assert "Recommendation 1" not in html
    assert "No recommendation you can see cites this finding." in html


def test_finding_in_another_review_is_not_found(world, login):
    assert login(world.users["lena"]).get(f"{FINDINGS}999999/").status_code == 404


# -- examples, recommendations, report --------------------------------------------


def test_examples_page_lists_visible_examples(world, login):
    domains = {d.key: d for d in world.framework.domains.all()}
    collect_actions.add_example(review=world.review, title="Virtual ward for frail patients",
                                synopsis="Home monitoring.", organisation=world.orgs["ashby"],
                                domain=domains["clinical-quality"],
                                submission=world.submissions["ashby"], by=world.users["lena"])
    collect_actions.add_example(review=world.review, title="DRAFT-ONLY example",
                                organisation=world.orgs["bracken"],
                                submission=world.submissions["bracken"], by=world.users["colin"])
    html = login(world.users["ravi"]).get(REVIEW + "examples/").content.decode()
    assert "Virtual ward for frail patients" in html and "NICS" in html
    assert "DRAFT-ONLY" not in html
    assert "DRAFT-ONLY" in login(world.users["colin"]).get(REVIEW + "examples/").content.decode()


def test_recommendations_page_shows_status_and_visible_findings(world, login):
    html = login(world.users["lena"]).get(REVIEW + "recommendations/").content.decode()
    assert 'id="recommendation-1"' in html and 'id="recommendation-2"' in html
    assert "Draft" in html
    assert f'{FINDINGS}{world.findings["ashby"][2].id}/' in html
    html = login(world.users["owen"]).get(REVIEW + "recommendations/").content.decode()
    assert 'id="recommendation-1"' in html and 'id="recommendation-2"' not in html
    assert "None you can see" in html  # the cited finding is not yet visible to Owen


def test_report_is_served_to_leads_and_hidden_from_viewers_before_publication(world, login):
    lena = login(world.users["lena"])
    response = lena.get(REVIEW + "report/download/")
    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert response["Content-Disposition"] == 'attachment; filename="winter-2025-report.html"'
    assert html.startswith("<!DOCTYPE html>") and world.review.title in html
    assert "Sign out" not in html  # the standalone file, as `stocktake report` writes it
    for path in ("report/", "report/download/"):
        assert login(world.users["vera"]).get(REVIEW + path).status_code == 404


def test_the_report_tab_shows_the_report_inside_the_site(world, login):
    html = login(world.users["lena"]).get(REVIEW + "report/").content.decode()
    assert html.count("<h1") == 1 and world.review.title in html
    assert 'aria-label="This review"' in html and "Sign out" in html
    assert 'class="nhsuk-breadcrumb' in html
    assert f'href="{REVIEW}report/download/"' in html and "Download the draft: Web page (HTML)" in html
    assert 'id="recommendations-list"' in html and "report:body" not in html


def test_report_is_built_once_per_change_of_its_data(world, login, monkeypatch):
    built = []
    real = report_actions.build_report
    monkeypatch.setattr(report_actions, "build_report",
                        lambda review: built.append(review.pk) or real(review))
    lena, ravi = login(world.users["lena"]), world.users["ravi"]
    first = lena.get(REVIEW + "report/download/").content
    lena.get(REVIEW + "report/")  # the tab shows the stored report too
    assert lena.get(REVIEW + "report/download/").content == first and len(built) == 1

    decide(world.findings["ashby"][0], themes(world)["technology"], by=ravi)
    changed = lena.get(REVIEW + "report/download/").content
    assert len(built) == 2 and changed != first
    suggest((world.findings["ashby"][1], themes(world)["technology"], 0))
    lena.get(REVIEW + "report/")  # new machine codes are a change too
    assert len(built) == 3


# -- error pages ------------------------------------------------------------------


def test_not_found_page_uses_the_layout(world, login):
    response = login(world.users["sam"]).get(REVIEW)
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and "nhsuk-header" in html and "Sam Stranger" in html
    assert "Winter 2025" not in html


def test_theme_assignments_fetch_every_code_of_the_findings(world):
    t = themes(world)
    video, rest, data = world.findings["ashby"]
    suggest((video, t["technology"], 0), (video, t["staff-wellbeing"], 1),
            (rest, t["technology"], 0))
    decide(rest, t["staff-wellbeing"])
    decide(rest, t["technology"], applies=False)
    decide(data, t["regional-relationship"], applies=False)
    report = {k: v for k, v in theme_assignments(world.findings["ashby"]).items() if v}
    assert counted_themes(Code.objects.all()) == report


def test_forbidden_and_server_error_pages_render_with_the_layout(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = AnonymousUser()
    forbidden = render_to_string("403.html", {}, request=request)
    assert "You do not have permission" in forbidden and "nhsuk-header" in forbidden
    # Django renders 500.html with no request and no context.
    server_error = render_to_string("500.html", {})
    assert "Sorry, there is a problem with the service" in server_error
    assert '<html lang="en"' in server_error


@pytest.mark.parametrize("path,back", [
    ("/sign-out/", "/"),
    (REVIEW + "participation/{participant}/remind/", REVIEW),
    (REVIEW + "upload/abc123/confirm/", REVIEW),
])
def test_opening_an_address_only_a_form_posts_to_shows_a_page_with_a_way_back(
        world, login, path, back):
    participant = world.review.participants.order_by("pk").first()
    response = login(world.users["lena"]).get(path.format(participant=participant.pk))
    html = response.content.decode()
    assert response.status_code == 405 and "POST" in response["Allow"]
    assert "This page cannot be opened directly" in html and "nhsuk-header" in html
    assert f'href="{back}"' in html


def test_a_form_sent_after_it_expired_gets_a_page_that_says_so(world):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="lena", password=PASSWORD)
    response = client.post(REVIEW + "participation/remind-all/",
                           HTTP_REFERER=f"http://testserver{REVIEW}participation/")
    html = response.content.decode()
    assert response.status_code == 403 and "The form has expired" in html
    assert "nhsuk-header" in html and "Nothing was saved" in html
    assert f'href="http://testserver{REVIEW}participation/"' in html
