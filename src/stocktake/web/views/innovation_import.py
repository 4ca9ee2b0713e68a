"""Importing innovations from a spreadsheet: upload, preview (columns and every row's
problem), import all or nothing, and the result.

The uploaded file waits under ``MEDIA_ROOT/innovation-imports/`` between the preview and
the import, named by the user's id and a random token (another user's token finds
nothing); it is removed once imported or cancelled.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stocktake.collect.importers.errors import ImportInputError
from stocktake.core.errors import InvalidInput, NotAllowed
from stocktake.reviews.orgtree import OrgTree
from stocktake.track import actions
from stocktake.track import innovation_queries as queries
from stocktake.track.innovation_import import FIELD_LABELS, read_plan
from stocktake.track.scopes import innovation_scope, innovations_visible_to
from stocktake.web.innovation_forms import ImportUploadForm
from stocktake.web.presenters import innovations as present

TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,60}$")
SESSION_KEY = "innovation_import"
PREVIEW_ROWS = 50


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "innovation-imports"


def _staged(request, token: str) -> tuple[Path, str] | None:
    """The staged file of ``token`` for this user, and its original name; None if gone."""
    if not TOKEN.match(token):
        return None
    for path in _folder().glob(f"{request.user.pk}-{token}.*"):
        name = path.with_suffix(".name")
        if path.suffix != ".name" and name.exists():
            return path, name.read_text(encoding="utf-8")
    return None


def _discard(request, token: str) -> None:
    if TOKEN.match(token):
        for path in _folder().glob(f"{request.user.pk}-{token}.*"):
            path.unlink(missing_ok=True)


def _may_import(request):
    scope = innovation_scope(request.user)
    if not (scope.logs_for is None or scope.logs_for):
        raise PermissionDenied("You may not log innovations for any organisation")
    return scope


@login_required
def upload(request):
    _may_import(request)
    form = ImportUploadForm(request.POST if request.method == "POST" else None,
                            request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        token = secrets.token_urlsafe(24)
        folder = _folder()
        folder.mkdir(parents=True, exist_ok=True)
        suffix = Path(upload_file.name).suffix.lower()
        with open(folder / f"{request.user.pk}-{token}{suffix}", "wb") as out:
            for chunk in upload_file.chunks():
                out.write(chunk)
        (folder / f"{request.user.pk}-{token}.name").write_text(
            Path(upload_file.name).name[:200], encoding="utf-8")
        return redirect("innovation_import_preview", token=token)
    return render(request, "innovations/import.html", {
        "breadcrumbs": present.crumbs(), "errors": form.error_list() if form.is_bound else [],
        "fields": FIELD_LABELS.values(),
    })


def _mapping(params) -> dict[int, str]:
    """The user's column choices: ``column-3=title`` (or empty: not imported)."""
    chosen = {}
    for key, value in params.items():
        if key.startswith("column-") and key[7:].isdigit() and (value in FIELD_LABELS
                                                                 or value == ""):
            chosen[int(key[7:])] = value
    return chosen


def _plan(request, token: str, scope, mapping: dict[int, str]):
    staged = _staged(request, token)
    if staged is None:
        raise Http404("That upload is no longer here; upload the file again")
    path, name = staged
    try:
        return read_plan(path.read_bytes(), name, tree=OrgTree.shared(),
                         may_log_for=scope.may_log_for, mapping=mapping), None
    except ImportInputError as exc:
        return None, str(exc)


@login_required
def preview(request, token):
    scope = _may_import(request)
    mapping = _mapping(request.POST if request.method == "POST" else request.GET)
    plan, failure = _plan(request, token, scope, mapping)
    if request.method == "POST" and plan is not None and not failure:
        try:
            made = actions.import_innovations(plan=plan, by=request.user)
        except (InvalidInput, NotAllowed) as exc:
            failure = str(exc).splitlines()[0]
        else:
            _discard(request, token)
            request.session[SESSION_KEY] = {"file": plan.file_name,
                                            "ids": [i.pk for i in made][:5000]}
            return redirect("innovation_import_result")
    problems = ([failure] if failure else []) + (plan.problems if plan else [])
    return render(request, "innovations/import_preview.html", {
        "breadcrumbs": present.crumbs(("Import innovations", reverse("innovation_import"))),
        "plan": plan, "problems": problems, "token": token,
        "errors": [{"text": problems[0] if len(problems) == 1 else
                    f"{len(problems)} problems in the file; nothing can be imported until "
                    "they are put right", "href": "#problems"}] if problems else [],
        "column_items": [
            {"index": i, "header": c.header, "items": [{"value": "", "text": "Not imported",
                                                        "selected": not c.field}] + [
                {"value": key, "text": label, "selected": key == c.field}
                for key, label in FIELD_LABELS.items()]}
            for i, c in enumerate(plan.columns)] if plan else [],
        "mapping": {f"column-{i}": c.field or "" for i, c in enumerate(plan.columns)}
        if plan else {},
        "rows": plan.rows[:PREVIEW_ROWS] if plan else [], "more": max(
            0, len(plan.rows) - PREVIEW_ROWS) if plan else 0,
    })


@login_required
@require_POST
def cancel(request, token):
    _discard(request, token)
    messages.success(request, "Import cancelled; nothing was imported.")
    return redirect("innovations")


@login_required
def result(request):
    done = request.session.get(SESSION_KEY)
    if not done:
        return redirect("innovations")
    shown = queries.rows(innovations_visible_to(request.user).filter(pk__in=done["ids"]))
    return render(request, "innovations/import_result.html", {
        "breadcrumbs": present.crumbs(), "file": done["file"], "count": len(done["ids"]),
        "rows": [present.row(i) for i in shown[:200]],
    })
