"""The findings list (filters, pagination, HTMX partial) and one finding."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.vary import vary_on_headers

from stocktake.assess.counts import data_version
from stocktake.assess.models import Code
from stocktake.assess.queries import similar_findings
from stocktake.assess.themes import counted_themes, with_theme, without_theme
from stocktake.collect.models import Finding
from stocktake.collect.paging import IdsFirst, cached_list
from stocktake.report.models import Recommendation
from stocktake.web.forms import FindingFilterForm
from stocktake.web.presenters import findings as present
from stocktake.web.presenters.coding import coding_controls
from stocktake.web.presenters.links import FINDING_FILTERS, NONE
from stocktake.web.presenters.navigation import breadcrumbs, review_nav
from stocktake.web.views.base import organisation_tree, review_and_access


@login_required
@vary_on_headers("HX-Request")
def findings_list(request, slug):
    review, access = review_and_access(request, slug)
    visible = Finding.objects.visible_to(access)
    version = data_version(review)
    domains = list(review.framework.domains.all())
    themes = list(review.framework.themes.all())
    tree = organisation_tree()
    form = FindingFilterForm(
        request.GET or None,
        domains=present.domain_choices(domains),
        themes=present.theme_choices(themes),
        organisations=present.organisation_choices(cached_list(
            visible.order_by().values_list("organisation_id", flat=True).distinct(),
            version=version), tree),
    )
    filters = form.filters()

    findings = visible.select_related("domain", "submission")
    if domain := filters.get("domain"):
        findings = (findings.filter(domain__isnull=True) if domain == NONE
                    else findings.filter(domain__key=domain))
    if organisation := filters.get("organisation"):
        findings = findings.filter(organisation_id__in=tree.descendants(int(organisation)))
    if polarity := filters.get("polarity"):
        findings = findings.filter(polarity=polarity)
    if text := filters.get("q"):
        findings = findings.filter(text__icontains=text)
    if theme := filters.get("theme"):
        findings = (without_theme(findings) if theme == NONE
                    else with_theme(findings, next(t.id for t in themes if t.key == theme)))

    base = reverse("findings", kwargs={"slug": review.slug})
    page = Paginator(IdsFirst(findings, version=version),
                     present.PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {name: form.value_of(name) for name in FINDING_FILTERS if name in filters}
    labels = {
        ("text" if name == "q" else form.LABELS[name].lower()):
            (filters[name] if name == "q" else form.choice_label(name, filters[name]))
        for name in FINDING_FILTERS if name in filters
    }
    context = {
        "review": review,
        "form": form,
        "filters": kept,
        "summary": present.filter_summary(labels),
        "errors": form.error_list(),
        "count": page.paginator.count,
        "page": page,
        "rows": present.finding_rows(page.object_list, slug=review.slug, tree=tree),
        "pagination": present.pagination(page, base=base, params=kept),
        "items": {
            "domain": present.select_items(form.fields["domain"].choices, kept.get("domain"),
                                           any_label="Any domain"),
            "theme": present.select_items(form.fields["theme"].choices, kept.get("theme"),
                                          any_label="Any theme"),
            "organisation": present.select_items(
                form.fields["organisation"].choices, kept.get("organisation"),
                any_label="Any organisation"),
            "polarity": present.select_items(form.fields["polarity"].choices,
                                             kept.get("polarity"), any_label="Any polarity"),
        },
        "query": form.value_of("q"),
        "base": base,
        "breadcrumbs": breadcrumbs(review),
        "nav": review_nav(review, "findings", show_report=access.sees_all_submitted,
                          show_coding=access.has("code_findings")),
    }
    # HTMX asks for the results region only; a history restore needs the whole page.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "findings/_results.html", context)
    return render(request, "findings/list.html", context)


def scoped_finding(access, finding_id: int) -> Finding:
    """One finding the user may see, or 404."""
    return get_object_or_404(
        Finding.objects.visible_to(access).select_related(
            "domain", "submission", "source_document", "organisation", "review__framework"
        ),
        pk=finding_id,
    )


def finding_context(request, review, access, finding, *, messages=(), error: str = "") -> dict:
    """The finding page's context; its coding panel (findings/_coding.html) uses the same."""
    codes = list(
        Code.objects.filter(finding__in=Finding.objects.visible_to(access).filter(pk=finding.pk))
        .select_related("theme", "analysis_run", "confirmed_by")
        .order_by("origin", "rank", "theme__position")
    )
    recommendations = Recommendation.objects.visible_to(access).filter(findings=finding)
    detail = present.finding_detail(
        finding, slug=review.slug, tree=organisation_tree(), codes=codes,
        counted=counted_themes(codes).get(finding.id, set()),
        recommendations=list(recommendations),
    )
    coding = None
    if access.has("code_findings"):
        coding = coding_controls(
            slug=review.slug, finding_id=finding.id, themes=list(review.framework.themes.all()),
            decided=[c.theme_key for c in detail.human_codes], polarity=finding.polarity,
            polarity_origin=finding.polarity_origin, messages=messages, error=error,
        )
    similar = similar_findings(findings=Finding.objects.visible_to(access), finding=finding)
    return {
        "review": review,
        "finding": detail,
        "similar": present.similar_rows(similar, slug=review.slug, tree=organisation_tree()),
        "coding": coding,
        "breadcrumbs": breadcrumbs(
            review, ("Findings", reverse("findings", kwargs={"slug": review.slug}))
        ),
        "nav": review_nav(review, "findings", show_report=access.sees_all_submitted,
                          show_coding=access.has("code_findings")),
    }


@login_required
def finding_detail(request, slug, finding_id):
    review, access = review_and_access(request, slug)
    finding = scoped_finding(access, finding_id)
    notes = [str(m) for m in get_messages(request)]
    return render(request, "findings/detail.html",
                  finding_context(request, review, access, finding, messages=notes))
