"""A bounded, thread-safe memo for results shared by every session of a server process.

The dashboard keeps query results and chart specs for all its viewers. A cache that is
emptied when full, or that evicts what was stored first, throws away exactly what a room full
of viewers asks for again and again (the programme list, the city pages they are looking at)
each time one viewer's rare combination comes along. ``Memo`` is a segmented LRU: a new entry
waits in a probation segment and moves to the protected segment (at most four fifths of the
memo) when it is asked for again, so a stream of combinations asked for once (a comparison of
three random cities) pushes out only other entries asked for once, not what a room keeps
asking for; within each segment the least recently used goes first. It is bounded both by its
number of entries and by an estimate of the memory its values hold, and computes a missing
value once even when several threads ask for it at the same time (the others wait for it).
It counts hits, misses and evictions, for the load test.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import pandas as pd


def size_of(value: Any, _depth: int = 0) -> int:
    """An estimate of the bytes ``value`` holds: frames by pandas' deep memory usage (plus the
    items of lists and other containers in object cells, which it leaves out), bytes by
    their length, containers by their items (to a depth of 12), anything else by
    ``sys.getsizeof``."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=True).sum()) + sum(
            _nested(value[c], _depth) for c in value.columns if value[c].dtype == object
        )
    if isinstance(value, pd.Series):
        return int(value.memory_usage(index=True, deep=True)) + (
            _nested(value, _depth) if value.dtype == object else 0
        )
    if isinstance(value, (bytes, bytearray, memoryview)):
        return len(value) + 64
    if isinstance(value, str):
        return sys.getsizeof(value)
    if _depth >= 12:
        return sys.getsizeof(value)
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(
            size_of(k, _depth + 1) + size_of(v, _depth + 1) for k, v in value.items()
        )
    if isinstance(value, (list, tuple, set, frozenset)):
        return sys.getsizeof(value) + sum(size_of(v, _depth + 1) for v in value)
    if hasattr(value, "__dataclass_fields__"):
        return sys.getsizeof(value) + sum(
            size_of(getattr(value, f), _depth + 1) for f in value.__dataclass_fields__
        )
    return sys.getsizeof(value)


_CONTAINERS = (list, tuple, dict, set, frozenset)
_SAMPLE = 256


def _nested(column: pd.Series, depth: int) -> int:
    """What pandas' deep memory usage leaves out of an object column: it counts each cell by
    ``sys.getsizeof``, so a list of strings in a cell counts as the list object alone, not the
    strings in it. Adds the items of container cells, over all cells up to ``_SAMPLE`` and
    scaled up from an even sample of them beyond."""
    n = len(column)
    if n == 0:
        return 0
    step = max(1, n // _SAMPLE)
    cells = column.iloc[::step]
    extra = 0
    for cell in cells:
        if isinstance(cell, _CONTAINERS):
            extra += size_of(cell, depth + 1) - sys.getsizeof(cell)
    return round(extra * n / len(cells))


class _Pending:
    """A value being computed by one thread, which others wait for."""

    __slots__ = ("done", "value", "failed")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.failed = False


class Memo:
    """Least-recently-used memo bounded by ``max_entries`` and ``max_bytes`` (as ``sizeof``
    estimates them). A value larger than ``max_bytes`` on its own is returned, not kept."""

    def __init__(
        self,
        max_entries: int,
        max_bytes: int,
        sizeof: Callable[[Any], int] = size_of,
    ) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._sizeof = sizeof
        self._data: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()  # probation
        self._kept: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()  # protected
        self._kept_bytes = 0
        self._pending: dict[Hashable, _Pending] = {}
        self._lock = threading.Lock()
        self._generation = 0
        self._new_bytes = 0
        self.hits = 0
        self.misses = 0
        self.evictions = 0

    @property
    def bytes(self) -> int:
        """The estimated bytes of the values kept."""
        return self._new_bytes + self._kept_bytes

    def __len__(self) -> int:
        return len(self._data) + len(self._kept)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._data or key in self._kept

    def order(self) -> list[Hashable]:
        """The keys in the order they would go: the probation segment least recently used
        first, then the protected one."""
        with self._lock:
            return [*self._data, *self._kept]

    def peek(self, key: Hashable) -> tuple[Any, int] | None:
        """The value kept for ``key`` and its estimated size, not counted as a use."""
        with self._lock:
            return self._kept.get(key) or self._data.get(key)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The value kept for ``key``, else ``compute()`` (once, however many threads ask at
        the same time), kept. ``key`` must be hashable."""
        with self._lock:
            hit = self._kept.get(key)
            if hit is not None:
                self._kept.move_to_end(key)
                self.hits += 1
                return hit[0]
            hit = self._data.pop(key, None)
            if hit is not None:  # asked for again: protected
                self.hits += 1
                self._protect(key, hit)
                return hit[0]
            pending = self._pending.get(key)
            owner = pending is None
            if pending is None:
                pending = self._pending[key] = _Pending()
            generation = self._generation
        if not owner:
            pending.done.wait()
            if not pending.failed:
                with self._lock:
                    self.hits += 1
                return pending.value
            return compute()  # the first attempt failed: this caller tries (and raises) itself
        try:
            value = compute()
        except BaseException:
            with self._lock:
                if self._pending.get(key) is pending:
                    del self._pending[key]
            pending.failed = True
            pending.done.set()
            raise
        size = self._sizeof(value)
        with self._lock:
            self.misses += 1
            if self._pending.get(key) is pending:
                del self._pending[key]
            if generation == self._generation and size <= self.max_bytes:
                self._store(key, value, size)
        pending.value = value
        pending.done.set()
        return value

    def _protect(self, key: Hashable, entry: tuple[Any, int]) -> None:
        self._kept[key] = entry
        self._kept_bytes += entry[1]
        self._new_bytes -= entry[1]
        # the protected segment holds at most four fifths; its least recently used go back
        # to probation (as the newest there)
        while len(self._kept) > 1 and (
            len(self._kept) > self.max_entries * 4 // 5 or self._kept_bytes > self.max_bytes * 0.8
        ):
            old_key, old = self._kept.popitem(last=False)
            self._kept_bytes -= old[1]
            self._data[old_key] = old
            self._new_bytes += old[1]

    def _store(self, key: Hashable, value: Any, size: int) -> None:
        if key in self._kept:
            self._kept_bytes -= self._kept.pop(key)[1]
        old = self._data.pop(key, None)
        if old is not None:
            self._new_bytes -= old[1]
        self._data[key] = (value, size)
        self._new_bytes += size
        while self._data or self._kept:
            if (
                len(self) <= self.max_entries
                and self._new_bytes + self._kept_bytes <= self.max_bytes
            ):
                break
            segment = self._data if self._data else self._kept
            _, (_, dropped) = segment.popitem(last=False)
            if segment is self._data:
                self._new_bytes -= dropped
            else:
                self._kept_bytes -= dropped
            self.evictions += 1

    def clear(self) -> None:
        """Forget every value (a value being computed now is returned but not kept)."""
        with self._lock:
            self._data.clear()
            self._kept.clear()
            self._new_bytes = self._kept_bytes = 0
            self._generation += 1

    def stats(self) -> dict[str, int]:
        """Entries, estimated bytes, hits, misses and evictions so far."""
        with self._lock:
            return {
                "entries": len(self._data) + len(self._kept),
                "protected": len(self._kept),
                "bytes": self._new_bytes + self._kept_bytes,
                "hits": self.hits,
                "misses": self.misses,
                "evictions": self.evictions,
            }
