"""The report: shown inside the review's pages, and as the standalone HTML file.

Leads and reviewers see the draft: stocktake.report renders it once per change of its
data as a standalone HTML document (``report.actions.report_html``, the same file
``stocktake report`` writes), with a download in each format and every published
version. Everyone else with a role in the review sees only what was published: the
latest ready version's HTML file, exactly as published, its files, and the earlier
versions; before publication the page is not found for them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from stocktake.collect import files
from stocktake.report.actions import report_html
from stocktake.report.render.html import report_body
from stocktake.report.versions import has_versions, sees_draft
from stocktake.web.presenters.report_nav import report_menu
from stocktake.web.presenters.report_publish import draft_downloads
from stocktake.web.views.base import ReviewPage, review_page
from stocktake.web.views.report_publish import version_rows


def _report_page(request, slug) -> ReviewPage:
    page = review_page(request, slug, current="review_report")
    # Leads and reviewers always; everyone else once a version is published.
    if not (sees_draft(page.access) or page.access.sees_all_submitted):
        raise Http404("No report found")
    return page


@login_required
def review_report(request, slug):
    page = _report_page(request, slug)
    versions = version_rows(page.review, page.access)
    menu = report_menu(page.review, page.access, "review_report")
    if sees_draft(page.access):
        document = report_html(review=page.review, by=request.user)
        return render(request, "reports/report.html", page.context(
            body=report_body(document), report_pages=menu, draft=True,
            downloads=draft_downloads(page.review.slug), versions=versions))
    ready = [v for v in versions if v.status == "ready"]
    if not ready:
        if not has_versions(page.review):
            raise Http404("No report found")
        # Published a moment ago: the worker is still writing its files.
        return render(request, "reports/report.html", page.context(
            body="", report_pages=menu, draft=False, latest=None, versions=()))
    latest = ready[0]
    entry = page.review.report_versions.get(number=latest.number).files.get("html")
    body = ""
    if entry and files.uploads().exists(entry["path"]):
        with files.uploads().open(entry["path"], "rb") as handle:
            body = report_body(handle.read().decode("utf-8"))
    return render(request, "reports/report.html", page.context(
        body=body, report_pages=menu, draft=False, latest=latest, versions=ready))


@login_required
def review_report_download(request, slug):
    page = _report_page(request, slug)
    if not sees_draft(page.access):
        raise Http404("No draft report")
    response = HttpResponse(report_html(review=page.review, by=request.user),
                            content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{page.review.slug}-report.html"'
    return response
