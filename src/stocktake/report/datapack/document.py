"""The whole review as one JSON-ready document: format ``stocktake.review``, version 2.

The schema is ``docs/schema/stocktake-review-v2.schema.json`` (docs/data-pack.md says
what each part holds). Only submitted material goes in, with personal data no lead
has decided on replaced (``[NHS number]`` …, see collect.personal_data): findings of
submitted submissions, examples that belong to no submission or to a submitted one,
and case studies whose consent to share is recorded. People are named by their role
in the review, never by name (who confirmed a code: "reviewer", "lead").

Objects carry the ids they have in this database, and refer to each other by them
(``organisation_id``, ``submission``, ``document``, ``analysis_run``): loading the
document elsewhere gives new ids. Ordering is deterministic, so two documents of the
same database compare equal apart from ``exported_at``.

Built with a fixed number of queries whatever the size of the review (no query per
finding): 100,000 findings take a few seconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.utils import timezone

from stocktake import __version__
from stocktake.assess.models import AnalysisRun, Code, CodeOrigin
from stocktake.assess.themes import counted_themes
from stocktake.collect.models import (
    PersonalDataFlag,
    PersonalDataStatus,
    SourceDocument,
    SubmissionStatus,
)
from stocktake.collect.personal_data import hide_flagged, pending_flags, shown_text
from stocktake.report.models import (
    CaseStudy,
    EvidenceQuote,
    ReportText,
    ReportVersion,
    SummaryObservation,
)
from stocktake.report.queries import reportable_findings, submitted_examples
from stocktake.reviews.frameworks import spec_for
from stocktake.reviews.models import Membership, Organisation, Review, Role
from stocktake.reviews.orgtree import OrgTree

FORMAT = "stocktake.review"
VERSION = 2

# When a person holds several roles in a review, the one that names them.
ROLE_ORDER = [Role.LEAD, Role.REVIEWER, Role.ACTION_OWNER, Role.CONTRIBUTOR, Role.VIEWER]

Progress = Callable[[int, int, str], None] | None


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _roles(review: Review) -> dict[int, str]:
    """Each member's role in the review (the first of ROLE_ORDER they hold)."""
    rank = {role: index for index, role in enumerate(ROLE_ORDER)}
    roles: dict[int, str] = {}
    for user_id, role in Membership.objects.filter(review=review).values_list("user_id", "role"):
        if user_id not in roles or rank.get(role, 99) < rank.get(roles[user_id], 99):
            roles[user_id] = role
    return roles


class _Organisations:
    """The organisations a document names, with every ancestor (so a register can be rebuilt)."""

    def __init__(self, tree: OrgTree):
        self.tree = tree
        self.ids: set[int] = set()
        self._names: dict[int | None, tuple[str | None, str | None]] = {None: (None, None)}

    def note(self, org_id: int | None) -> int | None:
        if org_id is None or org_id in self.ids:
            return org_id
        self.ids.add(org_id)
        for parent in self.tree.ancestors(org_id):
            self.ids.add(parent.id)
        return org_id

    def names(self, org_id: int | None) -> tuple[str | None, str | None]:
        """The organisation's name and its system's, worked out once per organisation."""
        found = self._names.get(org_id)
        if found is None:
            org, system = self.tree.get(org_id), self.tree.system_of(org_id)
            found = self._names[org_id] = (org.name if org is not None else None,
                                           system.name if system is not None else None)
        return found

    def name(self, org_id: int | None) -> str | None:
        return self.names(org_id)[0]

    def system(self, org_id: int | None) -> str | None:
        return self.names(org_id)[1]

    def rows(self) -> list[dict]:
        orgs = Organisation.objects.filter(pk__in=self.ids).prefetch_related("aliases")
        depth = {org_id: len(self.tree.ancestors(org_id)) for org_id in self.ids}
        rows = []
        # Parents before children, so a loader can create them in this order.
        for org in sorted(orgs, key=lambda o: (depth[o.pk], o.name, o.pk)):
            rows.append({
                "id": org.pk,
                "name": org.name,
                "short_name": org.short_name,
                "level": org.level,
                "type": org.kind,
                "parent_id": org.parent_id,
                "parent": self.name(org.parent_id),
                "system": self.system(org.pk),
                "aliases": sorted(a.alias for a in org.aliases.all()),
            })
        return rows


def _source(document_id, location: str, documents: dict[int, dict]) -> dict:
    doc = documents.get(document_id)
    return {"document": document_id if doc else None, "file": doc["name"] if doc else None,
            "location": location}


def _response(response, documents: dict[int, dict]) -> dict:
    return {
        "recommendation": response.label or (str(response.number) if response.number else None),
        "label": response.label,
        "number": response.number,
        "status": response.status,
        "text": response.text,
        "recommendation_text": response.recommendation_text,
        "source": _source(response.source_document_id, response.source_location, documents),
        "imported_at": _iso(response.imported_at),
    }


def review_document(review: Review, *, progress: Progress = None) -> dict:
    """The review as a JSON-ready dict (format ``stocktake.review``, version 2).

    ``progress``: called as ``progress(done, total, label)`` after each part.
    """
    steps = ["findings", "codes", "examples", "recommendations", "organisations"]
    done = 0

    def step(label: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, len(steps), label)

    tree = OrgTree.load()
    orgs = _Organisations(tree)
    framework = review.framework
    themes = {t.pk: t.key for t in framework.themes.order_by("position", "id")}
    theme_order = {pk: index for index, pk in enumerate(themes)}
    domains = dict(framework.domains.values_list("pk", "key"))
    roles = _roles(review)

    documents = {
        d["id"]: {"id": d["id"], "name": d["original_name"], "format": d["format"],
                  "size": d["size"], "sha256": d["sha256"]}
        for d in SourceDocument.objects.filter(review=review)
        .values("id", "original_name", "format", "size", "sha256")
    }
    used_documents: set[int] = set()

    submissions = []
    for sub in (review.submissions.filter(status=SubmissionStatus.SUBMITTED)
                .values("id", "participant__organisation_id", "source_document_id",
                        "submitted_at").order_by("participant__organisation__name", "id")):
        org_id = orgs.note(sub["participant__organisation_id"])
        if sub["source_document_id"] in documents:
            used_documents.add(sub["source_document_id"])
        submissions.append({
            "id": sub["id"], "organisation_id": org_id, "organisation": orgs.name(org_id),
            "document": sub["source_document_id"] if sub["source_document_id"] in documents else None,
            "submitted_at": _iso(sub["submitted_at"]),
        })

    # Plain rows, not model instances: a review may hold 100,000 findings.
    reportable = reportable_findings(review)
    finding_rows_db = list(reportable.values_list(
        "id", "submission_id", "organisation_id", "domain_id", "section", "text", "polarity",
        "polarity_origin", "source_document_id", "source_location"))
    # Undecided personal data is replaced ([NHS number] …), as collect.personal_data's
    # hide_flagged does for objects; kept items stay as written.
    flags = pending_flags(findings=[row[0] for row in finding_rows_db], review_id=review.pk)
    step("findings")

    human: dict[int, list[dict]] = defaultdict(list)
    machine: dict[int, list[dict]] = defaultdict(list)
    code_rows = list(
        Code.objects.filter(finding__in=reportable.values("pk"))
        .values("finding_id", "theme_id", "origin", "applies", "rank", "score", "explanation",
                "analysis_run_id", "confirmed_by_id", "confirmed_at")
        .order_by("finding_id", "origin", "rank", "theme__position", "theme_id"))
    counted = counted_themes(code_rows)
    run_ids: set[int] = set()
    for code in code_rows:
        if code["origin"] == CodeOrigin.HUMAN:
            human[code["finding_id"]].append({
                "theme": themes[code["theme_id"]],
                "applies": code["applies"],
                "decided_by": roles.get(code["confirmed_by_id"]),
                "confirmed_at": _iso(code["confirmed_at"]),
            })
        else:
            if code["analysis_run_id"] is not None:
                run_ids.add(code["analysis_run_id"])
            machine[code["finding_id"]].append({
                "theme": themes[code["theme_id"]],
                "rank": code["rank"],
                "score": code["score"],
                "explanation": code["explanation"],
                "analysis_run": code["analysis_run_id"],
            })
    step("codes")

    finding_ids = set()
    finding_rows = []
    for (pk, submission_id, org_id, domain_id, section, text, polarity, polarity_origin,
         document_id, location) in finding_rows_db:
        finding_ids.add(pk)
        orgs.note(org_id)
        org_name, system_name = orgs.names(org_id)
        pending = flags.get(("finding", pk, "text"))
        if pending:
            text = shown_text(text, pending)
        if document_id in documents:
            used_documents.add(document_id)
        counts = counted.get(pk)
        finding_rows.append({
            "id": pk,
            "submission": submission_id,
            "text": text,
            "organisation_id": org_id,
            "organisation": org_name,
            "system": system_name,
            "domain": domains.get(domain_id),
            "section": section,
            "polarity": polarity,
            "polarity_origin": polarity_origin,
            "themes": [themes[t] for t in sorted(
                (t for t in counts if t in themes), key=theme_order.__getitem__)] if counts else [],
            "human_codes": human.get(pk) or [],
            "machine_codes": machine.get(pk) or [],
            "source": _source(document_id, location, documents),
        })

    example_rows = []
    for ex in hide_flagged(submitted_examples(review).order_by("domain__position", "title", "id")):
        org_id = orgs.note(ex.organisation_id)
        if ex.source_document_id in documents:
            used_documents.add(ex.source_document_id)
        example_rows.append({
            "id": ex.pk,
            "title": ex.title,
            "synopsis": ex.synopsis,
            "organisation_id": org_id,
            "organisation": orgs.name(org_id),
            "system": orgs.system(org_id),
            "domain": ex.domain.key if ex.domain_id else None,
            "submission": ex.submission_id,
            "finding": ex.finding_id if ex.finding_id in finding_ids else None,
            # Curation for the report's appendix: left out (with why), or merged into another.
            "excluded": ex.excluded,
            "excluded_reason": ex.excluded_reason,
            "merged_into": ex.merged_into_id,
            "source": _source(ex.source_document_id, ex.source_location, documents),
        })
    kept_examples = {row["id"] for row in example_rows}
    for row in example_rows:  # merged into an example that is not in the document
        if row["merged_into"] not in kept_examples:
            row["merged_into"] = None
    step("examples")

    recommendation_rows = []
    recommendations = list(
        review.recommendations.select_related("theme")
        .prefetch_related("progress_updates", "responses")
        .order_by("number", "id")
    )
    # Undecided personal data in recommendations and responses is replaced ([NHS number] …).
    hide_flagged(recommendations)
    hide_flagged([r for rec in recommendations for r in rec.responses.all()])
    cited: dict[int, list[int]] = defaultdict(list)
    through = review.recommendations.model.findings.through
    for rec_id, finding_id in (through.objects.filter(recommendation__review=review)
                               .values_list("recommendation_id", "finding_id")):
        if finding_id in finding_ids:  # only findings that are themselves in the document
            cited[rec_id].append(finding_id)
    for rec in recommendations:
        owner = orgs.note(rec.owner_id)
        for response in rec.responses.all():
            if response.source_document_id in documents:
                used_documents.add(response.source_document_id)
        recommendation_rows.append({
            "id": rec.pk,
            "number": rec.number,
            "label": rec.label,  # the number as its source printed it ("" when `number`)
            "text": rec.text,
            "section": rec.section,
            "theme": rec.theme.key if rec.theme_id else None,
            "owner_id": owner,
            "owner": orgs.name(owner),
            "status": rec.status,
            "lead_contact": rec.lead_contact,
            "due_date": _iso(rec.due_date),
            "findings": sorted(cited.get(rec.pk, ())),
            "source": _source(rec.source_document_id, "", documents),
            "rag": rec.rag,
            "per_system": rec.per_system,
            "progress": [
                {"status": u.status, "note": u.note, "reported_at": _iso(u.reported_at),
                 "rag": u.rag, "organisation_id": orgs.note(u.organisation_id),
                 "evidence_links": list(u.evidence_links), "attachment": u.attachment_name,
                 "reason": u.reason, "channel": u.channel}
                for u in sorted(rec.progress_updates.all(), key=lambda u: (u.reported_at, u.pk))
            ],
            "responses": [_response(r, documents)
                          for r in sorted(rec.responses.all(), key=lambda r: r.pk)],
        })
        if rec.source_document_id in documents:
            used_documents.add(rec.source_document_id)
    unattached = []
    for response in hide_flagged(review.recommendation_responses.filter(recommendation__isnull=True)
                                 .order_by("id")):
        if response.source_document_id in documents:
            used_documents.add(response.source_document_id)
        unattached.append(_response(response, documents))

    case_studies = []
    for study in hide_flagged(CaseStudy.objects.filter(review=review, consent_recorded=True)
                              .order_by("position", "id")):
        org_id = orgs.note(study.organisation_id)
        if study.source_document_id in documents:
            used_documents.add(study.source_document_id)
        case_studies.append({
            "id": study.pk, "title": study.title, "person": study.person,
            "organisation_id": org_id, "organisation": orgs.name(org_id), "text": study.text,
            "consent_recorded": True, "consent_note": study.consent_note,
            "excluded": study.excluded,
            "source": _source(study.source_document_id, study.source_location, documents),
        })
    report = _report(review, themes, finding_ids)
    kept_examples_ids = {row["id"] for row in example_rows}
    kept_data = [
        {"finding": flag["finding_id"], "example": flag["example_id"], "field": flag["field"],
         "kind": flag["kind"], "start": flag["start"], "end": flag["end"]}
        for flag in PersonalDataFlag.objects.filter(review=review, status=PersonalDataStatus.KEPT)
        .values("finding_id", "example_id", "field", "kind", "start", "end")
        .order_by("finding_id", "example_id", "field", "start")
        if flag["finding_id"] in finding_ids or flag["example_id"] in kept_examples_ids
    ]
    step("recommendations")

    participants = []
    submitted_orgs = {s["organisation_id"] for s in submissions}
    for org_id in review.participants.values_list("organisation_id", flat=True):
        orgs.note(org_id)
        participants.append({"organisation_id": org_id, "organisation": orgs.name(org_id),
                             "submitted": org_id in submitted_orgs})
    participants.sort(key=lambda p: (p["organisation"] or "", p["organisation_id"]))
    region = orgs.note(review.region_id)

    runs = [
        {"id": run.pk, "backend": run.backend, "seed": run.seed, "parameters": run.parameters,
         "finished_at": _iso(run.finished_at)}
        for run in AnalysisRun.objects.filter(pk__in=run_ids).order_by("id")
    ]
    organisation_rows = orgs.rows()
    step("organisations")

    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().replace(microsecond=0).isoformat(),
        "generator": f"stocktake {__version__}",
        "review": {
            "slug": review.slug,
            "title": review.title,
            "scope": review.scope,
            "status": review.status,
            "region_id": region,
            "region": orgs.name(region),
            "opens_on": _iso(review.opens_on),
            "closes_on": _iso(review.closes_on),
            "reflection_by": _iso(review.reflection_by),
            "report_due_on": _iso(review.report_due_on),
        },
        "framework": spec_for(framework).to_dict(),
        "organisations": organisation_rows,
        "participants": participants,
        "documents": [documents[pk] for pk in sorted(used_documents,
                                                     key=lambda pk: (documents[pk]["name"], pk))],
        "analysis_runs": runs,
        "submissions": submissions,
        "findings": finding_rows,
        "examples": example_rows,
        "recommendations": recommendation_rows,
        # Responses whose recommendation is not one of this review's.
        "unattached_responses": unattached,
        "case_studies": case_studies,
        # Items of personal data a lead decided may be shown as written (by place in the text).
        "personal_data_kept": kept_data,
        "report": report,
    }


def _report(review: Review, themes: dict[int, str], finding_ids: set[int]) -> dict:
    """What the lead and reviewers wrote for the report, and its published versions."""
    texts = [
        {"kind": text.kind, "theme": themes.get(text.theme_id), "source": text.source}
        for text in ReportText.objects.filter(review=review).order_by("kind", "theme__position",
                                                                       "id")
        if text.source
    ]
    observations = [
        {"text": row.text, "theme": themes.get(row.theme_id)}
        for row in SummaryObservation.objects.filter(review=review).order_by("position", "id")
    ]
    quotes = [
        {"theme": themes[row.theme_id], "finding": row.finding_id}
        for row in EvidenceQuote.objects.filter(review=review)
        .order_by("theme__position", "position", "id")
        if row.finding_id in finding_ids and row.theme_id in themes
    ]
    versions = [
        {"number": v.number, "status": v.status, "change_note": v.change_note,
         "override_reason": v.override_reason, "open_checks": v.open_checks,
         "published_at": _iso(v.published_at),
         "files": {fmt: {"sha256": f.get("sha256"), "size": f.get("size")}
                   for fmt, f in sorted((v.files or {}).items()) if isinstance(f, dict)}}
        for v in ReportVersion.objects.filter(review=review).order_by("number")
    ]
    return {"texts": texts, "summary_observations": observations, "evidence_quotes": quotes,
            "versions": versions}
