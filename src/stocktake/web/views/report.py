"""The published report, rendered by stocktake.report.render as a standalone HTML page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from stocktake.report.actions import report_html
from stocktake.web.views.base import review_page


@login_required
def review_report(request, slug):
    page = review_page(request, slug, current="review_report")
    review = page.review
    # Leads and reviewers always; everyone else once the report is published.
    if not page.access.sees_all_submitted:
        raise Http404("No report found")
    return HttpResponse(report_html(review=review, by=request.user),
                        content_type="text/html; charset=utf-8")
