"""The coding workspace: undecided findings one at a time with the machine's suggestions;
save the themes that apply (the digits tick them, "s" saves), skip, undo, or accept every
suggestion above a chosen confidence at once.

Leads and reviewers (``code_findings``). Every form is a plain POST that redirects
back (the page works without JavaScript; the keyboard shortcuts are an addition that
can be turned off). A save made on a page loaded before another reviewer decided on
the same finding is refused and shown side by side with theirs.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from stocktake.assess.workspace import actions, queries
from stocktake.collect.actions import set_polarity
from stocktake.collect.models import Finding, Polarity, scope_key
from stocktake.collect.personal_data import hide_flagged
from stocktake.core.errors import EditConflict, InvalidInput
from stocktake.reviews.frameworks import items_of
from stocktake.web.kept import kept
from stocktake.web.presenters import workspace as present
from stocktake.web.presenters.links import finding_url
from stocktake.web.views.base import organisation_tree, review_page

CURRENT = "workspace"
MAX_SKIPPED = 50


def _filters(data, themes) -> dict:
    """The queue's filters from a query string or form: theme key, minimum score, skipped ids."""
    theme = data.get("theme", "")
    theme = next((t for t in themes if t.key == theme), None)
    try:
        min_score = float(data.get("min", "") or "nan")
    except ValueError:
        min_score = float("nan")
    min_score = min_score if 0 <= min_score <= 1 else None
    skip = tuple(int(x) for x in data.get("skip", "").split(",") if x.isdigit())[-MAX_SKIPPED:]
    return {"theme": theme, "min_score": min_score, "skip": skip}


def _query(filters, **extra) -> dict:
    return {"theme": filters["theme"].key if filters["theme"] else "",
            "min": "" if filters["min_score"] is None else f"{filters['min_score']:g}",
            "skip": ",".join(map(str, filters["skip"])), **extra}


def _findings(page):
    return Finding.objects.visible_to(page.access)


def _context(request, page, filters, finding, *, ticked=None, conflict=None):
    review = page.review
    framework = items_of(review.framework)
    slug = review.slug
    machine = queries.suggestions_of(finding) if finding else []
    theme_id = filters["theme"].pk if filters["theme"] else None
    version = organisation_tree().version  # moves on with every action (a decision too)
    # How many are left: one capped count of undecided findings (tens of ms at 100,000),
    # kept in this process for everyone with the same scope until the next action.
    count, more = kept(version and ("coding left", scope_key(page.access), theme_id,
                                    filters["min_score"], version),
                       lambda: queries.left(_findings(page), theme_id, filters["min_score"]))
    batches = queries.recent_batches(review=review, user=request.user)
    texts = dict(_findings(page).filter(pk__in=[b.first_finding for b in batches])
                 .values_list("pk", "text"))
    query = _query(filters)
    return page.context(
        finding=finding, conflict=conflict,
        choices=[c.item() for c in present.theme_choices([t for t in framework.themes if not t.retired], machine,
                                                          ticked=ticked)],
        suggested=[c.theme.key for c in machine if c.theme_id in {t.pk for t in framework.themes}]
        if machine else [],
        state=queries.finding_state(finding.pk) if finding else "",
        organisation=organisation_tree().name_with_system(finding.organisation_id) if finding
        else "",
        finding_href=finding_url(slug, finding.pk) if finding else "",
        polarity_items=[{"value": v, "text": label,
                         "selected": finding is not None and v == finding.polarity}
                        for v, label in Polarity.choices],
        left=count, more=more, query=query,
        theme_items=[{"value": "", "text": "Any theme"}] + [
            {"value": t.key, "text": t.name, "selected": filters["theme"] == t}
            for t in framework.themes if not t.retired],
        min_value=query["min"],
        skip_href=present.workspace_url(slug, **_query(
            filters, skip=",".join(map(str, (*filters["skip"], finding.pk))) if finding else "")),
        decide_action=present.workspace_url(slug, "workspace_decide"),
        undo_action=present.workspace_url(slug, "workspace_undo"),
        bulk_href=present.workspace_url(slug, "workspace_bulk", theme=query["theme"],
                                        min=query["min"] or "0.8"),
        review_next_href=present.workspace_url(slug, "review_next"),
        batches=present.batch_rows(batches, texts),
    )


@login_required
def workspace(request, slug):
    page = review_page(request, slug, current=CURRENT, require="code_findings")
    filters = _filters(request.GET, items_of(page.review.framework).themes)
    found = queries.queue(review=page.review, findings=_findings(page),
                          theme_id=filters["theme"].pk if filters["theme"] else None,
                          min_score=filters["min_score"], skip=filters["skip"])
    finding = found[0] if found else None
    if finding is not None:
        finding = (_findings(page).select_related("domain", "source_document")
                   .get(pk=finding.pk))
        hide_flagged([finding], page.access)
    return render(request, "assess/workspace.html", _context(request, page, filters, finding))


@login_required
@require_POST
def decide(request, slug):
    page = review_page(request, slug, current=CURRENT, require="code_findings")
    themes = items_of(page.review.framework).themes
    filters = _filters(request.POST, themes)
    finding_id = request.POST.get("finding", "")
    finding = get_object_or_404(_findings(page).select_related("review", "domain",
                                                                "source_document"),
                                pk=int(finding_id) if finding_id.isdigit() else 0)
    ticked = set(request.POST.getlist("themes"))
    shown = set(request.POST.getlist("suggested"))
    accepted = [t for t in themes if t.key in ticked]
    rejected = [t for t in themes if t.key in shown - ticked]
    try:
        batch = actions.save_decisions(finding=finding, accepted=accepted, rejected=rejected,
                                       expected=request.POST.get("state", ""), by=request.user)
    except EditConflict:
        hide_flagged([finding], page.access)
        conflict = _theirs(finding, themes)
        context = _context(request, page, filters, finding, ticked=ticked, conflict=conflict)
        context["mine"] = [t.name for t in accepted]
        return render(request, "assess/workspace.html", context, status=409)
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return redirect(present.workspace_url(slug, **_query(filters)))
    polarity = request.POST.get("polarity", "")
    if polarity in Polarity.values and polarity != finding.polarity:
        set_polarity(finding=finding, polarity=polarity, by=request.user)
    messages.success(request, f"Finding {finding.pk}: {len(accepted)} theme(s) applied, "
                     f"{len(rejected)} rejected.")
    request.session["stocktake_last_batch"] = batch
    return redirect(present.workspace_url(slug, **_query(filters)))


def _theirs(finding, themes) -> list[dict]:
    """Reviewers' decisions now stored on the finding, for the conflict panel."""
    names = {t.pk: t.name for t in themes}
    codes = queries.decisions_on(finding)
    return [{"theme": names.get(c.theme_id, "A theme"), "applies": c.applies,
             "by": (c.confirmed_by.get_full_name() or c.confirmed_by.get_username())
             if c.confirmed_by_id else "Unknown",
             "when": present.format_datetime(c.confirmed_at)} for c in codes]


@login_required
@require_POST
def undo(request, slug):
    page = review_page(request, slug, current=CURRENT, require="code_findings")
    batch = request.POST.get("batch", "") or request.session.get("stocktake_last_batch", "")
    try:
        n = actions.undo_batch(review=page.review, batch=batch[:32], by=request.user)
    except InvalidInput as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Undone: {n} decision(s) taken back. The findings are back "
                         "in the queue.")
    return redirect(present.workspace_url(slug))


@login_required
@require_http_methods(["GET", "POST"])
def bulk(request, slug):
    page = review_page(request, slug, current=CURRENT, require="code_findings",
                       trail=[("Coding", present.workspace_url(slug))])
    themes = items_of(page.review.framework).themes
    data = request.POST if request.method == "POST" else request.GET
    filters = _filters(data, themes)
    error = "" if filters["min_score"] else "Enter a confidence between 0 and 1, for example 0.8"
    if request.method == "POST" and not error:
        try:
            result = actions.bulk_accept(review=page.review, findings=_findings(page),
                                         min_score=filters["min_score"],
                                         theme=filters["theme"], by=request.user)
        except InvalidInput as exc:
            error = str(exc)
        else:
            request.session["stocktake_last_batch"] = result.batch
            messages.success(request, f"{result.codes} suggestions accepted on {result.findings} "
                             "findings. Undo them from Your recent decisions."
                             + (" More qualified: accept again for the next batch."
                                if result.more else ""))
            return redirect(present.workspace_url(slug))
    preview = None
    if not error:
        preview = queries.bulk_preview(review=page.review, findings=_findings(page),
                                       min_score=filters["min_score"], theme=filters["theme"])
    return render(request, "assess/workspace_bulk.html", page.context(
        error=error, preview=preview, limit=actions.BULK_LIMIT, query=_query(filters),
        theme_items=[{"value": "", "text": "Any theme"}] + [
            {"value": t.key, "text": t.name, "selected": filters["theme"] == t} for t in themes],
        workspace_href=present.workspace_url(slug),
    ), status=400 if error and request.method == "POST" else 200)

