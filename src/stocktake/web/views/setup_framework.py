"""A review's framework in the browser: domains and themes added, edited, reordered,
retired or deleted; YAML imported and exported.

Every form carries the framework's ``revision`` as the page was drawn; the actions refuse
a change made from an older one (someone else saved in between), so two leads editing at
once never overwrite each other silently. A framework shared with another review cannot
be edited (``reviews.actions.framework_locked``): a review made in the browser always has
its own copy.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stocktake.analysis.errors import InputError
from stocktake.analysis.framework import parse_framework
from stocktake.core.errors import EditConflict, InvalidInput, InvalidTransition
from stocktake.core.text import plural
from stocktake.reviews import actions
from stocktake.reviews.frameworks import item_uses, spec_for, uses_by_item
from stocktake.reviews.models import Domain, Theme
from stocktake.web.presenters import setup as present
from stocktake.web.setup_forms import FrameworkItemForm, FrameworkUploadForm
from stocktake.web.views.base import review_page

KINDS = {"theme": Theme, "domain": Domain}
REFUSALS = (InvalidInput, InvalidTransition, EditConflict)


def _page(request, slug, *, deeper: bool = True):
    trail = [("Set up", reverse("review_setup", kwargs={"slug": slug}))]
    if deeper:
        trail.append(("Framework", reverse("framework", kwargs={"slug": slug})))
    return review_page(request, slug, current="review_setup", require="manage_review", trail=trail)


def _item(review, kind: str, item_id: int):
    model = KINDS.get(kind)
    found = (
        model.objects.filter(pk=item_id, framework_id=review.framework_id).first()
        if model
        else None
    )
    if found is None:
        raise Http404("No such theme or domain in this review's framework")
    return found


def _revision(request) -> int | None:
    text = request.POST.get("revision", "")
    return int(text) if text.isdigit() else -1  # a form without one is out of date


@login_required
def framework(request, slug):
    page = _page(request, slug, deeper=False)
    review = page.review
    current = review.framework
    locked = actions.framework_locked(current, review)
    own_copy = bool(locked) and actions.framework_users(current).exclude(pk=review.pk).exists()
    copy_refused = actions.own_framework_refused(review) if own_copy else ""
    return render(
        request,
        "setup/framework.html",
        page.context(
            framework=current,
            locked=locked,
            own_copy=own_copy,
            copy_refused=copy_refused,
            domains=present.item_rows(
                current.domains.order_by("position", "id"), uses_by_item(Domain, current)
            ),
            themes=present.item_rows(
                current.themes.order_by("position", "id"), uses_by_item(Theme, current)
            ),
        ),
    )


@login_required
def framework_item(request, slug, kind, item_id=None):
    """Add (no ``item_id``) or edit a theme or domain."""
    page = _page(request, slug)
    review = page.review
    if kind not in KINDS:
        raise Http404("No such kind of framework item")
    item = _item(review, kind, item_id) if item_id else None
    initial = (
        {"name": item.name, "description": item.description, "keywords": "\n".join(item.keywords)}
        if item
        else {}
    )
    form = FrameworkItemForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "name": data["name"],
            "description": data["description"],
            "keywords": data["keywords"],
        }
        try:
            if item is None:
                made = actions.add_framework_item(
                    review=review, kind=kind, by=request.user, revision=_revision(request), **fields
                )
            else:
                made = actions.update_framework_item(
                    review=review, item=item, by=request.user, revision=_revision(request), **fields
                )
        except REFUSALS as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(
                request,
                f"{kind.capitalize()} “{made.name}” {'added' if item is None else 'saved'}.",
            )
            return redirect(reverse("framework", kwargs={"slug": slug}) + f"#{kind}s")
    values = (
        {name: form.data.get(name, "") for name in ("name", "description", "keywords")}
        if form.is_bound
        else {name: initial.get(name, "") for name in ("name", "description", "keywords")}
    )
    return render(
        request,
        "setup/framework_item.html",
        page.context(
            kind=kind,
            item=item,
            values=values,
            revision=request.POST.get("revision") if form.is_bound else review.framework.revision,
            locked=actions.framework_locked(review.framework, review),
            errors=form.error_list() if form.is_bound else [],
            field_errors=form.field_errors() if form.is_bound else {},
        ),
    )


OPERATIONS = {"up", "down", "retire", "restore"}


@login_required
@require_POST
def framework_item_change(request, slug, kind, item_id, operation):
    page = _page(request, slug)
    review = page.review
    item = _item(review, kind, item_id)
    if operation not in OPERATIONS:
        raise Http404("No such change")
    revision = _revision(request)
    try:
        if operation in ("up", "down"):
            actions.move_framework_item(
                review=review, item=item, direction=operation, by=request.user, revision=revision
            )
            done = f"“{item.name}” moved {operation}."
        else:
            actions.retire_framework_item(
                review=review,
                item=item,
                by=request.user,
                revision=revision,
                retired=operation == "retire",
            )
            done = (
                f"“{item.name}” retired: what already uses it keeps it; nothing new is coded to it."
                if operation == "retire"
                else f"“{item.name}” is in use again."
            )
    except REFUSALS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(reverse("framework", kwargs={"slug": slug}) + f"#{kind}s")


@login_required
def framework_item_delete(request, slug, kind, item_id):
    page = _page(request, slug)
    review = page.review
    item = _item(review, kind, item_id)
    if request.method == "POST":
        try:
            actions.delete_framework_item(
                review=review, item=item, by=request.user, revision=_revision(request)
            )
        except REFUSALS as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{kind.capitalize()} “{item.name}” deleted.")
        return redirect(reverse("framework", kwargs={"slug": slug}) + f"#{kind}s")
    return render(
        request,
        "setup/framework_delete.html",
        page.context(
            kind=kind, item=item, uses=item_uses(item), revision=review.framework.revision
        ),
    )


@login_required
def framework_import(request, slug):
    page = _page(request, slug)
    review = page.review
    form = FrameworkUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        text, name = form.cleaned_data["file"]
        try:
            spec = parse_framework(text, where=name)
            result = actions.import_framework(
                review=review, spec=spec, by=request.user, revision=_revision(request)
            )
        except InputError as exc:
            problems = str(exc).splitlines()  # one line per problem, each naming its line
        except REFUSALS as exc:
            problems = [str(exc)]
        else:
            parts = [
                f"{plural(len(result.added), 'item')} added",
                f"{plural(len(result.updated), 'item')} changed",
            ]
            if result.retired:
                parts.append(f"retired (still in use): {', '.join(result.retired)}")
            if result.deleted:
                parts.append(f"deleted: {', '.join(result.deleted)}")
            messages.success(request, f"Framework imported from {name}: {'; '.join(parts)}.")
            return redirect("framework", slug=slug)
    errors = (form.error_list() if form.is_bound else []) + [
        {"text": problem, "href": "#file"} for problem in problems
    ]
    return render(
        request,
        "setup/framework_import.html",
        page.context(
            errors=errors,
            field_error=errors[0]["text"] if errors else "",
            revision=review.framework.revision,
            locked=actions.framework_locked(review.framework, review),
        ),
    )


@login_required
def framework_export(request, slug):
    page = review_page(request, slug, current="review_setup", require="manage_review")
    review = page.review
    response = HttpResponse(
        spec_for(review.framework, active_only=True).to_yaml(),
        content_type="application/yaml; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{review.slug}-framework.yaml"'
    return response


@login_required
@require_POST
def framework_own_copy(request, slug):
    page = _page(request, slug)
    try:
        actions.give_review_own_framework(review=page.review, by=request.user)
    except REFUSALS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "This review now has its own copy of the framework: "
            "changing it changes no other review.",
        )
    return redirect("framework", slug=slug)
