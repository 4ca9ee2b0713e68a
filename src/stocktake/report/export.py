"""The whole review as plain data: a JSON document, and findings as JSON Lines.

Only submitted material is exported, with personal data no lead has decided on replaced
(``[NHS number]`` …, see collect.personal_data): findings of submitted submissions, and
examples that belong to no submission or to a submitted one. Ordering is
deterministic (organisation name, then position, then id), so two exports of
the same database compare equal apart from ``exported_at``.
"""

from __future__ import annotations

import json
from typing import IO

from django.utils import timezone

from stocktake.assess.models import Code, CodeOrigin
from stocktake.assess.themes import (
    theme_assignments,
)
from stocktake.collect.models import SubmissionStatus
from stocktake.collect.personal_data import hide_flagged
from stocktake.report.queries import (
    reportable_examples,
    reportable_findings,
)
from stocktake.reviews.frameworks import spec_for
from stocktake.reviews.models import Organisation, Review
from stocktake.reviews.orgtree import OrgTree

EXPORT_FORMAT = "stocktake.review"
EXPORT_VERSION = 1


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _organisation(org: Organisation, tree: OrgTree) -> dict:
    system = tree.system_of(org.pk)
    return {
        "name": org.name,
        "short_name": org.short_name,
        "level": org.level,
        "type": org.kind,
        "parent": org.parent.name if org.parent_id else None,
        "system": system.name if system else None,
        "aliases": sorted(a.alias for a in org.aliases.all()),
    }


def _response(response) -> dict:
    """A response or progress document's answer to a recommendation."""
    return {
        "recommendation": response.label or (str(response.number) if response.number else None),
        "status": response.status,
        "text": response.text,
        "recommendation_text": response.recommendation_text,
        "source": {
            "file": (response.source_document.original_name
                     if response.source_document_id else None),
            "location": response.source_location,
        },
        "imported_at": _iso(response.imported_at),
    }


def export_review(review: Review) -> dict:
    """A JSON-ready dict of the review: metadata, framework, organisations, findings,
    examples, recommendations with their progress updates."""
    tree = OrgTree.load()
    framework = review.framework
    themes = {t.pk: t.key for t in framework.themes.order_by("position", "id")}
    theme_order = {pk: index for index, pk in enumerate(themes)}

    # Undecided personal data is replaced ([NHS number] …); kept items stay as written.
    findings = hide_flagged(reportable_findings(review).select_related("submission"))
    finding_ids = {f.pk for f in findings}
    assignments = theme_assignments(findings)
    human: dict[int, list[dict]] = {pk: [] for pk in finding_ids}
    machine: dict[int, list[dict]] = {pk: [] for pk in finding_ids}
    codes = (
        Code.objects.filter(finding_id__in=finding_ids)
        .select_related("theme", "confirmed_by")
        .order_by("finding_id", "origin", "rank", "theme__position", "theme_id")
    )
    for code in codes:
        if code.origin == CodeOrigin.HUMAN:
            human[code.finding_id].append({
                "theme": code.theme.key,
                "applies": code.applies,
                "confirmed_at": _iso(code.confirmed_at),
            })
        else:
            machine[code.finding_id].append({
                "theme": code.theme.key,
                "rank": code.rank,
                "score": code.score,
                "explanation": code.explanation,
                "analysis_run": code.analysis_run_id,
            })

    organisations: dict[int, Organisation] = {}

    def note(org: Organisation | None) -> str | None:
        if org is None:
            return None
        organisations.setdefault(org.pk, org)
        return org.name

    participants = []
    submitted_orgs = set(
        review.submissions.filter(status=SubmissionStatus.SUBMITTED).values_list(
            "participant__organisation_id", flat=True
        )
    )
    for participant in review.participants.select_related("organisation"):
        participants.append({
            "organisation": note(participant.organisation),
            "submitted": participant.organisation_id in submitted_orgs,
        })

    finding_rows = []
    for f in findings:
        system = tree.system_of(f.organisation_id)
        finding_rows.append({
            "id": f.pk,
            "text": f.text,
            "organisation": note(f.organisation),
            "system": system.name if system else None,
            "domain": f.domain.key if f.domain else None,
            "section": f.section,
            "polarity": f.polarity,
            "polarity_origin": f.polarity_origin,
            "themes": [
                themes[t]
                for t in sorted(
                    (t for t in assignments.get(f.pk, ()) if t in themes),
                    key=theme_order.__getitem__,
                )
            ],
            "human_codes": human[f.pk],
            "machine_codes": machine[f.pk],
            "source": {
                "file": f.source_document.original_name if f.source_document else None,
                "location": f.source_location,
            },
            "submitted_at": _iso(f.submission.submitted_at),
        })

    example_rows = []
    for ex in hide_flagged(reportable_examples(review).order_by("domain__position", "title", "id")):
        system = tree.system_of(ex.organisation_id)
        example_rows.append({
            "id": ex.pk,
            "title": ex.title,
            "synopsis": ex.synopsis,
            "organisation": note(ex.organisation),
            "system": system.name if system else None,
            "domain": ex.domain.key if ex.domain else None,
            "source": {
                "file": ex.source_document.original_name if ex.source_document_id else None,
                "location": ex.source_location,
            },
        })

    recommendation_rows = []
    recommendations = list(
        review.recommendations.select_related("theme", "owner")
        .prefetch_related("findings", "progress_updates", "responses__source_document")
        .order_by("number", "id")
    )
    # Undecided personal data in recommendations and responses is replaced ([NHS number] …).
    hide_flagged(recommendations)
    hide_flagged([r for rec in recommendations for r in rec.responses.all()])
    for rec in recommendations:
        recommendation_rows.append({
            "number": rec.number,
            "label": rec.label,  # the number as its source printed it ("" when `number`)
            "text": rec.text,
            "section": rec.section,
            "theme": rec.theme.key if rec.theme else None,
            "owner": note(rec.owner),
            "status": rec.status,
            # Only findings that are themselves in the export.
            "findings": sorted(f.pk for f in rec.findings.all() if f.pk in finding_ids),
            "progress": [
                {"status": u.status, "note": u.note, "reported_at": _iso(u.reported_at)}
                for u in sorted(rec.progress_updates.all(), key=lambda u: (u.reported_at, u.pk))
            ],
            "responses": [_response(r) for r in sorted(rec.responses.all(), key=lambda r: r.pk)],
        })
    unattached = [_response(r) for r in hide_flagged(review.recommendation_responses.filter(
        recommendation__isnull=True).select_related("source_document").order_by("id"))]

    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": timezone.now().replace(microsecond=0).isoformat(),
        "review": {
            "slug": review.slug,
            "title": review.title,
            "scope": review.scope,
            "status": review.status,
            "region": review.region.name if review.region else None,
            "opens_on": _iso(review.opens_on),
            "closes_on": _iso(review.closes_on),
        },
        "framework": spec_for(framework).to_dict(),
        "organisations": [
            _organisation(org, tree)
            for org in sorted(
                Organisation.objects.filter(pk__in=organisations)
                .select_related("parent").prefetch_related("aliases"),
                key=lambda o: (o.name, o.pk),
            )
        ],
        "participants": sorted(participants, key=lambda p: p["organisation"]),
        "findings": finding_rows,
        "examples": example_rows,
        "recommendations": recommendation_rows,
        # Responses whose recommendation is not one of this review's.
        "unattached_responses": unattached,
    }


def findings_lines(review: Review):
    """The review's submitted findings as dicts ``{id, text, organisation, system}``."""
    tree = OrgTree.load()
    for f in hide_flagged(reportable_findings(review)):
        yield {
            "id": f.pk,
            "text": f.text,
            "organisation": f.organisation.name,
            "system": tree.system_name(f.organisation_id) or None,
        }


def export_findings_jsonl(review: Review, fp: IO[str]) -> int:
    """Write one JSON object per line for each submitted finding; returns how many.

    This is the input format of ``stocktake code``.
    """
    count = 0
    for row in findings_lines(review):
        fp.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")
        count += 1
    return count
