"""The review's imports: who imported which files when, what each brought in, and undo.

Leads and reviewers see every import batch of the review (contributors and others get
403: they cannot import). Undo shows what would go first; when other work depends on
the import (theme decisions, recommendations, progress) the page lists it and only a
lead can confirm. Saved column mappings download as the YAML ``--mapping`` file.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.vary import vary_on_headers

from stocktake.collect.choices import mapping_yaml
from stocktake.collect.files import safe_name
from stocktake.collect.models import BatchStatus, ImportBatch, SavedMapping
from stocktake.core.errors import StocktakeError
from stocktake.track.imports.actions import fail_stale_imports, undo_import, wait_of
from stocktake.track.imports.plan import plan_undo
from stocktake.web.presenters.imports import batch_rows
from stocktake.web.views.base import ReviewPage, review_page


def _imports_page(request, slug: str, *, step: str = "") -> ReviewPage:
    trail = [("Imports", reverse("imports", kwargs={"slug": slug}))] if step else []
    return review_page(request, slug, current="upload", require="import_documents", trail=trail)


def _batch(page: ReviewPage, batch_id: int) -> ImportBatch:
    batch = (ImportBatch.objects.visible_to(page.access).select_related("created_by", "undone_by")
             .filter(pk=batch_id).first())
    if batch is None:
        raise Http404("No such import")
    return batch


@login_required
def imports_list(request, slug):
    page = _imports_page(request, slug)
    fail_stale_imports(review=page.review, by=request.user)
    batches = list(ImportBatch.objects.visible_to(page.access)
                   .select_related("created_by", "undone_by").prefetch_related("files")[:200])
    mappings = SavedMapping.objects.filter(review=page.review)
    return render(request, "collect/imports.html", page.context(
        batches=batch_rows(batches, _waits(batches)), mappings=mappings))


def _waits(batches) -> dict:
    """The queued batches' waits for the background worker, by id."""
    return {batch.pk: wait_of(batch) for batch in batches if batch.status == BatchStatus.QUEUED}


@login_required
@vary_on_headers("HX-Request")
def import_detail(request, slug, batch_id):
    """One import: its files' results; while the background worker imports it, its progress
    (HTMX fetches the progress region every 2 seconds; without JavaScript, "Refresh")."""
    page = _imports_page(request, slug, step="detail")
    fail_stale_imports(review=page.review, by=request.user)
    batch = _batch(page, batch_id)
    context = page.context(batch=batch_rows([batch], _waits([batch]))[0])
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "collect/_import_progress.html", context)
    return render(request, "collect/import_detail.html", context)


@login_required
def import_undo(request, slug, batch_id):
    page = _imports_page(request, slug, step="undo")
    batch = _batch(page, batch_id)
    if batch.status == BatchStatus.UNDONE:
        messages.info(request, f"Import {batch.pk} was already undone.")
        return redirect("imports", slug=page.review.slug)
    plan = plan_undo(batch)
    is_lead = page.access.has("manage_review")
    if request.method == "POST":
        try:
            undo_import(batch=batch, by=request.user,
                        confirm_dependents=bool(request.POST.get("confirm_dependents")) and is_lead)
        except StocktakeError as exc:
            return render(request, "collect/import_undo.html", page.context(
                batch=batch_rows([batch])[0], plan=plan, is_lead=is_lead,
                errors=[{"text": str(exc), "href": "#undo"}]), status=409)
        messages.success(request, f"Import {batch.pk} undone: " + ", ".join(plan.removes) + " removed.")
        return redirect("imports", slug=page.review.slug)
    return render(request, "collect/import_undo.html", page.context(
        batch=batch_rows([batch])[0], plan=plan, is_lead=is_lead, errors=[]))


@login_required
def mapping_download(request, slug, mapping_id):
    page = _imports_page(request, slug)
    mapping = SavedMapping.objects.filter(review=page.review, pk=mapping_id).first()
    if mapping is None:
        raise Http404("No such mapping")
    response = HttpResponse(mapping_yaml(mapping.columns, mapping.one_row_per),
                            content_type="application/yaml; charset=utf-8")
    name = safe_name(mapping.name, "mapping").rsplit(".", 1)[0]
    response["Content-Disposition"] = f'attachment; filename="{name}.yaml"'
    return response
