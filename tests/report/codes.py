"""Coding findings in tests, through the actions: exact machine suggestions and human decisions."""

from __future__ import annotations

from stocktake.assess import actions
from stocktake.assess.actions import MachineCode


def machine(review, *codes, by=None, backend="recorded", seed=0):
    """One finished run with these suggestions: each a (finding, theme, rank, score) tuple,
    or a MachineCode (for an explanation)."""
    return actions.record_machine_codes(
        review=review, by=by, backend=backend, seed=seed,
        codes=[c if isinstance(c, MachineCode) else MachineCode(c[0], c[1], rank=c[2], score=c[3])
               for c in codes],
    )


def human(finding, theme, *, applies=True, user=None):
    return actions.confirm_code(finding=finding, theme=theme, applies=applies, by=user)
