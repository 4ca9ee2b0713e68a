"""Setting a review up in the browser: create one, its details and dates, and moving it
through its workflow with buttons that say what each step does.

Who may create a review is ``reviews.permissions.may_create_review``; everything else
here needs ``manage_review`` (leads). The framework is edited in
``setup_framework.py``, participants and members in ``setup_people.py``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from stocktake.core.errors import InvalidInput, InvalidTransition
from stocktake.reviews import actions
from stocktake.reviews.models import Framework, Organisation
from stocktake.reviews.permissions import may_create_review, reviews_visible_to
from stocktake.web.presenters import setup as present
from stocktake.web.presenters.labels import format_date, review_status_tag
from stocktake.web.presenters.navigation import breadcrumbs
from stocktake.web.setup_forms import DATE_FIELDS, NewReviewForm, ReviewDetailsForm
from stocktake.web.views.base import organisation_tree, review_page

DEFAULT = "default"


def _framework_choices(user) -> list[tuple[str, str]]:
    """The built-in framework, then a copy of any review's the user may see."""
    choices = [(DEFAULT, "The built-in framework (six domains, nine themes)")]
    for review in reviews_visible_to(user).select_related("framework").order_by("title"):
        choices.append((str(review.framework_id), f"A copy of the framework of {review.title}"))
    seen, unique = set(), []
    for value, text in choices:
        if value not in seen:
            seen.add(value)
            unique.append((value, text))
    return unique


def _field_of(message: str) -> str:
    lowered = message.lower()
    if "web address" in lowered:
        return "slug"
    if "reflection" in lowered:
        return "reflection_by"
    if "report" in lowered:
        return "report_due_on"
    if "close" in lowered:
        return "closes_on"
    return "title"


def _values(form, initial: dict) -> dict:
    if form.is_bound:
        return {name: form.data.get(name, "") for name in form.fields}
    return {
        name: ("" if initial.get(name) is None else str(initial.get(name))) for name in form.fields
    }


@login_required
def review_new(request):
    if not may_create_review(request.user):
        raise PermissionDenied("You do not have permission to create a review")
    tree = organisation_tree()
    regions = present.region_choices(tree)
    frameworks = _framework_choices(request.user)
    form = NewReviewForm(
        request.POST if request.method == "POST" else None,
        regions=regions,
        frameworks=frameworks,
        initial={"framework": DEFAULT},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source = None
        if data["framework"] != DEFAULT:
            source = Framework.objects.filter(pk=int(data["framework"])).first()
        try:
            review = actions.set_up_review(
                title=data["title"],
                slug=data["slug"],
                framework_from=source,
                by=request.user,
                region=Organisation.objects.filter(pk=data["region"]).first()
                if data["region"]
                else None,
                scope=data["scope"],
                **{name: data[name] for name in DATE_FIELDS},
            )
        except (InvalidInput, InvalidTransition) as exc:
            form.add_error(_field_of(str(exc)), str(exc))
        else:
            messages.success(
                request,
                f"{review.title} created. You are its lead: add its "
                "themes, participants and members, then open collection.",
            )
            return redirect("review_setup", slug=review.slug)
    values = _values(form, {"framework": DEFAULT})
    return render(
        request,
        "setup/new.html",
        {
            "breadcrumbs": breadcrumbs(),
            "errors": form.error_list() if form.is_bound else [],
            "field_errors": form.field_errors() if form.is_bound else {},
            "values": values,
            "region_items": present.select_items(regions, values.get("region"), "Not chosen"),
            "framework_items": [
                {
                    "value": value,
                    "text": text,
                    "checked": value == (values.get("framework") or DEFAULT),
                }
                for value, text in frameworks
            ],
        },
    )


def _setup_trail(slug: str) -> list[tuple[str, str]]:
    return [("Set up", reverse("review_setup", kwargs={"slug": slug}))]


@login_required
def review_setup(request, slug):
    page = review_page(request, slug, current="review_setup", require="manage_review")
    review = page.review
    region = organisation_tree().get(review.region_id)
    return render(
        request,
        "setup/overview.html",
        page.context(
            status=review_status_tag(review.status),
            region=region.name if region else "Not chosen",
            dates=[
                ("Collection opens", format_date(review.opens_on)),
                ("Collection closes", format_date(review.closes_on)),
                ("Reflection sessions held by", format_date(review.reflection_by)),
                ("Report due", format_date(review.report_due_on)),
            ],
            themes=review.framework.themes.filter(retired=False).count(),
            domains=review.framework.domains.filter(retired=False).count(),
            participants=review.participants.count(),
            members=review.memberships.count(),
            steps=present.next_steps(review),
            timeline=present.timeline(review),
        ),
    )


@login_required
def review_details(request, slug):
    page = review_page(
        request, slug, current="review_setup", require="manage_review", trail=_setup_trail(slug)
    )
    review = page.review
    regions = present.region_choices(organisation_tree())
    initial = {
        "title": review.title,
        "scope": review.scope,
        "region": review.region_id,
        **{name: getattr(review, name) for name in DATE_FIELDS},
    }
    form = ReviewDetailsForm(
        request.POST if request.method == "POST" else None, regions=regions, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_review(
                review=review,
                by=request.user,
                title=data["title"],
                scope=data["scope"],
                region=Organisation.objects.filter(pk=data["region"]).first()
                if data["region"]
                else None,
                **{name: data[name] for name in DATE_FIELDS},
            )
        except (InvalidInput, InvalidTransition) as exc:
            form.add_error(_field_of(str(exc)), str(exc))
        else:
            messages.success(request, "The review's details are saved.")
            return redirect("review_setup", slug=review.slug)
    values = _values(form, initial)
    return render(
        request,
        "setup/details.html",
        page.context(
            errors=form.error_list() if form.is_bound else [],
            field_errors=form.field_errors() if form.is_bound else {},
            values=values,
            region_items=present.select_items(regions, values.get("region"), "Not chosen"),
        ),
    )


@login_required
def review_status(request, slug, status):
    """A workflow step: GET asks to confirm (saying what it does), POST makes it."""
    page = review_page(
        request, slug, current="review_setup", require="manage_review", trail=_setup_trail(slug)
    )
    review = page.review
    step = present.step_to(review, status)
    if step is None:
        if request.method == "POST":
            messages.error(
                request,
                f"The review is {review.get_status_display().lower()} "
                "now, so that step is not open: see the steps below.",
            )
            return redirect("review_setup", slug=review.slug)
        raise Http404("That step is not open to this review")
    if request.method == "POST":
        try:
            moved = actions.change_review_status(review=review, status=status, by=request.user)
        except (InvalidInput, InvalidTransition) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"{review.title} is now {moved.get_status_display().lower()}."
            )
        return redirect("review_setup", slug=review.slug)
    return render(request, "setup/status.html", page.context(step=step))
