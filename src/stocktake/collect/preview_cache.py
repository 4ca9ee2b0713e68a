"""Reading a large staged file for the upload preview in the background worker.

A file larger than ``STOCKTAKE_BACKGROUND_IMPORT_MB`` is not read in the web request:
the preview asks for it (:func:`request_read`), the background task
:func:`read_staged_file` reads it once per column mapping and keeps its extraction as
JSON beside the staged files (``extraction-<index>-<key>.json``), and the preview page
polls until it is there (:func:`cached`). The folder goes when the upload is confirmed,
cancelled or swept, as the staged files do.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, fields

from django.conf import settings
from django.core.files.base import ContentFile
from django_tasks import task

from stocktake.analysis.errors import InputError
from stocktake.collect import files, importers, staging
from stocktake.collect.choices import mapping_from
from stocktake.collect.importers import model
from stocktake.collect.importers.roles import TableColumns
from stocktake.reviews.models import Review

# Extraction's list fields and the dataclass of their items.
_ITEMS = {"organisations": model.OrgRef, "findings": model.ExtractedFinding,
          "examples": model.ExtractedExample, "recommendations": model.ExtractedRecommendation,
          "responses": model.ExtractedResponse, "case_studies": model.ExtractedCaseStudy,
          "approaches": model.ExtractedApproach, "problems": model.Problem}


def is_large(item: staging.StagedFile) -> bool:
    return item.size > int(settings.STOCKTAKE_BACKGROUND_IMPORT_MB) * 1024 * 1024


def _key(columns: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(columns, sort_keys=True).encode()).hexdigest()[:16]


def _names(staged: staging.Staged, index: int, columns: dict[str, str]) -> tuple[str, str]:
    key = _key(columns)
    return (f"{staged.folder}/extraction-{index:03d}-{key}.json",
            f"{staged.folder}/pending-{index:03d}-{key}")


def _progress_name(staged: staging.Staged, index: int, columns: dict[str, str]) -> str:
    return f"{staged.folder}/progress-{index:03d}-{_key(columns)}"


PROGRESS_EVERY = 1.0  # seconds between two writes of a read's page progress


def _page_progress(name: str):
    """``progress(done, total)`` for a long read (a scanned PDF's text recognition): "page 12
    of 40" kept beside the staged files (at most once a second, and the last page)."""
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < PROGRESS_EVERY:
            return
        last[0] = now
        storage = files.uploads()
        if storage.exists(name):
            storage.delete(name)
        storage.save(name, ContentFile(f"page {done} of {total}".encode()))

    return progress


def reading_progress(staged: staging.Staged, item: staging.StagedFile) -> str:
    """How far the background read of the file has got ("page 12 of 40"); "" when it does
    not say (not started, or a file read in one go)."""
    name = _progress_name(staged, item.index, staged.choices_for(item).columns)
    storage = files.uploads()
    try:
        with storage.open(name, "rb") as handle:
            return handle.read(100).decode("utf-8", "replace")
    except (FileNotFoundError, OSError):
        return ""


def _item(cls, data: dict):
    known = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in known})


def to_json(extraction: importers.Extraction) -> bytes:
    """The extraction as JSON (its table plans, needed only while reading, are left out)."""
    data = asdict(extraction)
    data.pop("tables", None)
    return json.dumps({"extraction": data}).encode()


def from_json(raw: bytes) -> importers.Extraction | str:
    """The extraction, or the one-line error met reading the file."""
    data = json.loads(raw)
    if "error" in data:
        return data["error"]
    data = data["extraction"]
    extraction = importers.Extraction(file=data["file"], format=data["format"])
    for name, cls in _ITEMS.items():
        setattr(extraction, name, [_item(cls, d) for d in data.get(name, [])])
    extraction.column_roles = [TableColumns(t["where"], [tuple(c) for c in t["columns"]], t["skipped"])
                               for t in data.get("column_roles", [])]
    for f in fields(importers.Extraction):  # plain values (a template's review slug …)
        if f.name not in _ITEMS and f.name not in ("tables", "column_roles", "file", "format") \
                and f.name in data:
            setattr(extraction, f.name, data[f.name])
    return extraction


def cached(staged: staging.Staged, item: staging.StagedFile) -> importers.Extraction | str | None:
    """The file's extraction under its current column mapping; None while not read yet."""
    name, _ = _names(staged, item.index, staged.choices_for(item).columns)
    storage = files.uploads()
    if not storage.exists(name):
        return None
    with storage.open(name, "rb") as handle:
        return from_json(handle.read())


def request_read(staged: staging.Staged, item: staging.StagedFile) -> None:
    """Ask the background worker to read the file (once per column mapping)."""
    columns = staged.choices_for(item).columns
    _, pending = _names(staged, item.index, columns)
    storage = files.uploads()
    if storage.exists(pending):
        return
    storage.save(pending, ContentFile(b""))
    read_staged_file.enqueue(staged.token, staged.user_id, staged.review_id, item.index, columns)


@task()
def read_staged_file(token: str, user_id: int, review_id: int, index: int,
                     columns: dict[str, str]) -> str:
    """The background task: read one staged file and keep its extraction for the preview."""
    staged = staging.load(token, user_id=user_id, review_id=review_id)
    item = next((i for i in staged.files if i.index == index), None) if staged else None
    if item is None:
        return "gone"  # confirmed or cancelled meanwhile
    review = Review.objects.select_related("framework").get(pk=review_id)
    domains = [(d.key, d.name) for d in review.framework.domains.all()]
    name, pending = _names(staged, index, columns)
    progress_name = _progress_name(staged, index, columns)
    try:
        extraction = importers.extract(staged.path(item), domains=domains, name=item.name,
                                       max_bytes=staging.max_bytes(), mapping=mapping_from(columns),
                                       progress=_page_progress(progress_name))
        raw = to_json(extraction)
    except InputError as exc:
        raw = json.dumps({"error": str(exc)}).encode()
    except OSError as exc:
        raw = json.dumps({"error": f"{item.name}: cannot be read ({exc.strerror or exc})"}).encode()
    storage = files.uploads()
    storage.save(name, ContentFile(raw))
    for done in (pending, progress_name):
        if storage.exists(done):
            storage.delete(done)
    return "read"
