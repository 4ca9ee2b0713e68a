"""Uploads waiting for "Confirm import": a private folder per upload in the uploads storage.

Step 1 of the upload page stores the files (through Django's storage API,
:mod:`stocktake.collect.files`) as ``staging/<random token>/...`` with a
``manifest.json`` naming who uploaded them, for which review, and each file's
original name, and previews what importing them would create (read-only: the
Django-free :func:`~stocktake.collect.importers.extract`, and the import's own
organisation look-ups, :class:`~stocktake.collect.file_orgs.FileOrganisations`, on a
copy of the tree). Step 2 imports each staged file with
:func:`~stocktake.track.importing.import_document` and removes the folder;
cancelling removes it too. Folders older than a day are swept away.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from stocktake.analysis import pii
from stocktake.analysis.errors import InputError
from stocktake.collect import files, importers, resubmission, word_template
from stocktake.collect.choices import mapping_from, seed_organisations, without
from stocktake.collect.file_orgs import (
    FileOrganisations,
    needs_organisation,
    open_problems,
    planner,
)
from stocktake.collect.models import SourceDocument
from stocktake.collect.preview_parts import ReportParts, report_parts
from stocktake.reviews.models import Review
from stocktake.reviews.orgtree import OrgTree

MAX_AGE_SECONDS = 24 * 3600
ROOT = "staging"  # inside the uploads storage (stocktake.collect.files)
MANIFEST = "manifest.json"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def max_bytes() -> int:
    return int(settings.STOCKTAKE_MAX_UPLOAD_MB) * 1024 * 1024


@dataclass
class StagedFile:
    index: int
    name: str  # as uploaded
    stored: str  # file name inside the staging folder
    size: int


@dataclass
class FileChoices:
    """What the person importing chose for one staged file in the preview (see collect.choices)."""

    columns: dict[str, str] = field(default_factory=dict)  # header -> role word (a Mapping)
    exclude: list[str] = field(default_factory=list)  # item keys left out
    organisations: dict[str, int] = field(default_factory=dict)  # name in file -> register id
    organisation: int | None = None  # who the file is from where it does not say
    themes: dict[str, int | None] = field(default_factory=dict)  # section heading -> theme id
    # Names the register has a likely match for that the person chose to add as new anyway.
    new_organisations: list[str] = field(default_factory=list)


@dataclass
class Staged:
    token: str
    user_id: int
    review_id: int
    files: list[StagedFile]
    rejected: list[dict] = field(default_factory=list)  # {"name", "message"}: refused on upload
    choices: dict[int, FileChoices] = field(default_factory=dict)  # by file index

    def choices_for(self, item: StagedFile) -> FileChoices:
        return self.choices.setdefault(item.index, FileChoices())

    @property
    def folder(self) -> str:
        return f"{ROOT}/{self.token}"

    def path(self, staged: StagedFile) -> Path:
        """The staged file on local disk (the importers read files by path)."""
        return Path(files.uploads().path(f"{self.folder}/{staged.stored}"))


def stage(uploads, *, user_id: int, review_id: int, rejected: list[dict] | None = None) -> Staged:
    """Store the uploaded files (Django UploadedFile objects) in a new staging folder;
    ``rejected``: files refused on upload ({"name", "message"}), shown beside the others."""
    sweep()
    storage = files.uploads()
    staged = Staged(secrets.token_urlsafe(24), user_id, review_id, [], rejected=list(rejected or []))
    for index, upload in enumerate(uploads, start=1):
        stored = f"{index:03d}-{files.safe_name(upload.name, 'upload')}"
        storage.save(f"{staged.folder}/{stored}", upload)
        staged.files.append(StagedFile(index=index, name=Path(upload.name).name[:255],
                                       stored=stored, size=upload.size))
    _write_manifest(staged)
    return staged


def _write_manifest(staged: Staged) -> None:
    storage = files.uploads()
    manifest = {"user_id": staged.user_id, "review_id": staged.review_id,
                "files": [vars(f) for f in staged.files], "rejected": staged.rejected,
                "choices": {str(index): asdict(c) for index, c in staged.choices.items()}}
    name = f"{staged.folder}/{MANIFEST}"
    if storage.exists(name):
        storage.delete(name)
    storage.save(name, ContentFile(json.dumps(manifest).encode()))


def save_choices(staged: Staged) -> None:
    """Keep the preview's choices (``staged.choices``) with the staged files."""
    _write_manifest(staged)


def load(token: str, *, user_id: int, review_id: int) -> Staged | None:
    """The staged upload, if it exists and belongs to this user and review."""
    if not _TOKEN.match(token or ""):
        return None
    try:
        with files.uploads().open(f"{ROOT}/{token}/{MANIFEST}", "rb") as handle:
            manifest = json.loads(handle.read())
    except (OSError, ValueError):
        return None
    if manifest.get("user_id") != user_id or manifest.get("review_id") != review_id:
        return None
    staged_files = [StagedFile(**f) for f in manifest["files"]]
    choices = {int(index): FileChoices(**c) for index, c in manifest.get("choices", {}).items()}
    return Staged(token, user_id, review_id, staged_files, rejected=manifest.get("rejected", []),
                  choices=choices)


def discard(staged: Staged) -> None:
    _remove(staged.folder)


def _remove(folder: str) -> None:
    """Delete a staging folder's files, then the folder itself where folders exist."""
    storage = files.uploads()
    try:
        _, names = storage.listdir(folder)
    except OSError:
        return
    for name in names:
        storage.delete(f"{folder}/{name}")
    try:
        Path(storage.path(folder)).rmdir()
    except (NotImplementedError, OSError):
        pass  # a storage without folders, or one already gone


def sweep(max_age: int = MAX_AGE_SECONDS) -> None:
    """Remove staging folders nobody confirmed or cancelled."""
    storage = files.uploads()
    try:
        tokens, _ = storage.listdir(ROOT)
    except OSError:
        return
    cutoff = timezone.now() - dt.timedelta(seconds=max_age)
    for token in tokens:
        folder = f"{ROOT}/{token}"
        try:
            if storage.get_modified_time(folder) < cutoff:
                _remove(folder)
        except (NotImplementedError, OSError):
            continue


# -- the preview ----------------------------------------------------------------------


@dataclass
class OrgPreview:
    name: str
    system: str | None
    matched: str | None  # the register's name when found, else None (would be created)
    likely_match: str | None = None  # when created: the register's name it probably means
    likely_id: int | None = None  # … and its id, for the preview's "use the suggestion"
    new_chosen: bool = False  # the person chose a new organisation despite the likely match

    @property
    def undecided(self) -> bool:
        """A name the register probably holds, with no choice made: use it, or add a new one."""
        return self.likely_match is not None and not self.new_chosen


@dataclass
class NewOrganisation:
    """An organisation or system the import will create, with where it will sit."""

    name: str
    level: str  # OrganisationLevel: "system" or "organisation"
    parent: str | None  # the system or region it goes under, by name
    # an organisation already in the register the new one is probably the same as (a
    # near spelling, its initials…): a suggestion for a person, never applied by the import
    likely_match: str | None = None


@dataclass(frozen=True)
class PersonalDataItem:
    """A finding or example of a previewed file that may hold personal data."""

    text: str
    labels: tuple[str, ...]  # "Possible NHS number" …, once each


def personal_data_items(texts) -> list[PersonalDataItem]:
    """The texts that hold possible personal data, each with its tags."""
    items = []
    for text in texts:
        spans = pii.detect(text)
        if spans:
            labels = dict.fromkeys(f"Possible {s.label}" for s in spans)
            items.append(PersonalDataItem(text=text, labels=tuple(labels)))
    return items


@dataclass
class FilePreview:
    index: int
    name: str
    size: int
    format: str = ""
    error: str = ""  # the file cannot be imported at all: one line naming it
    already: str = ""  # imported before under this name (same content)
    organisations: list[OrgPreview] = field(default_factory=list)
    created: list[NewOrganisation] = field(default_factory=list)  # everything the import adds
    needs_organisation: bool = False  # some findings name no organisation
    findings_by_domain: list[tuple[str, int]] = field(default_factory=list)
    findings: int = 0
    samples: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    example_count: int = 0
    recommendations: list[str] = field(default_factory=list)
    recommendation_count: int = 0
    pending: bool = False  # a large file the background worker is still reading

    @property
    def undecided(self) -> list[OrgPreview]:
        """Names with a likely match in the register and no choice yet: the import waits for
        one (the register's organisation, another, or a new one)."""
        return [org for org in self.organisations if org.undecided]

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # looks like a second copy of a file
    # For the preview's choices: the whole extraction (items by their keys, before any are left
    # out), what each table's columns were taken as, and how many items are left out.
    extraction: object = None
    tables: list = field(default_factory=list)
    left_out: int = 0
    report: ReportParts | None = None  # headings → themes, responses, case studies
    # Items with possible personal data (analysis.pii): the first few, and how many in all.
    personal_data: list[PersonalDataItem] = field(default_factory=list)
    personal_data_count: int = 0


def preview_file(review: Review, staged: Staged, item: StagedFile, *, domains: list,
                 tree: OrgTree | None = None, extraction=None) -> FilePreview:
    """What importing one staged file would create (nothing is written), with the choices
    made for it so far (``staged.choices``: column roles, items left out, organisations).

    ``tree``: the organisation tree, shared by the files of one preview (else loaded);
    ``extraction``: the file already read (by the background worker, for a large file; a
    string is the error met reading it)."""
    preview = FilePreview(index=item.index, name=item.name, size=item.size)
    path = staged.path(item)
    if item.size == 0:
        preview.error = f"{item.name}: the file is empty"
        return preview
    try:
        with path.open("rb") as handle:
            sha256, _ = files.sha256_of(handle)
        existing = SourceDocument.objects.filter(review=review, sha256=sha256).first()
        if existing is not None:
            preview.already = existing.original_name
            return preview
        choices = staged.choices.get(item.index) or FileChoices()
        if isinstance(extraction, str):
            preview.error = extraction
            return preview
        everything = extraction or importers.extract(
            path, domains=[(d.key, d.name) for d in domains], name=item.name,
            max_bytes=max_bytes(), mapping=mapping_from(choices.columns))
        word_template.check_review(everything, review)
    except InputError as exc:
        preview.error = str(exc)
        return preview
    except OSError as exc:
        preview.error = f"{item.name}: cannot be read ({exc.strerror or exc})"
        return preview
    names = {d.key: d.name for d in domains}
    preview.extraction, preview.tables = everything, everything.column_roles
    extraction = without(everything, set(choices.exclude))
    preview.left_out = sum(len(getattr(everything, a)) - len(getattr(extraction, a))
                           for a in ("findings", "examples", "recommendations"))
    preview.format = importers.READERS[extraction.format][2]
    register = tree or OrgTree.load()
    orgs = FileOrganisations(register.copy(), region_id=review.region_id, make=planner())
    seed_organisations(orgs, extraction, {name: orgs.tree.get(pk) for name, pk
                                          in choices.organisations.items() if orgs.tree.get(pk)})
    orgs.resolve_file(extraction)  # as the import does
    for ref in extraction.organisations:
        found = orgs.organisation(ref.name, ref.system)
        made = orgs.is_made(found)
        likely = register.likely_match(ref.name, within=review.region_id) if made else None
        preview.organisations.append(OrgPreview(
            ref.name, ref.system, None if made else found.name,
            likely_match=likely.name if likely else None, likely_id=likely.id if likely else None,
            new_chosen=ref.name in choices.new_organisations))
    texts_by_org: dict[int, list[str]] = {}
    for finding in extraction.findings:
        if finding.organisation is None:
            continue
        found = orgs.organisation(finding.organisation, finding.system)
        if not orgs.is_made(found):
            texts_by_org.setdefault(found.id, []).append(finding.text)
    preview.created = [_new_organisation(node, orgs.tree, register, review)
                       for node in orgs.made]
    preview.warnings = resubmission.warnings(review, name=item.name, texts_by_org=texts_by_org)
    preview.needs_organisation = needs_organisation(extraction)
    if not preview.needs_organisation:  # the choice made before no longer applies
        choices.organisation = None
    counts = Counter(f.domain for f in extraction.findings)
    order = [d.key for d in domains] + [None]
    preview.findings_by_domain = [(names.get(key, "No domain"), counts[key])
                                  for key in order if counts.get(key)]
    preview.findings = len(extraction.findings)
    preview.samples = [f.text for f in extraction.findings[:3]]
    preview.example_count = len(extraction.examples)
    preview.examples = [e.title for e in extraction.examples[:3]]
    preview.recommendation_count = len(extraction.recommendations)
    preview.recommendations = [
        (f"{r.label or r.number}. " if (r.label or r.number is not None) else "") + r.text
        for r in extraction.recommendations[:3]
    ]
    preview.report = report_parts(review, extraction, choices.themes)
    preview.problems = [str(p) for p in open_problems(
        extraction, organisation_chosen=choices.organisation is not None)[:20]]
    flagged = personal_data_items(
        [f.text for f in extraction.findings]
        + [f"{e.title}: {e.synopsis}" for e in extraction.examples]
        + [r.text for r in extraction.recommendations]
        + [" – ".join(part for part in (c.title, c.person, c.text) if part)
           for c in extraction.case_studies]
        + [r.text for r in extraction.responses])
    preview.personal_data, preview.personal_data_count = flagged[:10], len(flagged)
    if not (preview.findings or preview.example_count or preview.recommendation_count
            or extraction.responses or extraction.case_studies):
        preview.error = (f"{item.name}: nothing to import was found in it (no findings, examples, "
                         "recommendations or responses to them)")
    return preview


def _likely(register: OrgTree, name: str, review: Review) -> str | None:
    found = register.likely_match(name, within=review.region_id)
    return found.name if found is not None else None


def _new_organisation(node, tree: OrgTree, register: OrgTree, review: Review) -> NewOrganisation:
    parent = tree.get(node.parent_id) if node.parent_id is not None else None
    return NewOrganisation(node.name, str(node.level), parent.name if parent else None,
                           likely_match=_likely(register, node.name, review))
