"""Creating codes in tests.

There is no assess action for coding yet (stocktake.assess.actions has no
``confirm_code``), so these helpers create Code rows directly. Replace them
with the action once it exists.
"""

from __future__ import annotations

from stocktake.assess.models import Code, CodeOrigin


def machine(finding, theme, *, rank=0, score=0.5, run=None):
    return Code.objects.create(
        finding=finding, theme=theme, origin=CodeOrigin.MACHINE, rank=rank, score=score,
        analysis_run=run,
    )


def human(finding, theme, *, applies=True, user=None):
    return Code.objects.create(
        finding=finding, theme=theme, origin=CodeOrigin.HUMAN, applies=applies, confirmed_by=user,
    )
