"""Files collect keeps, through Django's storage API: originals by hash, and staged uploads.

Both live in the ``uploads`` storage (``settings.STORAGES``): by default a
folder under the data directory (``MEDIA_ROOT``), or whatever storage
``STOCKTAKE_FILE_STORAGE`` names (sample.env), so that several web and worker
processes can share one. Names inside it:

- ``documents/<review slug>/<sha256[:16]>-<safe name>``: the original of each
  imported source document (:func:`store_original`);
- ``staging/<token>/...``: uploads waiting for "Confirm import"
  (:mod:`stocktake.collect.staging`).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import BinaryIO

from django.core.files import File
from django.core.files.storage import Storage, storages

CHUNK = 1024 * 1024


def uploads() -> Storage:
    return storages["uploads"]


def safe_name(name: str, fallback: str = "document") -> str:
    """A file name safe in any storage: letters, digits, ``._-``; at most 100 characters."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(name).name).strip(".-") or fallback
    return stem[-100:]


def sha256_of(handle: BinaryIO) -> tuple[str, int]:
    """The SHA-256 (hex) and size in bytes of what is left to read from ``handle``."""
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def original_name(review_slug: str, sha256: str, name: str) -> str:
    """Where the original of a document is kept in the ``uploads`` storage."""
    return f"documents/{review_slug}/{sha256[:16]}-{safe_name(name)}"


def store_original(stored_name: str, path: Path) -> bool:
    """Keep the file at ``path`` as ``stored_name``; False if it was already there.

    The name carries the content's hash, so a file already there holds the same
    bytes: storing twice changes nothing.
    """
    storage = uploads()
    if storage.exists(stored_name):
        return False
    with path.open("rb") as handle:
        saved = storage.save(stored_name, File(handle, name=stored_name))
    if saved != stored_name:  # a concurrent import stored it first: keep theirs
        storage.delete(saved)
        return False
    return True
