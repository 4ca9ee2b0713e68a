"""Agreement between coders: start a double-coding exercise, code its sample blind, see kappa,
reconcile the disagreements.

Leads and reviewers only (``code_findings``); starting, closing and reopening an
exercise is for leads. Coding is blind: the coding page shows the finding and
nothing of the machine's or anyone else's coding, and a coder sees the results
only once they have coded the whole sample (or the exercise is closed).
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from stocktake.assess.agreement import actions, queries
from stocktake.assess.agreement.models import AgreementExercise
from stocktake.collect.personal_data import hide_flagged
from stocktake.core.errors import InvalidInput, NotAllowed
from stocktake.reviews.frameworks import items_of
from stocktake.reviews.models import Role
from stocktake.web.agreement_forms import JudgementForm, ReconcileForm, StartForm
from stocktake.web.presenters import agreement as present
from stocktake.web.presenters.links import finding_url
from stocktake.web.views.base import review_page

CURRENT = "agreement"


def list_url(slug: str) -> str:
    return reverse("agreement", kwargs={"slug": slug})


def _coder_choices(review) -> list[tuple[str, str]]:
    """Who may be asked to code: the review's leads and reviewers."""
    users = (get_user_model().objects.filter(
        memberships__review=review, memberships__role__in=[Role.LEAD, Role.REVIEWER])
        .distinct().order_by("first_name", "last_name", "username"))
    return [(str(u.pk), u.get_full_name() or u.get_username()) for u in users]


def _exercise_page(request, slug, exercise_id, *, trail=()):
    page = review_page(request, slug, current=CURRENT, require="code_findings",
                       trail=[("Agreement", list_url(slug)), *trail])
    exercise = get_object_or_404(AgreementExercise.objects.select_related("review__framework"),
                                 review=page.review, pk=exercise_id)
    return page, exercise


def _may_see_results(page, exercise, coder, progress) -> bool:
    """Blind until done: a coder once they coded it all; others when every coder has, or when
    closed; a lead who is not a coder at any time."""
    if not exercise.is_open:
        return True
    if coder is not None:
        return next(p for p in progress if p.user_id == coder.user_id).finished
    return page.access.has("manage_review") or all(p.finished for p in progress)


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request, slug):
    page = review_page(request, slug, current=CURRENT, require="code_findings")
    review = page.review
    form = None
    if page.access.has("manage_review"):
        form = StartForm(request.POST if request.method == "POST" else None,
                         coders=_coder_choices(review))
    if request.method == "POST":
        page.require("manage_review")
        if form.is_valid():
            data = form.cleaned_data
            coders = list(get_user_model().objects.filter(pk__in=data["coders"]))
            try:
                exercise = actions.start_exercise(
                    review=review, title=data["title"], coders=coders, size=data["size"],
                    seed=data["seed"], by=request.user)
            except InvalidInput as exc:
                form.add_error("size", str(exc))
            else:
                messages.success(request, f"Exercise started: {exercise.title}. "
                                 "Each coder codes the sample on their own.")
                return redirect(present.exercise_url(slug, exercise.pk))
    mine = {e.pk: e for e in queries.exercises_for_coder(review, request.user)}
    context = page.context(
        exercises=present.exercise_rows(queries.exercises_of(review), slug=slug),
        mine=[(present.exercise_url(slug, pk, "agreement_code"), e.title, e.done, e.size)
              for pk, e in mine.items() if e.done < e.size],
        form=form, coder_items=_coder_items(form), errors=form.error_list() if form is not None and form.is_bound else [],
        field_errors=form.errors if form is not None and form.is_bound else {},
    )
    return render(request, "assess/agreement.html", context,
                  status=400 if request.method == "POST" else 200)


def _coder_items(form) -> list[dict]:
    if form is None:
        return []
    chosen = form.data.getlist("coders") if form.is_bound else []
    return [{"value": value, "text": text, "checked": value in chosen}
            for value, text in form.fields["coders"].choices]


@login_required
def exercise(request, slug, exercise_id):
    page, exercise = _exercise_page(request, slug, exercise_id)
    coder = actions.coder_of(exercise, request.user)
    progress = queries.progress(exercise)
    shown = _may_see_results(page, exercise, coder, progress)
    result = queries.results(exercise) if shown else None
    context = page.context(
        exercise=exercise, progress=progress, coder=coder, result=result,
        results_head=present.results_head(kappa=result is not None and result.coders == 2),
        results_rows=present.results_rows(result) if result else [],
        domain=(present.number(result.domain_kappa), present.number(result.domain_alpha),
                present.percent(result.domain_percent)) if result else None,
        open_disagreements=queries.open_disagreements(exercise) if shown else 0,
        code_href=present.exercise_url(slug, exercise.pk, "agreement_code"),
        disagreements_href=present.exercise_url(slug, exercise.pk, "agreement_disagreements"),
        export_href=present.exercise_url(slug, exercise.pk, "agreement_export"),
        status_href=present.exercise_url(slug, exercise.pk, "agreement_status"),
        strength=present.strength,
    )
    return render(request, "assess/agreement_exercise.html", context)


@login_required
@require_POST
def exercise_status(request, slug, exercise_id):
    page, exercise = _exercise_page(request, slug, exercise_id)
    page.require("manage_review")
    if request.POST.get("status") == "closed":
        actions.close_exercise(exercise=exercise, by=request.user)
        messages.success(request, "Exercise closed: no more coding; the results are final.")
    else:
        actions.reopen_exercise(exercise=exercise, by=request.user)
        messages.success(request, "Exercise reopened: coders can code again.")
    return redirect(present.exercise_url(slug, exercise.pk))


def _judgement_form(exercise, data=None, initial=None):
    framework = items_of(exercise.review.framework)
    form = JudgementForm(data, themes=[(t.key, t.name) for t in framework.themes if not t.retired],
                         domains=[(d.key, d.name) for d in framework.domains])
    if initial:
        form.initial = initial
    return form, framework


@login_required
@require_http_methods(["GET", "POST"])
def code(request, slug, exercise_id):
    page, exercise = _exercise_page(request, slug, exercise_id)
    coder = actions.coder_of(exercise, request.user)
    if coder is None:
        raise PermissionDenied("Only the exercise's coders can code its sample")
    if request.method == "POST":
        return _save_judgement(request, page, exercise, coder)
    wanted = request.GET.get("item", "")
    items = exercise.items.select_related("finding__organisation", "finding__source_document")
    item = (items.filter(position=int(wanted)).first() if wanted.isdigit()
            else queries.next_item(exercise, coder))
    if item is None and not wanted:
        messages.success(request, "You have coded every finding in the sample.")
        return redirect(present.exercise_url(slug, exercise.pk))
    if item is None:
        return redirect(present.exercise_url(slug, exercise.pk, "agreement_code"))
    earlier = queries.judgement_of(item, coder)
    form, _framework = _judgement_form(exercise, initial={
        "item": item.pk,
        "themes": [t.key for t in earlier.themes.all()] if earlier else [],
        "domain": earlier.domain.key if earlier and earlier.domain_id else ""})
    return _render_code(request, page, exercise, coder, item, form)


def _render_code(request, page, exercise, coder, item, form, status=200):
    finding = hide_flagged([item.finding], page.access)[0]
    progress = next(p for p in queries.progress(exercise) if p.user_id == coder.user_id)
    size = progress.size
    context = page.context(
        exercise=exercise, item=item, finding=finding, form=form, progress=progress,
        errors=form.error_list() if form.is_bound else [],
        themes=[{"value": key, "text": name, "checked": key in _chosen(form, "themes"),
                 **({"attributes": {"data-shortcut": str(n), "aria-keyshortcuts": str(n)}}
                    if n <= 9 else {})}
                for n, (key, name) in enumerate(form.fields["themes"].choices, start=1)],
        domains=[{"value": key, "text": name, "checked": key == _chosen(form, "domain")}
                 for key, name in form.fields["domain"].choices],
        previous=(present.exercise_url(page.review.slug, exercise.pk, "agreement_code")
                  + f"?item={item.position - 1}") if item.position > 1 else "",
        following=(present.exercise_url(page.review.slug, exercise.pk, "agreement_code")
                   + f"?item={item.position + 1}") if item.position < size else "",
        action=present.exercise_url(page.review.slug, exercise.pk, "agreement_code"),
        exercise_href=present.exercise_url(page.review.slug, exercise.pk),
    )
    return render(request, "assess/agreement_code.html", context, status=status)


def _chosen(form, name):
    if form.is_bound:
        return form.data.getlist(name) if name == "themes" else form.data.get(name, "")
    return form.initial.get(name, [] if name == "themes" else "")


def _save_judgement(request, page, exercise, coder):
    form, framework = _judgement_form(exercise, request.POST)
    item_id = request.POST.get("item", "")
    item = get_object_or_404(exercise.items.select_related("finding__organisation"),
                             pk=int(item_id) if item_id.isdigit() else 0)
    if form.is_valid():
        themes = [t for t in framework.themes if t.key in form.cleaned_data["themes"]]
        domain = next((d for d in framework.domains if d.key == form.cleaned_data["domain"]),
                      None)
        try:
            actions.record_judgement(item=item, themes=themes, domain=domain, by=request.user)
        except (InvalidInput, NotAllowed) as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(present.exercise_url(page.review.slug, exercise.pk, "agreement_code"))
    return _render_code(request, page, exercise, coder, item, form, status=400)


@login_required
def disagreements(request, slug, exercise_id):
    page, exercise = _exercise_page(request, slug, exercise_id, trail=())
    coder = actions.coder_of(exercise, request.user)
    if not _may_see_results(page, exercise, coder, queries.progress(exercise)):
        messages.info(request, "The disagreements show once you have coded the whole sample.")
        return redirect(present.exercise_url(slug, exercise.pk))
    framework = items_of(exercise.review.framework)
    theme_names = {t.key: t.name for t in framework.themes}
    domain_names = {d.key: d.name for d in framework.domains}
    found = queries.disagreements(exercise)
    hide_flagged([d.item.finding for d in found], page.access)
    rows = [{
        "item": d.item, "finding": d.item.finding,
        "finding_href": finding_url(slug, d.item.finding_id),
        "choices": [(f"Coder {p}", present.names(keys, theme_names),
                     domain_names.get(domain, "Not decided") if domain else "Not decided")
                    for p, keys, domain in d.choices],
        "action": reverse("agreement_reconcile", kwargs={
            "slug": slug, "exercise_id": exercise.pk, "item_id": d.item.pk}),
        "themes": [{"value": t.key, "text": t.name,
                    "checked": all(t.key in keys for _p, keys, _d in d.choices)}
                   for t in framework.themes if not t.retired],
    } for d in found]
    context = page.context(exercise=exercise, rows=rows,
                           exercise_href=present.exercise_url(slug, exercise.pk))
    return render(request, "assess/agreement_disagreements.html", context)


@login_required
@require_POST
def reconcile(request, slug, exercise_id, item_id):
    page, exercise = _exercise_page(request, slug, exercise_id)
    item = get_object_or_404(exercise.items.select_related("finding__review"), pk=item_id)
    framework = items_of(exercise.review.framework)
    form = ReconcileForm(request.POST,
                          themes=[(t.key, t.name) for t in framework.themes if not t.retired])
    back = present.exercise_url(slug, exercise.pk, "agreement_disagreements")
    if not form.is_valid():
        messages.error(request, form.error_list()[0]["text"])
        return redirect(back)
    themes = [t for t in framework.themes if t.key in form.cleaned_data["themes"]]
    try:
        actions.reconcile(item=item, themes=themes, by=request.user)
    except (InvalidInput, NotAllowed) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Finding {item.finding_id} reconciled: its themes are now "
                         "reviewers' decisions.")
    return redirect(back + f"#item-{item.pk}")


@login_required
def export(request, slug, exercise_id):
    """The results as CSV: one row per theme, then all themes and the domain."""
    page, exercise = _exercise_page(request, slug, exercise_id)
    coder = actions.coder_of(exercise, request.user)
    if not _may_see_results(page, exercise, coder, queries.progress(exercise)):
        messages.info(request, "The results show once you have coded the whole sample.")
        return redirect(present.exercise_url(slug, exercise.pk))
    result = queries.results(exercise)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{slug}-agreement-{exercise.pk}.csv"')
    writer = csv.writer(response)
    writer.writerow(["theme", "findings", "percent_agreement", "cohen_kappa",
                     "krippendorff_alpha", "disagreements"])
    for row in [*((r.key, r.agreement) for r in result.themes), ("all-themes", result.overall)]:
        key, a = row
        writer.writerow([key, a.units, _csv(a.percent), _csv(a.kappa), _csv(a.alpha),
                         a.disagreements])
    writer.writerow(["domain", result.domain_units, _csv(result.domain_percent),
                     _csv(result.domain_kappa), _csv(result.domain_alpha), ""])
    return response


def _csv(value):
    return "" if value is None else f"{value:.4f}"
