"""A review's examples of good practice and its recommendations."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render

from stocktake.collect.models import Example, Finding
from stocktake.report.models import Recommendation
from stocktake.web.presenters.lists import example_rows, recommendation_rows
from stocktake.web.presenters.navigation import breadcrumbs, review_nav
from stocktake.web.views.base import organisation_tree, review_and_access


@login_required
def examples_list(request, slug):
    review, access = review_and_access(request, slug)
    examples = Example.objects.visible_to(access).select_related("domain", "source_document")
    return render(request, "reviews/examples.html", {
        "review": review,
        "rows": example_rows(examples, tree=organisation_tree()),
        "breadcrumbs": breadcrumbs(review),
        "nav": review_nav(review, "examples", show_report=access.sees_all_submitted,
                          show_coding=access.has("code_findings")),
    })


@login_required
def recommendations_list(request, slug):
    review, access = review_and_access(request, slug)
    recommendations = (
        Recommendation.objects.visible_to(access)
        .select_related("theme")
        .prefetch_related(Prefetch(
            "findings", queryset=Finding.objects.visible_to(access), to_attr="visible_findings"
        ))
    )
    return render(request, "reviews/recommendations.html", {
        "sees_all": access.sees_all_submitted,
        "review": review,
        "rows": recommendation_rows(recommendations, slug=review.slug, tree=organisation_tree()),
        "breadcrumbs": breadcrumbs(review),
        "nav": review_nav(review, "recommendations", show_report=access.sees_all_submitted,
                          show_coding=access.has("code_findings")),
    })
