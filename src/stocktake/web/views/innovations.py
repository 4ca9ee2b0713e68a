"""The innovations register (not part of one review): the list with filters and exports,
logging an innovation, its page and edit, the coder's themes and its golden thread.

Every page reaches innovations through :func:`stocktake.track.scopes.innovations_visible_to`
(the register's one scope, via :mod:`stocktake.track.innovation_queries`); every change
is an action in :mod:`stocktake.track.actions`. The import and golden-thread pages are in
:mod:`.innovation_import` and :mod:`.innovation_threads`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from markupsafe import Markup

from stocktake.collect.models import Finding, SectionKind
from stocktake.collect.paging import IdsFirst, key_of
from stocktake.core.errors import EditConflict, InvalidInput, NotAllowed
from stocktake.reviews.models import Organisation, Review, Theme
from stocktake.reviews.orgtree import OrgTree
from stocktake.reviews.permissions import access_for, reviews_visible_to
from stocktake.track import actions
from stocktake.track import innovation_queries as queries
from stocktake.track.actions.innovations import framework_for
from stocktake.track.models import GoldenThread
from stocktake.track.scopes import (
    innovation_scope,
    innovations_visible_to,
    organisations_user_may_log_for,
)
from stocktake.track.versions import registers_version
from stocktake.web.innovation_forms import SINCE_PARTS, InnovationForm
from stocktake.web.kept import kept
from stocktake.web.presenters import innovations as present
from stocktake.web.presenters.findings import pagination


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _innovation(request, innovation_id: int):
    found = (innovations_visible_to(request.user).filter(pk=innovation_id)
             .select_related("organisation", "golden_thread", "review__framework", "logged_by")
             .first())
    if found is None:
        raise Http404("No such innovation")
    return found


@login_required
def register(request):
    scope = innovation_scope(request.user)  # no scope: an empty register that says why
    tree = OrgTree.shared()
    filters = queries.Filters.from_query(request.GET)
    visible = innovations_visible_to(request.user, scope=scope)
    # The ordered ids of the filtered list, and the page drawn from them with the filters'
    # choices (counts of what the user sees), are kept per scope, filters, page and data
    # version (stocktake.track.versions): a page is drawn once until something changes.
    version = f"{registers_version()}|{tree.version}"
    paginator = Paginator(IdsFirst(lambda: queries.ordered(queries.filtered(visible, filters, tree)),
                                   version=version, rows=queries.rows_by_id(),
                                   key=key_of("innovations", scope.key, filters)),
                          queries.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    may_log = scope.logs_for is None or bool(scope.logs_for)
    options = kept(("innovation options", scope.key, version), lambda: queries.Options(
        organisations=queries.organisation_options(
            visible, tree, within=None if scope.everything else scope.sees),
        themes=queries.theme_options(visible), threads=queries.thread_options(visible),
        outcomes=queries.outcome_options(visible)))

    def draw():  # (kept() draws one part at a time: nothing kept is looked up in here)
        params = filters.as_query()
        return Markup(render_to_string("innovations/_list_body.html", {
            "filters": filters, "rows": [present.row(i) for i in page.object_list],
            "page": page, "total": paginator.count,
            "pagination": pagination(page, base=reverse("innovations"), params=params),
            "organisation_items": present.select_items(
                options.organisations, filters.organisation, everything="All organisations"),
            "theme_items": present.select_items(options.themes, filters.theme,
                                                everything="All themes"),
            "thread_items": present.select_items(options.threads, filters.thread,
                                                 everything="All golden threads"),
            "outcome_items": present.select_items(options.outcomes, filters.outcome,
                                                  everything="All decisions"),
            "export_query": "&".join(f"{k}={v}" for k, v in params.items()),
            "may_log": may_log, "may_curate": scope.curates_any,
            "sees_nothing": not (scope.everything or scope.sees or scope.reviews)}))

    return render(request, "innovations/list.html", {
        "breadcrumbs": present.crumbs(in_register=False), "page": page,
        "body": kept(("innovations", scope.key, filters, page.number, version, may_log,
                      scope.curates_any), draw)})


@login_required
def export(request, fmt: str):
    scope = innovation_scope(request.user)
    filters = queries.Filters.from_query(request.GET)
    shown = queries.rows(queries.filtered(innovations_visible_to(request.user, scope=scope),
                                          filters))
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        response = HttpResponse(present.as_xlsx(shown), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    else:
        response = HttpResponse(present.as_csv(shown), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="innovations-{stamp}.{fmt}"'
    return response


def _form_page(request, *, form, innovation, organisations, reviews, title, action,
               conflict=False):
    values = ({name: str(form.data.get(name, "")) for name in (*form.fields, *SINCE_PARTS)}
              if form.is_bound else _values(innovation, organisations))
    return render(request, "innovations/form.html", {
        "breadcrumbs": present.crumbs(*([(innovation.title, present.href(innovation))]
                                        if innovation else [])),
        "title": title, "action": action, "innovation": innovation, "values": values,
        "errors": form.error_list() if form.is_bound else [],
        "field_errors": form.field_errors() if form.is_bound else {},
        "organisation_items": [{"value": str(o.id), "text": o.name,
                                "selected": str(o.id) == values.get("organisation", "")}
                               for o in organisations],
        "single_organisation": organisations[0] if len(organisations) == 1 else None,
        "review_items": [{"value": "", "text": "None"}] + [
            {"value": str(r.id), "text": r.title, "selected": str(r.id) == values.get("review")}
            for r in reviews],
        "conflict": conflict,
        "cancel": present.href(innovation) if innovation else reverse("innovations"),
    })


def _values(innovation, organisations) -> dict:
    if innovation is None:
        return {"organisation": str(organisations[0].id) if len(organisations) == 1 else ""}
    started = innovation.started_on
    return {"organisation": str(innovation.organisation_id), "unit": innovation.unit,
            "place": innovation.place, "title": innovation.title,
            "what_changed": innovation.what_changed, "lead_name": innovation.lead_name,
            "lead_email": innovation.lead_email, "benefits": innovation.benefits,
            "risks": innovation.risks, "support_needed": innovation.support_needed,
            "review": str(innovation.review_id or ""), "revision": str(innovation.revision),
            "since-month": str(started.month) if started else "",
            "since-year": str(started.year) if started else ""}


def _field_of(message: str) -> str:
    lowered = message.lower()
    for field, words in (("title", "title"), ("what_changed", "what changed"),
                         ("since-month", "started"), ("organisation", "log innovations for"),
                         ("unit", "business unit"), ("place", "place"),
                         ("lead_name", "who leads")):
        if words in lowered:
            return field
    return "title"


def _add_error(form, message: str) -> None:
    field = _field_of(message)
    if field == "since-month":
        form._since_error = message
        form.add_error(None, message)
    else:
        form.add_error(field, message)


def _review_change(request, data) -> dict:
    """The review to link, where the form offered the choice (absent: leave it as it is)."""
    if "review" not in request.POST:
        return {}
    return {"review": Review.objects.filter(pk=data["review"]).first() if data["review"]
            else None}


@login_required
def log(request):
    organisations = organisations_user_may_log_for(request.user)
    _require(bool(organisations), "You may not log innovations for any organisation")
    reviews = list(reviews_visible_to(request.user).order_by("title"))
    form = InnovationForm(request.POST if request.method == "POST" else None,
                          organisations=organisations, reviews=reviews)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = actions.log_innovation(
                organisation=Organisation.objects.get(pk=data["organisation"]),
                **_review_change(request, data), by=request.user, **form.changes())
        except (InvalidInput, NotAllowed) as exc:
            _add_error(form, str(exc))
        else:
            return redirect("innovation_logged", innovation_id=made.pk)
    return _form_page(request, form=form, innovation=None, organisations=organisations,
                      reviews=reviews, title="Log an innovation", action=reverse("innovation_log"))


@login_required
def logged(request, innovation_id):
    innovation = _innovation(request, innovation_id)
    return render(request, "innovations/logged.html", {
        "breadcrumbs": present.crumbs(), "innovation": innovation,
        "themes": [t.name for t in innovation.themes.all()],
    })


@login_required
def detail(request, innovation_id):
    innovation = _innovation(request, innovation_id)
    scope = innovation_scope(request.user)
    framework = framework_for(innovation)
    themes = list(framework.themes.all()) if framework else []
    by_key = {t.key: t for t in themes}
    chosen = {t.pk for t in innovation.themes.all()}
    may_curate = scope.may_curate(innovation.organisation_id)
    threads = (list(GoldenThread.objects.filter(
        organisation_id__in=[a.id for a in OrgTree.shared().ancestors(innovation.organisation_id)]
        + [innovation.organisation_id]).order_by("name")) if may_curate else [])
    latest = innovation.decisions.order_by("-decided_at", "-id").first()
    return render(request, "innovations/detail.html", {
        "breadcrumbs": present.crumbs(), "innovation": innovation,
        "since": present.since(innovation.started_on),
        "themes": [t for t in themes if t.pk in chosen],
        "suggestions": present.suggestions(innovation, by_key),
        "theme_items": [{"value": str(t.pk), "text": t.name, "checked": t.pk in chosen}
                        for t in themes],
        "findings": _linked_findings(request, innovation),
        "decision": latest, "adoptions": list(innovation.adoptions.select_related(
            "organisation")),
        "may_edit": scope.may_edit(innovation), "may_curate": may_curate,
        "thread_items": [{"value": "", "text": "In no golden thread",
                          "selected": innovation.golden_thread_id is None}] + [
            {"value": str(t.pk), "text": t.name, "selected": t.pk == innovation.golden_thread_id}
            for t in threads],
    })


def _linked_findings(request, innovation) -> list:
    """The innovation's findings the user may see, each through its review's scope."""
    found = []
    review_ids = set(innovation.findings.values_list("review_id", flat=True))
    for review in Review.objects.filter(pk__in=review_ids).order_by("title"):
        access = access_for(request.user, review)
        found += list(Finding.objects.visible_to(access).filter(innovations=innovation)
                      .select_related("organisation", "review").order_by("id"))
    return found


@login_required
def edit(request, innovation_id):
    innovation = _innovation(request, innovation_id)
    scope = innovation_scope(request.user)
    _require(scope.may_edit(innovation), "You may not edit this innovation")
    organisations = organisations_user_may_log_for(request.user)
    if innovation.organisation_id not in {o.id for o in organisations}:
        organisations = [innovation.organisation, *organisations]  # staff moved it out of reach
    reviews = list(reviews_visible_to(request.user).order_by("title"))
    if innovation.review is not None and innovation.review not in reviews:
        reviews.insert(0, innovation.review)  # kept as it is unless changed
    form = InnovationForm(request.POST if request.method == "POST" else None,
                          organisations=organisations, reviews=reviews)
    conflict = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = actions.update_innovation(
                innovation=innovation, by=request.user, revision=data["revision"],
                organisation=Organisation.objects.get(pk=data["organisation"]),
                **_review_change(request, data), **form.changes())
        except EditConflict as exc:
            form.add_error(None, str(exc))
            conflict = True
        except (InvalidInput, NotAllowed) as exc:
            _add_error(form, str(exc))
        else:
            messages.success(request, "Innovation saved." if changed else "Nothing changed.")
            return redirect("innovation", innovation_id=innovation.pk)
    return _form_page(request, form=form, innovation=innovation, organisations=organisations,
                      reviews=reviews, title="Edit innovation", conflict=conflict,
                      action=reverse("innovation_edit", kwargs={"innovation_id": innovation.pk}))


@login_required
@require_POST
def themes(request, innovation_id):
    innovation = _innovation(request, innovation_id)
    _require(innovation_scope(request.user).may_curate(innovation.organisation_id),
             "Only a lead or reviewer of the region may confirm an innovation's themes")
    framework = framework_for(innovation)
    wanted = [int(v) for v in request.POST.getlist("themes") if v.isdigit()]
    chosen = list(Theme.objects.filter(framework=framework, pk__in=wanted)) if framework else []
    revision = request.POST.get("revision", "")
    try:
        actions.set_innovation_themes(innovation=innovation, themes=chosen, by=request.user,
                                      revision=int(revision) if revision.isdigit() else None)
    except (EditConflict, InvalidInput) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Themes confirmed." if chosen else
                         "Themes confirmed: none applies.")
    return redirect("innovation", innovation_id=innovation.pk)


MAX_CANDIDATES = 60


def _candidate_findings(request, innovation) -> list:
    """Findings of the innovation's organisation (and below) the user may see in each review,
    examples of innovation first; at most :data:`MAX_CANDIDATES`."""
    below = OrgTree.shared().descendants(innovation.organisation_id)
    found = []
    for review in reviews_visible_to(request.user).order_by("title"):
        access = access_for(request.user, review)
        found += list(Finding.objects.visible_to(access).filter(organisation_id__in=below)
                      .select_related("organisation", "review")
                      .order_by(Case(When(section=SectionKind.EXAMPLES, then=0), default=1),
                                "id")[:MAX_CANDIDATES])
    return found[:MAX_CANDIDATES]


@login_required
def findings(request, innovation_id):
    """Choose the findings (of the reviews the user takes part in) that describe it."""
    innovation = _innovation(request, innovation_id)
    scope = innovation_scope(request.user)
    _require(scope.may_edit(innovation) or scope.may_curate(innovation.organisation_id),
             "You may not change this innovation's findings")
    candidates = _candidate_findings(request, innovation)
    linked = {f.pk for f in _linked_findings(request, innovation)}
    if request.method == "POST":
        wanted = {int(v) for v in request.POST.getlist("findings") if v.isdigit()}
        try:  # only the findings offered here change; others stay linked
            ids = actions.link_findings(
                innovation=innovation, by=request.user,
                link=[f for f in candidates if f.pk in wanted],
                unlink=[f for f in candidates if f.pk not in wanted])
        except (InvalidInput, NotAllowed) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{len(ids)} finding{'' if len(ids) == 1 else 's'} "
                                      "linked to this innovation.")
        return redirect("innovation", innovation_id=innovation.pk)
    return render(request, "innovations/findings.html", {
        "breadcrumbs": present.crumbs((innovation.title, present.href(innovation))),
        "innovation": innovation,
        "items": [{"value": str(f.pk), "checked": f.pk in linked,
                   "text": f.text if len(f.text) < 300 else f.text[:297] + "…",
                   "hint": {"text": f"{f.organisation.name}, {f.review.title}, "
                                    f"{f.get_section_display().lower()}"}}
                  for f in candidates],
    })


@login_required
@require_POST
def move(request, innovation_id):
    innovation = _innovation(request, innovation_id)
    value = request.POST.get("thread", "")
    thread = GoldenThread.objects.filter(pk=int(value)).first() if value.isdigit() else None
    try:
        actions.move_to_thread(innovation=innovation, thread=thread, by=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    except InvalidInput as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Moved to the golden thread “{thread.name}”." if thread
                         else "Taken out of its golden thread.")
    return redirect("innovation", innovation_id=innovation.pk)
