"""The main pages cost the same number of queries however many findings a page shows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
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
