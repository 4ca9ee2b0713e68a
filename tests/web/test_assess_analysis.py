"""The analysis pages: start a run (POST), follow its progress (HTMX polling), compare runs."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from stocktake.analysis.errors import InputError
from stocktake.assess import actions
from stocktake.assess.actions import STALE_MESSAGE, analyse_review, queue_analysis
from stocktake.assess.models import AnalysisRun
from stocktake.core.errors import InvalidInput
from stocktake.core.models import AuditEvent
from tests.assess.test_tasks import run_queue

REVIEW = "/reviews/winter-2025/"
ANALYSIS = REVIEW + "analysis/"


def start(client, **data):
    return client.post(ANALYSIS, {"backend": "tfidf", "seed": "0", **data})


def test_lead_starts_an_analysis_and_follows_it_until_done(world, login):
    client = login(world.users["lena"])
    page = client.get(ANALYSIS).content.decode()
    assert "This review has not been analysed yet." in page
    assert 'name="backend"' in page and 'value="tfidf"' in page and 'name="seed"' in page

    response = start(client, seed="42")
    run = AnalysisRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{ANALYSIS}{run.pk}/"
    assert (run.status, run.seed, run.backend, run.created_by) == (
        "queued", 42, "tfidf", world.users["lena"])
    assert DBTaskResult.objects.count() == 1

    # While queued: the status region polls every 2 s, and a Refresh link works without JS.
    html = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in html and ">Refresh</a>" in html
    assert "Waiting for a worker" in html and "stocktake worker" in html
    listing = client.get(ANALYSIS).content.decode()
    assert 'hx-trigger="every 2s"' in listing and "Refresh the list" in listing

    run_queue()

    html = client.get(response["Location"]).content.decode()
    assert "hx-trigger" not in html and ">Refresh</a>" not in html
    assert "Done" in html and "4 findings coded" in html
    assert "Lowest score kept as a suggestion: " in html
    listing = client.get(ANALYSIS).content.decode()
    assert "hx-trigger" not in listing
    assert f"Run {run.pk}" in listing and "Lena Lead" in listing and ">42<" in listing


def test_progress_partials_for_htmx(world, login, monkeypatch):
    client = login(world.users["ravi"])
    start(client)
    run = AnalysisRun.objects.get()
    response = client.get(f"{ANALYSIS}{run.pk}/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and 'id="run-status"' in html and "every 2s" in html
    assert "HX-Request" in response["Vary"]
    listing = client.get(ANALYSIS, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in listing and 'id="runs"' in listing
    run = half_done_run(world, monkeypatch, run=run)
    html = client.get(f"{ANALYSIS}{run.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "2 of 4 findings coded" in html and 'value="2"' in html
    # A history restore wants the whole page.
    restore = client.get(f"{ANALYSIS}{run.pk}/", HTTP_HX_REQUEST="true",
                         HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restore.content.decode()


class Killed(BaseException):
    """What a worker meets when its process is killed."""


def half_done_run(world, monkeypatch, **kwargs):
    """A run whose worker coded 2 of the 4 findings and was then killed: left running."""
    monkeypatch.setattr(actions, "CHUNK_SIZE", 2)

    def die(done, total):
        raise Killed

    with pytest.raises(Killed):
        analyse_review(review=world.review, by=world.users["lena"], progress=die, **kwargs)
    return AnalysisRun.objects.get(status="running")


def test_a_failed_run_shows_its_message(world, login, monkeypatch):
    client = login(world.users["lena"])
    run = queue_analysis(review=world.review, by=world.users["lena"])

    def needs_an_extra(name):  # the backend was uninstalled after the run was queued
        raise InputError("the semantic backend needs an extra")

    monkeypatch.setattr(actions, "get_backend", needs_an_extra)
    with pytest.raises(InvalidInput):
        analyse_review(review=world.review, by=None, run=run)
    html = client.get(f"{ANALYSIS}{run.pk}/").content.decode()
    assert "Failed" in html and "the semantic backend needs an extra" in html
    assert "hx-trigger" not in html
    assert "the semantic backend needs an extra" in client.get(ANALYSIS).content.decode()


@pytest.mark.parametrize("data,message", [
    ({"seed": "abc"}, "Seed must be a whole number"),
    ({"seed": "-1"}, "Seed must be 0 or more"),
    ({"backend": "nope"}, "Select a backend from the list"),
])
def test_bad_input_shows_the_error_summary(world, login, data, message):
    response = start(login(world.users["lena"]), **data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and message in html and "<title>Error:" in html
    assert not AnalysisRun.objects.exists()


def test_a_backend_that_is_not_installed_is_an_error_not_a_queued_run(world, login, monkeypatch):
    from stocktake.analysis import backends
    from stocktake.analysis.errors import InputError

    def missing(framework, *, seed=0):
        raise AssertionError("never built")

    def check():
        raise InputError("the fancy backend needs `pip install stocktake[fancy]`")

    missing.check = check
    monkeypatch.setitem(backends._REGISTRY, "fancy", missing)
    client = login(world.users["lena"])
    page = client.get(reverse("analysis", kwargs={"slug": world.review.slug})).content.decode()
    assert 'value="fancy"' not in page and 'value="tfidf"' in page  # not offered
    response = start(client, backend="fancy")
    assert response.status_code == 400
    assert "Select a backend from the list" in response.content.decode()
    assert not AnalysisRun.objects.exists()


def test_a_second_start_while_one_waits_is_refused(world, login):
    client = login(world.users["lena"])
    start(client)
    response = start(client)
    assert response.status_code == 400 and "already waiting" in response.content.decode()
    assert AnalysisRun.objects.count() == 1


def test_starting_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["lena"])
    assert client.post(ANALYSIS, {"backend": "tfidf", "seed": "0"}).status_code == 403
    assert not AnalysisRun.objects.exists()


@pytest.mark.parametrize("name,status", [
    ("connie", 403), ("colin", 403), ("owen", 403), ("vera", 403), ("sam", 404),
])
def test_only_leads_and_reviewers_analyse(world, login, name, status):
    client = login(world.users[name])
    run = queue_analysis(review=world.review, by=world.users["lena"])
    assert client.get(ANALYSIS).status_code == status
    assert client.get(f"{ANALYSIS}{run.pk}/").status_code == status
    assert start(client).status_code == status
    assert client.post(f"{ANALYSIS}{run.pk}/cancel/").status_code == status
    assert AnalysisRun.objects.count() == 1
    assert AnalysisRun.objects.get().status == "queued"
    dashboard = client.get(REVIEW).content.decode()
    assert ANALYSIS not in dashboard


def test_a_run_of_another_review_is_not_found(world, login):
    assert login(world.users["lena"]).get(f"{ANALYSIS}999/").status_code == 404


def test_leads_see_analysis_in_the_review_navigation(world, login):
    html = login(world.users["ravi"]).get(REVIEW).content.decode()
    assert f'href="{ANALYSIS}"' in html and f'href="{REVIEW}coding/"' in html


def test_a_reviewer_cancels_a_waiting_run_without_javascript(world, login):
    client = login(world.users["ravi"])
    start(client)
    run = AnalysisRun.objects.get()
    page = client.get(f"{ANALYSIS}{run.pk}/").content.decode()
    form = page[page.index('<div id="run-cancel">'):]
    form = form[:form.index("</form>")]
    assert f'method="post" action="{ANALYSIS}{run.pk}/cancel/"' in form
    assert 'name="csrfmiddlewaretoken"' in form and "nhsuk-button--secondary" in form
    assert "Cancel<span class=\"nhsuk-u-visually-hidden\"> run " in form
    # The form sits outside the region HTMX replaces, so polls leave focus on it alone.
    assert page.index('id="run-cancel"') > page.index('id="run-status"')
    assert "run-cancel" not in page[page.index('id="run-status"'):page.index('id="run-cancel"')]

    response = client.post(f"{ANALYSIS}{run.pk}/cancel/")
    assert response.status_code == 302 and response["Location"] == f"{ANALYSIS}{run.pk}/"
    run.refresh_from_db()
    assert run.status == "cancelled"
    assert AuditEvent.objects.get(verb="analysis.cancelled").actor == world.users["ravi"]
    html = client.get(response["Location"]).content.decode()
    assert "Cancelled" in html and f"Run {run.pk} cancelled." in html
    assert "Cancelled by Ravi Reviewer" in html and "Nothing from it was stored" in html
    assert "hx-trigger" not in html and "/cancel/" not in html
    assert "Cancelled" in client.get(ANALYSIS).content.decode()


def test_the_poll_takes_the_cancel_button_away_once_the_run_has_ended(world, login):
    client = login(world.users["lena"])
    start(client)
    run = AnalysisRun.objects.get()
    poll = client.get(f"{ANALYSIS}{run.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" in poll and "hx-swap-oob" not in poll
    run_queue()
    poll = client.get(f"{ANALYSIS}{run.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in poll and "every 2s" not in poll
    assert '<div id="run-cancel" hx-swap-oob="true"></div>' in poll


def test_cancelling_a_run_that_has_ended_says_so(world, login):
    run = analyse_review(review=world.review, by=world.users["lena"])
    client = login(world.users["lena"])
    response = client.post(f"{ANALYSIS}{run.pk}/cancel/", follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "has already ended (done)" in html
    assert AnalysisRun.objects.get().status == "done"


def test_cancel_is_a_post_with_the_csrf_token(world):
    run = queue_analysis(review=world.review, by=world.users["lena"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["lena"])
    assert client.get(f"{ANALYSIS}{run.pk}/cancel/").status_code == 405
    assert client.post(f"{ANALYSIS}{run.pk}/cancel/").status_code == 403
    assert AnalysisRun.objects.get().status == "queued"


def test_a_run_of_another_review_cannot_be_cancelled_here(world, login):
    assert login(world.users["lena"]).post(f"{ANALYSIS}999/cancel/").status_code == 404


def test_a_running_run_gone_quiet_says_so_and_can_be_cancelled(world, login, settings,
                                                              monkeypatch):
    # A worker took it, reported progress and then went silent; any silence is too long here.
    run = half_done_run(world, monkeypatch, run=queue_analysis(review=world.review,
                                                               by=world.users["lena"]))
    settings.STOCKTAKE_ANALYSIS_STALE_SECONDS = 0
    client = login(world.users["lena"])
    html = client.get(f"{ANALYSIS}{run.pk}/").content.decode()
    assert "No progress since" in html and "nhsuk-card--warning" in html
    assert "Last progress" in html and f"{ANALYSIS}{run.pk}/cancel/" in html
    # Starting a new run fails the silent one first.
    start(client)
    run.refresh_from_db()
    assert run.status == "failed" and run.message == STALE_MESSAGE
    html = client.get(f"{ANALYSIS}{run.pk}/").content.decode()
    assert STALE_MESSAGE in html and "No progress since" not in html
