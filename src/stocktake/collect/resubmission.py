"""Warnings when a file looks like a second copy of something already imported.

A participant who re-sends an edited version of their file would otherwise double
their findings silently. Nothing is deleted: the upload preview and the import
result (``ImportResult.problems``, also printed by ``stocktake import``) say that the
organisation already has an imported submission, and how many of the new findings
repeat findings already recorded for it (exact matches of the normalised text).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from django.utils import timezone

from stocktake.collect.models import Finding, SourceDocument, Submission
from stocktake.core.text import plural
from stocktake.reviews.models import Organisation, Review


def normalise(text: str) -> str:
    """Lower case, punctuation and bullets dropped, spaces collapsed."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _day(value) -> str:
    return f"{timezone.localtime(value):%-d %B %Y}" if value else "an earlier date"


def warnings(review: Review, *, name: str, texts_by_org: Mapping[int, Sequence[str]],
             exclude_document: SourceDocument | None = None) -> list[str]:
    """One line per organisation of the new file that already has an imported submission,
    and one for an earlier file of the same name from other organisations.

    ``texts_by_org``: the new file's finding texts by organisation id (organisations not in
    the database yet are left out); ``exclude_document``: the new file's own document."""
    exclude_pk = exclude_document.pk if exclude_document is not None else -1
    names = dict(Organisation.objects.filter(pk__in=list(texts_by_org)).values_list("pk", "name"))
    lines, covered = [], set()
    for org_id, texts in texts_by_org.items():
        earlier = (Submission.objects.filter(review=review, participant__organisation_id=org_id,
                                             source_document__isnull=False)
                   .exclude(source_document_id=exclude_pk)
                   .select_related("source_document")
                   .order_by("-source_document__imported_at", "-id").first())
        if earlier is None:
            continue
        document = earlier.source_document
        covered.add(document.pk)
        org = names.get(org_id, "The organisation")
        line = (f"{org} already has a submission imported from '{document.original_name}' on "
                f"{_day(document.imported_at)}; this adds {plural(len(texts), 'finding')} "
                "alongside it")
        existing = set(normalise(t) for t in Finding.objects
                       .filter(review=review, organisation_id=org_id)
                       .exclude(source_document_id=exclude_pk)
                       .values_list("text", flat=True))
        repeated = sum(1 for t in texts if normalise(t) in existing)
        if repeated:
            line += (f" ({repeated} of them repeat{'s' if repeated == 1 else ''} a finding "
                     f"already recorded for {org})")
        lines.append(line + ". Check it is not a second copy; nothing was removed")
    same_name = (SourceDocument.objects.filter(review=review, original_name=name)
                 .exclude(pk=exclude_pk).exclude(pk__in=covered).order_by("-imported_at").first())
    if same_name is not None:
        orgs = sorted(set(same_name.submissions.values_list(
            "participant__organisation__name", flat=True)))
        lines.append(f"A file named '{name}' was already imported on "
                     f"{_day(same_name.imported_at)}"
                     + (f" (from {', '.join(orgs)})" if orgs else "")
                     + "; check this is not a second copy of it")
    return lines
