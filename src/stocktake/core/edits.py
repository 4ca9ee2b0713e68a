"""The shared half of the edit actions (``update_review``, ``correct_finding``, …).

An edit action takes the fields to change as keyword arguments, checks their
names against the fields it allows, validates each value itself and then calls
:func:`apply_changes`, which sets only what differs. Only the names of the
changed fields go into the audit event, never their contents.
"""

from __future__ import annotations

from typing import Any

from stocktake.core.errors import EditConflict, InvalidInput


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


def check_revision(instance, expected: int | None, *, what: str) -> None:
    """Refuse an edit made from an older revision of ``instance`` (someone saved in between).

    ``expected`` is the ``revision`` the editor's form was loaded with; None skips the check
    (scripts and the CLI, which read and write in one go). The action then raises
    ``instance.revision`` by one with its save.
    """
    if expected is not None and int(expected) != instance.revision:
        raise EditConflict(
            f"{what[:1].upper()}{what[1:]} was changed by someone else while you were editing "
            "it. Nothing was saved: reload to see their version, then make your change again."
        )
