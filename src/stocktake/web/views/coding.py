"""Reviewer coding: confirm or reject a theme, set polarity, and the "Review next" list.

POSTs call the actions; without JavaScript they redirect back, with HTMX the
theme decision answers with the finding page's coding panel, swapped in place.
Findings the user cannot see are 404; seeing without coding rights is 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from stocktake.assess.actions import confirm_code
from stocktake.assess.models import Code, CodeOrigin
from stocktake.assess.queries import next_to_review
from stocktake.collect.actions import set_polarity
from stocktake.collect.models import Finding
from stocktake.web.assess_forms import CodeForm, PolarityForm, first_error
from stocktake.web.presenters.coding import next_rows
from stocktake.web.presenters.links import finding_url
from stocktake.web.views.base import organisation_tree, review_page
from stocktake.web.views.findings import finding_context, finding_page, scoped_finding

NEXT_SHOWN = 20


def _back(request, slug: str, finding_id: int) -> str:
    """Where a plain POST returns to: the review-next list when it came from there."""
    if request.POST.get("next") == "review_next":
        return reverse("review_next", kwargs={"slug": slug})
    return finding_url(slug, finding_id) + "#coding"


@login_required
@require_POST
@vary_on_headers("HX-Request")
def finding_code(request, slug, finding_id):
    page = finding_page(request, slug, require="code_findings")
    review = page.review
    finding = scoped_finding(page.access, finding_id)
    themes = list(review.framework.themes.all())
    form = CodeForm(request.POST, themes=[(t.key, t.name) for t in themes])
    note, error = "", ""
    if form.is_valid():
        theme = next(t for t in themes if t.key == form.cleaned_data["theme"])
        applies = form.cleaned_data["applies"] == "yes"
        confirm_code(finding=finding, theme=theme, by=request.user, applies=applies)
        note = f"{theme.name}: {'confirmed' if applies else 'rejected'} for this finding."
    else:
        error = first_error(form)
    if request.htmx:
        # HTMX swaps only 2xx answers, so an error comes back as a 200 panel that says so.
        context = finding_context(page, finding, messages=[note] if note else [], error=error)
        return render(request, "findings/_coding.html", context)
    if error:
        context = finding_context(page, finding, error=error)
        return render(request, "findings/detail.html", context, status=400)
    messages.success(request, note)
    return redirect(_back(request, review.slug, finding.id))


@login_required
@require_POST
def finding_polarity(request, slug, finding_id):
    page = finding_page(request, slug, require="code_findings")
    finding = scoped_finding(page.access, finding_id)
    form = PolarityForm(request.POST)
    if not form.is_valid():
        context = finding_context(page, finding, error=first_error(form))
        return render(request, "findings/detail.html", context, status=400)
    set_polarity(finding=finding, polarity=form.cleaned_data["polarity"], by=request.user)
    messages.success(request, f"Polarity set to {finding.get_polarity_display()}.")
    return redirect(finding_url(slug, finding.id) + "#coding")


@login_required
def review_next(request, slug):
    page = review_page(request, slug, current="review_next", require="code_findings")
    review, access = page.review, page.access
    ordered = next_to_review(review=review, findings=Finding.objects.visible_to(access),
                             limit=NEXT_SHOWN)
    shown = Finding.objects.visible_to(access).filter(id__in=[f.id for f in ordered])
    codes = Code.objects.filter(finding__in=shown, origin=CodeOrigin.MACHINE).select_related(
        "theme")
    return render(request, "assess/review_next.html", page.context(
        rows=next_rows(ordered, codes=list(codes), slug=review.slug, tree=organisation_tree()),
    ))
