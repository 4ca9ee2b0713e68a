"""Uploading submission files: choose files → preview → confirm (or cancel).

Step 1 stores the files in a private staging folder and redirects to a preview of
what each would create; step 2 imports each file in its own transaction with
track.importing.import_document and removes the staging folder. Every failure is
one line naming the file; nothing here raises a server error for a bad file.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stocktake.collect import staging
from stocktake.collect.importers import SUPPORTED_SUFFIXES
from stocktake.collect.theme_matching import choices_from_post
from stocktake.core.errors import StocktakeError
from stocktake.reviews.models import Organisation
from stocktake.track.importing import import_document
from stocktake.web.collect_forms import UploadForm
from stocktake.web.presenters.collect import (
    file_size,
    organisation_choices,
    organisation_groups,
    organisation_items,
    organisation_lines,
)
from stocktake.web.views.base import ReviewPage, organisation_tree, review_page

log = logging.getLogger(__name__)


def _upload_page(request, slug: str, *, step: bool = False) -> ReviewPage:
    """An upload page (leads and reviewers); ``step``: a step after choosing files."""
    trail = [("Upload", reverse("upload", kwargs={"slug": slug}))] if step else []
    return review_page(request, slug, current="upload", require="import_documents", trail=trail)


def _context(page: ReviewPage, **extra):
    return page.context(max_mb=staging.max_bytes() // 1048576,
                        suffixes=", ".join(SUPPORTED_SUFFIXES), **extra)


@login_required
def upload(request, slug):
    page = _upload_page(request, slug)
    review = page.review
    form = UploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()), max_bytes=staging.max_bytes())
    if request.method == "POST" and form.is_valid():
        staged = staging.stage(form.cleaned_data["files"], user_id=request.user.pk,
                               review_id=review.pk)
        return redirect("upload_preview", slug=review.slug, token=staged.token)
    return render(request, "collect/upload.html", _context(
        page, errors=form.error_list() if form.is_bound else []))


def _staged(request, review, token):
    """The staged upload, or None once it has ended (imported or cancelled)."""
    return staging.load(token, user_id=request.user.pk, review_id=review.pk)


def _ended(request, page: ReviewPage):
    """An upload already imported or cancelled (Back, then Confirm again): say so, with
    where to go next, rather than a bare "Page not found". Still a 404: another user's
    upload, or a made-up token, gets the same answer."""
    return render(request, "collect/upload_ended.html", _context(page), status=404)


@login_required
def upload_preview(request, slug, token):
    page = _upload_page(request, slug, step=True)
    review = page.review
    staged = _staged(request, review, token)
    if staged is None:
        return _ended(request, page)
    domains = list(review.framework.domains.all())
    tree = organisation_tree()
    previews = [staging.preview_file(review, staged, item, domains=domains, tree=tree)
                for item in staged.files]
    files = [{"preview": p, "size": file_size(p.size), "organisations": organisation_lines(p)}
             for p in previews]
    errors = [{"text": p.error, "href": f"#file-{p.index}"} for p in previews if p.error]
    needs_org = any(p.needs_organisation and not p.error for p in previews)
    return render(request, "collect/preview.html", _context(
        page, token=token, files=files, errors=errors,
        # Files that would add something: none when every file was imported before.
        importable=[p.index for p in previews if not p.error and not p.already],
        all_already=all(p.already for p in previews),
        organisation_items=organisation_items(
            organisation_groups(tree, review.region_id) if needs_org else [],
            "Choose an organisation")))


@login_required
@require_POST
def upload_confirm(request, slug, token):
    page = _upload_page(request, slug, step=True)
    review = page.review
    staged = _staged(request, review, token)
    if staged is None:
        return _ended(request, page)
    wanted = set(request.POST.getlist("file"))
    choices = dict(organisation_choices(organisation_groups(organisation_tree(),
                                                            review.region_id)))
    results = []
    for item in staged.files:
        if str(item.index) not in wanted:
            continue
        chosen = request.POST.get(f"organisation-{item.index}", "")
        organisation = (Organisation.objects.get(pk=int(chosen))
                        if chosen.isdigit() and int(chosen) in choices else None)
        try:
            result = import_document(
                review=review, path=staged.path(item), by=request.user, original_name=item.name,
                organisation=organisation,
                theme_choices=choices_from_post(request.POST, index=item.index, review=review))
            results.append({"name": item.name, "ok": True, "created": result.created,
                            "message": result.message,
                            "problems": [str(p) for p in result.problems[:20]]})
        except StocktakeError as exc:
            results.append({"name": item.name, "ok": False, "message": str(exc), "problems": []})
        except Exception:  # noqa: BLE001 - each import is atomic; report, never a server error
            log.exception("Import of staged file %s failed", item.name)
            results.append({"name": item.name, "ok": False, "problems": [],
                            "message": f"{item.name}: could not be imported because of an "
                                       "unexpected error; nothing from it was saved"})
    staging.discard(staged)
    return render(request, "collect/results.html", _context(
        page, results=results,
        failed=[{"text": r["message"], "href": "#results"} for r in results if not r["ok"]]))


@login_required
@require_POST
def upload_cancel(request, slug, token):
    review = _upload_page(request, slug).review
    staged = staging.load(token, user_id=request.user.pk, review_id=review.pk)
    if staged is not None:
        staging.discard(staged)
    messages.info(request, "Upload cancelled: nothing was imported.")
    return redirect("upload", slug=review.slug)
