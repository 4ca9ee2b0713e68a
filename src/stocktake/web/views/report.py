"""The report: shown inside the review's pages, and as the standalone HTML file.

stocktake.report renders it once per change of its data as a standalone HTML
document (``report.actions.report_html``, the same file ``stocktake report``
writes). The Report tab shows that document's content inside the site's layout,
with the review menu; "Download" serves the document itself.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from stocktake.report.actions import report_html
from stocktake.report.render.html import report_body
from stocktake.web.presenters.report_nav import report_menu
from stocktake.web.views.base import ReviewPage, review_page


def _report_page(request, slug) -> ReviewPage:
    page = review_page(request, slug, current="review_report")
    # Leads and reviewers always; everyone else once the report is published.
    if not page.access.sees_all_submitted:
        raise Http404("No report found")
    return page


@login_required
def review_report(request, slug):
    page = _report_page(request, slug)
    document = report_html(review=page.review, by=request.user)
    return render(request, "reports/report.html", page.context(
        body=report_body(document),
        report_pages=report_menu(page.review, page.access, "review_report")))


@login_required
def review_report_download(request, slug):
    page = _report_page(request, slug)
    response = HttpResponse(report_html(review=page.review, by=request.user),
                            content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{page.review.slug}-report.html"'
    return response
