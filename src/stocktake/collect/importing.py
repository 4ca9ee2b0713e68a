"""Importing submission files: one file, one transaction; the same file twice changes nothing.

:func:`import_document` reads a file with :mod:`stocktake.collect.importers`, resolves
the organisations it names (creating the unknown ones under their system), and stores
a source document, one submitted submission per organisation, its findings, examples
and recommendations — all or nothing. The original bytes are kept in the
``uploads`` storage (:mod:`stocktake.collect.files`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from stocktake.analysis.errors import InputError
from stocktake.collect import actions as collect_actions
from stocktake.collect import files, importers, resubmission, word_template
from stocktake.collect.actions import NewFinding
from stocktake.collect.choices import seed_organisations, without
from stocktake.collect.file_orgs import (
    FileOrganisations,
    Make,
    likely_but_new,
    needs_organisation,
    open_problems,
)
from stocktake.collect.importers import Extraction, Mapping, Problem, expand_paths
from stocktake.collect.models import ImportBatch, SourceDocument, Submission, SubmissionStatus
from stocktake.collect.theme_matching import ThemeMatcher
from stocktake.core import audit
from stocktake.core.errors import InvalidInput, StocktakeError
from stocktake.core.text import plural
from stocktake.reviews import actions as review_actions
from stocktake.reviews.models import (
    Organisation,
    OrganisationLevel,
    OrganisationType,
    Participant,
    Review,
)
from stocktake.reviews.orgtree import OrgTree

# The action that records one recommendation of a previous report (keyword arguments review,
# text, number, label, section, theme, by; returns it): report.actions.create_recommendation.
AddRecommendation = Callable[..., Any]
# The action that stores a case study (review, title, text, person, organisation,
# source_document, source_location, by): report.actions.create_case_study.
AddCaseStudy = Callable[..., Any]
# The action that stores a response document's answers (review, responses, source_document,
# by; returns an object with ``attached``, ``unattached`` (lines), ``duplicates`` and
# ``reattached``):
# track.actions.record_responses. Callers use track.importing, which passes all three.
AddResponses = Callable[..., Any]


@dataclass
class ImportResult:
    path: str
    document: SourceDocument | None = None
    created: bool = False
    findings: int = 0
    examples: int = 0
    recommendations: int = 0
    case_studies: int = 0
    responses: int = 0  # stored: attached to a recommendation or kept unattached
    responses_unattached: list[str] = field(default_factory=list)  # one line each, why
    responses_duplicate: int = 0  # recorded before from another copy of the document
    responses_reattached: int = 0  # earlier unattached responses now attached to its recommendations
    approaches: int = 0
    organisations_created: list[str] = field(default_factory=list)
    organisations_resolved: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. a second copy of an earlier file
    message: str = ""
    error: str = ""  # set (by import_paths) when the file could not be imported
    # What the import created besides the document's own rows, by kind: "organisation",
    # "participant", "recommendation" -> primary keys (an import batch records them).
    created_ids: dict[str, list[int]] = field(default_factory=dict)

    def made(self, kind: str, pk: int) -> None:
        self.created_ids.setdefault(kind, []).append(pk)

    @property
    def ok(self) -> bool:
        return not self.error


_KIND_HINTS = [
    (r"\bhospice\b", OrganisationType.HOSPICE),
    (r"\bambulance\b", OrganisationType.AMBULANCE_TRUST),
    (r"\b(council|borough|county|local authority)\b", OrganisationType.LOCAL_AUTHORITY),
    (r"\bintegrated care board\b|\bicb\b", OrganisationType.ICB),
    (r"\bmental health\b", OrganisationType.MENTAL_HEALTH_TRUST),
    (r"\bcommunity (health|services|trust|care)\b", OrganisationType.COMMUNITY_TRUST),
    (r"\b(hospital|infirmary)s?\b", OrganisationType.ACUTE_TRUST),
    (r"\b(gp|general practice|primary care|pcn)\b", OrganisationType.GP_FEDERATION),
    (r"\b(cic|charity|voluntary|volunteer|community action|together)\b", OrganisationType.VOLUNTARY_SECTOR),
]


def guess_kind(name: str) -> str:
    """The organisation type a new organisation's name suggests (OTHER when unclear)."""
    for pattern, kind in _KIND_HINTS:
        if re.search(pattern, name, re.IGNORECASE):
            return kind
    return OrganisationType.OTHER


def _maker(user, result: ImportResult) -> Make:
    """A ``make`` for :class:`FileOrganisations` that creates the organisation, and says so."""

    def make(*, name: str, level: str, parent: Organisation | None) -> Organisation:
        system = level == OrganisationLevel.SYSTEM
        org = review_actions.create_organisation(
            by=user, name=name, level=level, parent=parent,
            kind=OrganisationType.ICS if system else guess_kind(name))
        in_system = parent is not None and parent.level == OrganisationLevel.SYSTEM
        where = " (system)" if system else (f" in {parent.name}" if in_system else "")
        result.organisations_created.append(f"{org.name}{where}")
        result.made("organisation", org.pk)
        return org

    return make


def import_document(
    *, review: Review, path: str | Path, by, original_name: str | None = None,
    organisation: Organisation | None = None, mapping: Mapping | None = None,
    tree: OrgTree | None = None, add_recommendation: AddRecommendation,
    exclude: Collection[str] = (), organisations: dict[str, Organisation] | None = None,
    batch: ImportBatch | None = None,
    add_case_study: AddCaseStudy | None = None, add_responses: AddResponses | None = None,
    theme_choices: dict[str, int | None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    new_organisations: Collection[str] | None = None,
) -> ImportResult:
    """Import one file into ``review``; all or nothing. Raises InvalidInput for unusable files.

    ``organisation``: who the file is from when it does not say: the fallback for rows that
    name neither an organisation nor a system (a file whose rows each name their own needs
    none; otherwise, without it, an error);
    ``mapping``: what spreadsheet columns hold where their headers do not say;
    ``tree``: the organisation tree, shared with other files of the same run (else loaded);
    organisations the file creates are added to it, so after a failure load a new one;
    ``add_recommendation``: the action that records a previous report's recommendations
    (``stocktake.report.actions.create_recommendation``: callers use
    :mod:`stocktake.report.importing`, which passes it, so collect never imports report).
    ``exclude``: keys of items to leave out (:func:`stocktake.collect.choices.item_key`);
    ``organisations``: the register's organisation chosen for a name the file gives;
    ``batch``: the import batch to record the file in (in the same transaction).
    ``add_case_study``, ``add_responses``: the actions that store case studies and a response
    document's answers (callers use :mod:`stocktake.track.importing`, which passes them); a
    file holding either is refused without them, never imported with them silently lost;
    ``theme_choices``: {section heading: theme id, or None for no theme}, as chosen in the
    upload preview (:mod:`stocktake.collect.theme_matching`); other headings are matched;
    ``progress(done, total)``: pages read so far, for long reads (a scanned PDF's text
    recognition);
    ``new_organisations``: when given, a name the register probably holds (a likely match)
    is a person's to decide: the file is refused, naming each such name, unless it is
    chosen in ``organisations`` or listed here (add it as new anyway). None: such names
    become new organisations (their likely match is never applied).
    Spreadsheet columns with no field (``ExtractedFinding.attributes``) have no place in
    the database: their names are listed in the audit event, their values are dropped.
    """
    path = Path(path)
    name = original_name or path.name
    result = ImportResult(path=str(path))
    try:
        with path.open("rb") as handle:
            sha256, size = files.sha256_of(handle)
    except FileNotFoundError:
        raise InvalidInput(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InvalidInput(f"{name}: is a folder, not a file") from None
    except OSError as exc:
        raise InvalidInput(f"{name}: cannot be read ({exc.strerror or exc})") from None
    existing = SourceDocument.objects.filter(review=review, sha256=sha256).first()
    if existing is not None:
        result.document, result.created = existing, False
        result.message = (f"{name} was already imported into {review.title} as "
                          f"{existing.original_name}; nothing changed")
        if batch is not None:
            collect_actions.record_batch_file(batch=batch, name=name, result=result, by=by)
        return result
    max_bytes = int(getattr(settings, "STOCKTAKE_MAX_UPLOAD_MB", 50)) * 1024 * 1024
    domains = {d.key: d for d in review.framework.domains.all()}
    try:
        extraction = importers.extract(path, domains=[(d.key, d.name) for d in domains.values()],
                                       name=name, max_bytes=max_bytes, mapping=mapping,
                                       progress=progress)
    except InputError as exc:
        raise InvalidInput(str(exc)) from None
    extraction = without(extraction, exclude)
    word_template.check_review(extraction, review)
    if organisation is None and needs_organisation(extraction):
        raise InvalidInput(f"{name}: the file does not say which organisation it is from; add a "
                           "title such as 'Submission from …', a line 'Organisation: …' or an "
                           "Organisation column, or choose the organisation when importing")
    if new_organisations is not None:
        tree = tree or OrgTree.load()
        _refuse_likely(extraction, review, name, tree, organisations or {}, new_organisations)
    for items, action, what in ((extraction.responses, add_responses, "responses to recommendations"),
                                (extraction.case_studies, add_case_study, "case studies")):
        if items and action is None:
            raise InvalidInput(f"{name}: holds {what}, which this import cannot store; import it "
                               "with `stocktake import` or the upload page")
    result.problems = open_problems(extraction, organisation_chosen=organisation is not None)
    stored_name, stored = files.original_name(review.slug, sha256, name), False
    try:
        with transaction.atomic():
            result.document = collect_actions.record_source_document(
                review=review, original_name=name, sha256=sha256, size=size,
                format=extraction.format, by=by,
                stored_path=stored_name)
            tree = tree or OrgTree.load()
            texts_by_org = _store_rows(review, extraction, result, domains, by, organisation,
                                       tree, add_recommendation, organisations or {})
            _store_report_parts(review, extraction, result, by, tree, add_case_study=add_case_study,
                                add_responses=add_responses, theme_choices=theme_choices,
                                add_recommendation=add_recommendation)
            result.warnings = resubmission.warnings(review, name=name, texts_by_org=texts_by_org,
                                                    exclude_document=result.document)
            stored = files.store_original(stored_name, path)
            audit.record(actor=by, verb="document.imported", subject=result.document, review=review,
                         name=name, findings=result.findings, examples=result.examples,
                         recommendations=result.recommendations, approaches=result.approaches,
                         case_studies=result.case_studies, responses=result.responses,
                         organisations_created=result.organisations_created,
                         attribute_columns=sorted({k for f in extraction.findings for k in f.attributes}),
                         left_out=len(exclude))
            if batch is not None:
                result.created = True  # as it will be once this transaction commits
                collect_actions.record_batch_file(batch=batch, name=name, result=result, by=by)
    except BaseException:
        if stored:
            files.uploads().delete(stored_name)
        raise
    result.created = True
    parts = [plural(result.findings, "finding"), plural(result.examples, "example")]
    if result.recommendations:
        parts.append(plural(result.recommendations, "recommendation"))
    if result.case_studies:
        parts.append(plural(result.case_studies, "case study", "case studies"))
    if result.responses or result.responses_duplicate:
        parts.append(_responses_summary(result))
    if result.responses_reattached:
        parts.append(f"{plural(result.responses_reattached, 'earlier response')} attached to "
                     "these recommendations")
    if result.approaches:
        parts.append(plural(result.approaches, "approach", "approaches"))
    result.message = f"Imported {name}: " + ", ".join(parts)
    if result.organisations_created:
        result.message += f"; new organisations: {', '.join(result.organisations_created)}"
    if result.warnings:
        result.message += (f"; warning: {len(result.warnings)} possible second "
                           f"cop{'y' if len(result.warnings) == 1 else 'ies'} of an earlier "
                           "submission (see below)")
        result.problems = [Problem(name, "", line) for line in result.warnings] + result.problems
    if result.responses_unattached:
        result.problems = [Problem(name, "", line) for line in result.responses_unattached] \
            + result.problems
    return result


def _responses_summary(result: ImportResult) -> str:
    unattached = len(result.responses_unattached)
    text = plural(result.responses, "response") + " to recommendations"
    if unattached:
        text += (f" ({result.responses - unattached} attached; {unattached} not matched to a "
                 "recommendation of this review, kept unattached: see below)")
    if result.responses_duplicate:
        text += f"; {plural(result.responses_duplicate, 'response')} already recorded, not added again"
    return text


def _refuse_likely(extraction: Extraction, review: Review, name: str, tree: OrgTree,
                   chosen: dict[str, Organisation], new: Collection[str]) -> None:
    """Refuse the file while a name it gives probably means an organisation of the register
    and no one has said whether it does (``import_document``'s ``new_organisations``)."""
    undecided = likely_but_new(extraction, tree, region_id=review.region_id, new=new,
                               seed=lambda orgs: seed_organisations(orgs, extraction, chosen))
    if undecided:
        raise InvalidInput(f"{name}: " + "; ".join(
            f"“{given}” is probably {likely} in the organisation register" for given, likely
            in undecided) + ". Say which each is (on the upload preview; with `stocktake "
            "import`, --same-as 'NAME=REGISTER NAME' to use the register's, --new 'NAME' to add "
            "a new organisation); nothing was imported")


def _store_rows(review, extraction: Extraction, result: ImportResult, domains: dict, user,
                default_org: Organisation | None, tree: OrgTree,
                add_recommendation: AddRecommendation,
                chosen: dict[str, Organisation]) -> dict[int, list[str]]:
    """Store the file's rows; returns the new findings' texts by organisation id."""
    resolver = FileOrganisations(tree, region_id=review.region_id, make=_maker(user, result))
    submissions: dict[int, Submission] = {}

    def submission_for(org: Organisation) -> Submission:
        if org.pk not in submissions:
            new = not Participant.objects.filter(review=review, organisation=org).exists()
            participant = review_actions.add_participant(review=review, organisation=org, by=user)
            if new:
                result.made("participant", participant.pk)
            submissions[org.pk] = collect_actions.create_submission(
                participant=participant, by=user, source_document=result.document,
                status=SubmissionStatus.SUBMITTED)
        return submissions[org.pk]

    def org_for(name: str | None, system: str | None) -> Organisation | None:
        return resolver.for_row(name, system) or default_org

    seed_organisations(resolver, extraction, chosen)
    resolver.resolve_file(extraction)  # as the upload preview does
    by_org: dict[int, list[NewFinding]] = {}
    orgs: dict[int, Organisation] = {}
    for finding in extraction.findings:
        org = org_for(finding.organisation, finding.system)
        orgs[org.pk] = org
        by_org.setdefault(org.pk, []).append(NewFinding(
            text=finding.text, domain=domains.get(finding.domain or ""), section=finding.section,
            source_location=finding.location))
    for pk, items in by_org.items():
        created = collect_actions.add_findings(submission=submission_for(orgs[pk]), findings=items,
                                               by=user)
        result.findings += len(created)
    for approach in extraction.approaches:
        org = org_for(approach.organisation, approach.system)
        if org is not None:
            collect_actions.record_approach(review=review, organisation=org, text=approach.text, by=user,
                                            source_document=result.document,
                                            source_location=approach.location)
            result.approaches += 1
    for example in extraction.examples:
        org = org_for(example.organisation, example.system)
        submission = submissions.get(org.pk) if org is not None else None
        collect_actions.add_example(
            review=review, title=example.title, synopsis=example.synopsis, organisation=org,
            domain=domains.get(example.domain or ""), submission=submission,
            source_document=result.document, source_location=example.location, by=user)
        result.examples += 1
    result.organisations_resolved = [org.name for org in resolver.found]
    return {pk: [item.text for item in items] for pk, items in by_org.items()}


def _store_report_parts(review, extraction: Extraction, result: ImportResult, user, tree: OrgTree, *,
                        add_recommendation: AddRecommendation, add_case_study: AddCaseStudy | None,
                        add_responses: AddResponses | None,
                        theme_choices: dict[str, int | None] | None) -> None:
    """A report's recommendations (with their number as printed and their theme), its case
    studies, and a response document's answers. A case study's organisation is looked up in
    the register, never created: one not found stays in its text ("Ward sister, Name")."""
    taken = set(review.recommendations.values_list("number", flat=True))
    themes = ThemeMatcher(review) if extraction.recommendations else None
    for rec in extraction.recommendations:
        number = rec.number if rec.number is not None and rec.number not in taken else None
        label = rec.label or (str(rec.number) if rec.number is not None and number is None else "")
        created = add_recommendation(
            review=review, text=rec.text, number=number, label=label, section=rec.section,
            theme=themes.theme_for(rec.section, theme_choices), source_document=result.document,
            by=user)
        if rec.number is not None and number is None:
            result.problems.append(Problem(extraction.file, rec.location, (
                f"this review already has a recommendation {label}; this one keeps its label and "
                f"is listed as \u201cRecommendation {label} \u2014 from {result.document.original_name}\u201d "
                f"(stored as number {created.number})")))
        taken.add(created.number)
        result.made("recommendation", created.pk)
        result.recommendations += 1
    if extraction.case_studies and add_case_study is not None:
        for study in extraction.case_studies:
            found = tree.resolve(study.organisation, within=review.region_id) \
                if study.organisation else None
            person = study.person
            if study.organisation and found is None:
                person = ", ".join(p for p in (person, study.organisation) if p)
            add_case_study(review=review, title=study.title, text=study.text, person=person,
                           organisation=Organisation.objects.get(pk=found.id) if found else None,
                           source_document=result.document,
                           source_location=study.location, by=user)
            result.case_studies += 1
    if (extraction.responses or result.recommendations) and add_responses is not None:
        recorded = add_responses(review=review, responses=extraction.responses,
                                 source_document=result.document, by=user)
        result.responses = recorded.attached + len(recorded.unattached)
        result.responses_unattached = list(recorded.unattached)
        result.responses_duplicate = recorded.duplicates
        result.responses_reattached = recorded.reattached


def import_paths(
    *, review: Review, paths: Iterable[str | Path], by,
    progress: Callable[[int, int, ImportResult], None] | None = None, stop_on_error: bool = False,
    mapping: Mapping | None = None, add_recommendation: AddRecommendation,
    organisation: Organisation | None = None, batch: ImportBatch | None = None,
    add_case_study: AddCaseStudy | None = None, add_responses: AddResponses | None = None,
    page_progress: Callable[[Path, int, int], None] | None = None,
    organisations: dict[str, Organisation] | None = None,
    new_organisations: Collection[str] | None = None,
) -> list[ImportResult]:
    """Import files and folders, each file in its own transaction.

    ``organisation``: the fallback for rows that name neither an organisation nor a system;
    ``organisations``, ``new_organisations``: names given by the files, as
    :func:`import_document` takes them (the register's organisation a name means; names to
    add as new although the register has a likely match for them).

    A file that cannot be imported gives a result with ``error`` set (or, with
    ``stop_on_error``, raises). ``progress(done, total, result)`` is called after each file;
    ``page_progress(path, done, total)`` after each page of a long read (a scanned PDF).
    ``batch``: records each file's outcome and what it created (so that the run can be undone).
    """
    found = expand_paths(paths)
    results = []
    tree = OrgTree.load()
    for done, path in enumerate(found, start=1):
        try:
            result = import_document(review=review, path=path, by=by, mapping=mapping,
                                     tree=tree, add_recommendation=add_recommendation,
                                     organisation=organisation, batch=batch,
                                     add_case_study=add_case_study, add_responses=add_responses,
                                     organisations=organisations,
                                     new_organisations=new_organisations,
                                     progress=(None if page_progress is None else
                                               lambda done, total, p=path: page_progress(p, done, total)))
        except StocktakeError as exc:
            tree = OrgTree.load()  # the file's new organisations were rolled back
            if stop_on_error:
                raise
            result = ImportResult(path=str(path), error=str(exc), message=str(exc),
                                  problems=[Problem(path.name, "", str(exc))])
            if batch is not None:
                collect_actions.record_batch_file(batch=batch, name=path.name, result=result, by=by)
        results.append(result)
        if progress is not None:
            progress(done, len(found), result)
    return results
