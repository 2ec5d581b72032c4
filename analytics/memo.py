"""A bounded, thread-safe memo for results shared by every session of a server process.

The dashboard keeps query results and chart specs for all its viewers. A cache that is
emptied when full, or that evicts what was stored first, throws away exactly what a room full
of viewers asks for again and again (the programme list, the city pages they are looking at)
each time one viewer's rare combination comes along. ``Memo`` evicts the least recently used
entry, is bounded both by its number of entries and by an estimate of the memory its values
hold, and computes a missing value once even when several threads ask for it at the same
time (the others wait for it). It counts hits, misses and evictions, for the load test.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import pandas as pd


def size_of(value: Any, _depth: int = 0) -> int:
    """An estimate of the bytes ``value`` holds: frames by pandas' deep memory usage, bytes by
    their length, containers by their items (to a depth of 12), anything else by
    ``sys.getsizeof``."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=True).sum())
    if isinstance(value, pd.Series):
        return int(value.memory_usage(index=True, deep=True))
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
        self._data: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._pending: dict[Hashable, _Pending] = {}
        self._lock = threading.Lock()
        self._generation = 0
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self.evictions = 0

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._data

    def keys(self) -> list[Hashable]:
        """The keys, least recently used first."""
        with self._lock:
            return list(self._data)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The value kept for ``key``, else ``compute()`` (once, however many threads ask at
        the same time), kept. ``key`` must be hashable."""
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
                self.hits += 1
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

    def _store(self, key: Hashable, value: Any, size: int) -> None:
        old = self._data.pop(key, None)
        if old is not None:
            self.bytes -= old[1]
        self._data[key] = (value, size)
        self.bytes += size
        while self._data and (len(self._data) > self.max_entries or self.bytes > self.max_bytes):
            _, (_, dropped) = self._data.popitem(last=False)
            self.bytes -= dropped
            self.evictions += 1

    def clear(self) -> None:
        """Forget every value (a value being computed now is returned but not kept)."""
        with self._lock:
            self._data.clear()
            self.bytes = 0
            self._generation += 1

    def stats(self) -> dict[str, int]:
        """Entries, estimated bytes, hits, misses and evictions so far."""
        with self._lock:
            return {
                "entries": len(self._data),
                "bytes": self.bytes,
                "hits": self.hits,
                "misses": self.misses,
                "evictions": self.evictions,
            }
