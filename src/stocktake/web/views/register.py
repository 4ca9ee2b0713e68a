"""The recommendations register (tracking): the register of a review with its filters,
counts and per-system matrix; its CSV/XLSX export; a recommendation's page with its full
history and the owner's update form; attachments; what an organisation owns across reviews.

Everyone who may see the review sees the register (after publication all of it; before,
what ``Recommendation.objects.visible_to`` allows). Updates need the report published and
``may_report_progress``: leads any recommendation, action owners those their organisation
owns (and, for one tracked per system, the systems they speak for). The page an emailed
personal link lands on is the recommendation's page: a signed-in action owner updates there.
"""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from markupsafe import Markup

from stocktake.collect.files import uploads
from stocktake.collect.models import Finding
from stocktake.collect.paging import IdsFirst, key_of
from stocktake.collect.personal_data import hide_flagged
from stocktake.core.errors import EditConflict, StocktakeError
from stocktake.report.models import Recommendation
from stocktake.reviews.models import OrganisationLevel
from stocktake.reviews.permissions import (
    access_for,
    may_report_progress,
    may_view_register,
    reviews_visible_to,
)
from stocktake.track.actions import record_progress, set_per_system
from stocktake.track.actions.progress import ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES
from stocktake.track.models import ProgressUpdate, SystemStatus, UpdateChannel
from stocktake.track.register_export import register_csv, register_xlsx
from stocktake.track.registers import (
    history,
    overdue_count,
    owned_across_reviews,
    owners_in_register,
    register,
    register_rows_by_id,
    scope_key,
    status_counts,
    system_statuses,
)
from stocktake.track.versions import registers_version
from stocktake.web.kept import kept
from stocktake.web.presenters import register as present
from stocktake.web.presenters.findings import pagination
from stocktake.web.presenters.links import finding_url
from stocktake.web.track_forms import ProgressForm, register_filters
from stocktake.web.views.base import ReviewPage, organisation_tree, review_page

PAGE_SIZE = 50
# Set in the session by a sign-in through an emailed personal link (stocktake cycles): the
# updates made in that session are recorded as coming through the link.
LINK_SESSION_KEY = "signed_in_by_link"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request, slug, *, sub: bool = False) -> ReviewPage:
    trail = [("Recommendations", reverse("recommendations", kwargs={"slug": slug}))]
    if sub:
        trail.append(("Register", present.register_url(slug)))
    return review_page(request, slug, current="recommendations", trail=trail)


def _filters(request, page: ReviewPage, tree, owners: list[int] | None = None):
    owners = owners_in_register(page.access) if owners is None else owners
    themes = list(page.review.framework.themes.order_by("position")) if page.review.framework_id \
        else []
    filters = register_filters(request.GET, owners=set(owners), themes={t.key for t in themes})
    owner_choices = sorted(((o, tree.name(o)) for o in owners), key=lambda pair: pair[1])
    return filters, themes, owner_choices


def _systems(review, tree):
    if review.region_id is None:
        return []
    return tree.below(review.region_id, levels=[OrganisationLevel.SYSTEM])


@login_required
def register_page(request, slug):
    page = _page(request, slug)
    tree = organisation_tree()
    today = timezone.localdate()
    # What the page shows below its navigation depends only on the recommendations the user
    # may see (their scope), the filters, the page, the day and the data: it is kept per
    # those and the data version (stocktake.track.versions), and drawn once for them.
    scope = scope_key(page.access)
    version = (registers_version(), tree.version, today)
    owners = kept(("register owners", scope, version), lambda: owners_in_register(page.access))
    filters, themes, owner_choices = _filters(request, page, tree, owners=owners)
    paginator = Paginator(IdsFirst(lambda: register(page.access, filters, today=today),
                                   version=str(version), key=key_of("register", scope, filters),
                                   rows=register_rows_by_id()), PAGE_SIZE)
    current = paginator.get_page(request.GET.get("page"))
    params = present.filter_params(filters)
    base = present.register_url(slug)

    def draw():
        systems = _systems(page.review, tree)
        recs = list(current.object_list)
        rows = present.register_rows(
            recs, slug=slug, tree=tree, today=today, systems=systems,
            statuses=system_statuses(r.pk for r in recs if r.per_system))
        return Markup(render_to_string("track/_register_body.html", {
            "rows": rows, "matrix": [row for row in rows if row.per_system],
            "systems": [s.display_name for s in systems], "filters": filters,
            "review": page.review,
            "items": present.filter_items(filters, themes=themes, owners=owner_choices),
            "counts": present.count_links(status_counts(page.access, filters, today=today),
                                          filters, slug=slug),
            "overdue": overdue_count(page.access, today=today), "total": paginator.count,
            "base": base, "pagination": pagination(current, base=base, params=params),
            "csv_href": present.with_query(reverse("register_export", kwargs={
                "slug": slug, "fmt": "csv"}), params),
            "xlsx_href": present.with_query(reverse("register_export", kwargs={
                "slug": slug, "fmt": "xlsx"}), params)}))

    return render(request, "track/register.html", page.context(
        body=kept(("register", slug, scope, filters, current.number, version), draw),
        published=page.review.is_published))


@login_required
def register_export(request, slug, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    page = _page(request, slug)
    tree = organisation_tree()
    today = timezone.localdate()
    filters, _, _ = _filters(request, page, tree)
    recs = list(register(page.access, filters, today=today)
                .prefetch_related("system_statuses"))  # (the workbook's sheet of them)
    stamp = today.isoformat()
    if fmt == "csv":
        response = HttpResponse(register_csv(page.review, tree=tree, today=today,
                                             recommendations=recs),
                                content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(register_xlsx(page.review, tree=tree, today=today,
                                              recommendations=recs), content_type=XLSX)
    response["Content-Disposition"] = (f'attachment; filename="{slug}-register-{stamp}.{fmt}"')
    return response


def _recommendation(page: ReviewPage, rec_id: int) -> Recommendation:
    return get_object_or_404(Recommendation.objects.visible_to(page.access)
                             .select_related("theme", "review"), pk=rec_id)


def _allowed(page: ReviewPage, rec: Recommendation):
    return lambda org_id: may_report_progress(page.access, owner_id=rec.owner_id,
                                              organisation_id=org_id)


def _render_recommendation(request, page, rec, *, form, errors=(), status=200):
    tree = organisation_tree()
    rows = list(SystemStatus.objects.filter(recommendation=rec)) if rec.per_system else []
    allowed = _allowed(page, rec)
    may_update = page.review.is_published and (
        allowed(None) or any(allowed(row.organisation_id) for row in rows))
    values = form.data if form.is_bound else {}
    today = timezone.localdate()
    items = history(rec)
    findings = hide_flagged(list(Finding.objects.visible_to(page.access)
                                 .filter(recommendations=rec).order_by("id")), page.access)
    return render(request, "track/recommendation.html", page.context(
        findings=[{"text": present.short(f.text, 90),
                   "href": finding_url(page.review.slug, f.id)} for f in findings],
        rec=rec, number=rec.shown_number, theme=rec.theme.name if rec.theme_id else "No theme",
        owner=tree.name(rec.owner_id, missing="No owner") if rec.owner_id else "No owner",
        due=present.day(rec.due_date) or "Not set", overdue=present.is_overdue(rec, today),
        status=present.recommendation_status_tag(rec.status), rag=present.rag_tag(rec.rag),
        systems=[{"name": tree.name(row.organisation_id),
                  "status": present.recommendation_status_tag(row.status),
                  "rag": present.rag_tag(row.rag), "updated": present.day(row.updated_at)}
                 for row in sorted(rows, key=lambda r: tree.name(r.organisation_id))],
        history=present.history_items(items, slug=page.review.slug, tree=tree),
        latest=next((item.pk for item in items if isinstance(item, ProgressUpdate)), 0),
        may_update=may_update, published=page.review.is_published,
        may_switch=page.access.has("manage_review"),
        status_items=present.status_items(values.get("status", rec.status)),
        rag_items=present.rag_items(values.get("rag", rec.rag if not form.is_bound else "")),
        system_items=present.system_items(rows, tree, current=values.get("organisation", ""),
                                          allowed=allowed) if rec.per_system else [],
        values=values, errors=list(errors) or (form.error_list() if form.is_bound else []),
        field_errors=form.field_errors() if form.is_bound else {},
        types=", ".join(sorted({k.lstrip(".").upper() for k in ATTACHMENT_TYPES})),
        max_mb=MAX_ATTACHMENT_BYTES // (1024 * 1024),
        action=present.recommendation_page_url(page.review.slug, rec.pk),
    ), status=status)


def _error_field(message: str) -> str:
    """The form field an action's refusal is about, for the error summary's link."""
    lowered = message.lower()
    if "attachment" in lowered:
        return "attachment"
    if "evidence link" in lowered:
        return "evidence_links"
    if "needs evidence" in lowered:
        return "evidence_links"
    if "system" in lowered:
        return "organisation"
    return "status"


@login_required
def recommendation_page(request, slug, rec_id):
    page = _page(request, slug, sub=True)
    rec = _recommendation(page, rec_id)
    systems = (set(SystemStatus.objects.filter(recommendation=rec)
                   .values_list("organisation_id", flat=True)) if rec.per_system else None)
    if request.method != "POST":
        return _render_recommendation(request, page, rec, form=ProgressForm(systems=systems))
    form = ProgressForm(request.POST, request.FILES, systems=systems)
    if not page.review.is_published:
        messages.error(request, "Updates open once the report is published.")
        return redirect(present.recommendation_page_url(slug, rec.pk))
    if not form.is_valid():
        return _render_recommendation(request, page, rec, form=form, status=400)
    data = form.cleaned_data
    organisation = data["organisation"]
    if not may_report_progress(page.access, owner_id=rec.owner_id, organisation_id=organisation):
        raise Http404("No such page")  # (the page never offers them the form)
    try:
        record_progress(
            recommendation=rec, status=data["status"], rag=data["rag"], note=data["note"],
            evidence_links=data["evidence_links"], reason=data["reason"],
            attachment=data["attachment"], organisation=organisation, by=request.user,
            expected_latest=data["latest"],
            channel=UpdateChannel.LINK if request.session.get(LINK_SESSION_KEY)
            else UpdateChannel.FORM)
    except EditConflict as exc:  # what they typed is kept; the history shows the other update
        return _render_recommendation(request, page, rec, form=form, status=409, errors=[
            {"text": str(exc), "href": "#history-heading"}])
    except StocktakeError as exc:
        return _render_recommendation(request, page, rec, form=form, status=400, errors=[
            {"text": str(exc), "href": f"#{_error_field(str(exc))}"}])
    messages.success(request, f"Update on recommendation {rec.shown_number} saved.")
    return redirect(present.recommendation_page_url(slug, rec.pk))


@login_required
@require_POST
def recommendation_per_system(request, slug, rec_id):
    page = _page(request, slug, sub=True)
    page.require("manage_review")
    rec = _recommendation(page, rec_id)
    per_system = request.POST.get("per_system") == "1"
    try:
        set_per_system(recommendation=rec, per_system=per_system, by=request.user)
    except StocktakeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Recommendation {rec.shown_number} is now tracked "
                                  + ("per system." if per_system else "as one."))
    return redirect(present.recommendation_page_url(slug, rec.pk))


@login_required
def progress_attachment(request, slug, update_id):
    """An update's attachment, to those who may see its recommendation."""
    page = _page(request, slug)
    update = get_object_or_404(
        ProgressUpdate.objects.filter(
            recommendation__in=Recommendation.objects.visible_to(page.access)),
        pk=update_id)
    if not update.attachment_path:
        raise Http404("No attachment")
    storage = uploads()
    if not storage.exists(update.attachment_path):
        raise Http404("The attachment is no longer stored")
    kind = mimetypes.guess_type(update.attachment_name)[0] or "application/octet-stream"
    response = FileResponse(storage.open(update.attachment_path, "rb"), as_attachment=True,
                            filename=update.attachment_name, content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def organisation_recommendations(request, org_id):
    """What an organisation (and those below it) owns in every review the user may see."""
    if not may_view_register(request.user):
        raise PermissionDenied("You do not have permission to view the organisation register")
    tree = organisation_tree()
    org = tree.get(org_id)
    if org is None:
        raise Http404("No such organisation")
    pairs = []
    for review in reviews_visible_to(request.user).select_related("framework").order_by("title"):
        access = access_for(request.user, review)
        if access.has("view_review"):
            pairs.append((review, access))
    today = timezone.localdate()
    found = owned_across_reviews(tree.descendants(org_id), pairs)
    groups = [{"review": review,
               "href": present.register_url(review.slug),
               "rows": present.register_rows(recs, slug=review.slug, tree=tree, today=today,
                                             systems=[])}
              for review, recs in found]
    return render(request, "track/organisation_recommendations.html", {
        "org": org, "groups": groups,
        "breadcrumbs": {"items": [
            {"text": "Reviews", "href": reverse("reviews")},
            {"text": "Organisations", "href": reverse("organisations")},
            {"text": org.name, "href": reverse("organisation", kwargs={"org_id": org_id})}]}})
