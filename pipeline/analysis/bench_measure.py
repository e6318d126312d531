"""Measuring a run: the whole command from outside (a child process's wall time, CPU time and
peak memory, start-up and imports included) and each stage from inside.

Inside, `MeasuredRunner` is the runner `qda analyze` uses, timing every stage: wall time, CPU
time (user + system, this process's threads and any process the stage starts) and peak
resident memory. On Linux the peak is the stage's own: the kernel's high-water mark is reset
before each stage (/proc/self/clear_refs); elsewhere it is the process's peak so far. When the
stage has worker processes (a process pool, a local Dask cluster), the peak is the sampled sum
over them and this process, when that is higher.
"""
from __future__ import annotations

import json
import math
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pipeline
from pipeline.core.registry import STAGES, Stage
from pipeline.core.runner import Runner, StageReport

# ru_maxrss is in kilobytes on Linux and in bytes on macOS.
_MAXRSS_PER_MB = 1024 * 1024 if sys.platform == "darwin" else 1024


class ChildFailed(RuntimeError):
    pass


# A fixed text for the reference workload: 60,000 words over 1,000 spellings.
_REFERENCE_TEXT = " ".join(f"Budget{i % 7} word{i * 7919 % 993}" for i in range(30_000))


def reference_work() -> int:
    """The fixed work `reference_seconds` times, of the kind most of an analysis does
    (Python string, regular-expression and dictionary work): its distinct lower-case words."""
    counts: dict[str, int] = {}
    for _ in range(10):  # about 0.1 s on this machine at its faster
        for word in re.findall(r"\w+", _REFERENCE_TEXT):
            key = word.lower()
            counts[key] = counts.get(key, 0) + 1
    return len(sorted(counts, key=lambda k: (-counts[k], k)))


def reference_seconds(repeats: int = 3, processes: int | None = None) -> float:
    """How fast this machine is now: the best of `repeats` timings of `reference_work`, run
    on `processes` processes at once (every usable core by default: the analysis keeps them
    all busy, and a shared or virtual machine's cores slow down most when all of them run),
    the slowest process's. This machine's speed changed by a factor of two within a day; a
    run measured while this took twice as long ran on a machine about half as fast."""
    n = processes or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else os.cpu_count() or 1)
    if n <= 1:
        return _best_of(repeats)
    import multiprocessing

    method = "fork" if sys.platform.startswith("linux") else None
    with multiprocessing.get_context(method).Pool(n) as pool:
        return max(pool.map(_best_of, [repeats] * n))


def _best_of(repeats: int) -> float:
    best = math.inf
    reference_work()  # the first call also compiles and allocates: not timed
    for _ in range(repeats):
        start = time.perf_counter()
        reference_work()
        best = min(best, time.perf_counter() - start)
    return round(best, 4)


def cpu_seconds() -> float:
    """User + system CPU of this process (all threads) and of its finished children."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def reset_peak() -> bool:
    """Reset this process's peak-memory mark, so the next reading is one stage's; False
    where the system cannot (then readings are the peak since the process started)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_mb() -> float:
    """Peak resident memory (MB) since the last `reset_peak`, or since the process started."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / _MAXRSS_PER_MB


def _descendants(pid: int) -> list[int]:
    """Every process below `pid` (Linux /proc; empty elsewhere)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children") as f:
                    kids = [int(k) for k in f.read().split()]
            except OSError:
                continue
            out += kids
            todo += kids
    return out


def _pss_mb(pid: int) -> float:
    """Proportional set size: resident memory with each page shared by forked workers
    counted once over the processes that share it (plain RSS would count it in each)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class TreeSampler:
    """The largest sum of memory (PSS) over this process and its worker processes (a process
    pool, a local Dask cluster), sampled every 50 ms while a stage runs: the kernel keeps a
    peak per process, not per group."""

    def __init__(self) -> None:
        import threading

        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.05):
            kids = _descendants(me)
            if kids:
                self.peak = max(self.peak, _pss_mb(me) + sum(map(_pss_mb, kids)))

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()


class MeasuredRunner(Runner):
    """The analysis runner, recording wall, CPU and peak memory of every stage it runs. A
    stage's peak is its process's, or the sampled sum over it and its workers when higher."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.measures: list[dict[str, Any]] = []

    def run_stage(self, stage: Stage, force: bool = False) -> StageReport:
        own_peak = reset_peak()
        cpu, start = cpu_seconds(), time.perf_counter()
        with TreeSampler() as tree:
            report = super().run_stage(stage, force)
        own = peak_mb()
        self.measures.append({
            "stage": stage.name, "status": report.status,
            "wall": round(time.perf_counter() - start, 3),
            "cpu": round(cpu_seconds() - cpu, 3), "peak_mb": round(max(own, tree.peak), 1),
            "peak_of": ("stage and its workers" if tree.peak > own else
                        "stage" if own_peak else "process so far")})
        return report


def measure_analysis(root: Path) -> dict[str, Any]:
    """`qda analyze` on the project at `root`, in this process, measured per stage."""
    from pipeline.core.catalog import Catalog
    from pipeline.core.config import load_config

    start = time.perf_counter()
    cfg = load_config(root / "analysis.cfg")
    runner = MeasuredRunner(Catalog(root, cfg.paths), cfg)
    runner.run(STAGES)
    return {"stages": runner.measures, "in_process": round(time.perf_counter() - start, 3)}


def child_env() -> dict[str, str]:
    """The environment for child processes: they import this very `pipeline` package (a
    worktree's, not whichever one is installed), whatever their working directory."""
    env = dict(os.environ)
    home = str(Path(pipeline.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (home, env.get("PYTHONPATH")) if p)
    return env


def spawn(args: list[str], cwd: Path | None = None, module: bool = True,
          python: str | None = None) -> dict[str, Any]:
    """Run `python -m pipeline ARGS` (`python ARGS` when not `module`) as a child; its wall
    time, CPU time (user + system, its own children included) and peak memory, and its
    output's last line parsed as JSON when it is JSON. `python`: another interpreter (the
    BERTopic peer's environment) instead of this one."""
    command = [python or sys.executable, *(("-m", "pipeline") if module else ()), *args]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd, env=child_env())
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage, not all children
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise ChildFailed(f"`{' '.join(command[1:])}` failed (exit "
                          f"{proc.returncode}):\n{(stderr or stdout)[-2000:]}")
    lines = stdout.strip().splitlines()
    try:
        parsed = json.loads(lines[-1]) if lines else None
    except json.JSONDecodeError:
        parsed = None
    return {"wall": round(wall, 3), "cpu": round(usage.ru_utime + usage.ru_stime, 3),
            "user": round(usage.ru_utime, 3), "sys": round(usage.ru_stime, 3),
            "peak_mb": round(usage.ru_maxrss / _MAXRSS_PER_MB, 1), "output": parsed,
            # Other work on the machine: the 1-minute load average before and after. Above
            # the core count, wall time is waiting for a core rather than this command's work.
            "load": [load, os.getloadavg()[0] if load is not None else None]}


def bertopic_on(root: Path) -> dict[str, Any]:
    """The BERTopic-style baseline on the segments the analysis at `root` wrote (child side)."""
    import pandas as pd

    from pipeline.analysis.topic_baseline import INSTALL, available, bertopic_style

    if not available():
        raise OSError(f"--vs-bertopic needs umap-learn: {INSTALL}")
    segs = pd.read_parquet(root / "outputs" / "segments.parquet", columns=["text", "lemmas"])
    result = bertopic_style(segs["text"].tolist(), segs["lemmas"].tolist())
    return {"segments": len(segs), "topics": result.n_topics,
            "seconds": {k: round(v, 2) for k, v in result.seconds.items()}}
