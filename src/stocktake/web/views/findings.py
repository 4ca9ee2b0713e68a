"""The findings list (filters, pagination, HTMX partial) and one finding."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.vary import vary_on_headers

from stocktake.assess.counts import data_version
from stocktake.assess.finding_filters import FindingFilters, filter_findings
from stocktake.assess.memos import memos_about
from stocktake.assess.models import Code
from stocktake.assess.themes import counted_themes
from stocktake.collect.context import neighbours
from stocktake.collect.models import Finding, scope_key
from stocktake.collect.paging import IdsFirst, cached_list, key_of
from stocktake.collect.personal_data import flagged_finding_ids, flags_of, hide_flagged
from stocktake.collect.similarity.queries import being_worked_out, progress, similar_findings
from stocktake.reflection.queries import finding_source
from stocktake.report.models import Recommendation
from stocktake.report.recommendation_queries import citing_by_finding
from stocktake.reviews.frameworks import items_of
from stocktake.reviews.models import Role
from stocktake.web.forms import FindingFilterForm
from stocktake.web.kept import kept as kept_part
from stocktake.web.macro_memo import Keyed
from stocktake.web.presenters import findings as present
from stocktake.web.presenters.coding import coding_controls
from stocktake.web.presenters.documents import context_panel
from stocktake.web.presenters.links import FINDING_FILTERS, NONE, with_query
from stocktake.web.presenters.memos import memo_panel
from stocktake.web.presenters.personal_data import personal_data_panel
from stocktake.web.views.base import ReviewPage, organisation_tree, review_page


@login_required
@vary_on_headers("HX-Request")
def findings_list(request, slug):
    page = review_page(request, slug, current="findings")
    review = page.review
    visible = Finding.objects.visible_to(page.access)
    version = data_version(review)
    scope = key_of(*scope_key(page.access))  # names the user's findings in what is kept
    domains, themes = items_of(review.framework)
    tree = organisation_tree()
    # The organisation choices (hundreds) and the select's items are kept per scope, data
    # and organisations version (and the chosen value), not rebuilt on every request.
    named = tree.version is not None
    org_choices = kept_part(("organisation choices", scope, version, tree.version)
                            if named else None,
                            lambda: present.organisation_choices(cached_list(
                                visible.order_by().values_list("organisation_id", flat=True)
                                .distinct(), version=version, key=f"{scope}:organisations"),
                                tree))
    form = FindingFilterForm(
        request.GET or None,
        domains=present.domain_choices(domains),
        themes=present.theme_choices(themes),
        organisations=org_choices,
    )
    filters = form.filters()
    chosen = FindingFilters.from_values(filters)

    with_rows = visible.select_related("domain", "submission")
    # The filtered ids are kept under the scope, the filters and what they resolve to (an
    # organisation's subtree); the query itself is built only when they are not kept.
    below = (sorted(tree.descendants(chosen.organisation)) if chosen.organisation is not None
             else None)
    results = Paginator(
        IdsFirst(lambda: filter_findings(with_rows, chosen, tree=tree, themes=themes),
                 version=version, rows=with_rows.only(*present.ROW_FIELDS),
                 key=key_of(scope, repr(chosen), below)),
        present.PAGE_SIZE).get_page(first_if_below(request.GET.get("page")))
    base = reverse("findings", kwargs={"slug": review.slug})
    kept = {name: form.value_of(name) for name in FINDING_FILTERS if name in filters}
    labels = {
        ("text" if name == "q" else form.LABELS[name].lower()):
            (filters[name] if name == "q" else form.choice_label(name, filters[name]))
        for name in FINDING_FILTERS if name in filters
    }
    context = page.context(**{
        "form": form,
        "filters": kept,
        "summary": present.filter_summary(labels),
        "errors": form.error_list(),
        "count": results.paginator.count,
        "page": results,
        "rows": present.finding_rows(hide_flagged(results.object_list, page.access),
                                     slug=review.slug, tree=tree),
        "pagination": present.pagination(results, base=base, params=kept),
        "items": {
            "domain": present.select_items(form.fields["domain"].choices, kept.get("domain"),
                                           any_label="Any domain"),
            "theme": present.select_items(form.fields["theme"].choices, kept.get("theme"),
                                          any_label="Any theme"),
            "organisation": kept_part(
                ("organisation items", scope, version, tree.version, kept.get("organisation"))
                if named else None,
                lambda: Keyed(present.select_items(org_choices, kept.get("organisation"),
                                                   any_label="Any organisation"))),
            "polarity": present.select_items(form.fields["polarity"].choices,
                                             kept.get("polarity"), any_label="Any polarity"),
        },
        "query": form.value_of("q"),
        "base": base,
        "memos": theme_memos(page, chosen.theme, themes, tree=tree,
                             back=with_query(base, {**kept, "page": request.GET.get("page")})),
    })
    # HTMX asks for the results region only; a history restore needs the whole page.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "findings/_results.html", context)
    return render(request, "findings/list.html", context)


def theme_memos(page: ReviewPage, key: str, themes, *, tree, back: str):
    """The memos about the theme the list is filtered to, with a form to add one (leads and
    reviewers only; None otherwise)."""
    if not key or key == NONE or not page.access.has("code_findings"):
        return None
    theme = next((t for t in themes if t.key == key), None)
    if theme is None:
        return None
    return memo_panel(memos_about(page.access, theme=theme), slug=page.review.slug, tree=tree,
                      about="theme", subject_id=theme.pk, back=back,
                      heading=f"Memos about the theme “{theme.name}”")


def scoped_finding(page: ReviewPage, finding_id: int, *, related: tuple[str, ...] = ()) -> Finding:
    """One finding of the page's review that the user may see, or 404.

    Its review is the page's (already read), not joined again; ``related`` names what
    else to select with it (the finding page needs none of its organisation's row: the
    organisation tree names it). Fewer joins: PostgreSQL planned the eight-table
    query in about 1.4 ms, longer than it took to run."""
    finding = get_object_or_404(
        Finding.objects.visible_to(page.access).select_related(
            "domain", "submission__participant", "source_document", *related).order_by(),
        pk=finding_id,
    )
    finding.review = page.review
    return finding


def first_if_below(number: str | None) -> str | None:
    """?page=0 or below means the first page: Django's get_page would give the last."""
    return "1" if number and number.lstrip("-").isdigit() and int(number) < 1 else number


def finding_page(request, slug: str, *, require: str | None = None) -> ReviewPage:
    """A finding's page (under Findings in the menu, with Findings in its breadcrumbs)."""
    return review_page(request, slug, current="findings", require=require,
                       trail=[("Findings", reverse("findings", kwargs={"slug": slug}))])


def finding_context(page: ReviewPage, finding, *, messages=(), error: str = "") -> dict:
    """The finding page's context; its coding panel (findings/_coding.html) uses the same.

    ``messages``: the panel's own note after an HTMX decision (a full page shows
    notices in its layout instead).

    What is the same for every finding of the review is kept in this process until the
    next action (``tree.version`` holds the newest audit event, which every action
    writes): which findings have personal-data flags, which recommendations the user
    may see cite which finding, and how far similar findings are worked out."""
    review, access = page.review, page.access
    tree = organisation_tree()  # once per request
    version = tree.version  # None: a tree not shared, nothing kept by it
    flagged = kept_part(version and ("flagged findings", review.pk, version),
                        lambda: flagged_finding_ids(review.pk))
    codes = list(
        Code.objects.filter(finding__in=Finding.objects.visible_to(access).filter(pk=finding.pk))
        .select_related("theme", "analysis_run", "confirmed_by")
        .order_by("origin", "rank", "theme__position")
    )
    citing = kept_part(
        version and ("citing recommendations", review.pk, access.sees_all_submitted,
                     tuple(sorted(access.own_organisations(Role.ACTION_OWNER))), version),
        lambda: citing_by_finding(Recommendation.objects.visible_to(access)))
    similar = similar_findings(access=access, finding=finding)
    before, after = neighbours(finding, Finding.objects.visible_to(access))
    shown = [finding, *(f for f, _ in similar), *before, *after]
    if flagged & {f.pk for f in shown}:
        # everyone but leads sees flagged items replaced (one query for all of them)
        hide_flagged(shown, access)
    detail = present.finding_detail(
        finding, slug=review.slug, tree=tree, codes=codes,
        counted=counted_themes(codes).get(finding.id, set()),
        recommendations=citing.get(finding.pk, []),
        session=_session_source(access, finding, review.slug),
    )
    coding = memos = None
    if access.has("code_findings"):
        coding = coding_controls(
            slug=review.slug, finding_id=finding.id, themes=list(items_of(review.framework).themes),
            decided=[c.theme_key for c in detail.human_codes], polarity=finding.polarity,
            polarity_origin=finding.polarity_origin, messages=messages, error=error,
        )
        memos = memo_panel(memos_about(access, finding=finding), slug=review.slug, tree=tree,
                           about="finding", subject_id=finding.id,
                           back=reverse("finding", kwargs={"slug": review.slug,
                                                           "finding_id": finding.id}),
                           heading="Memos")
    return page.context(
        in_document=context_panel(finding, before, after, slug=review.slug),
        finding=detail,
        similar=present.similar_rows(similar, slug=review.slug, tree=tree),
        similar_pending=not similar and being_worked_out(finding, kept_part(
            version and ("similar findings progress", review.pk, version),
            lambda: progress(review.pk))),
        coding=coding,
        memos=memos,
        personal_data=personal_data_panel(
            flags_of(finding, access) if finding.pk in flagged else [],
            slug=review.slug, finding_id=finding.id),
    )


def _session_source(access, finding, slug: str) -> tuple[str, str] | None:
    """The reflection session a finding was made from, as (title, address); ("", "") for one
    the user may not open; None when it came from elsewhere."""
    if finding.source_document_id is not None:
        return None
    made, session = finding_source(access, finding.pk)
    if not made:
        return None
    if session is None:
        return ("", "")
    return (session.title, reverse("session", kwargs={"slug": slug, "session_id": session.pk}))


@login_required
def finding_detail(request, slug, finding_id):
    page = finding_page(request, slug)
    finding = scoped_finding(page, finding_id)
    return render(request, "findings/detail.html", finding_context(page, finding))
