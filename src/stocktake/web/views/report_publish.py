"""Publishing the report (checks, publish, publish anyway, corrections) and its files.

The publish page is for leads (``publish_report``); reviewers see its checks and the
versions read-only. Files are served through :func:`version_file` and
:func:`draft_file`, which check who may see them, never from a media URL.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from stocktake.collect import files
from stocktake.core.errors import StocktakeError
from stocktake.report import formats
from stocktake.report.actions import (
    publish_correction,
    publish_report,
    report_html,
    retry_version_build,
)
from stocktake.report.actions.publishing import may_retry
from stocktake.report.build import build_report
from stocktake.report.checks import blocking, publish_checks
from stocktake.report.versions import sees_draft, versions_for
from stocktake.reviews.actions import change_review_status
from stocktake.reviews.workflow import ReviewStatus
from stocktake.web.presenters.report_nav import report_menu
from stocktake.web.presenters.report_publish import check_rows, version_row
from stocktake.web.views.base import review_page

REPORT_TAB = "review_report"


def version_rows(review, access):
    now = timezone.now()
    return tuple(version_row(v, review.slug, local_date=timezone.localdate(v.published_at),
                             may_retry=may_retry(v, now=now))
                 for v in versions_for(review, access))


@login_required
def report_publish(request, slug):
    """The checks, then Publish (all passed) or Publish anyway (a reason); once published,
    Publish a correction (a change note) and the versions."""
    page = review_page(request, slug, current=REPORT_TAB, require="edit_report")
    review, access = page.review, page.access
    checks = publish_checks(review)
    open_ = blocking(checks)
    errors, typed = [], {"reason": "", "change_note": ""}
    if request.method == "POST":
        page.require("publish_report")
        typed = {k: request.POST.get(k, "") for k in typed}
        errors = _publish(request, review, typed, bool(open_))
        if not errors:
            return redirect(reverse("report_publish", kwargs={"slug": slug}))
    published = review.is_published
    response = render(request, "reports/publish.html", page.context(
        report_pages=report_menu(review, access, "report_publish"),
        checks=check_rows(checks, slug, access), open_count=len(open_),
        info_count=sum(1 for c in checks if c.count and not c.blocks),
        published=published, may_publish=access.has("publish_report"),
        may_publish_now=review.status == "reporting", versions=version_rows(review, access),
        errors=errors, typed=typed))
    if errors:
        response.status_code = 400
    return response


def _publish(request, review, typed: dict, checks_open: bool) -> list[dict]:
    reason, note = typed["reason"].strip(), typed["change_note"].strip()
    correction = review.is_published
    if correction and not note:
        return [{"text": "Say what this correction changes", "href": "#change_note"}]
    if checks_open and not reason:
        return [{"text": "Give a reason to publish while checks are open", "href": "#reason"}]
    try:
        if correction:
            version = publish_correction(review=review, change_note=note, reason=reason,
                                         by=request.user)
            messages.success(request, f"Version {version.number} published: its files are "
                                      "being prepared")
        else:
            publish_report(review=review, reason=reason, by=request.user)
            messages.success(request, "The report is published: its files are being prepared")
    except StocktakeError as exc:
        return [{"text": str(exc), "href": "#reason"}]
    return []


@login_required
@require_POST
def report_start_reporting(request, slug):
    """Move an assessing review to reporting, so that its report can be published."""
    page = review_page(request, slug, current=REPORT_TAB, require="publish_report")
    try:
        change_review_status(review=page.review, status=ReviewStatus.REPORTING, by=request.user)
    except StocktakeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The review is now reporting: the report can be published")
    return redirect(reverse("report_publish", kwargs={"slug": slug}))


@login_required
@require_POST
def report_version_retry(request, slug, number):
    page = review_page(request, slug, current=REPORT_TAB, require="publish_report")
    version = versions_for(page.review, page.access).filter(number=number).first()
    if version is None:
        raise Http404("No such version")
    try:
        retry_version_build(version=version, by=request.user)
    except StocktakeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Version {number}'s files are being prepared again")
    return redirect(reverse("report_publish", kwargs={"slug": slug}))


def _attachment(response: HttpResponse, name: str, fmt: formats.Format) -> HttpResponse:
    response["Content-Type"] = fmt.content_type
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def version_file(request, slug, number, fmt):
    """A published version's file, exactly as it was published (anyone who may see it)."""
    page = review_page(request, slug, current=REPORT_TAB)
    version = versions_for(page.review, page.access).filter(number=number).first()
    entry = (version.files or {}).get(fmt) if version else None
    if entry is None or fmt not in formats.FORMATS:
        raise Http404("No such file")
    storage = files.uploads()
    if not storage.exists(entry["path"]):
        raise Http404("The file is missing from storage")
    response = FileResponse(storage.open(entry["path"], "rb"))
    return _attachment(response, formats.FORMATS[fmt].filename(slug, number),
                       formats.FORMATS[fmt])


@login_required
def draft_file(request, slug, fmt):
    """The draft in one format, made now (leads and reviewers only).

    Made in this request, not by the worker: a draft changes with every edit, so a stored
    copy would be stale at once, and the lead wants it now. HTML is the page's stored
    rendering (instant); Word and PDF are rendered from the built report, the data pack
    and the REFI-QDA project written from the review: together about a second at a
    review's usual size (a few thousand findings), 10–20 s each at 100,000
    (docs/performance.md). Published versions are written by the worker instead.
    """
    page = review_page(request, slug, current=REPORT_TAB)
    if not sees_draft(page.access):
        raise Http404("No report found")
    if fmt not in formats.FORMATS:
        raise Http404("No such format")
    fmt_ = formats.FORMATS[fmt]
    review = page.review
    try:
        if fmt == "html":
            content = report_html(review=review, by=request.user).encode("utf-8")
        elif fmt_.source == "data":
            content = formats.render_bytes(fmt, build_report(review))
        else:
            return _written(review, fmt, fmt_)
    except formats.FormatUnavailable:
        raise Http404("This format is not available in this build") from None
    return _attachment(HttpResponse(content), fmt_.filename(review.slug), fmt_)


def _written(review, fmt: str, fmt_: formats.Format) -> HttpResponse:
    with tempfile.TemporaryDirectory(prefix="stocktake-draft-") as folder:
        path = formats.write(fmt, review=review, data=None, path=Path(folder) / "out")
        content = path.read_bytes()
    return _attachment(HttpResponse(content), fmt_.filename(review.slug), fmt_)
