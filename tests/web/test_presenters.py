"""Presenters, without the database: plain objects in, what the page shows out."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace as NS

from django.core.paginator import Paginator

from stocktake.assess import themes
from stocktake.assess.counts import DashboardCounts
from stocktake.reviews.orgtree import Org, OrgTree
from stocktake.reviews.permissions import Access
from stocktake.web.presenters import dashboard, findings, labels, navigation

SLUG = "winter-2025"


def code(finding_id, theme_id, origin, *, rank=0, applies=True):
    return {"finding_id": finding_id, "theme_id": theme_id, "origin": origin,
            "applies": applies, "rank": rank}


# -- the theme rule ----------------------------------------------------------------


def test_a_reviewers_code_counts():
    assert themes.counted_themes([code(1, 10, "human")]) == {1: {10}}


def test_the_top_machine_suggestion_counts():
    assert themes.counted_themes([code(1, 10, "machine", rank=0),
                                  code(1, 11, "machine", rank=1)]) == {1: {10}}


def test_lower_machine_suggestions_do_not_count():
    assert themes.counted_themes([code(1, 11, "machine", rank=1)]) == {}


def test_a_reviewer_rejection_overrides_the_machine():
    codes = [code(1, 10, "machine", rank=0), code(1, 10, "human", applies=False)]
    assert themes.counted_themes(codes) == {}


def test_a_rejection_of_another_theme_leaves_the_machine_suggestion():
    codes = [code(1, 10, "machine", rank=0), code(1, 11, "human", applies=False)]
    assert themes.counted_themes(codes) == {1: {10}}


def test_reviewer_and_machine_themes_add_up():
    codes = [code(1, 10, "machine", rank=0), code(1, 12, "human"), code(2, 12, "human")]
    assert themes.counted_themes(codes) == {1: {10, 12}, 2: {12}}
    assert themes.findings_with_theme(themes.counted_themes(codes), 12) == {1, 2}


def test_the_rule_reads_model_like_objects_too():
    codes = [NS(finding_id=1, theme_id=10, origin="human", applies=True, rank=0)]
    assert themes.counted_themes(codes) == {1: {10}}


# -- organisations -----------------------------------------------------------------


def tree():
    return OrgTree([
        Org(1, "Wessex Vale Region", "", "region", None),
        Org(2, "Northfold Integrated Care System", "NICS", "system", 1),
        Org(3, "Ashby General Hospital NHS Foundation Trust", "AGH", "organisation", 2),
        Org(4, "Ashby Outpatients", "", "unit", 3),
        Org(5, "Eastmarsh and Deane ICS", "EDICS", "system", 1),
        Org(6, "Brackenford Community Services NHS Trust", "BCS", "organisation", 5),
    ])


def test_org_tree_finds_systems_and_descendants():
    t = tree()
    assert t.system_of(4).id == 2
    assert t.system_of(2).id == 2
    assert t.system_of(1) is None
    assert t.descendants(2) == {2, 3, 4}
    assert t.name_with_system(3) == "Ashby General Hospital NHS Foundation Trust (NICS)"
    assert t.name_with_system(2) == "Northfold Integrated Care System"


def test_org_tree_survives_a_cycle():
    t = OrgTree([Org(1, "A", "", "organisation", 2), Org(2, "B", "", "organisation", 1)])
    assert t.system_of(1) is None
    assert t.descendants(1) == {1, 2}


# -- the dashboard -----------------------------------------------------------------

DOMAINS = [NS(id=1, key="people", name="People"), NS(id=2, key="governance", name="Governance")]
THEMES = [NS(id=10, key="staff-wellbeing", name="Staff wellbeing"),
          NS(id=11, key="full-system", name="Full system working")]
ROWS = [
    {"id": 100, "domain_id": 1, "organisation_id": 3, "polarity": "achievement"},
    {"id": 101, "domain_id": 1, "organisation_id": 4, "polarity": "challenge"},
    {"id": 102, "domain_id": 2, "organisation_id": 6, "polarity": "challenge"},
    {"id": 103, "domain_id": None, "organisation_id": 6, "polarity": "neutral"},
]


def test_matrix_counts_findings_by_theme_and_domain():
    matrix = dashboard.theme_domain_matrix(
        slug=SLUG, domains=DOMAINS, themes=THEMES,
        counts=DashboardCounts.from_rows(ROWS, {100: {10}, 101: {10, 11}}, [10, 11]),
    )
    assert [c.text for c in matrix.columns] == ["People", "Governance", "No domain"]
    wellbeing, full_system, uncoded = matrix.rows
    assert [c.count for c in wellbeing.cells] == [2, 0, 0]
    assert wellbeing.total.count == 2
    assert [c.count for c in full_system.cells] == [1, 0, 0]
    assert uncoded.text == "Not coded to a theme"
    assert [c.count for c in uncoded.cells] == [0, 1, 1]
    assert [c.count for c in matrix.all_findings.cells] == [2, 1, 1]
    assert matrix.all_findings.total.count == 4
    assert wellbeing.cells[0].href == (
        f"/reviews/{SLUG}/findings/?domain=people&theme=staff-wellbeing"
    )
    assert uncoded.cells[2].href == f"/reviews/{SLUG}/findings/?domain=none&theme=none"
    assert matrix.all_findings.cells[0].href == f"/reviews/{SLUG}/findings/?domain=people"


def test_matrix_without_findings_is_empty_and_has_no_spare_column():
    matrix = dashboard.theme_domain_matrix(slug=SLUG, domains=DOMAINS, themes=THEMES,
                                           counts=DashboardCounts())
    assert matrix.is_empty
    assert [c.text for c in matrix.columns] == ["People", "Governance"]


def test_polarity_counts_include_zeros_and_tags():
    counts = dashboard.polarity_counts(
        slug=SLUG, counts=DashboardCounts.from_rows(ROWS, {}, []).polarity)
    assert [(c.text, c.count) for c in counts] == [
        ("Achievement", 1), ("Challenge", 2), ("Mixed", 0), ("Neutral", 1)]
    assert counts[1].tag == {"text": "Challenge", "colour": "orange"}
    assert counts[1].href == f"/reviews/{SLUG}/findings/?polarity=challenge"


def test_organisation_counts_group_by_system():
    groups = dashboard.organisation_counts(
        slug=SLUG, per_org=DashboardCounts.from_rows(ROWS, {}, []).organisations, tree=tree())
    assert [(g.name, g.count) for g in groups] == [
        ("Eastmarsh and Deane ICS", 2), ("Northfold Integrated Care System", 2)]
    northfold = groups[1]
    assert northfold.href == f"/reviews/{SLUG}/findings/?organisation=2"
    assert [(o.text, o.count) for o in northfold.organisations] == [
        ("Ashby General Hospital NHS Foundation Trust", 1), ("Ashby Outpatients", 1)]


def test_headline_reads_submission_counts():
    headline = dashboard.Headline.from_counts(
        submissions={"submitted": 3}, findings=1, examples=0, recommendations=2,
        organisations=2)
    assert headline.submissions_text == "3 submissions from 2 organisations, 0 in draft"
    nothing = dashboard.Headline.from_counts(submissions={"draft": 1}, findings=0, examples=0,
                                             recommendations=0)
    assert nothing.submissions_text == "0 submissions, 1 in draft"
    assert headline.findings_text == "1 finding"


def access(**kw):
    base = dict(view_all=False, published=False, own=frozenset(), owned=frozenset())
    base.update(kw)
    return NS(
        has=lambda cap: cap == "view_all_submitted" and base["view_all"],
        sees_all_submitted=base["view_all"] or base["published"],
        own_organisations=lambda role="contributor": (
            base["own"] if role == "contributor" else base["owned"]),
    )


def test_visibility_note_explains_what_is_hidden():
    assert dashboard.visibility_note(access(view_all=True)) is None
    assert dashboard.visibility_note(access(published=True)) is None
    assert "your own organisation" in dashboard.visibility_note(access(own=frozenset({3})))
    assert "recommendations" in dashboard.visibility_note(access(owned=frozenset({3})))
    assert "published" in dashboard.visibility_note(access())


# -- findings ----------------------------------------------------------------------


def test_pagination_keeps_filters_and_elides_pages():
    page = Paginator(list(range(1000)), 50).get_page(10)
    params = findings.pagination(page, base="/f/", params={"domain": "people"})
    assert params["previous"] == {"href": "/f/?domain=people&page=9"}
    assert params["next"] == {"href": "/f/?domain=people&page=11"}
    numbers = [i.get("number") for i in params["items"]]
    assert numbers[0] == 1 and numbers[-1] == 20
    assert {"ellipsis": True} in params["items"]
    current = [i for i in params["items"] if i.get("current")]
    assert [i["number"] for i in current] == [10]


def test_pagination_first_page_link_has_no_page_number_and_one_page_has_none():
    page = Paginator(list(range(60)), 50).get_page(2)
    params = findings.pagination(page, base="/f/", params={})
    assert params["previous"] == {"href": "/f/"}
    assert "next" not in params
    assert findings.pagination(Paginator([1], 50).get_page(1), base="/f/", params={}) is None


def test_select_items_mark_the_chosen_value():
    items = findings.select_items([("a", "A"), ("b", "B")], "b", any_label="Any")
    assert items[0] == {"value": "", "text": "Any", "selected": False}
    assert [i["value"] for i in items if i["selected"]] == ["b"]


def test_organisation_choices_offer_systems_then_organisations():
    choices = findings.organisation_choices({3, 6}, tree())
    assert choices == [
        ("5", "Eastmarsh and Deane ICS – all organisations"),
        ("2", "Northfold Integrated Care System – all organisations"),
        ("3", "Ashby General Hospital NHS Foundation Trust (NICS)"),
        ("6", "Brackenford Community Services NHS Trust (EDICS)"),
    ]


def test_filter_summary_reads_as_a_sentence():
    assert findings.filter_summary({}) == "Showing all findings you can see"
    assert findings.filter_summary({"domain": "People", "text": "rest"}) == (
        "Showing findings where domain is People and the text contains “rest”")


# -- labels and navigation ---------------------------------------------------------


def test_tags_carry_their_meaning_in_words():
    assert labels.review_status_tag("tracking") == {
        "text": "Tracking (report published)", "colour": "green"}
    assert labels.polarity_tag("unknown-thing") == {"text": "Unknown-thing", "colour": "grey"}
    assert labels.recommendation_status_tag("in_progress")["text"] == "In progress"


def test_roles_read_from_most_to_least_powerful():
    assert labels.roles_text({"viewer", "lead"}) == "Review lead and Viewer"
    assert labels.roles_text(set(), superuser=True) == "Administrator"
    assert labels.roles_text(set()) == "No role"
    assert labels.roles_text({"contributor", "action_owner", "reviewer"}) == (
        "Reviewer, Contributor and Action owner")


def test_dates_read_the_nhs_way():
    assert labels.format_date(dt.date(2025, 3, 3)) == "3 March 2025"
    assert labels.format_date(None) == "Not set"


def test_breadcrumbs_and_the_review_menu_from_the_access_alone():
    review = NS(title="Winter 2025", slug=SLUG)
    crumbs = navigation.breadcrumbs(review, ("Findings", "/x/"))
    assert [i["text"] for i in crumbs["items"]] == ["Reviews", "Winter 2025", "Findings"]
    viewer = Access(user_id=1, review_id=1, published=False, roles=frozenset({"viewer"}))
    nav = navigation.review_menu(review, viewer, "findings")
    assert [(i.text, i.current) for i in nav] == [
        ("Dashboard", False), ("Findings", True), ("Examples", False), ("Recommendations", False),
        ("Search", False)]
    lead = Access(user_id=2, review_id=1, published=False, roles=frozenset({"lead"}))
    assert [i.text for i in navigation.review_menu(review, lead, "review")] == [
        "Dashboard", "Findings", "Examples", "Recommendations", "Search", "Analysis", "Coding",
        "Matrix", "Agreement", "Memos", "Sessions", "Upload", "Participation", "Set up",
        "Staff learning", "Report"]
    contributor = Access(user_id=3, review_id=1, published=False,
                         roles=frozenset({"contributor"}),
                         organisation_ids={"contributor": frozenset({7})})
    assert {"Sessions", "Your submission"} <= {i.text for i in
                                               navigation.review_menu(review, contributor, "review")}


def test_kept_addresses_are_what_reverse_gives():
    from django.urls import reverse

    from stocktake.web.presenters.coding import code_url, polarity_url
    from stocktake.web.presenters.links import finding_url, findings_url, review_address

    for slug in ("north", "south-2026"):
        for finding_id in (1, 42, 918273645):
            kwargs = {"slug": slug, "finding_id": finding_id}
            assert finding_url(slug, finding_id) == reverse("finding", kwargs=kwargs)
            assert code_url(slug, finding_id) == reverse("finding_code", kwargs=kwargs)
            assert polarity_url(slug, finding_id) == reverse("finding_polarity", kwargs=kwargs)
        assert review_address("examples", slug) == reverse("examples", kwargs={"slug": slug})
        assert findings_url(slug, theme="a b", q="x&y", domain=None) == (
            reverse("findings", kwargs={"slug": slug}) + "?theme=a+b&q=x%26y")
