"""Evidence in context: a source document's findings in reading order (the one asked for
highlighted), its original for those who see all submitted material, and splitting a
finding in two or merging it with a neighbour (leads and reviewers)."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from stocktake.assess.reshape.actions import merge_findings, split_finding
from stocktake.collect import context as incontext
from stocktake.collect.files import uploads
from stocktake.collect.models import Finding
from stocktake.collect.personal_data import hide_flagged
from stocktake.core.errors import InvalidInput, NotAllowed
from stocktake.web.presenters import documents as present
from stocktake.web.presenters.links import finding_url
from stocktake.web.views.base import organisation_tree
from stocktake.web.views.findings import finding_page, scoped_finding

MERGE_CHOICES = 3  # neighbours offered on each side


def _document(page, document_id):
    findings = Finding.objects.visible_to(page.access)
    document = incontext.document_for(page.review, document_id, findings)
    if document is None:
        raise Http404("No such document")
    return document, findings


@login_required
def document(request, slug, document_id):
    page = finding_page(request, slug)
    document, findings = _document(page, document_id)
    wanted = request.GET.get("finding", "")
    finding = findings.filter(pk=int(wanted)).first() if wanted.isdigit() else None
    number = request.GET.get("page", "1")
    shown = incontext.document_page(document, findings, finding=finding,
                                    page=int(number) if number.isdigit() else 1)
    hide_flagged(shown.findings, page.access)
    organisations = {f.organisation_id for f in shown.findings}
    tree = organisation_tree()
    return render(request, "findings/document.html", page.context(
        document=document, shown=shown,
        rows=present.rows(shown.findings, slug=slug, current_id=finding.pk if finding else None),
        organisations=sorted(tree.name_with_system(o) for o in organisations),
        download=reverse("document_download", kwargs={"slug": slug, "document_id": document.pk})
        if page.access.has("view_all_submitted") else "",
        previous=present.document_url(slug, document.pk, page=shown.number - 1)
        if shown.number > 1 else "",
        following=present.document_url(slug, document.pk, page=shown.number + 1)
        if shown.number < shown.pages else "",
    ))


@login_required
def document_download(request, slug, document_id):
    page = finding_page(request, slug, require="view_all_submitted")
    document, _findings = _document(page, document_id)
    storage = uploads()
    if not document.stored_path or not storage.exists(document.stored_path):
        raise Http404("The original of this document is no longer stored")
    kind = mimetypes.guess_type(document.original_name)[0] or "application/octet-stream"
    return FileResponse(storage.open(document.stored_path, "rb"), as_attachment=True,
                        filename=document.original_name, content_type=kind)


@login_required
@require_http_methods(["GET", "POST"])
def split(request, slug, finding_id):
    page = finding_page(request, slug, require="code_findings")
    finding = scoped_finding(page, finding_id)
    hide_flagged([finding], page.access)
    (first, second), error = _suggest_split(finding.text), ""
    if request.method == "POST":
        first, second = request.POST.get("first", ""), request.POST.get("second", "")
        try:
            new = split_finding(finding=finding, first=first, second=second, by=request.user)
        except (InvalidInput, NotAllowed) as exc:
            error = str(exc)
        else:
            messages.success(request, f"Split in two: the second part is finding {new.pk}, "
                             "waiting to be coded.")
            return redirect(finding_url(slug, finding.pk))
    return render(request, "findings/split.html", page.context(
        finding=finding, first=first, second=second, error=error,
        cancel=finding_url(slug, finding.pk),
    ), status=400 if error else 200)


def _suggest_split(text: str) -> tuple[str, str]:
    """Where to split by default: after the sentence that ends nearest the middle."""
    ends = [i + 1 for i, ch in enumerate(text[:-1]) if ch in ".;:!?" and text[i + 1] == " "]
    if not ends:
        words = text.split(" ")
        half = max(1, len(words) // 2)
        return " ".join(words[:half]), " ".join(words[half:])
    cut = min(ends, key=lambda i: abs(i - len(text) / 2))
    return text[:cut].strip(), text[cut:].strip()


@login_required
@require_http_methods(["GET", "POST"])
def merge(request, slug, finding_id):
    page = finding_page(request, slug, require="code_findings")
    finding = scoped_finding(page, finding_id)
    findings = Finding.objects.visible_to(page.access)
    before, after = incontext.neighbours(finding, findings, around=MERGE_CHOICES)
    choices = {f.pk: f for f in [*before, *after]}
    error = ""
    if request.method == "POST":
        other = request.POST.get("other", "")
        other = choices.get(int(other)) if other.isdigit() else None
        if other is None:
            error = "Choose the finding to merge with"
        else:
            keep, absorb = (other, finding) if other in before else (finding, other)
            try:
                merge_findings(keep=keep, absorb=absorb, by=request.user)
            except (InvalidInput, NotAllowed) as exc:
                error = str(exc)
            else:
                messages.success(request, f"Merged: finding {absorb.pk} is now part of this one.")
                return redirect(finding_url(slug, keep.pk))
    hide_flagged([finding, *choices.values()], page.access)
    return render(request, "findings/merge.html", page.context(
        finding=finding, error=error, cancel=finding_url(slug, finding.pk),
        items=[{"value": str(f.pk), "text": f.text,
                "hint": {"text": "Before this finding" if f in before else "After this finding"}}
               for f in [*before, *after]],
    ), status=400 if error else 200)
