"""Values kept in this process under a key that names everything they depend on.

A value that costs milliseconds to make and changes only with the review's data is
made once per key and kept; the key must change whenever the value may. Each
:class:`Kept` holds at most ``size`` values, least recently used dropped first;
threads that miss together wait for the first to make it. Web pages keep drawn parts
in one (``web/kept.py``); the assess app keeps the theme matrix's counts in another.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class Kept:
    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self._making = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], object]):
        """``make()``, kept under ``key`` (an empty or None key: made every time). ``make``
        must not ask this same Kept for another value: values are made one at a time."""
        if not key:
            return make()
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        with self._making:
            with self._lock:
                if key in self._values:
                    return self._values[key]
            value = make()
            with self._lock:
                self._values[key] = value
                while len(self._values) > self.size:
                    self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
