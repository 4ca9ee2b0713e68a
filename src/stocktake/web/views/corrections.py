"""Correcting or removing a finding or an example after import (leads and reviewers).

Each change goes through its action (collect.actions.correct_finding, update_example,
remove_finding, remove_example), audited. Removing asks first, on its own page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from stocktake.collect import actions as collect_actions
from stocktake.collect.models import Example, SectionKind
from stocktake.collect.personal_data import hide_flagged, pending_flags, sees_personal_data
from stocktake.collect.queries import participating_organisations
from stocktake.core.errors import StocktakeError
from stocktake.reviews.models import Organisation
from stocktake.web.presenters.collect import move_organisation_items, organisation_groups
from stocktake.web.views.base import organisation_tree, review_page
from stocktake.web.views.findings import finding_page, scoped_finding


def _awaiting_lead(request, page, *, findings=(), examples=()) -> bool:
    """True (with a notice) when possible personal data in it awaits a lead's decision and
    this person is not a lead: they may not see it as written, so they may not edit it."""
    if sees_personal_data(page.access) or not pending_flags(findings=findings, examples=examples):
        return False
    messages.error(request, "It holds possible personal data awaiting a lead's decision; only a "
                            "lead can correct it until then.")
    return True


def _domain_items(review, current_id) -> list[dict]:
    items = [{"value": "", "text": "No domain", "selected": current_id is None}]
    items += [{"value": str(d.pk), "text": d.name, "selected": d.pk == current_id}
              for d in review.framework.domains.all()]
    return items


def _domain(review, value: str):
    return review.framework.domains.filter(pk=int(value)).first() if value.isdigit() else None


def organisation_items(review, current) -> list[dict]:
    """The organisations it may be from: the review's participants, then its region's
    (the upload preview's picker); ``current``: the organisation it is from now, or None."""
    return move_organisation_items(
        participating_organisations(review=review),
        organisation_groups(organisation_tree(), review.region_id),
        (current.pk, current.name) if current else None)


def chosen_organisation(post, items: list[dict], current):
    """The organisation chosen in the form (one of ``items``), or ``current`` when the
    form sent none; ``ValueError`` for a value not offered."""
    value = post.get("organisation")
    if value is None:
        return current
    if value not in {item["value"] for item in items}:
        raise ValueError("Choose an organisation from the list")
    return Organisation.objects.filter(pk=int(value)).first() if value else None


def selected(items: list[dict], value: str | None) -> list[dict]:
    """``items`` with the posted choice selected (as offered: the current one otherwise)."""
    if value is None or value not in {item["value"] for item in items}:
        return items
    return [{**item, "selected": item["value"] == value} for item in items]


def _error(exc, default: str) -> list[dict]:
    return [{"text": str(exc), "href": f"#{getattr(exc, 'field', default)}"}]


@login_required
def finding_edit(request, slug, finding_id):
    page = finding_page(request, slug, require="code_findings")
    finding = scoped_finding(page, finding_id, related=("organisation",))
    if _awaiting_lead(request, page, findings=[finding.pk]):
        return redirect("finding", slug=slug, finding_id=finding.pk)
    errors = []
    text, section, domain_id = finding.text, finding.section, finding.domain_id
    organisations = organisation_items(page.review, finding.organisation)
    if request.method == "POST":
        text = request.POST.get("text", "")
        section = request.POST.get("section", "")
        domain_id = int(request.POST["domain"]) if request.POST.get("domain", "").isdigit() else None
        changes = {"text": text, "domain": _domain(page.review, request.POST.get("domain", ""))}
        if section in SectionKind.values:
            changes["section"] = section
        try:
            changes["organisation"] = chosen_organisation(request.POST, organisations,
                                                           finding.organisation)
            collect_actions.correct_finding(finding=finding, by=request.user, **changes)
        except ValueError as exc:
            errors = [{"text": str(exc), "href": "#organisation"}]
        except StocktakeError as exc:
            errors = _error(exc, "text")
        else:
            messages.success(request, f"Finding {finding.pk} corrected.")
            return redirect("finding", slug=slug, finding_id=finding.pk)
    return render(request, "findings/edit.html", page.context(
        finding=finding, text=text, errors=errors,
        sections=[{"value": v, "text": t, "selected": v == section} for v, t in SectionKind.choices],
        domains=_domain_items(page.review, domain_id),
        organisations=selected(organisations, request.POST.get("organisation")),
        ), status=400 if errors else 200)


@login_required
def finding_remove(request, slug, finding_id):
    page = finding_page(request, slug, require="code_findings")
    finding = scoped_finding(page, finding_id, related=("organisation",))
    if request.method == "POST":
        try:
            collect_actions.remove_finding(finding=finding, by=request.user)
        except StocktakeError as exc:
            messages.error(request, str(exc))
            return redirect("finding", slug=slug, finding_id=finding.pk)
        messages.success(request, f"Finding {finding_id} removed.")
        return redirect("findings", slug=slug)
    hide_flagged([finding], page.access)  # shown only: never saved
    return render(request, "findings/remove.html", page.context(
        finding=finding, codes=finding.codes.count(),
        recommendations=list(finding.recommendations.values_list("number", flat=True))))


def _example(request, slug, example_id):
    page = review_page(request, slug, current="examples", require="code_findings",
                       trail=[("Examples", reverse("examples", kwargs={"slug": slug}))])
    example = get_object_or_404(Example.objects.visible_to(page.access), pk=example_id)
    return page, example


# Where a correction returns to: the Examples page, or the report's appendix (?next=appendix).
RETURNS = {"examples": "examples", "appendix": "report_appendix"}


@login_required
def example_edit(request, slug, example_id):
    page, example = _example(request, slug, example_id)
    back = "appendix" if request.GET.get("next") == "appendix" else "examples"
    if _awaiting_lead(request, page, examples=[example.pk]):
        return redirect(RETURNS[back], slug=slug)
    errors = []
    title, synopsis, domain_id = example.title, example.synopsis, example.domain_id
    revision = example.revision  # an edit from an older revision is refused, input kept
    organisations = organisation_items(page.review, example.organisation)
    if request.method == "POST":
        title, synopsis = request.POST.get("title", ""), request.POST.get("synopsis", "")
        domain_id = int(request.POST["domain"]) if request.POST.get("domain", "").isdigit() else None
        posted = request.POST.get("revision", "")
        revision = int(posted) if posted.isdigit() else None
        try:
            organisation = chosen_organisation(request.POST, organisations, example.organisation)
            collect_actions.update_example(example=example, by=request.user, title=title,
                                           synopsis=synopsis, organisation=organisation,
                                           domain=_domain(page.review, request.POST.get("domain", "")),
                                           expected_revision=revision)
        except ValueError as exc:
            errors = [{"text": str(exc), "href": "#organisation"}]
        except StocktakeError as exc:
            errors = _error(exc, "title")
        else:
            messages.success(request, f"Example “{example.title}” corrected.")
            return redirect(reverse(RETURNS[back], kwargs={"slug": slug})
                            + ("#examples" if back == "appendix" else ""))
    return render(request, "reviews/example_edit.html", page.context(
        example=example, title=title, synopsis=synopsis, errors=errors, revision=revision,
        domains=_domain_items(page.review, domain_id), back=back,
        cancel=reverse(RETURNS[back], kwargs={"slug": slug}),
        organisations=selected(organisations, request.POST.get("organisation")),
        ), status=400 if errors else 200)


@login_required
def example_remove(request, slug, example_id):
    page, example = _example(request, slug, example_id)
    if request.method == "POST":
        collect_actions.remove_example(example=example, by=request.user)
        messages.success(request, f"Example “{example.title}” removed.")
        return redirect("examples", slug=slug)
    hide_flagged([example], page.access)  # shown only: never saved
    return render(request, "reviews/example_remove.html", page.context(example=example))
