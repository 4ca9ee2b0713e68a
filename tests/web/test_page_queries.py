"""The main pages cost the same number of queries however many findings a page shows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
from stocktake.collect.similarity.actions import compute_similar_findings
from stocktake.reviews.models import Participant


def add_findings(world, count):
    participant = Participant.objects.get(review=world.review, organisation=world.orgs["bracken"])
    submission = collect_actions.create_submission(participant=participant, by=world.users["colin"])
    collect_actions.add_findings(submission=submission, by=world.users["colin"], findings=[
        NewFinding(f"Bracken finding {n} about discharge planning and virtual wards")
        for n in range(count)])
    collect_actions.submit_submission(submission=submission, by=world.users["colin"])


def queries(client, url) -> int:
    client.get(url)  # what a process keeps (the organisation tree, ids) is read once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_do_not_query_per_row(world, login):
    client = login(world.users["ravi"])
    slug = world.review.slug
    urls = [reverse("review", kwargs={"slug": slug}), reverse("findings", kwargs={"slug": slug}),
            reverse("review_next", kwargs={"slug": slug})]
    add_findings(world, 3)
    before = [queries(client, url) for url in urls]
    add_findings(world, 40)
    assert [queries(client, url) for url in urls] == before


def shown(response) -> list[str]:
    html = response.content.decode()
    known = ["Video consultations", "Staff rest hubs", "Daily data requests", "DRAFT-ONLY",
             "Bracken finding 0 "]
    return [t for t in known if t in html]


def test_kept_lists_follow_the_filters_and_the_scope(world, login, client):
    """What the findings list keeps between requests is never handed to other filters or
    to a user with another scope."""
    add_findings(world, 1)
    url = reverse("findings", kwargs={"slug": world.review.slug})
    lena = login(world.users["lena"])
    everything = shown(lena.get(url))
    assert "Bracken finding 0 " in everything
    for query, expected in [("?domain=people", ["Staff rest hubs"]),
                            ("?polarity=challenge", ["Daily data requests"]),
                            (f"?organisation={world.orgs['bracken'].id}", ["Bracken finding 0 "]),
                            ("", everything)]:
        assert shown(lena.get(url + query)) == expected, query
    client.logout()
    connie = login(world.users["connie"])  # Ashby's contributor: no Bracken finding
    assert "Bracken finding 0 " not in shown(connie.get(url))
    assert shown(connie.get(url + "?polarity=challenge")) == ["Daily data requests"]


def test_kept_dashboard_tables_are_never_shown_to_another_scope(world, login, client):
    url = reverse("review", kwargs={"slug": world.review.slug})
    ashby = f"?organisation={world.orgs['ashby'].id}"
    lena = login(world.users["lena"]).get(url).content.decode()
    assert ashby in lena  # the lead's tables, now kept, link to Ashby's findings
    client.logout()
    colin = login(world.users["colin"]).get(url).content.decode()  # Brackenford's contributor
    assert ashby not in colin
    assert "Findings by system and organisation" in colin


def test_finding_page_and_theme_list_stay_within_their_query_budget(world, login):
    """On PostgreSQL every query costs planning and a round trip on the server's cores, so
    these two pages (the slowest at 100,000 findings, docs/performance.md) keep a budget.

    A finding, for a lead and for a reviewer: session, user, review, membership, the
    finding (its review not joined again), the organisation tree's version, its codes and
    its similar findings (stored; one query through the user's scope), the memos about it
    (leads and reviewers only), and, for a finding typed into a form, the reflection session
    it may have come from (a finding read from a document instead reads its two neighbours
    there). Kept in the process until the next action: which findings have personal-data
    flags (none here, so neither the flags nor the hidden text are read), the
    recommendations citing each finding, and how far similar findings are worked out. The
    framework's themes are read once per process. The list filtered by theme: session,
    user, review, membership, the data version, the tree's version (and the page's rows,
    when any match: none do here) and, for leads and reviewers, the memos about the theme;
    the filtered ids and the framework's items are kept. Before these budgets: 11 and 8."""
    add_findings(world, 3)
    compute_similar_findings(review_id=world.review.pk, by=None)
    slug = world.review.slug
    for user in ("lena", "ravi"):
        client = login(world.users[user])
        for finding in world.findings["ashby"]:  # with similar findings and without
            assert queries(client, reverse("finding", kwargs={"slug": slug,
                                                              "finding_id": finding.pk})) <= 10
    theme = world.framework.themes.order_by("position").first().key
    assert queries(client, reverse("findings", kwargs={"slug": slug}) + f"?theme={theme}") <= 7
