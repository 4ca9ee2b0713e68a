"""Parts of pages kept in this process, under a key that names everything they show.

A part that costs milliseconds to draw and changes only with the review's data
(the dashboard's count tables: hundreds of links) is drawn once per key and
kept; the key must change whenever what the part shows may (for counts, the
key :func:`stocktake.assess.counts.cached_dashboard_counts` kept them under:
scope, themes and data version). At most :data:`KEPT` parts, least recently
used dropped first; threads that miss together wait for the first to draw it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

KEPT = 256
_kept: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()
_drawing = threading.Lock()


def kept(key: Hashable, draw: Callable[[], object]):
    """``draw()``, kept under ``key`` (an empty or None key: drawn every time). ``draw``
    must not call :func:`kept` itself: parts are drawn one at a time."""
    if not key:
        return draw()
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    with _drawing:
        with _lock:
            if key in _kept:
                return _kept[key]
        value = draw()
        with _lock:
            _kept[key] = value
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    return value
