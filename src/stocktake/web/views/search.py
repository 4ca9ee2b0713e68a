"""A review's search page: full text over findings, submissions and memos (and whatever else
registers as a source), ranked, with the findings list's filters, paginated; HTMX swaps the
results in place (the page works as a plain GET form without JavaScript)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.vary import vary_on_headers

from stocktake.assess.counts import data_version
from stocktake.assess.search import query as search_query
from stocktake.assess.search.sources import Scope, SearchFilters, searchable
from stocktake.assess.search.terms import parse
from stocktake.collect.models import Finding, scope_key
from stocktake.collect.paging import cached_list, key_of
from stocktake.reviews.frameworks import items_of
from stocktake.web.kept import kept as kept_part
from stocktake.web.macro_memo import Keyed
from stocktake.web.memo_forms import SearchForm
from stocktake.web.presenters import findings as present
from stocktake.web.presenters import search as present_search
from stocktake.web.views.base import organisation_tree, review_page
from stocktake.web.views.findings import first_if_below

PAGE_SIZE = 20
FIELDS = ("q", "kind", "domain", "theme", "organisation", "polarity")


@login_required
@vary_on_headers("HX-Request")
def search_page(request, slug):
    page = review_page(request, slug, current="search")
    review, access = page.review, page.access
    domains, themes = items_of(review.framework)
    tree = organisation_tree()
    sources = searchable(access)
    version = data_version(review)
    scope = key_of(*scope_key(access))
    named = tree.version is not None
    visible = Finding.objects.visible_to(access)
    org_choices = kept_part(
        ("organisation choices", scope, version, tree.version) if named else None,
        lambda: present.organisation_choices(
            cached_list(
                visible.order_by().values_list("organisation_id", flat=True).distinct(),
                version=version,
                key=f"{scope}:organisations",
            ),
            tree,
        ),
    )
    form = SearchForm(
        request.GET or None,
        domains=present.domain_choices(domains),
        themes=present.theme_choices(themes),
        organisations=org_choices,
        kinds=present_search.kind_choices(sources),
    )
    values = form.filters()
    terms = parse(values.get("q", ""))
    filters = SearchFilters(
        domain=values.get("domain", ""),
        theme=values.get("theme", ""),
        organisation=int(values["organisation"]) if values.get("organisation") else None,
        polarity=values.get("polarity", ""),
        kinds=(values["kind"],) if values.get("kind") else (),
    )
    results = search_query.search(
        scope=Scope(access=access, tree=tree, domains=tuple(domains), themes=tuple(themes)),
        terms=terms,
        filters=filters,
        version=version,
    )
    shown = Paginator(results, PAGE_SIZE).get_page(first_if_below(request.GET.get("page")))
    base = reverse("search", kwargs={"slug": slug})
    kept = {name: form.value_of(name) for name in FIELDS if name in values}
    found = search_query.load(access, list(shown.object_list))
    context = page.context(
        form=form,
        errors=form.error_list(),
        base=base,
        query=form.value_of("q"),
        searched=bool(terms),
        count=shown.paginator.count,
        page=shown,
        rows=present_search.search_rows(found, terms=terms, slug=slug, tree=tree),
        pagination=present.pagination(shown, base=base, params=kept),
        items={
            "kind": present.select_items(
                form.fields["kind"].choices, kept.get("kind"), any_label="Everything"
            ),
            "domain": present.select_items(
                form.fields["domain"].choices, kept.get("domain"), any_label="Any domain"
            ),
            "theme": present.select_items(
                form.fields["theme"].choices, kept.get("theme"), any_label="Any theme"
            ),
            # Hundreds of options, drawn once per scope, data and chosen value (as the
            # findings list does).
            "organisation": kept_part(
                ("organisation items", scope, version, tree.version, kept.get("organisation"))
                if named
                else None,
                lambda: Keyed(
                    present.select_items(
                        org_choices, kept.get("organisation"), any_label="Any organisation"
                    )
                ),
            ),
            "polarity": present.select_items(
                form.fields["polarity"].choices, kept.get("polarity"), any_label="Any polarity"
            ),
        },
        searched_in=", ".join(s.label.lower() for s in sources),
    )
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "search/_results.html", context)
    return render(request, "search/search.html", context)
