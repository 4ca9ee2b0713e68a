"""The theme matrix: themes × systems, × a system's organisations, or × domains.

Leads and reviewers (``code_findings``). Counts are of the findings the user may
see (``visible_to``), counted in SQL and kept per data version
(``assess/matrix.py``); every cell links to the findings list filtered to it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from stocktake.assess.matrix import (
    DOMAINS,
    ORGANISATIONS,
    SYSTEMS,
    cached_matrix_counts,
    domains_grid,
    flagged,
    message_quotes,
    organisations_grid,
    reach_of_themes,
    systems_grid,
    systems_in,
)
from stocktake.collect.models import Finding
from stocktake.reviews.frameworks import items_of
from stocktake.web.presenters import matrix as present
from stocktake.web.presenters.links import with_query
from stocktake.web.views.base import organisation_tree, review_page

VIEW_LABELS = {SYSTEMS: "By system", ORGANISATIONS: "By organisation", DOMAINS: "By domain"}


@login_required
@require_GET
def matrix(request, slug):
    page = review_page(request, slug, current="matrix", require="code_findings")
    review = page.review
    domains, themes = items_of(review.framework)
    visible = Finding.objects.visible_to(page.access)
    tree = organisation_tree()
    counts = cached_matrix_counts(visible, review=review, theme_ids=[t.pk for t in themes])
    systems = systems_in(counts, tree)
    view = request.GET.get("by") or SYSTEMS
    errors, system = [], None
    if view not in VIEW_LABELS:
        errors.append({"text": "Choose to show the matrix by system, by organisation or by "
                               "domain", "href": "#by"})
        view = SYSTEMS
    if view == ORGANISATIONS:
        wanted = request.GET.get("system", "")
        system = next((s for s in systems if str(s.id) == wanted), None)
        if system is None:
            errors.append({"text": "Choose a system that has findings to see its organisations",
                           "href": "#system"})
            view = SYSTEMS
    if view == DOMAINS:
        grid = domains_grid(counts, domains)
    elif view == ORGANISATIONS:
        grid = organisations_grid(counts, tree, system.id)
    else:
        grid = systems_grid(counts, tree)
    reach = reach_of_themes(counts, tree)
    quotes = message_quotes(visible, review=review, access=page.access,
                            theme_ids=flagged(reach), tree=tree)
    base = request.path
    context = page.context(
        view=view, errors=errors, grid=grid,
        rows=present.rows(review.slug, themes, grid, reach, view=view),
        messages=present.messages(review.slug, themes, reach, quotes),
        heading=present.column_heading(view, system.name if system else ""),
        views=[{"text": VIEW_LABELS[v], "href": with_query(base, {"by": v}),
                "current": v == view} for v in (SYSTEMS, DOMAINS)],
        systems=[{"value": "", "text": "Choose a system", "selected": system is None}] + [
            {"value": str(s.id), "text": s.name, "selected": system is not None
             and s.id == system.id} for s in systems],
        system=system, total_systems=len(systems),
    )
    return render(request, "assess/matrix.html", context, status=400 if errors else 200)
