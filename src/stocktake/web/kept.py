"""Parts of pages kept in this process, under a key that names everything they show.

A part that costs milliseconds to draw and changes only with the review's data
(the dashboard's count tables: hundreds of links) is drawn once per key and
kept; the key must change whenever what the part shows may (for counts, the
key :func:`stocktake.assess.counts.cached_dashboard_counts` kept them under:
scope, themes and data version). At most :data:`KEPT` parts, least recently
used dropped first; threads that miss together wait for the first to draw it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from stocktake.core.kept import Kept

KEPT = 256
_parts = Kept(KEPT)


def kept(key: Hashable, draw: Callable[[], object]):
    """``draw()``, kept under ``key`` (an empty or None key: drawn every time). ``draw``
    must not call :func:`kept` itself: parts are drawn one at a time."""
    return _parts.get(key, draw)
