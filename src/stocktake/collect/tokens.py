"""Secret tokens for personal links: only their SHA-256 hash is ever stored."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    """A random, URL-safe token (256 bits)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
