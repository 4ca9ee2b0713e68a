"""Importing submission files: one file, one transaction; the same file twice changes nothing.

:func:`import_document` reads a file with :mod:`stocktake.collect.importers`, resolves
the organisations it names (creating the unknown ones under their system), and stores
a source document, one submitted submission per organisation, its findings, examples
and recommendations — all or nothing. The original bytes are kept in the
``uploads`` storage (:mod:`stocktake.collect.files`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from stocktake.analysis.errors import InputError
from stocktake.collect import actions as collect_actions
from stocktake.collect import files, importers, resubmission
from stocktake.collect.actions import NewFinding
from stocktake.collect.importers import DomainMatcher, Extraction, Mapping, Problem, expand_paths
from stocktake.collect.models import SourceDocument, Submission, SubmissionStatus
from stocktake.core import audit
from stocktake.core.errors import InvalidInput, StocktakeError
from stocktake.core.text import plural
from stocktake.reviews import actions as review_actions
from stocktake.reviews.models import (
    Organisation,
    OrganisationAlias,
    OrganisationLevel,
    OrganisationType,
    Review,
)
from stocktake.reviews.organisations import normalise_name

# The action that records one recommendation of a previous report (keyword arguments review,
# text, number, section, theme, by; returns it): stocktake.report.actions.create_recommendation.
AddRecommendation = Callable[..., Any]


@dataclass
class ImportResult:
    path: str
    document: SourceDocument | None = None
    created: bool = False
    findings: int = 0
    examples: int = 0
    recommendations: int = 0
    organisations_created: list[str] = field(default_factory=list)
    organisations_resolved: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. a second copy of an earlier file
    message: str = ""
    error: str = ""  # set (by import_paths) when the file could not be imported

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


class OrgIndex:
    """Every organisation by normalised name, short name and alias, read once and shared by the
    files of one :func:`import_paths` run; answers as ``resolve_organisation`` would, without
    a query per name. Call :meth:`reset` when a transaction that added to it rolls back."""

    def __init__(self):
        self.loaded = False

    def reset(self) -> None:
        self.loaded = False

    def _load(self) -> None:
        orgs = list(Organisation.objects.order_by("name", "pk"))
        self.by_pk = {org.pk: org for org in orgs}
        self.names: dict[str, list[Organisation]] = {}
        self.children: dict[int | None, list[int]] = {}
        for org in orgs:
            if org.parent_id in self.by_pk:
                org.parent = self.by_pk[org.parent_id]  # walk .system without queries
            self._index(org)
        self.aliases: dict[str, list[int]] = {}
        for normalised, org_id in OrganisationAlias.objects.order_by("pk").values_list(
                "normalised", "organisation_id"):
            self.aliases.setdefault(normalised, []).append(org_id)
        self.below: dict[int, set[int]] = {}
        self.loaded = True

    def _index(self, org: Organisation) -> None:
        for form in {normalise_name(org.name), normalise_name(org.short_name or "")} - {""}:
            self.names.setdefault(form, []).append(org)
        self.children.setdefault(org.parent_id, []).append(org.pk)

    def _descendants(self, root: Organisation) -> set[int]:
        if root.pk not in self.below:
            found, frontier = {root.pk}, [root.pk]
            while frontier:
                frontier = [c for pk in frontier for c in self.children.get(pk, []) if c not in found]
                found.update(frontier)
            self.below[root.pk] = found
        return self.below[root.pk]

    def resolve(self, name: str, *, within: Organisation | None) -> Organisation | None:
        if not self.loaded:
            self._load()
        wanted = normalise_name(name)
        if not wanted:
            return None
        allowed = self._descendants(within) if within is not None else None
        for org in self.names.get(wanted, []):
            if allowed is None or org.pk in allowed:
                return org
        for org_id in self.aliases.get(wanted, []):
            if allowed is None or org_id in allowed:
                return self.by_pk.get(org_id)
        return None

    def add(self, org: Organisation) -> None:
        if self.loaded:
            self.by_pk[org.pk] = org
            self._index(org)
            self.below = {}


class _Resolver:
    """Finds (or creates) the organisations and systems a file names, once each."""

    def __init__(self, review: Review, user, result: ImportResult, index: OrgIndex | None = None):
        self.review, self.user, self.result = review, user, result
        self.index = index or OrgIndex()
        self.systems: dict[str, Organisation | None] = {}
        self.orgs: dict[tuple[str, str | None], Organisation] = {}

    def _create(self, **kwargs) -> Organisation:
        org = review_actions.create_organisation(by=self.user, **kwargs)
        self.index.add(org)
        return org

    def system(self, name: str | None) -> Organisation | None:
        if not name:
            return None
        if name not in self.systems:
            found = self.index.resolve(name, within=self.review.region)
            if found is not None and found.level != OrganisationLevel.SYSTEM:
                found = found.system
            if found is None:
                found = self._create(name=name, level=OrganisationLevel.SYSTEM, kind=OrganisationType.ICS,
                                     parent=self.review.region)
                self.result.organisations_created.append(f"{found.name} (system)")
            self.systems[name] = found
        return self.systems[name]

    def organisation(self, name: str, system_name: str | None) -> Organisation:
        key = (normalise_name(name), system_name)
        if key not in self.orgs:
            system = self.system(system_name)
            found = self.index.resolve(name, within=system) if system else None
            if found is None:
                found = self.index.resolve(name, within=self.review.region)
            if found is not None:
                self.result.organisations_resolved.append(found.name)
            else:
                found = self._create(name=name, level=OrganisationLevel.ORGANISATION,
                                     kind=guess_kind(name), parent=system or self.review.region)
                where = f" in {system.name}" if system else ""
                self.result.organisations_created.append(f"{found.name}{where}")
            self.orgs[key] = found
        return self.orgs[key]


def _theme_matcher(review: Review) -> tuple[DomainMatcher, dict]:
    """Matches a report's section headings ("4.2 Supporting staff wellbeing") to themes."""
    themes = {theme.key: theme for theme in review.framework.themes.all()}
    return DomainMatcher([(key, theme.name) for key, theme in themes.items()]), themes


def _theme_for(review: Review, section: str, matcher: tuple[DomainMatcher, dict] | None = None):
    if not normalise_name(section):
        return None
    themes_matcher, themes = matcher or _theme_matcher(review)
    key = themes_matcher.match(section, max_extra_words=6)
    return themes.get(key) if key else None


def import_document(
    *, review: Review, path: str | Path, by, original_name: str | None = None,
    organisation: Organisation | None = None, mapping: Mapping | None = None,
    org_index: OrgIndex | None = None, add_recommendation: AddRecommendation,
) -> ImportResult:
    """Import one file into ``review``; all or nothing. Raises InvalidInput for unusable files.

    ``organisation``: who the file is from when it does not say (otherwise an error);
    ``mapping``: what spreadsheet columns hold where their headers do not say;
    ``org_index``: an :class:`OrgIndex` shared with other files of the same run;
    ``add_recommendation``: the action that records a previous report's recommendations
    (``stocktake.report.actions.create_recommendation``: callers use
    :mod:`stocktake.report.importing`, which passes it, so collect never imports report).
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
        result.message = (f"{name} was already imported into {review.slug} as "
                          f"{existing.original_name}; nothing changed")
        return result
    max_bytes = int(getattr(settings, "STOCKTAKE_MAX_UPLOAD_MB", 50)) * 1024 * 1024
    domains = {d.key: d for d in review.framework.domains.all()}
    try:
        extraction = importers.extract(path, domains=[(d.key, d.name) for d in domains.values()],
                                       name=name, max_bytes=max_bytes, mapping=mapping)
    except InputError as exc:
        raise InvalidInput(str(exc)) from None
    if any(f.organisation is None for f in extraction.findings) and organisation is None:
        raise InvalidInput(f"{name}: the file does not say which organisation it is from; add a "
                           "title such as 'Submission from …', a line 'Organisation: …' or an "
                           "Organisation column, or choose the organisation when importing")
    result.problems = list(extraction.problems)
    stored_name, stored = files.original_name(review.slug, sha256, name), False
    try:
        with transaction.atomic():
            result.document = collect_actions.record_source_document(
                review=review, original_name=name, sha256=sha256, size=size,
                format=extraction.format, by=by,
                stored_path=stored_name)
            texts_by_org = _store_rows(review, extraction, result, domains, by, organisation,
                                       org_index, add_recommendation)
            result.warnings = resubmission.warnings(review, name=name, texts_by_org=texts_by_org,
                                                    exclude_document=result.document)
            stored = files.store_original(stored_name, path)
            audit.record(actor=by, verb="document.imported", subject=result.document, review=review,
                         name=name, findings=result.findings, examples=result.examples,
                         recommendations=result.recommendations,
                         organisations_created=result.organisations_created,
                         attribute_columns=sorted({k for f in extraction.findings for k in f.attributes}))
    except BaseException:
        if org_index is not None:
            org_index.reset()  # it may hold organisations the rollback removed
        if stored:
            files.uploads().delete(stored_name)
        raise
    result.created = True
    parts = [plural(result.findings, "finding"), plural(result.examples, "example")]
    if result.recommendations:
        parts.append(f"{result.recommendations} recommendations")
    result.message = f"Imported {name}: " + ", ".join(parts)
    if result.organisations_created:
        result.message += f"; new organisations: {', '.join(result.organisations_created)}"
    if result.warnings:
        result.message += (f"; warning: {len(result.warnings)} possible second "
                           f"cop{'y' if len(result.warnings) == 1 else 'ies'} of an earlier "
                           "submission (see below)")
        result.problems = [Problem(name, "", line) for line in result.warnings] + result.problems
    return result


def _store_rows(review, extraction: Extraction, result: ImportResult, domains: dict, user,
                default_org: Organisation | None, org_index: OrgIndex | None,
                add_recommendation: AddRecommendation) -> dict[int, list[str]]:
    """Store the file's rows; returns the new findings' texts by organisation id."""
    resolver = _Resolver(review, user, result, org_index)
    submissions: dict[int, Submission] = {}

    def submission_for(org: Organisation) -> Submission:
        if org.pk not in submissions:
            participant = review_actions.add_participant(review=review, organisation=org, by=user)
            submissions[org.pk] = collect_actions.create_submission(
                participant=participant, by=user, source_document=result.document,
                status=SubmissionStatus.SUBMITTED)
        return submissions[org.pk]

    def org_for(name: str | None, system: str | None) -> Organisation | None:
        if name:
            return resolver.organisation(name, system)
        return default_org

    refs = list(extraction.organisations)
    for ref in refs:
        org_for(ref.name, ref.system)
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
    for example in extraction.examples:
        org = org_for(example.organisation, example.system) or resolver.system(example.system)
        submission = submissions.get(org.pk) if org is not None else None
        collect_actions.add_example(
            review=review, title=example.title, synopsis=example.synopsis, organisation=org,
            domain=domains.get(example.domain or ""), submission=submission,
            source_document=result.document, source_location=example.location, by=user)
        result.examples += 1
    taken = set(review.recommendations.values_list("number", flat=True))
    themes = _theme_matcher(review) if extraction.recommendations else None
    for rec in extraction.recommendations:
        number = rec.number if rec.number is not None and rec.number not in taken else None
        if rec.number is not None and number is None:
            result.problems.append(Problem(extraction.file, rec.location,
                                           f"recommendation {rec.number} already exists; numbered next"))
        created = add_recommendation(
            review=review, text=rec.text, number=number, section=rec.section,
            theme=_theme_for(review, rec.section, themes), by=user)
        taken.add(created.number)
        result.recommendations += 1
    return {pk: [item.text for item in items] for pk, items in by_org.items()}


def import_paths(
    *, review: Review, paths: Iterable[str | Path], by,
    progress: Callable[[int, int, ImportResult], None] | None = None, stop_on_error: bool = False,
    mapping: Mapping | None = None, add_recommendation: AddRecommendation,
) -> list[ImportResult]:
    """Import files and folders, each file in its own transaction.

    A file that cannot be imported gives a result with ``error`` set (or, with
    ``stop_on_error``, raises). ``progress(done, total, result)`` is called after each file.
    """
    files = expand_paths(paths)
    results = []
    org_index = OrgIndex()
    for done, path in enumerate(files, start=1):
        try:
            result = import_document(review=review, path=path, by=by, mapping=mapping,
                                     org_index=org_index, add_recommendation=add_recommendation)
        except StocktakeError as exc:
            if stop_on_error:
                raise
            result = ImportResult(path=str(path), error=str(exc), message=str(exc),
                                  problems=[Problem(path.name, "", str(exc))])
        results.append(result)
        if progress is not None:
            progress(done, len(files), result)
    return results
