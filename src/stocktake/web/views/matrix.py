"""The theme matrix: themes × systems, × a system's organisations, or × domains.

Leads and reviewers (``code_findings``). Counts are of the findings the user may
see (``visible_to``), counted in SQL and kept per data version
(``assess/matrix.py``); every cell links to the findings list filtered to it. The
table and the flagged messages are drawn once per view of a set of counts and kept
(``web/kept.py``), so a page costs a few small queries until the data change.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET
from markupsafe import Markup

from stocktake.assess.matrix import (
    DOMAINS,
    ORGANISATIONS,
    SYSTEMS,
    domains_grid,
    matrix_model,
    message_quotes,
    organisations_grid,
)
from stocktake.collect.models import Finding
from stocktake.collect.personal_data import sees_personal_data
from stocktake.reviews.frameworks import items_of
from stocktake.web.kept import kept
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
    model = matrix_model(visible, review=review, theme_ids=[t.pk for t in themes], tree=tree)
    view = request.GET.get("by") or SYSTEMS
    errors, system = [], None
    if view not in VIEW_LABELS:
        errors.append(
            {
                "text": "Choose to show the matrix by system, by organisation or by domain",
                "href": "#by",
            }
        )
        view = SYSTEMS
    if view == ORGANISATIONS:
        wanted = request.GET.get("system", "")
        system = next((s for s in model.systems if str(s.id) == wanted), None)
        if system is None:
            errors.append(
                {
                    "text": "Choose a system that has findings to see its organisations",
                    "href": "#system",
                }
            )
            view = SYSTEMS

    def body() -> Markup:
        if view == DOMAINS:
            grid = domains_grid(model.counts, domains)
        elif view == ORGANISATIONS:
            grid = organisations_grid(model.counts, tree, system.id)
        else:
            grid = model.by_system
        quotes = message_quotes(visible, model=model, access=page.access, tree=tree)
        return Markup(
            render_to_string(
                "assess/_matrix_body.html",
                {
                    "grid": grid,
                    "total_systems": len(model.systems),
                    "rows": present.rows(review.slug, themes, grid, model.reach, view=view),
                    "messages": present.messages(review.slug, themes, model.reach, quotes),
                    "heading": present.column_heading(view, system.name if system else ""),
                },
            )
        )

    # The same counts, view and personal-data visibility draw the same part.
    key = (
        (
            "matrix",
            review.slug,
            model.key,
            view,
            system.id if system else None,
            sees_personal_data(page.access),
        )
        if tree.version is not None
        else None
    )
    base = request.path
    context = page.context(
        errors=errors,
        body=kept(key, body),
        views=[
            {"text": VIEW_LABELS[v], "href": with_query(base, {"by": v}), "current": v == view}
            for v in (SYSTEMS, DOMAINS)
        ],
        systems=[{"value": "", "text": "Choose a system", "selected": system is None}]
        + [
            {
                "value": str(s.id),
                "text": s.name,
                "selected": system is not None and s.id == system.id,
            }
            for s in model.systems
        ],
    )
    return render(request, "assess/matrix.html", context, status=400 if errors else 200)
