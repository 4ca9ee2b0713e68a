"""Uploading submission files: choose files → preview (and choose) → confirm (or cancel).

Step 1 stores the files in a private staging folder (files that cannot be imported
are named beside the others, never blocking them) and redirects to a preview of what
each would create. In the preview the person importing may change what a table's
column holds, leave items out, and choose the register's organisation for each name
the file gives; "Update preview" keeps those choices with the staged files
(:class:`~stocktake.collect.staging.FileChoices`) and shows the result. Step 2 imports
each file in its own transaction with track.importing.import_document (every part of
a file), all in one import batch (which can be undone: web/views/imports.py), and
removes the staging folder. Every failure is one line naming the file; nothing here raises a server error
for a bad file.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stocktake.collect import actions as collect_actions
from stocktake.collect import preview_cache, staging
from stocktake.collect.importers import SUPPORTED_SUFFIXES
from stocktake.collect.importers.roles import role_choices
from stocktake.collect.models import SavedMapping
from stocktake.collect.theme_matching import choices_from_post
from stocktake.core.errors import StocktakeError
from stocktake.track.imports import liveness
from stocktake.track.imports.actions import queue_import
from stocktake.track.imports.staged import import_staged_file, record_failure
from stocktake.web.collect_forms import UploadForm
from stocktake.web.presenters.collect import (
    file_size,
    organisation_choices,
    organisation_groups,
    organisation_items,
    organisation_lines,
)
from stocktake.web.presenters.imports import wait_view
from stocktake.web.presenters.upload import NEW, PAGE_SIZE, preview_file_view
from stocktake.web.views.base import ReviewPage, organisation_tree, review_page

log = logging.getLogger(__name__)


def _upload_page(request, slug: str, *, step: bool = False) -> ReviewPage:
    """An upload page (leads and reviewers); ``step``: a step after choosing files."""
    trail = [("Upload", reverse("upload", kwargs={"slug": slug}))] if step else []
    return review_page(request, slug, current="upload", require="import_documents", trail=trail)


def _context(page: ReviewPage, **extra):
    return page.context(max_mb=staging.max_bytes() // 1048576,
                        suffixes=", ".join(SUPPORTED_SUFFIXES), **extra)


@login_required
def upload(request, slug):
    page = _upload_page(request, slug)
    review = page.review
    form = UploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()), max_bytes=staging.max_bytes())
    if request.method == "POST" and form.is_valid():
        staged = staging.stage(form.cleaned_data["files"], user_id=request.user.pk,
                               review_id=review.pk, rejected=form.rejected)
        return redirect("upload_preview", slug=review.slug, token=staged.token)
    return render(request, "collect/upload.html", _context(
        page, errors=form.error_list() if form.is_bound else []))


def _staged(request, review, token):
    """The staged upload, or None once it has ended (imported or cancelled)."""
    return staging.load(token, user_id=request.user.pk, review_id=review.pk)


def _ended(request, page: ReviewPage):
    """An upload already imported or cancelled (Back, then Confirm again): say so, with
    where to go next, rather than a bare "Page not found". Still a 404: another user's
    upload, or a made-up token, gets the same answer."""
    return render(request, "collect/upload_ended.html", _context(page), status=404)


def _page_number(value, default: int = 1) -> int:
    return int(value) if str(value or "").isdigit() and int(value) > 0 else default


def _read_choices(post, staged: staging.Staged, review, allowed_orgs: set[int]) -> list[str]:
    """Fold the preview form's choices into ``staged.choices`` (unknown values are ignored);
    returns the names of files whose column roles changed (read again: check them first)."""
    reread = []
    roles = {value for value, _ in role_choices(
        [(d.key, d.name) for d in review.framework.domains.all()])}
    saved = {str(m.pk): m for m in SavedMapping.objects.filter(review=review)}
    for item in staged.files:
        choices = staged.choices_for(item)
        prefix = f"role-{item.index}-"
        changed = {}
        for name in post:
            if not name.startswith(prefix):
                continue
            place = name[len(prefix):]
            header, was, role = (post.get(f"header-{item.index}-{place}", ""),
                                 post.get(f"was-{item.index}-{place}", ""), post.get(name, ""))
            if header and role in roles and role != was:
                changed[header] = role
        use = post.get(f"use-mapping-{item.index}", "")
        if use in saved:
            changed = dict(saved[use].columns)
        if changed:
            choices.columns = {**choices.columns, **changed}
            if choices.exclude:
                reread.append(item.name)
            choices.exclude = []  # the file is read again: its items are no longer the same
        else:
            shown = set(post.getlist(f"shown-{item.index}"))
            ticked = set(post.getlist(f"leave-{item.index}")) & shown
            # A table row that gave several items: ticking it leaves them all out; unticking
            # a row that was ticked brings them all back.
            rows_ticked = set(post.getlist(f"leaverow-{item.index}"))
            rows_were = set(post.getlist(f"rowwas-{item.index}"))
            for row in post.getlist(f"rowshown-{item.index}"):
                keys = set(row.split(",")) & shown
                if row in rows_ticked:
                    ticked |= keys
                elif row in rows_were:
                    ticked -= keys
            choices.exclude = sorted((set(choices.exclude) - shown) | ticked)
        for name in post:
            if name.startswith(f"orgname-{item.index}-"):
                number = name.rsplit("-", 1)[1]
                org_name, value = post.get(name, ""), post.get(f"org-{item.index}-{number}", "")
                new = [n for n in choices.new_organisations if n != org_name]
                if value.isdigit() and int(value) in allowed_orgs:
                    choices.organisations[org_name] = int(value)
                else:
                    choices.organisations.pop(org_name, None)
                    if value == NEW:  # a new organisation, although the register has a likely one
                        new.append(org_name)
                choices.new_organisations = new
        themes = choices_from_post(post, index=item.index, review=review)
        if themes:
            choices.themes = {**choices.themes, **themes}
        default = post.get(f"organisation-{item.index}", None)
        if default is not None:
            choices.organisation = (int(default) if default.isdigit() and int(default) in allowed_orgs
                                    else None)
        if changed and item.name not in reread:
            reread.append(item.name)
    return reread


def _reread_notice(request, names: list[str]) -> None:
    messages.info(request, f"{', '.join(names)}: what the columns hold changed, so the file was read "
                           "again. Check what it gives before confirming; items left out before "
                           "are no longer left out.")


def _allowed_orgs(tree, review) -> set[int]:
    return {pk for pk, _ in organisation_choices(organisation_groups(tree, review.region_id))}


@login_required
def upload_preview(request, slug, token):
    page = _upload_page(request, slug, step=True)
    review = page.review
    staged = _staged(request, review, token)
    if staged is None:
        return _ended(request, page)
    tree = organisation_tree()
    if request.method == "POST":
        reread = _read_choices(request.POST, staged, review, _allowed_orgs(tree, review))
        if reread:
            _reread_notice(request, reread)
        target = request.POST.get("save-mapping", "")
        if target.isdigit():
            _save_mapping(request, review, staged, int(target))
        staging.save_choices(staged)
        go = request.POST.get("goto", "")  # "file:page" from the pager's buttons
        query = {k: v for k, v in request.GET.items() if k.startswith("page-")}
        if ":" in go:
            index, number = go.split(":", 1)
            query[f"page-{index}"] = str(_page_number(number))
        anchor = f"#file-{go.split(':', 1)[0]}" if go else ""
        url = reverse("upload_preview", kwargs={"slug": review.slug, "token": token})
        return redirect(url + (f"?{urlencode(query)}" if query else "") + anchor)
    domains = list(review.framework.domains.all())
    previews = [_preview(review, staged, item, domains, tree) for item in staged.files]
    groups = organisation_groups(tree, review.region_id)
    saved = list(SavedMapping.objects.filter(review=review))
    choices_of_roles = role_choices([(d.key, d.name) for d in domains])
    files = []
    for p in previews:
        item = next(i for i in staged.files if i.index == p.index)
        files.append(preview_file_view(
            p, staged.choices_for(item), page=_page_number(request.GET.get(f"page-{p.index}")),
            roles=choices_of_roles, groups=groups, saved=saved, size=file_size(p.size),
            organisations=organisation_lines(p)))
        files[-1]["wait"] = wait_view(_read_wait(staged, item)) if p.pending else None
        files[-1]["reading"] = preview_cache.reading_progress(staged, item) if p.pending else ""
    errors = ([{"text": r["message"], "href": "#refused"} for r in staged.rejected]
              + [{"text": p.error, "href": f"#file-{p.index}"} for p in previews if p.error])
    show_undecided = request.GET.get("undecided") == "1"  # after a refused confirm
    if show_undecided:
        errors += [{"text": text, "href": href} for text, href in _undecided(previews)]
    needs_org = any(p.needs_organisation and not p.error for p in previews)
    return render(request, "collect/preview.html", _context(
        page, token=token, files=files, errors=errors, rejected=staged.rejected,
        page_size=PAGE_SIZE,
        # Files that would add something: none when every file was imported before.
        importable=[p.index for p in previews if not p.error and not p.already],
        pending=any(p.pending for p in previews), show_undecided=show_undecided,
        all_already=all(p.already for p in previews) and previews,
        organisation_items=organisation_items(groups if needs_org else [],
                                              "Choose an organisation")))


def _preview(review, staged: staging.Staged, item: staging.StagedFile, domains, tree):
    """One file's preview; a large file is read by the background worker, not here."""
    if not preview_cache.is_large(item):
        return staging.preview_file(review, staged, item, domains=domains, tree=tree)
    extraction = preview_cache.cached(staged, item)
    if extraction is None:
        preview_cache.request_read(staged, item)
        wait = _read_wait(staged, item)
        extraction = preview_cache.cached(staged, item)  # read meanwhile?
        if extraction is None and wait is not None and wait.state == liveness.GONE:
            return staging.FilePreview(
                index=item.index, name=item.name, size=item.size,
                error=f"{item.name}: reading it in the background stopped without a result; "
                      "upload it again, or import it with `stocktake import`")
    if extraction is None:
        return staging.FilePreview(index=item.index, name=item.name, size=item.size, pending=True)
    return staging.preview_file(review, staged, item, domains=domains, tree=tree,
                                extraction=extraction)


def _undecided(previews) -> list[tuple[str, str]]:
    """Each name a file gives that the register probably holds, with no choice made yet: the
    message, and the address of its picker."""
    return [(f"{p.name}: choose what “{org.name}” is: {org.likely_match} (the register's, "
             "suggested), another organisation, or a new organisation",
             f"#org-{p.index}-{n}")
            for p in previews if not p.error
            for n, org in enumerate(p.organisations, start=1) if org.undecided]


def _read_wait(staged: staging.Staged, item: staging.StagedFile) -> liveness.Wait | None:
    """How the background read of a large file for the preview is doing."""
    return liveness.wait_for(preview_cache.read_staged_file, args=[
        staged.token, staged.user_id, staged.review_id, item.index, staged.choices_for(item).columns])


def _save_mapping(request, review, staged: staging.Staged, index: int) -> None:
    """"Save this mapping": the file's column roles as shown, under the name given."""
    post = request.POST
    columns = {}
    prefix = f"role-{index}-"
    for name in post:
        if name.startswith(prefix):
            header = post.get(f"header-{index}-{name[len(prefix):]}", "")
            if header:
                columns[header] = post.get(name, "")
    try:
        saved = collect_actions.save_mapping(review=review, name=post.get(f"mapping-name-{index}", ""),
                                             columns=columns, by=request.user)
    except StocktakeError as exc:
        messages.error(request, str(exc))
        return
    messages.success(request, f"Mapping '{saved.name}' saved: choose it for later uploads, or "
                              "download it from Imports for `stocktake import --mapping`.")


def _background(staged: staging.Staged, wanted: list[int]) -> bool:
    """Whether the upload has a file large enough to be imported by the background worker."""
    limit = int(settings.STOCKTAKE_BACKGROUND_IMPORT_MB) * 1024 * 1024
    return any(item.size > limit for item in staged.files if item.index in wanted)


def _not_imported(review, staged: staging.Staged, item: staging.StagedFile, domains) -> str:
    """Why a file the preview offered no import for was left: the preview's own reason."""
    reason = _preview(review, staged, item, domains, organisation_tree()).error
    if not reason:
        return f"{item.name}: not imported; it was not chosen for import"
    return reason if reason.startswith(item.name) else f"{item.name}: {reason}"


@login_required
@require_POST
def upload_confirm(request, slug, token):
    page = _upload_page(request, slug, step=True)
    review = page.review
    staged = _staged(request, review, token)
    if staged is None:
        return _ended(request, page)
    allowed = _allowed_orgs(organisation_tree(), review)
    reread = _read_choices(request.POST, staged, review, allowed)
    if reread:  # never import what the person has not seen
        staging.save_choices(staged)
        _reread_notice(request, reread)
        return redirect("upload_preview", slug=review.slug, token=token)
    wanted = {int(i) for i in request.POST.getlist("file") if i.isdigit()}
    domains = list(review.framework.domains.all())
    tree = organisation_tree()
    undecided = _undecided([_preview(review, staged, item, domains, tree)
                            for item in staged.files if item.index in wanted])
    if undecided:  # a likely match is the person's to accept or refuse, never the import's
        staging.save_choices(staged)
        messages.error(request, "Nothing was imported yet: choose what each name marked below "
                                "is, then confirm again.")
        url = reverse("upload_preview", kwargs={"slug": review.slug, "token": token})
        return redirect(f"{url}?undecided=1{undecided[0][1]}")
    batch = collect_actions.start_import_batch(review=review, by=request.user)
    results = [record_failure(batch, refused["name"], refused["message"], request.user)
               for refused in staged.rejected]
    for item in staged.files:
        if item.index not in wanted:
            results.append(record_failure(batch, item.name, _not_imported(
                review, staged, item, domains), request.user))
    chosen = [item.index for item in staged.files if item.index in wanted]
    if _background(staged, chosen):
        staging.save_choices(staged)
        queue_import(batch=batch, token=staged.token, wanted=chosen, by=request.user)
        return redirect("import_detail", slug=review.slug, batch_id=batch.pk)
    for item in staged.files:
        if item.index in wanted:
            results.append(import_staged_file(review=review, staged=staged, item=item,
                                              by=request.user, batch=batch, allowed=allowed))
    staging.discard(staged)
    return render(request, "collect/results.html", _context(
        page, results=results, batch=batch,
        failed=[{"text": r["message"], "href": "#results"} for r in results if not r["ok"]]))


@login_required
@require_POST
def upload_cancel(request, slug, token):
    review = _upload_page(request, slug).review
    staged = staging.load(token, user_id=request.user.pk, review_id=review.pk)
    if staged is not None:
        staging.discard(staged)
    messages.info(request, "Upload cancelled: nothing was imported.")
    return redirect("upload", slug=review.slug)
