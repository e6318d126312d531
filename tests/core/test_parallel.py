"""Where per-transcript work runs: chunks, the cache, and the process pool."""
from __future__ import annotations

from functools import partial

import pytest

from pipeline.core.parallel import (
    SERIAL,
    Processes,
    Serial,
    cached_map,
    chunks_by_weight,
    make_executor,
)


def _square_all(items: list[int], offset: int = 0) -> list[int]:
    return [i * i + offset for i in items]


def _fail_on_three(items: list[int]) -> list[int]:
    if 3 in items:
        raise ValueError("item 3 is bad")
    return items


class DictCache:
    def __init__(self, start: dict | None = None):
        self.store, self.hits, self.misses = dict(start or {}), 0, 0

    def get(self, key):
        if key in self.store:
            self.hits += 1
            return True, self.store[key]
        return False, None

    def put(self, key, value):
        self.misses += 1
        self.store[key] = value


@pytest.mark.parametrize("weights,parts,expected", [
    ([1, 1, 1, 1], 2, [[0, 1], [2, 3]]),
    ([10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 2, [[0], list(range(1, 11))]),
    ([1, 1, 1], 8, [[0], [1], [2]]),
    ([5], 3, [[0]]),
    ([], 4, []),
])
def test_chunks_are_consecutive_runs_of_about_equal_weight(weights, parts, expected) -> None:
    assert chunks_by_weight(weights, parts) == expected


def test_chunks_cover_every_position_once_in_order() -> None:
    weights = [(i * 37) % 11 + 1 for i in range(200)]
    chunks = chunks_by_weight(weights, 8)
    assert [i for c in chunks for i in c] == list(range(200))
    assert len(chunks) == 8
    totals = [sum(weights[i] for i in c) for c in chunks]
    assert max(totals) - min(totals) <= 2 * max(weights)


def test_cached_map_computes_only_the_misses_and_keeps_the_order() -> None:
    cache = DictCache({"b": 999})
    out = cached_map(cache, ["a", "b", "c"], [2, 3, 4], [1, 1, 1], _square_all, SERIAL, "t")
    assert out == [4, 999, 16]
    assert (cache.hits, cache.misses) == (1, 2)
    assert cache.store == {"a": 4, "b": 999, "c": 16}


def test_a_process_pool_returns_what_this_process_computes() -> None:
    items = list(range(40))
    work = partial(_square_all, offset=1)
    pool = Processes(2, auto=False)
    try:
        parallel = cached_map(None, [str(i) for i in items], items, [1] * 40, work, pool, "t")
    finally:
        pool.close()
    assert parallel == cached_map(None, [str(i) for i in items], items, [1] * 40, work,
                                  SERIAL, "t")
    assert parallel[:3] == [1, 2, 5]


def test_a_failing_chunk_raises_its_own_error() -> None:
    pool = Processes(2, auto=False)
    try:
        with pytest.raises(ValueError, match="item 3 is bad"):
            cached_map(None, list("abcdef"), list(range(6)), [1] * 6, _fail_on_three, pool,
                       "t")
    finally:
        pool.close()


def test_auto_workers_stay_in_this_process_for_a_small_corpus() -> None:
    auto = make_executor(0)
    assert isinstance(auto, Serial)
    assert not auto.worth(100_000)  # a few interviews: starting processes costs more
    assert make_executor(2).worth(10)  # asked for by number: always used
    assert type(make_executor(1)) is Serial


def _die(items: list[int]) -> list[int]:
    import os

    os._exit(1)  # as the kernel's out-of-memory killer would end a worker


def test_a_worker_that_dies_is_a_message_not_a_hang() -> None:
    from pipeline.core.errors import PipelineError

    pool = Processes(2, auto=False)
    try:
        with pytest.raises(PipelineError, match="worker process of segment died"):
            cached_map(None, ["a", "b"], [1, 2], [1, 1], _die, pool, "segment")
    finally:
        pool.close()
