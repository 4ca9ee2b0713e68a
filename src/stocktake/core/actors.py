"""Who acted: the signed-in user an action records, or None for the system (CLI, imports)."""

from __future__ import annotations


def acting_user(by):
    """``by`` when it is a signed-in user, else None (``by=None``, anonymous users)."""
    return by if getattr(by, "is_authenticated", False) else None
