"""Typed readers for environment variables that fail fast with a hint.

Settings read every value through these helpers so a mistyped value stops the
process at start-up with a message naming the variable, instead of surfacing
later as a confusing error.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


class ConfigError(Exception):
    """A configuration value from the environment is unusable."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}={raw!r} is too small; use {minimum} or more")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def file_storage() -> dict:
    """The ``uploads`` storage (originals and staged uploads): a STORAGES entry.

    ``STOCKTAKE_FILE_STORAGE`` names a storage class (default: the filesystem,
    under MEDIA_ROOT) and ``STOCKTAKE_FILE_STORAGE_OPTIONS`` its options as JSON.
    """
    backend = env_str("STOCKTAKE_FILE_STORAGE", "").strip()
    raw = env_str("STOCKTAKE_FILE_STORAGE_OPTIONS", "").strip()
    try:
        options = json.loads(raw) if raw else {}
    except ValueError:
        raise ConfigError(f"STOCKTAKE_FILE_STORAGE_OPTIONS={raw!r} is not JSON") from None
    if not isinstance(options, dict):
        raise ConfigError("STOCKTAKE_FILE_STORAGE_OPTIONS must be a JSON object")
    if not backend:  # private files: only the server's user may read them
        backend = "django.core.files.storage.FileSystemStorage"
        options = {"directory_permissions_mode": 0o700, "file_permissions_mode": 0o600, **options}
    return {"BACKEND": backend, "OPTIONS": options}


def data_dir() -> Path:
    """Where the SQLite database, uploaded originals and reports live."""
    return Path(env_str("STOCKTAKE_DATA_DIR", "var")).resolve()


def secret_key(directory: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data dir.

    A fresh install therefore needs no secret to be set by hand, and sessions
    survive restarts.
    """
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = directory / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    directory.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key
