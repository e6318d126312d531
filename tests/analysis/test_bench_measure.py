"""Measuring runs: the memory of worker processes counts; the machine's speed."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.analysis.bench_measure import TreeSampler, reference_seconds, reference_work


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="Linux /proc only")
def test_the_memory_of_worker_processes_is_counted() -> None:
    code = "import time; x = b'x' * 300_000_000; time.sleep(1.0)"
    with TreeSampler() as tree:
        subprocess.run([sys.executable, "-c", code], check=True)
    assert tree.peak > 300  # MB: the child's 300 MB, which this process's own peak lacks


def test_without_workers_nothing_is_sampled() -> None:
    with TreeSampler() as tree:
        sum(range(100_000))
    assert tree.peak == 0


def test_the_reference_workload_is_fixed_work() -> None:
    # 1,000 distinct words (7 "budget" spellings and 993 "word" ones): if this changes, the
    # reference times of older results no longer compare with new ones.
    assert reference_work() == 1000


def test_the_reference_time_is_the_best_of_its_repeats(monkeypatch) -> None:
    import pipeline.analysis.bench_measure as bm

    ticks = iter([0.0, 0.5, 1.0, 1.2, 2.0, 2.9])   # three timings: 0.5, 0.2 and 0.9 s
    monkeypatch.setattr(bm.time, "perf_counter", lambda: next(ticks))
    monkeypatch.setattr(bm, "reference_work", lambda: 0)
    assert reference_seconds(3, processes=1) == 0.2


def test_a_real_reference_time_is_short_and_positive() -> None:
    assert 0 < reference_seconds(1, processes=1) < 5
    assert 0 < reference_seconds(1, processes=2) < 5   # two processes at once
