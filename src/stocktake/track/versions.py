"""The version of what the registers show: a key part that changes whenever it may.

The recommendations register, the innovations register and the spread of innovations
keep what they computed (counts, filter choices, the ordered ids of a list, drawn
tables) under the user's scope, the filters and :func:`registers_version`. Every change
is an action, and every action records an audit event, so the newest event's id moves
on with each one (updates, decisions, adoptions, themes, threads, organisations renamed,
members added); the newest ids of the registers' own tables also catch rows added
outside actions (bulk loads, the benchmarks). One query of MAX subqueries, each
answered from a primary key. Rows changed or deleted outside actions are not seen.
"""

from __future__ import annotations

from django.db import connection

from stocktake.core.models import AuditEvent
from stocktake.report.models import Recommendation
from stocktake.track.models import Adoption, Decision, Innovation, ProgressUpdate

_TABLES = (AuditEvent, Innovation, Adoption, Decision, ProgressUpdate, Recommendation)


def registers_version() -> str:
    """Changes whenever anything the registers show may have changed (see the module)."""
    sql = "SELECT " + ", ".join(
        f"(SELECT MAX(id) FROM {model._meta.db_table})" for model in _TABLES
    )
    with connection.cursor() as cursor:  # one round trip, no ORM compiling: every page asks
        cursor.execute(sql)
        newest = cursor.fetchone()
    return "|".join(str(n) for n in newest)
