"""A review's examples of good practice and its recommendations."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render

from stocktake.collect.models import Example, Finding
from stocktake.collect.personal_data import hide_flagged
from stocktake.report.models import CaseStudy, Recommendation
from stocktake.track.models import RecommendationResponse
from stocktake.web.presenters.lists import (
    case_study_rows,
    example_rows,
    recommendation_rows,
    response_rows,
)
from stocktake.web.views.base import organisation_tree, review_page


@login_required
def examples_list(request, slug):
    page = review_page(request, slug, current="examples")
    examples = Example.objects.visible_to(page.access).select_related("domain", "source_document")
    tree = organisation_tree()
    case_studies = CaseStudy.objects.visible_to(page.access).select_related("source_document")
    return render(request, "reviews/examples.html", page.context(
        rows=example_rows(hide_flagged(examples, page.access), tree=tree),
        case_studies=case_study_rows(hide_flagged(case_studies, page.access), tree=tree),
    ))


@login_required
def recommendations_list(request, slug):
    page = review_page(request, slug, current="recommendations")
    access = page.access
    recommendations = (
        Recommendation.objects.visible_to(access)
        .select_related("theme", "source_document")
        .prefetch_related(
            Prefetch("findings", queryset=Finding.objects.visible_to(access),
                     to_attr="visible_findings"),
            Prefetch("responses", queryset=RecommendationResponse.objects.select_related(
                "source_document")),
        )
    )
    recommendations = list(recommendations)
    # Undecided personal data replaced ([NHS number] …) for everyone but leads.
    hide_flagged(recommendations, access)
    hide_flagged([r for rec in recommendations for r in rec.responses.all()], access)
    hide_flagged([f for r in recommendations for f in r.visible_findings], access)
    unattached = hide_flagged(RecommendationResponse.objects.visible_to(access)
                              .filter(recommendation__isnull=True).select_related("source_document"),
                              access)
    return render(request, "reviews/recommendations.html", page.context(
        sees_all=access.sees_all_submitted, may_edit=access.has("edit_report"),
        rows=recommendation_rows(recommendations, slug=slug, tree=organisation_tree()),
        unattached=response_rows(unattached),
    ))
