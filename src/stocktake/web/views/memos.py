"""Memos: the review's Memos page (filters, pagination, CSV), and writing, editing and
deleting one (forms that post and redirect back with a notice; without JavaScript).

Memos are for leads and reviewers (``code_findings``): everyone else gets a 403 here and
sees no memo anywhere (``Memo.objects.visible_to``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from stocktake.assess import actions
from stocktake.assess import memos as queries
from stocktake.assess.models import MemoKind
from stocktake.collect.models import Finding
from stocktake.core.errors import EditConflict, StocktakeError
from stocktake.reviews.frameworks import items_of
from stocktake.reviews.models import Organisation
from stocktake.web.memo_forms import MemoFilterForm, MemoForm
from stocktake.web.presenters import memos as present
from stocktake.web.presenters.findings import pagination, select_items
from stocktake.web.presenters.links import with_query
from stocktake.web.views.base import ReviewPage, organisation_tree, review_page
from stocktake.web.views.findings import first_if_below
from stocktake.web.views.report_write import kept_revision, posted_revision

CAPABILITY = "code_findings"
ABOUT = ("finding", "theme", "organisation", "review")


def _page(request, slug: str, *, trail: bool = True) -> ReviewPage:
    return review_page(
        request,
        slug,
        current="memos",
        require=CAPABILITY,
        trail=[("Memos", reverse("memos", kwargs={"slug": slug}))] if trail else (),
    )


def _back(request, slug: str, value: str | None) -> str:
    """Where to return: a page of this site (``next``), else the Memos page."""
    if (
        value
        and value.startswith("/")
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return reverse("memos", kwargs={"slug": slug})


@login_required
def memos_page(request, slug):
    page = _page(request, slug, trail=False)
    access = page.access
    tree = organisation_tree()
    authors = queries.authors(access)
    form = MemoFilterForm(
        request.GET or None, authors=[(str(u.pk), present.person(u)) for u in authors]
    )
    chosen = form.filters()
    filters = queries.MemoFilters(
        kind=chosen.get("kind", ""),
        author=int(chosen["author"]) if "author" in chosen else None,
        text=chosen.get("q", ""),
    )
    base = reverse("memos", kwargs={"slug": slug})
    results = Paginator(queries.filter_memos(access, filters), present.PAGE_SIZE).get_page(
        first_if_below(request.GET.get("page"))
    )
    kept = {name: form.value_of(name) for name in ("kind", "author", "q") if name in chosen}
    return render(
        request,
        "memos/list.html",
        page.context(
            form=form,
            errors=form.error_list(),
            base=base,
            count=results.paginator.count,
            rows=present.memo_rows(
                results.object_list,
                slug=slug,
                tree=tree,
                back=with_query(base, {**kept, "page": request.GET.get("page")}),
            ),
            pagination=pagination(results, base=base, params=kept),
            items={
                "kind": select_items(MemoKind.choices, kept.get("kind"), any_label="Anything"),
                "author": select_items(
                    form.fields["author"].choices, kept.get("author"), any_label="Anyone"
                ),
            },
            query=form.value_of("q"),
            filtered=bool(kept),
            export=with_query(reverse("memos_export", kwargs={"slug": slug}), kept),
            panel=present.memo_panel(
                [],
                slug=slug,
                tree=tree,
                about="review",
                subject_id=None,
                back=base,
                heading="Write a memo about the review",
            ),
        ),
    )


@login_required
def memos_export(request, slug):
    page = _page(request, slug)
    authors = queries.authors(page.access)
    form = MemoFilterForm(
        request.GET or None, authors=[(str(u.pk), present.person(u)) for u in authors]
    )
    chosen = form.filters()
    filters = queries.MemoFilters(
        kind=chosen.get("kind", ""),
        author=int(chosen["author"]) if "author" in chosen else None,
        text=chosen.get("q", ""),
    )
    body = present.memos_csv(
        queries.filter_memos(page.access, filters).iterator(chunk_size=500),
        slug=slug,
        tree=organisation_tree(),
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-memos.csv"'
    return response


def _subject(page: ReviewPage, about: str, subject_id: str | None) -> dict:
    """The keyword arguments of ``add_memo`` naming what the memo is about; 404 for a
    subject outside the review or out of the user's sight."""
    if about not in ABOUT:
        raise Http404("Memos are about a finding, a theme, an organisation or the review")
    if about == "review":
        return {}
    if not (subject_id or "").isdigit():
        raise Http404("No such subject")
    pk = int(subject_id)
    if about == "finding":
        finding = Finding.objects.visible_to(page.access).filter(pk=pk).first()
        if finding is None:
            raise Http404("No such finding")
        return {"finding": finding}
    if about == "theme":
        theme = next((t for t in items_of(page.review.framework).themes if t.pk == pk), None)
        if theme is None:
            raise Http404("No such theme")
        return {"theme": theme}
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise Http404("No such organisation")
    return {"organisation": organisation}


def _subject_text(subject: dict) -> str:
    if "finding" in subject:
        return f"finding {subject['finding'].pk}"
    if "theme" in subject:
        return f"the theme “{subject['theme'].name}”"
    if "organisation" in subject:
        return organisation_tree().name(subject["organisation"].pk)
    return "the review"


@login_required
def memo_add(request, slug):
    """GET: a page to write a memo (``?about=finding&id=12&next=…``); POST: write it."""
    page = _page(request, slug)
    values = request.POST if request.method == "POST" else request.GET
    about, subject_id = values.get("about", "review"), values.get("id")
    subject = _subject(page, about, subject_id)
    back = _back(request, slug, values.get("next"))
    error, text = "", ""
    if request.method == "POST":
        form = MemoForm(request.POST)
        text = request.POST.get("text", "")
        if form.is_valid():
            try:
                actions.add_memo(
                    review=page.review, text=form.cleaned_data["text"], by=request.user, **subject
                )
            except StocktakeError as exc:
                error = str(exc)
            else:
                messages.success(request, f"Memo about {_subject_text(subject)} saved.")
                return redirect(back)
        else:
            error = form.errors["text"][0]
    response = render(
        request,
        "memos/form.html",
        page.context(
            heading=f"Write a memo about {_subject_text(subject)}",
            action=request.path,
            about=about,
            subject_id=subject_id,
            back=back,
            text=text,
            error=error,
            revision=None,
        ),
    )
    if error:
        response.status_code = 400
    return response


def _memo(page: ReviewPage, memo_id: int):
    row = queries.memo(page.access, memo_id)
    if row is None:
        raise Http404("No such memo")
    return row


@login_required
def memo_edit(request, slug, memo_id):
    page = _page(request, slug)
    memo = _memo(page, memo_id)
    values = request.POST if request.method == "POST" else request.GET
    back = _back(request, slug, values.get("next"))
    text, revision, error, theirs = memo.text, memo.revision, "", ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        form = MemoForm(request.POST)
        try:
            expected = posted_revision(request.POST)
            if not form.is_valid():
                raise StocktakeError(form.errors["text"][0])
            actions.update_memo(
                memo=memo,
                text=form.cleaned_data["text"],
                by=request.user,
                expected_revision=expected,
            )
        except EditConflict as exc:
            error, theirs = str(exc), memo.text
            revision = kept_revision(request.POST, memo.revision)
        except StocktakeError as exc:
            error, revision = str(exc), kept_revision(request.POST, memo.revision)
        else:
            messages.success(request, "Memo saved.")
            return redirect(back)
    about_text, about_href = present.about(memo, slug=slug, tree=organisation_tree())
    response = render(
        request,
        "memos/form.html",
        page.context(
            heading="Edit a memo",
            action=request.path,
            back=back,
            text=text,
            error=error,
            revision=revision,
            theirs=theirs,
            about_text=about_text,
            about_href=about_href,
        ),
    )
    if error:
        response.status_code = 409 if theirs else 400
    return response


@login_required
def memo_delete(request, slug, memo_id):
    page = _page(request, slug)
    memo = _memo(page, memo_id)
    values = request.POST if request.method == "POST" else request.GET
    back = _back(request, slug, values.get("next"))
    error = ""
    if request.method == "POST":
        try:
            actions.delete_memo(
                memo=memo, by=request.user, expected_revision=posted_revision(request.POST)
            )
        except StocktakeError as exc:
            error = str(exc)
        else:
            messages.success(request, "Memo deleted.")
            return redirect(back)
    [row] = present.memo_rows([memo], slug=slug, tree=organisation_tree())
    response = render(
        request,
        "memos/delete.html",
        page.context(memo=row, action=request.path, back=back, error=error),
    )
    if error:
        response.status_code = 409
    return response
