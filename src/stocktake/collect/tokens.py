"""Secret tokens for personal links: only their SHA-256 hash is ever stored; and the salted
hash by which forms answered without signing in count a sender without keeping the address."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings


def new_token() -> str:
    """A random, URL-safe token (256 bits)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def sender_hash(address: str, *, purpose: str) -> str:
    """A salted hash of a sender's address for ``purpose`` ("survey", "questionnaire"):
    enough to count one address's answers, never the address (docs/adr/0016)."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{purpose}:{address}".encode()).hexdigest()
