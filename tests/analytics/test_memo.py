"""The shared memo of a server process: least recently used first out, bounded by entries and
by bytes, one computation per missing key however many threads ask."""

from __future__ import annotations

import sys
import threading
import time

import pandas as pd
import pytest

from analytics.memo import Memo, size_of


def _fill(memo: Memo, *keys: str) -> None:
    for k in keys:
        memo.get(k, lambda k=k: k.upper())


def test_the_least_recently_used_entry_goes_first():
    memo = Memo(max_entries=3, max_bytes=10**9)
    _fill(memo, "a", "b", "c")
    assert memo.get("a", lambda: "never") == "A"  # a hit: "a" is now the most recent
    _fill(memo, "d")  # one too many: "b" (least recently used) goes, not "a" (first stored)
    assert memo.order() == ["c", "d", "a"]  # in the order they would go
    assert memo.stats() == {
        "entries": 3,
        "protected": 1,
        "bytes": memo.bytes,
        "hits": 1,
        "misses": 4,
        "evictions": 1,
    }
    _fill(memo, "e")
    assert memo.order() == ["d", "e", "a"]


def test_values_asked_for_once_do_not_push_out_those_asked_for_again():
    memo = Memo(max_entries=10, max_bytes=10**9)
    _fill(memo, *"abcde")
    _fill(memo, *"abcde")  # asked for again: protected
    for i in range(100):  # a stream of combinations, each asked for once
        memo.get(f"once-{i}", lambda i=i: i)
    assert all(k in memo for k in "abcde")
    assert len(memo) == 10 and memo.stats()["evictions"] == 95
    # the protected segment holds at most 4/5: the least recently used of it goes back to
    # probation and, if not asked for again, out
    _fill(memo, *"fghij", *"fghij")
    assert memo.order() == [*"ab", *"cdefghij"]
    memo.get("once-more", lambda: 0)
    assert "a" not in memo and memo.order() == ["b", "once-more", *"cdefghij"]


def test_bounded_by_bytes_as_estimated():
    memo = Memo(max_entries=100, max_bytes=25, sizeof=len)
    memo.get("a", lambda: "x" * 10)
    memo.get("b", lambda: "y" * 10)
    assert memo.bytes == 20 and len(memo) == 2
    memo.get("c", lambda: "z" * 10)  # 30 > 25: the oldest goes
    assert memo.order() == ["b", "c"] and memo.bytes == 20
    memo.get("b", lambda: "never")  # protected: 10 bytes, within 4/5 of 25
    memo.get("e", lambda: "v" * 10)
    assert memo.order() == ["e", "b"] and memo.bytes == 20
    big = memo.get("d", lambda: "w" * 26)  # larger than the whole budget: returned, not kept
    assert big == "w" * 26 and "d" not in memo and memo.order() == ["e", "b"]


def test_many_threads_asking_for_a_missing_value_compute_it_once():
    memo = Memo(max_entries=10, max_bytes=10**9)
    calls = []
    start = threading.Barrier(8)

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return object()

    got = []

    def ask():
        start.wait()
        got.append(memo.get("k", slow))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(calls) == 1
    assert len(got) == 8 and all(g is got[0] for g in got)  # the same shared object


def test_a_failed_computation_is_not_kept_and_raises():
    memo = Memo(max_entries=10, max_bytes=10**9)

    def broken():
        raise ValueError("no")

    with pytest.raises(ValueError):
        memo.get("k", broken)
    assert "k" not in memo
    assert memo.get("k", lambda: 1) == 1


def test_clear_forgets_and_a_computation_started_before_is_not_kept():
    memo = Memo(max_entries=10, max_bytes=10**9)
    _fill(memo, "a")

    def during():
        memo.clear()  # the database file changed while this was computed
        return "old"

    assert memo.get("b", during) == "old"
    assert len(memo) == 0 and memo.bytes == 0


def test_size_of_counts_frames_bytes_and_containers():
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    assert size_of(df) == int(df.memory_usage(index=True, deep=True).sum())
    assert size_of(b"1234") == 4 + 64
    inner = size_of({"a": b"12"})
    assert size_of([{"a": b"12"}, {"a": b"12"}]) > 2 * inner


def test_size_of_counts_the_strings_in_lists_held_in_a_frame():
    # pandas' deep memory usage counts a list in a cell as the list object alone: the 1,000
    # strings of 100 characters in each of these two cells (about 149 kB each) are left out.
    words = ["x" * 100 + str(i) for i in range(1000)]
    df = pd.DataFrame({"met_by": [list(words), list(words)], "n": [1, 2]})
    pandas_count = int(df.memory_usage(index=True, deep=True).sum())
    strings = 2 * sum(sys.getsizeof(w) for w in words)
    assert strings > 290_000
    assert size_of(df) == pandas_count + strings
    assert size_of(df["met_by"]) == int(df["met_by"].memory_usage(index=True, deep=True)) + strings


def test_size_of_scales_a_sample_of_a_long_object_column():
    cells = [["ab", "cd"]] * 10_000
    df = pd.DataFrame({"pair": cells})
    per_cell = 2 * sys.getsizeof("ab")
    extra = size_of(df) - int(df.memory_usage(index=True, deep=True).sum())
    assert extra == 10_000 * per_cell
