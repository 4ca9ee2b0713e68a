"""Personal data for leads: decide on a flagged item (redact or keep), and the review's list
of what is still undecided (with "Redact all")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from stocktake.collect import actions
from stocktake.collect.models import Example, Finding
from stocktake.collect.personal_data import (
    flagged_examples,
    flagged_findings,
    flagged_others,
    flags_of,
    other_models,
    review_counts,
    subject_label,
)
from stocktake.core.errors import StocktakeError
from stocktake.web.presenters.findings import pagination
from stocktake.web.presenters.links import finding_url
from stocktake.web.presenters.personal_data import Panel, decision_note, flag_rows
from stocktake.web.views.base import organisation_tree, review_page

PAGE_SIZE = 25



def _other_subjects() -> dict[str, type]:
    """What the decision form may name besides findings and examples, by its "subject"
    value: recommendations, case studies, responses (collect.personal_data.other_models)."""
    return {model._meta.model_name: model for model in other_models()}


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@login_required
@require_POST
def decide(request, slug):
    """Redact or keep one flagged item (``flag``) or all of a finding's or example's."""
    page = review_page(request, slug, current="review", require="manage_review")
    home = reverse("personal_data", kwargs={"slug": slug})
    decision = request.POST.get("decision")
    subject, raw_id = request.POST.get("subject"), request.POST.get("subject_id", "")
    flag = request.POST.get("flag", "")
    others = _other_subjects()
    if decision not in ("redact", "keep") or subject not in ("finding", "example", *others) \
            or not raw_id.isdigit() or (flag and not flag.isdigit()):
        messages.error(request, "Choose Redact or Keep for an item of personal data",
                       extra_tags="personal-data")
        return redirect(_back(request, home))
    if subject == "finding":
        obj = get_object_or_404(Finding.objects.visible_to(page.access), pk=int(raw_id))
        which = {"finding": obj}
    elif subject == "example":
        obj = get_object_or_404(Example.objects.visible_to(page.access), pk=int(raw_id))
        which = {"example": obj}
    else:
        obj = get_object_or_404(others[subject].objects.visible_to(page.access), pk=int(raw_id))
        which = {"subject": obj}
    action = actions.redact_personal_data if decision == "redact" else actions.keep_personal_data
    try:
        count = action(by=request.user, flags=[int(flag)] if flag else None, **which)
    except StocktakeError as exc:
        messages.error(request, str(exc), extra_tags="personal-data")
    else:
        messages.success(request, decision_note(decision, count), extra_tags="personal-data")
    return redirect(_back(request, home) + "#personal-data")


@login_required
@require_POST
def redact_all(request, slug):
    page = review_page(request, slug, current="review", require="manage_review")
    count = actions.redact_all_personal_data(review=page.review, by=request.user)
    messages.success(request, decision_note("redact", count), extra_tags="personal-data")
    return redirect(reverse("personal_data", kwargs={"slug": slug}))


@login_required
def personal_data_page(request, slug):
    """What was flagged and not yet decided, findings first, a page at a time (leads only)."""
    page = review_page(request, slug, current="review", require="manage_review",
                       trail=[])
    access = page.access
    here = reverse("personal_data", kwargs={"slug": slug})
    findings = Paginator(flagged_findings(access).select_related("organisation"), PAGE_SIZE)
    results = findings.get_page(request.GET.get("page"))
    tree = organisation_tree()
    items = []
    for finding in results.object_list:
        items.append({
            "heading": f"Finding {finding.id}", "href": finding_url(slug, finding.id),
            "organisation": tree.name(finding.organisation_id), "text": finding.text,
            "panel": Panel(rows=flag_rows(flags_of(finding, access)),
                           action=reverse("personal_data_decide", kwargs={"slug": slug}),
                           subject="finding", subject_id=finding.id,
                           next=f"{here}?page={results.number}"),
        })
    examples = []
    if not results.has_next():  # examples after the last page of findings
        for example in flagged_examples(access)[:200]:
            examples.append({
                "heading": f"Example: {example.title}", "href": "",
                "organisation": tree.name(example.organisation_id) if example.organisation_id
                else "No organisation", "text": example.synopsis,
                "panel": Panel(rows=flag_rows(flags_of(example, access)),
                               action=reverse("personal_data_decide", kwargs={"slug": slug}),
                               subject="example", subject_id=example.id,
                               next=f"{here}?page={results.number}"),
            })
    others = []
    if not results.has_next():  # recommendations, case studies and responses come last
        for obj in flagged_others(access):
            organisation = getattr(obj, "organisation_id", None) or getattr(obj, "owner_id", None)
            others.append({
                "heading": subject_label(obj), "href": _other_href(slug, obj),
                "organisation": tree.name(organisation) if organisation else "",
                "text": "",  # each flagged text is quoted in the table below
                "panel": Panel(rows=flag_rows(flags_of(obj, access)),
                               action=reverse("personal_data_decide", kwargs={"slug": slug}),
                               subject=obj._meta.model_name, subject_id=obj.pk,
                               next=f"{here}?page={results.number}"),
            })
    return render(request, "reviews/personal_data.html", page.context(
        counts=review_counts(page.review), items=items + examples + others,
        pagination=pagination(results, base=here, params={}),
        page_number=results.number, pages=findings.num_pages,
        redact_all=reverse("personal_data_redact_all", kwargs={"slug": slug}),
    ))


def _other_href(slug: str, obj) -> str:
    """Where a lead sees a recommendation, case study or response in its place."""
    recommendations = reverse("recommendations", kwargs={"slug": slug})
    kind = obj._meta.model_name
    if kind == "recommendation":
        return f"{recommendations}#recommendation-{obj.number}"
    if kind == "casestudy":
        return reverse("examples", kwargs={"slug": slug}) + "#case-studies"
    answered = getattr(obj, "recommendation", None)
    return (f"{recommendations}#recommendation-{answered.number}" if answered is not None
            else f"{recommendations}#unattached-heading")
