"""Reviewer coding: confirm or reject a theme, set polarity, and the "Review next" list.

POSTs call the actions; without JavaScript they redirect back to the page the
form was on (an error too, as a notice placed beside its form), with HTMX the
theme decision answers with the finding page's coding panel, swapped in place.
A GET on a coding address goes to the finding page.
Findings the user cannot see are 404; seeing without coding rights is 403.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.vary import vary_on_headers

from stocktake.assess.actions import confirm_code
from stocktake.assess.models import Code, CodeOrigin
from stocktake.assess.queries import next_to_review
from stocktake.collect.actions import set_polarity
from stocktake.collect.models import Finding
from stocktake.collect.personal_data import hide_flagged
from stocktake.core.errors import EditConflict
from stocktake.reviews.frameworks import items_of
from stocktake.web.assess_forms import CodeForm, PolarityForm, first_error
from stocktake.web.presenters.coding import next_rows
from stocktake.web.presenters.links import finding_url
from stocktake.web.views.base import organisation_tree, review_page
from stocktake.web.views.findings import finding_context, finding_page, scoped_finding

NEXT_SHOWN = 20


def post_only(view):
    """A coding address is only posted to: a GET (a reload, a bookmark) goes to the finding page."""

    @wraps(view)
    def wrapper(request, slug, finding_id):
        if request.method != "POST":
            return redirect(finding_url(slug, finding_id))
        return view(request, slug, finding_id)

    return wrapper


def about(finding, words: int = 8) -> str:
    """How a notice names a finding away from its page: 'finding 12 ("Daily huddles…")'."""
    text = finding.text.split()
    start = " ".join(text[:words]) + ("…" if len(text) > words else "")
    return f"finding {finding.id} (\u201c{start}\u201d)"


def _back(request, slug: str, finding_id: int) -> str:
    """Where a plain POST returns to: the review-next list when it came from there."""
    if request.POST.get("next") == "review_next":
        return reverse("review_next", kwargs={"slug": slug})
    return finding_url(slug, finding_id) + "#coding"


@login_required
@post_only
@vary_on_headers("HX-Request")
def finding_code(request, slug, finding_id):
    page = finding_page(request, slug, require="code_findings")
    review = page.review
    finding = scoped_finding(page, finding_id)
    themes = items_of(review.framework).themes
    form = CodeForm(request.POST, themes=[(t.key, t.name) for t in themes])
    note, error = "", ""
    if form.is_valid():
        theme = next(t for t in themes if t.key == form.cleaned_data["theme"])
        applies = form.cleaned_data["applies"] == "yes"
        try:
            confirm_code(finding=finding, theme=theme, by=request.user, applies=applies,
                         expected=form.cleaned_data["seen"] or None)
        except EditConflict as exc:
            error = str(exc)
        else:
            note = f"{theme.name}: {'confirmed' if applies else 'rejected'} for this finding."
    else:
        error = first_error(form)
    if request.htmx:
        # HTMX swaps only 2xx answers, so an error comes back as a 200 panel that says so.
        context = finding_context(page, finding, messages=[note] if note else [], error=error)
        return render(request, "findings/_coding.html", context)
    # Without JavaScript: back to the page the form was on, the error or note with it.
    if error:
        messages.error(request, error, extra_tags="coding")
    elif request.POST.get("next") == "review_next":
        hide_flagged([finding], page.access)  # the notice quotes the finding's first words
        messages.success(request, note.replace("this finding", about(finding)))
    else:
        messages.success(request, note, extra_tags="coding")
    return redirect(_back(request, review.slug, finding.id))


@login_required
@post_only
def finding_polarity(request, slug, finding_id):
    page = finding_page(request, slug, require="code_findings")
    finding = scoped_finding(page, finding_id)
    form = PolarityForm(request.POST)
    # The notice and any error show beside the polarity form (extra_tags "polarity").
    if not form.is_valid():
        messages.error(request, first_error(form), extra_tags="polarity")
    else:
        set_polarity(finding=finding, polarity=form.cleaned_data["polarity"], by=request.user)
        messages.success(request, f"Polarity set to {finding.get_polarity_display()}.",
                         extra_tags="polarity")
    return redirect(finding_url(slug, finding.id) + "#polarity")


@login_required
def review_next(request, slug):
    page = review_page(request, slug, current="workspace", require="code_findings",
                       trail=[("Coding", reverse("workspace", kwargs={"slug": slug}))])
    review, access = page.review, page.access
    ordered = next_to_review(review=review, findings=Finding.objects.visible_to(access),
                             limit=NEXT_SHOWN)
    shown = Finding.objects.visible_to(access).filter(id__in=[f.id for f in ordered])
    codes = Code.objects.filter(finding__in=shown, origin=CodeOrigin.MACHINE).select_related(
        "theme", "analysis_run")
    hide_flagged(ordered, access)
    return render(request, "assess/review_next.html", page.context(
        rows=next_rows(ordered, codes=list(codes), slug=review.slug, tree=organisation_tree()),
    ))
