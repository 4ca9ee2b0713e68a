"""The report's summary observations and each theme's chosen evidence: add, change, move,
remove (forms that post and redirect back with a notice; see report_write.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stocktake.collect.models import Polarity
from stocktake.collect.personal_data import hide_flagged
from stocktake.core.errors import EditConflict, StocktakeError
from stocktake.report import writing
from stocktake.report.actions import builder
from stocktake.report.actions.writing import choose_quotes
from stocktake.report.models import TextKind
from stocktake.web.presenters import report_write as present
from stocktake.web.presenters.findings import pagination
from stocktake.web.presenters.links import with_query
from stocktake.web.views.base import organisation_tree
from stocktake.web.views.findings import first_if_below
from stocktake.web.views.report_write import (
    CONFLICT,
    context,
    kept_revision,
    posted_revision,
    render_summary,
    theme_of,
    write_page,
)

EVIDENCE_PAGE_SIZE = 20
SEARCH_MAX = 200  # characters of a search for evidence


def _offset(post) -> int:
    return -1 if post.get("direction") == "up" else 1


def _summary(slug: str) -> str:
    return reverse("report_write_summary", kwargs={"slug": slug})


def _theme(slug: str, key: str) -> str:
    return reverse("report_write_theme", kwargs={"slug": slug, "key": key})


def _posted_theme(page, value: str):
    """The theme chosen in an observation's form (None: no theme); Http404 for a stranger's."""
    if not value:
        return None
    theme = next((t for t in writing.themes_of(page.review) if str(t.pk) == value), None)
    if theme is None:
        raise StocktakeError("Choose a theme from the list")
    return theme


def _observation(page, observation_id: int):
    row = writing.summary_observation(page.review, observation_id)
    if row is None:
        raise Http404("No such summary observation")
    return row


@login_required
@require_POST
def report_summary_draft(request, slug):
    page = write_page(request, slug)
    added = builder.draft_summary_observations(
        review=page.review, observations=writing.theme_observations(page.review), by=request.user)
    if added:
        messages.success(request, f"{len(added)} observation{'s' if len(added) != 1 else ''} "
                                  "drafted from the consistent messages: rewrite them as you "
                                  "see fit.")
    else:
        messages.info(request, "No observation drafted: every consistent message is already in "
                               "the summary, or no theme was raised consistently across systems.")
    return redirect(_summary(slug) + "#observations")


@login_required
@require_POST
def report_observation_add(request, slug):
    page = write_page(request, slug)
    text, value = request.POST.get("text", ""), request.POST.get("theme", "")
    try:
        builder.add_summary_observation(review=page.review, text=text, by=request.user,
                                        theme=_posted_theme(page, value))
    except StocktakeError as exc:  # the page again, the typed text kept
        editor = present.TextEditor.of(writing.report_text(page.review, TextKind.SUMMARY))
        return render_summary(request, page, editor=editor, status=400, adding={
            "text": text, "theme": int(value) if value.isdigit() else None, "error": str(exc)})
    messages.success(request, "Observation added at the end of the summary.")
    return redirect(_summary(slug) + "#observations")


@login_required
def report_observation_edit(request, slug, observation_id):
    page = write_page(request, slug)
    row = _observation(page, observation_id)
    text, theme_id, revision, error, theirs = row.text, row.theme_id, row.revision, "", None
    status = 200
    if request.method == "POST":
        text = request.POST.get("text", "")
        value = request.POST.get("theme", "")
        theme_id = int(value) if value.isdigit() else None
        try:
            builder.update_summary_observation(
                observation=row, text=text, theme=_posted_theme(page, value), by=request.user,
                expected_revision=posted_revision(request.POST))
        except EditConflict:
            theirs = _observation(page, observation_id)
            error, revision, status = CONFLICT, theirs.revision, 409
        except StocktakeError as exc:
            error, revision, status = str(exc), kept_revision(request.POST, revision), 400
        else:
            messages.success(request, "Observation saved.")
            return redirect(_summary(slug) + "#observations")
    return render(request, "reports/write_observation.html", context(
        page, row=row, text=text, revision=revision, error=error, theirs=theirs,
        theirs_by=present.user_name(theirs.updated_by) if theirs else "",
        theme_items=present.theme_items(writing.themes_of(page.review), theme_id)), status=status)


@login_required
@require_POST
def report_observation_move(request, slug, observation_id):
    page = write_page(request, slug)
    builder.move_summary_observation(observation=_observation(page, observation_id),
                                     offset=_offset(request.POST), by=request.user)
    messages.success(request, "Observation moved.")
    return redirect(_summary(slug) + f"#observation-{observation_id}")


@login_required
def report_observation_delete(request, slug, observation_id):
    page = write_page(request, slug)
    row = _observation(page, observation_id)
    if request.method == "POST":
        builder.delete_summary_observation(observation=row, by=request.user)
        messages.success(request, "Observation deleted.")
        return redirect(_summary(slug) + "#observations")
    return render(request, "reports/write_observation_delete.html", context(page, row=row))


def _quote(page, theme, quote_id: int):
    quote = writing.evidence_quote(theme, quote_id)
    if quote is None:
        raise Http404("No such quote in this theme's evidence")
    return quote


@login_required
@require_POST
def report_quote_move(request, slug, key, quote_id):
    page = write_page(request, slug)
    theme = theme_of(page, key)
    builder.move_quote(quote=_quote(page, theme, quote_id), offset=_offset(request.POST),
                       by=request.user)
    messages.success(request, "Quote moved.")
    return redirect(_theme(slug, key) + f"#quote-{quote_id}")


@login_required
@require_POST
def report_quote_remove(request, slug, key, quote_id):
    page = write_page(request, slug)
    theme = theme_of(page, key)
    quote = _quote(page, theme, quote_id)
    builder.remove_quote(quote=quote, by=request.user)
    messages.success(request, f"Finding {quote.finding_id} removed from the evidence (the "
                              "finding itself is unchanged).")
    return redirect(_theme(slug, key) + "#evidence")


def _findings(page, values) -> list:
    """The posted finding ids as findings that may become evidence; StocktakeError otherwise."""
    found = []
    for value in values:
        finding = writing.reportable_finding(page.access, int(value)) if value.isdigit() else None
        if finding is None:
            raise StocktakeError(f"Finding {value} is not a submitted finding you can see in "
                                 "this review")
        found.append(finding)
    return found


@login_required
@require_POST
def report_evidence_keep(request, slug, key):
    page = write_page(request, slug)
    theme = theme_of(page, key)
    try:
        kept = choose_quotes(review=page.review, theme=theme, by=request.user,
                             findings=_findings(page, request.POST.getlist("finding")))
    except StocktakeError as exc:
        messages.error(request, f"Nothing chosen: {exc}.")
    else:
        messages.success(request, f"The {len(kept)} suggested quotes are now chosen as the "
                                  "evidence; reorder or remove them below.")
    return redirect(_theme(slug, key) + "#evidence")


def _search(request) -> tuple[str, str]:
    """The evidence search as asked (on the page, or kept by a "Use as evidence" form): the
    text and a polarity ("" for any; an unknown one is ignored)."""
    params = request.POST if request.method == "POST" else request.GET
    polarity = params.get("polarity", "")
    return (" ".join(params.get("q", "").split())[:SEARCH_MAX],
            polarity if polarity in Polarity.values else "")


@login_required
def report_evidence(request, slug, key):
    """The theme's submitted findings, searchable, each with "Use as evidence"."""
    page = write_page(request, slug)
    theme = theme_of(page, key)
    query, polarity = _search(request)
    base = reverse("report_evidence", kwargs={"slug": slug, "key": key})
    params = {"q": query or None, "polarity": polarity or None}
    if request.method == "POST":
        try:
            (finding,) = _findings(page, [request.POST.get("finding", "")])
            choose_quotes(review=page.review, theme=theme, findings=[finding], by=request.user)
        except StocktakeError as exc:
            messages.error(request, f"Nothing chosen: {exc}.")
        else:
            messages.success(request, f"Finding {finding.pk} added to the evidence for "
                                      f"{theme.name}.")
        return redirect(with_query(base, {**params, "page": request.POST.get("page") or None}))
    results = Paginator(writing.evidence_candidates(page.access, theme, text=query,
                                                    polarity=polarity),
                        EVIDENCE_PAGE_SIZE).get_page(first_if_below(request.GET.get("page")))
    rows = present.candidate_rows(
        hide_flagged(results.object_list, page.access), chosen=writing.chosen_finding_ids(theme),
        slug=slug, tree=organisation_tree())
    return render(request, "reports/write_evidence.html", context(
        page, theme=theme, query=query, polarity=polarity, rows=rows,
        polarity_items=present.polarity_items(polarity), count=results.paginator.count,
        page_number=results.number, first_number=results.start_index(), base=base,
        pagination=pagination(results, base=base,
                              params={k: v for k, v in params.items() if v})))
