"""Analysis: start a run in the background, list runs to compare them, follow or cancel one.

Leads and reviewers only (``code_findings``); others get 403. Progress pages
poll with HTMX (the same view answers with its partial) and offer a Refresh
link without JavaScript. Cancel is a plain POST form that redirects back.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from stocktake.analysis.backends import available_backends, default_backend
from stocktake.assess.actions import cancel_run, queue_analysis
from stocktake.assess.models import AnalysisRun
from stocktake.core.errors import InvalidInput
from stocktake.web.assess_forms import AnalyseForm
from stocktake.web.presenters import analysis as present
from stocktake.web.views.base import review_page

RUNS_SHOWN = 50


def _backends() -> tuple[list[str], str]:
    return available_backends(), default_backend()


def _partial_wanted(request) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def analysis(request, slug):
    page = review_page(request, slug, current="analysis", require="code_findings")
    review = page.review
    backends, default = _backends()
    form = AnalyseForm(request.POST if request.method == "POST" else None,
                       backends=backends, default=default)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                run = queue_analysis(review=review, by=request.user,
                                     backend=form.cleaned_data["backend"],
                                     seed=form.cleaned_data["seed"])
            except InvalidInput as exc:
                form.add_error("backend", str(exc))
            else:
                return redirect(present.run_url(review.slug, run.pk))
        status = 400
    runs = present.run_rows(
        AnalysisRun.objects.filter(review=review).select_related("created_by")[:RUNS_SHOWN],
        slug=review.slug,
    )
    context = page.context(**{
        "runs": runs,
        "active": present.any_active(runs),
        "refresh": reverse("analysis", kwargs={"slug": review.slug}),
        "form": form,
        "errors": form.error_list() if form.is_bound else [],
        "backends": present.backend_items(backends, form.value_of("backend")),
        "seed": form.value_of("seed"),
    })
    if request.method == "GET" and _partial_wanted(request):
        return render(request, "assess/_runs.html", context)
    return render(request, "assess/analysis.html", context, status=status)


def _run_of(review, run_id: int) -> AnalysisRun:
    return get_object_or_404(
        AnalysisRun.objects.filter(review=review).select_related("created_by"), pk=run_id
    )


@login_required
@vary_on_headers("HX-Request")
def analysis_run(request, slug, run_id):
    page = review_page(request, slug, current="analysis", require="code_findings",
                       trail=[("Analysis", reverse("analysis", kwargs={"slug": slug}))])
    run = _run_of(page.review, run_id)
    context = page.context(run=present.run_row(run, slug=slug))
    if _partial_wanted(request):
        return render(request, "assess/_run_poll.html", context)
    return render(request, "assess/run.html", context)


@login_required
@require_POST
def analysis_run_cancel(request, slug, run_id):
    review = review_page(request, slug, current="analysis", require="code_findings").review
    run = _run_of(review, run_id)
    try:
        cancel_run(run=run, by=request.user)
    except InvalidInput as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Run {run.pk} cancelled.")
    return redirect(present.run_url(review.slug, run.pk))
