"""The report's recommendations builder (leads and reviewers: ``edit_report``; others 404).

The list groups the recommendations by theme in the framework's order, then the further
ones, numbered continuously; pages to add, edit, move, delete and cite findings. Every
change is an action of ``report.actions.recommendations``, which also keeps the numbering
rule (renumbered while never published, frozen after).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from stocktake.collect.models import Finding, SubmissionStatus
from stocktake.collect.personal_data import awaits_lead, hide_flagged, shown_copy
from stocktake.core.errors import EditConflict, StocktakeError
from stocktake.report.actions import recommendations as actions
from stocktake.report.models import Recommendation, ReportVersion
from stocktake.report.recommendation_queries import (
    citable_findings,
    cited_findings,
    grouped_recommendations,
    numbers_frozen,
    themes_in_order,
)
from stocktake.web.presenters import report_recommendations as present
from stocktake.web.presenters.findings import pagination
from stocktake.web.presenters.links import with_query
from stocktake.web.presenters.report_nav import report_menu
from stocktake.web.report_forms import RecommendationForm
from stocktake.web.views.base import ReviewPage, organisation_tree, review_page
from stocktake.web.views.findings import first_if_below

HERE = "report_recommendations"
SEARCH_PAGE_SIZE = 20


def _builder_page(request, slug, *, sub: bool = False) -> ReviewPage:
    """The review page, for those who may edit the report; 404 for everyone else."""
    trail = [("Report", reverse("review_report", kwargs={"slug": slug}))]
    if sub:
        trail.append(("Recommendations", reverse(HERE, kwargs={"slug": slug})))
    page = review_page(request, slug, current="review_report", trail=trail)
    if not page.access.has("edit_report"):
        raise Http404("No such page")
    return page


def _context(page: ReviewPage, **extra) -> dict:
    return page.context(report_pages=report_menu(page.review, page.access, HERE), **extra)


def _recommendation(page: ReviewPage, rec_id: int) -> Recommendation:
    return get_object_or_404(
        Recommendation.objects.visible_to(page.access).select_related("theme", "owner", "review"),
        pk=rec_id)


def _list_url(slug: str, rec: Recommendation | None = None) -> str:
    base = reverse(HERE, kwargs={"slug": slug})
    return f"{base}#recommendation-{rec.pk}" if rec is not None else base


def _frozen_version(review) -> int | None:
    version = ReportVersion.objects.filter(review=review).order_by("-number").first()
    return version.number if version else None


@login_required
def report_recommendations(request, slug):
    page = _builder_page(request, slug)
    review = page.review
    themes = themes_in_order(review)
    recommendations = hide_flagged(  # undecided personal data replaced for non-leads
        Recommendation.objects.visible_to(page.access).select_related("theme", "source_document")
        .annotate(cited=Count("findings", distinct=True, filter=Q(
            findings__submission__status=SubmissionStatus.SUBMITTED))), page.access)
    groups = grouped_recommendations(recommendations, themes)
    return render(request, "reports/recommendations.html", _context(
        page, sections=present.builder_sections(groups, slug=slug, tree=organisation_tree()),
        count=sum(len(group.recommendations) for group in groups),
        frozen=numbers_frozen(review), version=_frozen_version(review),
        add_href=reverse("report_recommendation_add", kwargs={"slug": slug})))


def _form_page(request, page, *, form, title, action, recommendation=None, errors=None,
               theme="", current=None, status=200):
    tree = organisation_tree()
    values = present.form_values(form, recommendation, tree, theme=theme)
    errors = errors if errors is not None else (form.error_list() if form.is_bound else [])
    return render(request, "reports/recommendation_form.html", _context(
        page, form_title=title, action=action, recommendation=recommendation, values=values,
        errors=errors, field_errors=form.field_errors() if form.is_bound else {},
        theme_items=present.theme_items(themes_in_order(page.review), values.get("theme", "")),
        owner_names=present.owner_names(tree), current=current,
        cancel=_list_url(page.review.slug, recommendation),
    ), status=status)


def _form(request, page):
    return RecommendationForm(request.POST if request.method == "POST" else None,
                              themes=themes_in_order(page.review), tree=organisation_tree())


@login_required
def report_recommendation_add(request, slug):
    page = _builder_page(request, slug, sub=True)
    form = _form(request, page)
    action = reverse("report_recommendation_add", kwargs={"slug": slug})
    title = "Add a recommendation"
    if request.method == "POST":
        if not form.is_valid():
            return _form_page(request, page, form=form, title=title, action=action, status=400)
        try:
            rec = actions.add_recommendation(review=page.review, by=request.user,
                                             **form.changes())
        except StocktakeError as exc:
            return _form_page(request, page, form=form, title=title, action=action, status=400,
                              errors=[{"text": str(exc), "href": "#text"}])
        messages.success(request, f"Recommendation {rec.shown_number} added.")
        return redirect(_list_url(slug, rec))
    return _form_page(request, page, form=form, title=title, action=action,
                      theme=request.GET.get("theme", ""))


@login_required
def report_recommendation_edit(request, slug, rec_id):
    page = _builder_page(request, slug, sub=True)
    rec = _recommendation(page, rec_id)
    if awaits_lead(page.access, rec):
        messages.error(request, f"Recommendation {rec.shown_number} holds possible personal data "
                                "awaiting a lead's decision; only a lead can edit it until then.")
        return redirect(_list_url(slug, rec))
    form = _form(request, page)
    action = reverse("report_recommendation_edit", kwargs={"slug": slug, "rec_id": rec.pk})
    title = f"Edit recommendation {rec.shown_number}"
    if request.method == "POST":
        if not form.is_valid():
            return _form_page(request, page, form=form, title=title, action=action,
                              recommendation=rec, status=400)
        try:
            rec = actions.edit_recommendation(
                recommendation=rec, by=request.user,
                expected_revision=form.cleaned_data["revision"], **form.changes())
        except EditConflict as exc:
            rec.refresh_from_db()
            return _form_page(request, page, form=form, title=title, action=action,
                              recommendation=rec, current=rec, status=409,
                              errors=[{"text": str(exc), "href": "#text"}])
        except StocktakeError as exc:
            return _form_page(request, page, form=form, title=title, action=action,
                              recommendation=rec, status=400,
                              errors=[{"text": str(exc), "href": "#text"}])
        messages.success(request, f"Recommendation {rec.shown_number} saved.")
        return redirect(_list_url(slug, rec))
    return _form_page(request, page, form=form, title=title, action=action, recommendation=rec)


@login_required
def report_recommendation_move(request, slug, rec_id):
    """POST ``direction`` (up or down, from the list); GET/POST ``theme``: another section."""
    page = _builder_page(request, slug, sub=True)
    rec = _recommendation(page, rec_id)
    themes = themes_in_order(page.review)
    if request.method == "POST" and "direction" in request.POST:
        try:
            rec = actions.move_recommendation(recommendation=rec, by=request.user,
                                              direction=request.POST["direction"])
        except StocktakeError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Recommendation moved {request.POST['direction']}: "
                                      f"it is now recommendation {rec.shown_number}.")
        return redirect(_list_url(slug, rec))
    errors, chosen = [], rec.theme.key if rec.theme_id else ""
    if request.method == "POST":
        chosen = request.POST.get("theme", "")
        by_key = {theme.key: theme for theme in themes}
        if chosen and chosen not in by_key:
            errors = [{"text": "Choose a theme from the list", "href": "#theme"}]
        else:
            try:
                revision = request.POST.get("revision", "")
                rec = actions.move_to_theme(
                    recommendation=rec, theme=by_key.get(chosen), by=request.user,
                    expected_revision=int(revision) if revision.isdigit() else None)
            except StocktakeError as exc:
                errors = [{"text": str(exc), "href": "#theme"}]
            else:
                messages.success(request, f"Recommendation moved: it is now recommendation "
                                          f"{rec.shown_number}.")
                return redirect(_list_url(slug, rec))
    return render(request, "reports/recommendation_move.html", _context(
        page, recommendation=shown_copy(rec, page.access), errors=errors,
        theme_items=present.theme_items(themes, chosen),
        frozen=numbers_frozen(page.review), cancel=_list_url(slug, rec),
        revision=request.POST.get("revision", rec.revision) if errors else rec.revision,
    ), status=400 if errors else 200)


@login_required
def report_recommendation_delete(request, slug, rec_id):
    page = _builder_page(request, slug, sub=True)
    rec = _recommendation(page, rec_id)
    if request.method == "POST":
        try:
            number = actions.delete_recommendation(recommendation=rec, by=request.user)
        except StocktakeError as exc:
            messages.error(request, str(exc))
            return redirect(_list_url(slug, rec))
        messages.success(request, f"Recommendation {number} deleted; the others were "
                                  "renumbered.")
        return redirect(_list_url(slug))
    return render(request, "reports/recommendation_delete.html", _context(
        page, recommendation=shown_copy(rec, page.access), refusal=actions.deletion_refusal(rec),
        cited=rec.findings.count(), cancel=_list_url(slug, rec)))


def _search_params(data) -> dict[str, str]:
    return {"q": " ".join(str(data.get("q", "")).split())[:200],
            "theme": str(data.get("theme", ""))[:100], "page": str(data.get("page", ""))}


@login_required
def report_recommendation_evidence(request, slug, rec_id):
    """The findings a recommendation cites (remove), and a search of the submitted ones (cite)."""
    page = _builder_page(request, slug, sub=True)
    rec = _recommendation(page, rec_id)
    here = reverse("report_recommendation_evidence", kwargs={"slug": slug, "rec_id": rec.pk})
    visible = Finding.objects.visible_to(page.access)
    if request.method == "POST":
        return _cite(request, rec, visible, here)
    tree = organisation_tree()
    themes = themes_in_order(page.review)
    params = _search_params(request.GET)
    theme = params["theme"] if params["theme"] in {t.key for t in themes} else ""
    cited = list(cited_findings(visible, rec))
    results = Paginator(
        citable_findings(visible, text=params["q"], theme=theme, themes=themes),
        SEARCH_PAGE_SIZE).get_page(first_if_below(params["page"]))
    found = hide_flagged(list(results.object_list), page.access)
    kept = {"q": params["q"], "theme": theme}
    return render(request, "reports/recommendation_evidence.html", _context(
        page, recommendation=shown_copy(rec, page.access), action=here, kept=kept, searched=any(kept.values()),
        cited=present.evidence_rows(hide_flagged(cited, page.access), slug=slug, tree=tree),
        results=present.evidence_rows(found, slug=slug, tree=tree,
                                      cited=[f.pk for f in cited]),
        count=results.paginator.count,
        pagination=pagination(results, base=here, params=kept),
        page_number=results.number if results.paginator.num_pages > 1 else None,
        pages=results.paginator.num_pages,
        theme_items=[{"value": "", "text": "Any theme", "selected": theme == ""}]
        + [{"value": t.key, "text": t.name, "selected": t.key == theme} for t in themes],
        back=_list_url(slug, rec)))


def _cite(request, rec, visible, here):
    """Cite or stop citing the posted finding, then back to the same search."""
    back = with_query(here, _search_params(request.POST))
    wanted = request.POST.get("cite") or request.POST.get("uncite") or ""
    finding = (visible.select_related("submission").filter(pk=int(wanted)).first()
               if wanted.isdigit() else None)
    if finding is None:
        messages.error(request, "That finding is not one of this review's findings you can see.")
        return redirect(back)
    try:
        if "cite" in request.POST:
            done = actions.cite_finding(recommendation=rec, finding=finding, by=request.user)
            text = (f"Finding {finding.pk} cited." if done
                    else f"Finding {finding.pk} was already cited.")
        else:
            done = actions.uncite_finding(recommendation=rec, finding=finding, by=request.user)
            text = (f"Finding {finding.pk} no longer cited." if done
                    else f"Finding {finding.pk} was not cited.")
    except StocktakeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, text)
    return redirect(back)
