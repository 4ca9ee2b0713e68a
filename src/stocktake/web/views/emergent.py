"""Emergent themes: start a seeded run in the background, view one (labels, size, spread,
quotes), compare two, and rename, merge, split or promote a theme.

Leads and reviewers (``code_findings``), under the Analysis tab. Members are shown and
counted among the findings the reader may see. POSTs call an action and redirect; a
refusal comes back as one notice on the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from stocktake.assess.emergent import queries
from stocktake.assess.emergent.actions import (
    merge_emergent_themes,
    promote_emergent_theme,
    queue_emergent_themes,
    rename_emergent_theme,
    split_emergent_theme,
)
from stocktake.assess.models import EmergentRun, EmergentTheme
from stocktake.collect.models import Finding
from stocktake.collect.personal_data import hide_flagged
from stocktake.core.errors import InvalidInput
from stocktake.web.emergent_forms import (
    EVERY,
    EmergentRunForm,
    MergeForm,
    PromoteForm,
    RenameForm,
)
from stocktake.web.presenters import emergent as present
from stocktake.web.views.base import organisation_tree, review_page

RUNS_SHOWN = 50
MEMBERS_SHOWN = 50


def _page(request, slug, *trail, listing: bool = False):
    crumbs = [("Analysis", reverse("analysis", kwargs={"slug": slug}))]
    if not listing:
        crumbs.append(("Emergent themes", reverse("emergent", kwargs={"slug": slug})))
    return review_page(
        request, slug, current="analysis", require="code_findings", trail=[*crumbs, *trail]
    )


def _run_of(review, run_id) -> EmergentRun:
    return get_object_or_404(queries.runs_of(review), pk=run_id)


def _theme_of(run, number) -> EmergentTheme:
    return get_object_or_404(run.themes.select_related("promoted_to", "run__review"), number=number)


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def emergent(request, slug):
    page = _page(request, slug, listing=True)
    review = page.review
    form = EmergentRunForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                run = queue_emergent_themes(
                    review=review,
                    by=request.user,
                    seed=form.cleaned_data["seed"],
                    include_all=form.cleaned_data["which"] == EVERY,
                )
            except InvalidInput as exc:
                form.add_error("seed", str(exc))
            else:
                return redirect(present.run_url(review.slug, run.pk))
        status = 400
    runs = [present.run_row(r, review.slug) for r in queries.runs_of(review)[:RUNS_SHOWN]]
    context = page.context(
        runs=runs,
        active=any(r.active for r in runs),
        form=form,
        errors=form.error_list(),
        which=present.which_items(form.value_of("which", "unfitted")),
        seed=form.value_of("seed", "0"),
        refresh=reverse("emergent", kwargs={"slug": review.slug}),
    )
    if request.htmx and not request.htmx.history_restore_request and request.method == "GET":
        return render(request, "assess/_emergent_runs.html", context)
    return render(request, "assess/emergent.html", context, status=status)


@login_required
@require_GET
def emergent_run(request, slug, run_id):
    page = _page(request, slug)
    review = page.review
    run = _run_of(review, run_id)
    row = present.run_row(run, slug)
    visible = Finding.objects.visible_to(page.access)
    summaries = queries.summaries(run, visible, access=page.access, tree=organisation_tree())
    others = [
        r
        for r in queries.runs_of(review)
        .filter(status=EmergentRun.Status.DONE)
        .exclude(pk=run.pk)[:RUNS_SHOWN]
    ]
    return render(
        request,
        "assess/emergent_run.html",
        page.context(
            run=row,
            themes=[present.theme_card(s, slug, run.pk) for s in summaries],
            others=present.compare_items(others),
            compare_href=reverse("emergent_compare", kwargs={"slug": slug, "run_id": run.pk}),
        ),
    )


@login_required
@require_GET
def emergent_compare(request, slug, run_id):
    page = _page(request, slug, (f"Run {run_id}", present.run_url(slug, run_id)))
    review = page.review
    run = _run_of(review, run_id)
    wanted = request.GET.get("with", "")
    other = queries.runs_of(review).filter(pk=wanted).first() if wanted.isdigit() else None
    if other is None or other.pk == run.pk:
        messages.error(
            request, "Choose another run of this review to compare with", extra_tags="compare"
        )
        return redirect(present.run_url(slug, run.pk) + "#compare")
    comparison = queries.compare(run, other)
    return render(
        request,
        "assess/emergent_compare.html",
        page.context(
            run=present.run_row(run, slug),
            other=present.run_row(other, slug),
            comparison=present.comparison(comparison, slug, run.pk, other.pk),
        ),
    )


@login_required
@require_GET
def emergent_theme(request, slug, run_id, number):
    page = _page(request, slug, (f"Run {run_id}", present.run_url(slug, run_id)))
    run = _run_of(page.review, run_id)
    theme = _theme_of(run, number)
    visible = Finding.objects.visible_to(page.access)
    (summary,) = queries.summaries(
        run, visible, access=page.access, tree=organisation_tree(), themes=[theme]
    )
    members = queries.members_shown(theme, visible, MEMBERS_SHOWN)
    others = [t for t in queries.themes_of(run) if t.pk != theme.pk]
    return render(
        request,
        "assess/emergent_theme.html",
        page.context(
            run=present.run_row(run, slug),
            theme=present.theme_card(summary, slug, run.pk),
            members=[present.member_row(f, slug) for f in hide_flagged(members, page.access)],
            shown=min(summary.size, MEMBERS_SHOWN),
            merge_items=[{"value": "", "text": "Choose a theme"}]
            + [{"value": str(t.number), "text": f"{t.number}. {t.label}"} for t in others],
            actions=present.theme_actions(slug, run.pk, theme.number),
        ),
    )


def _act(request, slug, run_id, number, do) -> object:
    page = _page(request, slug)
    run = _run_of(page.review, run_id)
    theme = _theme_of(run, number)
    try:
        notice = do(theme)
    except InvalidInput as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, notice)
    target = present.theme_url(slug, run.pk, theme.number)
    if EmergentTheme.objects.filter(pk=theme.pk).exists():
        return redirect(target)
    return redirect(present.run_url(slug, run.pk))


@login_required
@require_POST
def emergent_rename(request, slug, run_id, number):
    form = RenameForm(request.POST)

    def do(theme):
        if not form.is_valid():
            raise InvalidInput(form.first_error())
        rename_emergent_theme(theme=theme, label=form.cleaned_data["label"], by=request.user)
        return f"Theme renamed “{theme.label}”."

    return _act(request, slug, run_id, number, do)


@login_required
@require_POST
def emergent_merge(request, slug, run_id, number):
    def do(theme):
        others = {str(t.number): t for t in theme.run.themes.exclude(pk=theme.pk)}
        form = MergeForm(request.POST, choices=[(k, t.label) for k, t in others.items()])
        if not form.is_valid():
            raise InvalidInput(form.first_error())
        absorbed = others[form.cleaned_data["other"]]
        merge_emergent_themes(keep=theme, absorb=absorbed, by=request.user)
        return f"“{absorbed.label}” merged into “{theme.label}”."

    return _act(request, slug, run_id, number, do)


@login_required
@require_POST
def emergent_split(request, slug, run_id, number):
    def do(theme):
        kept, other = split_emergent_theme(theme=theme, by=request.user)
        return (
            f"Split in two: “{kept.label}” kept {kept.members.count()} findings, "
            f"“{other.label}” (theme {other.number}) has {other.members.count()}."
        )

    return _act(request, slug, run_id, number, do)


@login_required
@require_POST
def emergent_promote(request, slug, run_id, number):
    form = PromoteForm(request.POST)

    def do(theme):
        if not form.is_valid():
            raise InvalidInput(form.first_error())
        created = promote_emergent_theme(
            theme=theme, by=request.user, name=form.cleaned_data["name"]
        )
        return (
            f"“{created.name}” added to the framework and suggested for this theme's "
            "findings: confirm or reject it on each finding, or run the analysis again."
        )

    return _act(request, slug, run_id, number, do)
