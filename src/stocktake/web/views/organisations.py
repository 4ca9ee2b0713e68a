"""The organisation register: list and search, an organisation's page, add, edit, merge,
and the register as CSV (download and upload).

Who may do what is decided in ``reviews.permissions`` (``may_view_register``,
``may_edit_register``, ``may_merge_register``); every change is an action in
``reviews.actions``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from stocktake.assess.memos import memos_about
from stocktake.collect.queries import approaches_by_review
from stocktake.core.errors import InvalidInput
from stocktake.reviews import actions, register
from stocktake.reviews.models import Organisation, OrganisationLevel, OrganisationType
from stocktake.reviews.orgtree import OrgTree
from stocktake.reviews.permissions import (
    access_for,
    may_edit_register,
    may_merge_register,
    may_view_register,
    reviews_visible_to,
)
from stocktake.web.org_forms import MergeForm, OrganisationForm, RegisterUploadForm
from stocktake.web.presenters import organisations as present
from stocktake.web.presenters.collect import approach_views
from stocktake.web.presenters.memos import memo_panel
from stocktake.web.presenters.navigation import breadcrumbs

REGISTER = "Organisations"


def _crumbs(*above: tuple[str, str], in_register: bool = True) -> dict:
    """Breadcrumbs: Reviews › Organisations › ``above`` (the current page is never one)."""
    trail = ([(REGISTER, reverse("organisations"))] if in_register else []) + list(above)
    return breadcrumbs(None, *trail)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("You do not have permission to change the organisation register")


def _context(request, **extra) -> dict:
    user = request.user
    return {"may_edit": may_edit_register(user), "may_merge": may_merge_register(user),
            **extra}


def _organisation(tree: OrgTree, org_id: int):
    org = tree.get(org_id)
    if org is None:
        raise Http404("No such organisation")
    return org


@login_required
def organisations(request):
    _require_view(request)
    tree = OrgTree.load()
    query = " ".join(request.GET.get("q", "").split())[:255]
    return render(request, "organisations/list.html", _context(
        request, query=query, breadcrumbs=_crumbs(in_register=False),
        results=present.search(tree, query) if query else None,
        roots=present.register_tree(tree) if not query else [],
        total=len(tree.by_id)))


def _require_view(request) -> None:
    if not may_view_register(request.user):
        raise PermissionDenied("You do not have permission to see the organisation register")


@login_required
def organisation(request, org_id):
    _require_view(request)
    tree = OrgTree.load()
    org = _organisation(tree, org_id)
    visible = reviews_visible_to(request.user)
    taking_part = sorted({p.review for p in org.participations.filter(review__in=visible)
                          .select_related("review")}, key=lambda r: r.title)
    approaches = [{"review": review, "approaches": approach_views(rows)}
                  for review, rows in approaches_by_review(organisation=org, reviews=taking_part,
                                                           user=request.user)]
    return render(request, "organisations/detail.html", _context(
        request, org=org, breadcrumbs=_crumbs(),
        level=present.LEVELS.get(org.level, org.level),
        type=present.TYPES.get(org.kind, org.kind),
        ancestors=present.ancestors(tree, org.id), children=present.children(tree, org.id),
        aliases=tree.aliases_of(org.id), reviews=taking_part, approaches=approaches,
        memos=_memo_panels(request.user, org, taking_part, tree),
        duplicate=tree.similar_to(org.id) if may_merge_register(request.user) else None))


def _memo_panels(user, org, reviews, tree) -> list:
    """The memos about ``org`` in each review it takes part in where the reader is a lead or
    reviewer (memos are theirs alone), each with a form to write one."""
    back = reverse("organisation", kwargs={"org_id": org.id})
    panels = []
    for review in reviews:
        access = access_for(user, review)
        if access.has("code_findings"):
            panels.append(memo_panel(memos_about(access, organisation=org), slug=review.slug,
                                     tree=tree, about="organisation", subject_id=org.id,
                                     back=back, heading=f"Memos in {review.title}",
                                     anchor=f"memos-{review.slug}"))
    return panels


def _field_of(message: str) -> str:
    """The form field an action's refusal is about, for the error summary's link."""
    if "cannot sit below" in message or "parent" in message:
        return "parent"
    if "sits below it" in message or "level" in message:
        return "level"
    if "type" in message:
        return "kind"
    if "acronym" in message:
        return "short_name"
    if "alias" in message:
        return "aliases"
    return "name"


def _form_page(request, *, form, org, tree, template_title, action):
    values = present.form_values(form, org, tree)
    return render(request, "organisations/form.html", _context(
        request, org=org, title=template_title, action=action,
        breadcrumbs=_crumbs(*([(org.name, reverse("organisation", kwargs={"org_id": org.id}))]
                              if org else [])),
        errors=form.error_list() if form.is_bound else [],
        field_errors=form.field_errors() if form.is_bound else {},
        values=values,
        level_items=present.choice_items(OrganisationLevel.choices, values.get("level", "")),
        kind_items=present.choice_items(OrganisationType.choices, values.get("kind", ""))))


@login_required
def organisation_new(request):
    _require(may_edit_register(request.user))
    tree = OrgTree.load()
    form = OrganisationForm(request.POST if request.method == "POST" else None, tree=tree)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = actions.create_organisation(
                name=data["name"], short_name=data["short_name"], level=data["level"],
                kind=data["kind"], parent=data["parent"], aliases=tuple(data["aliases"]),
                by=request.user)
        except InvalidInput as exc:
            form.add_error(_field_of(str(exc)), str(exc))
        else:
            messages.success(request, f"{made.name} added to the register.")
            return redirect("organisation", org_id=made.pk)
    return _form_page(request, form=form, org=None, tree=tree,
                      template_title="Add an organisation", action=reverse("organisation_new"))


@login_required
def organisation_edit(request, org_id):
    _require(may_edit_register(request.user))
    tree = OrgTree.load()
    org = _organisation(tree, org_id)
    form = OrganisationForm(request.POST if request.method == "POST" else None, tree=tree)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            updated = actions.update_organisation(
                organisation=org, by=request.user, name=data["name"],
                short_name=data["short_name"], level=data["level"], kind=data["kind"],
                parent=data["parent"], aliases=data["aliases"])
        except InvalidInput as exc:
            form.add_error(_field_of(str(exc)), str(exc))
        else:
            messages.success(request, f"{updated.name} saved." if updated.changed_fields
                             else f"{updated.name}: nothing changed.")
            return redirect("organisation", org_id=org.pk)
    return _form_page(request, form=form, org=org, tree=tree,
                      template_title="Edit organisation",
                      action=reverse("organisation_edit", kwargs={"org_id": org.pk}))


@login_required
def organisation_merge(request, org_id):
    """Step 1 (GET): name the organisation to merge into this one. Step 2 (GET with
    ``other``): what will move, and a button. Step 3 (POST): merge."""
    _require(may_merge_register(request.user))
    tree = OrgTree.load()
    keep = _organisation(tree, org_id)
    here = reverse("organisation_merge", kwargs={"org_id": keep.pk})
    crumbs = _crumbs((keep.name, reverse("organisation", kwargs={"org_id": keep.pk})))
    chosen = request.GET.get("absorb", "")  # a possible duplicate's link names it by id
    if chosen.isdigit() and tree.get(int(chosen)) is not None:
        return _merge_confirm_page(request, keep, tree.get(int(chosen)), crumbs, here)
    form = MergeForm(request.GET if "other" in request.GET else None, tree=tree)
    if not form.is_bound or not form.is_valid():
        return render(request, "organisations/merge.html", _context(
            request, org=keep, breadcrumbs=crumbs, action=here,
            errors=form.error_list() if form.is_bound else [],
            field_errors=form.field_errors() if form.is_bound else {},
            value=form.data.get("other", "") if form.is_bound else ""))
    return _merge_confirm_page(request, keep, form.cleaned_data["other"], crumbs, here)


def _merge_confirm_page(request, keep, absorb, crumbs, here):
    plan = actions.plan_merge(keep=keep, absorb=absorb)
    return render(request, "organisations/merge_confirm.html", _context(
        request, org=keep, absorb=absorb, plan=plan, breadcrumbs=crumbs, action=here,
        moves=present.merge_lines(plan, actions.MERGE_LABELS)))


@login_required
@require_POST
def organisation_merge_confirm(request, org_id):
    _require(may_merge_register(request.user))
    keep = Organisation.objects.filter(pk=org_id).first()
    absorb_id = request.POST.get("absorb", "")
    absorb = Organisation.objects.filter(pk=int(absorb_id)).first() if absorb_id.isdigit() else None
    if keep is None:
        raise Http404("No such organisation")
    if absorb is None:
        messages.error(request, "The organisation to merge is no longer in the register.")
        return redirect("organisation_merge", org_id=keep.pk)
    try:
        actions.merge_organisations(keep=keep, absorb=absorb, by=request.user)
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return redirect("organisation_merge", org_id=keep.pk)
    messages.success(request, f"{absorb.name} merged into {keep.name}; its names are now "
                              f"other names of {keep.name}.")
    return redirect("organisation", org_id=keep.pk)


@login_required
def register_download(request):
    _require_view(request)
    response = HttpResponse(register.export_csv(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="organisations-{stamp}.csv"'
    return response


@login_required
def register_upload(request):
    _require(may_merge_register(request.user))
    form = RegisterUploadForm(request.POST if request.method == "POST" else None,
                              request.FILES if request.method == "POST" else None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.import_organisations(rows=register.read_csv(form.cleaned_data["file"]),
                                                  by=request.user)
        except InvalidInput as exc:
            problems = str(exc).splitlines()
        else:
            messages.success(request, f"Register imported: {len(result.created)} added, "
                                      f"{len(result.updated)} updated, {result.unchanged} "
                                      "unchanged.")
            return redirect("organisations")
    here = reverse("register_upload")
    errors = (form.error_list() if form.is_bound else []) + (
        [{"text": problems[0], "href": "#file"}] if problems else [])
    return render(request, "organisations/upload.html", _context(
        request, breadcrumbs=_crumbs(), action=here,
        errors=errors, row_problems=problems[1:], columns=register.COLUMNS))
