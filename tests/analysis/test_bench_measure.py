"""Measuring runs: the memory of worker processes counts."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.analysis.bench_measure import TreeSampler


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
