"""The shared half of the edit actions (``update_review``, ``correct_finding``, …).

An edit action takes the fields to change as keyword arguments, checks their
names against the fields it allows, validates each value itself and then calls
:func:`apply_changes`, which sets only what differs. Only the names of the
changed fields go into the audit event, never their contents.
"""

from __future__ import annotations

from typing import Any

from stocktake.core.errors import InvalidInput


def check_fields(changes: dict[str, Any], *, allowed: tuple[str, ...], what: str) -> None:
    """InvalidInput naming the first field an edit of ``what`` may not change."""
    for name in changes:
        if name not in allowed:
            raise InvalidInput(
                f"The {name!r} of {what} cannot be changed here; these can: {', '.join(allowed)}"
            )


def apply_changes(instance, changes: dict[str, Any]) -> list[str]:
    """Set each changed attribute on ``instance`` (not saved); the names that changed, sorted."""
    changed = []
    for name, value in changes.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return sorted(changed)
