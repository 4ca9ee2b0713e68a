"""The list of reviews and a review's dashboard."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.template.loader import render_to_string
from markupsafe import Markup

from stocktake.assess.counts import cached_dashboard_counts
from stocktake.assess.memos import recent_memos
from stocktake.collect.invitations import draft_participant_ids
from stocktake.collect.models import Example, Finding, Submission, SubmissionStatus
from stocktake.collect.personal_data import review_counts
from stocktake.collect.queries import submitting_organisations
from stocktake.reflection.queries import upcoming
from stocktake.report.models import Recommendation
from stocktake.reviews.models import Membership
from stocktake.reviews.permissions import may_create_review, may_see_sessions, reviews_visible_to
from stocktake.web.kept import kept
from stocktake.web.presenters import dashboard
from stocktake.web.presenters.labels import format_date, review_status_tag, roles_text
from stocktake.web.presenters.links import review_url
from stocktake.web.presenters.memos import memo_rows
from stocktake.web.presenters.reviews import review_summaries
from stocktake.web.presenters.sessions import count_text, session_rows
from stocktake.web.views.base import organisation_tree, review_page


@login_required
def reviews_list(request):
    reviews = list(reviews_visible_to(request.user).order_by("-created_at", "title"))
    roles: dict[int, set[str]] = defaultdict(set)
    for review_id, role in Membership.objects.filter(
        user=request.user, review__in=[r.id for r in reviews]
    ).values_list("review_id", "role"):
        roles[review_id].add(role)
    return render(request, "reviews/list.html", {
        "reviews": review_summaries(reviews, roles_by_review=roles,
                                    superuser=request.user.is_superuser),
        "may_create": may_create_review(request.user),
    })


def _sessions(page) -> dict | None:
    if not may_see_sessions(page.access):
        return None
    tree = organisation_tree()
    soon, count = upcoming(page.access)
    return {"rows": session_rows(soon, slug=page.review.slug, tree=tree), "count": count,
            "count_text": count_text(count)}


@login_required
def review_dashboard(request, slug):
    page = review_page(request, slug, current="review", crumbs=False)
    review, access = page.review, page.access
    framework = review.framework
    themes = list(framework.themes.all())
    counts = cached_dashboard_counts(Finding.objects.visible_to(access), review=review,
                                     theme_ids=[t.id for t in themes])
    submissions = dict(
        Submission.objects.visible_to(access).order_by()
        .values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    if access.has("manage_review"):
        # Leads are told how many drafts exist (never what they say): drafts are hidden above.
        submissions[SubmissionStatus.DRAFT] = len(draft_participant_ids(review))
    headline = dashboard.Headline.from_counts(
        submissions=submissions,
        findings=counts.total,
        examples=Example.objects.visible_to(access).count(),
        recommendations=Recommendation.objects.visible_to(access).count(),
        organisations=submitting_organisations(access=access),
    )

    def count_tables() -> Markup:
        return Markup(render_to_string("reviews/_counts.html", {
            "matrix": dashboard.theme_domain_matrix(
                slug=review.slug, domains=list(framework.domains.all()),
                themes=themes, counts=counts,
            ),
            "polarities": dashboard.polarity_counts(slug=review.slug, counts=counts.polarity),
            "systems": dashboard.organisation_counts(
                slug=review.slug, per_org=counts.organisations, tree=organisation_tree()),
        }))

    return render(request, "reviews/dashboard.html", {
        **page.context(),
        "status": review_status_tag(review.status),
        "roles": roles_text(access.roles, superuser=access.superuser),
        "opens": format_date(review.opens_on),
        "closes": format_date(review.closes_on),
        "headline": headline,
        "visibility_note": dashboard.visibility_note(access),
        # Hundreds of links, the same for everyone who sees the same counts: drawn once
        # per set of counts (their key names the scope, themes and data version).
        "count_tables": kept(("dashboard", review.slug, counts.key) if counts.key else None,
                             count_tables),
        # Leads and reviewers: the newest memos, and how many there are.
        "memos": _recent_memos(page) if access.has("code_findings") else None,
        # The next reflection sessions the user may see (reflection/queries.py).
        "sessions": _sessions(page),
        # Leads only: how much possible personal data waits for a decision.
        "personal_data": review_counts(review) if access.has("manage_review") else None,
    })


def _recent_memos(page) -> dict:
    rows, total = recent_memos(page.access)
    return {"rows": memo_rows(rows, slug=page.review.slug, tree=organisation_tree(),
                              back=review_url(page.review.slug)), "total": total}
