"""Benchmark: the generated corpus (`bench_corpus`, 222 interviews and ~2 million words at
scale 1) through the whole analysis, measured as researchers meet it.

``qda bench`` (``make bench``) runs, each in a fresh ``python -m pipeline`` process:
- a cold analysis (fresh outputs, every stage) at every scale asked, per stage and in total;
- at the base scale (1, or the first asked) a re-run with nothing changed, as the real
  ``python -m pipeline analyze`` command (imports included), then per stage;
- at the base scale a run after one transcript changed (one participant turn edited), and
  how far that moved the other transcripts' categories (`bench_stability`);
- with ``--vs-bertopic``, BERTopic's default (all-MiniLM-L6-v2, UMAP, HDBSCAN, c-TF-IDF) on
  the same segments, in its own environment (`peer_bertopic`, ``.venv-bertopic``); without
  that environment, the BERTopic-style stand-in (`topic_baseline`, static embeddings).
Each run records wall time, CPU time (user + system) and peak memory, and the whole run goes
to bench/results.json with the machine it ran on.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pipeline.analysis import bench_corpus, bench_stability
from pipeline.analysis.bench_measure import ChildFailed, reference_seconds, spawn

SCALES = (0.5, 1.0, 2.0, 4.0)
QUICK = (0.1,)
# The targets of issue 15, for the base scale at 1 (2 million words).
TARGETS = {"cold": 60.0, "no change": 2.0, "one changed": 10.0, "peak_mb": 2048.0,
           "ratio 2": 2.1, "ratio 4": 4.3, "vs bertopic": 20.0}
PEER = "bertopic default"      # the real BERTopic, MiniLM embeddings (peer_bertopic)
STAND_IN = "bertopic-style"    # our re-creation with static embeddings (topic_baseline)
PEERS = (PEER, STAND_IN)


class BenchmarkError(ValueError):
    pass


def machine() -> dict[str, Any]:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {"machine": platform.machine(), "cores": os.cpu_count(), "usable_cores": usable,
            "platform": platform.platform(), "python": platform.python_version(),
            "processor": platform.processor() or platform.machine()}


def run(project: Path, scales: Sequence[float] = SCALES, seed: int = bench_corpus.SEED,
        vs_bertopic: bool = False, echo: Callable[[str], None] = lambda s: None,
        peer_python: str | None = None) -> dict[str, Any]:
    """Generate and measure every scale (the base scale first); the results as a dict.
    `peer_python`: the interpreter of BERTopic's environment; without it, `vs_bertopic`
    times the BERTopic-style stand-in."""
    scales = sorted(set(scales))
    if not scales:
        raise BenchmarkError("no scale to run")
    base = 1.0 if 1.0 in scales else scales[0]
    if vs_bertopic and not peer_python:
        from pipeline.analysis.topic_baseline import INSTALL, available

        if not available():  # said before the long runs, not after them
            raise BenchmarkError(f"--vs-bertopic needs umap-learn: {INSTALL}")
    source = bench_corpus.load_source(project)
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(), "seed": seed, "base_scale": base, "corpora": {}, "runs": []}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="qda-bench-") as tmp:
        for scale in [base, *(s for s in scales if s != base)]:
            root = Path(tmp) / f"scale-{scale:g}"
            echo(f"generating the corpus at {scale:g}x ...")
            info = bench_corpus.generate(project, root, scale, seed, source)
            results["corpora"][f"{scale:g}"] = info.as_dict()
            echo(f"  {info.interviews} interviews, {info.words:,} words in {info.seconds:.1f} s")
            results["runs"] += _measure_scale(root, scale, scale == base,
                                              vs_bertopic, echo, peer_python)
            shutil.rmtree(root)  # a 4x corpus and its outputs take a few GB
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["scaling"] = scaling(results)
    results["targets"] = targets(results)
    return results


def _measure_scale(root: Path, scale: float, base: bool, vs_bertopic: bool,
                   echo: Callable[[str], None], peer_python: str | None = None
                   ) -> list[dict[str, Any]]:
    runs = [_referenced(lambda: _analysis(root, scale, "cold", echo))]
    if base:
        runs.append(_referenced(lambda: _command(root, scale, echo)))
        runs.append(_referenced(lambda: _analysis(root, scale, "no change, per stage", echo)))
        before = bench_stability.snapshot(root / "outputs")
        edited = change_one_transcript(root)
        echo(f"  changed {edited}")
        one = _referenced(lambda: dict(_analysis(root, scale, "one changed", echo),
                                       changed=edited))
        one["stability"] = bench_stability.stability(
            before, bench_stability.snapshot(root / "outputs"), Path(edited).stem)
        runs.append(one)
        if vs_bertopic and peer_python:
            runs.append(_referenced(lambda: _peer(root, scale, runs[0], echo, peer_python)))
        elif vs_bertopic:
            runs.append(_referenced(lambda: _bertopic(root, scale, runs[0], echo)))
    return runs


def _referenced(measure: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A run with the machine's speed just before and just after it (`reference_seconds`),
    so that runs made while the machine ran faster or slower can be told apart."""
    before = reference_seconds()
    run = measure()
    return {**run, "reference_s": before, "reference_after_s": reference_seconds()}


def reference_of(run: dict[str, Any]) -> float | None:
    """The machine's speed around a run: the mean of its reference times (None in results
    written before they were measured)."""
    refs = [run[k] for k in ("reference_s", "reference_after_s") if run.get(k)]
    return round(sum(refs) / len(refs), 4) if refs else None


def _analysis(root: Path, scale: float, label: str, echo: Callable[[str], None]
              ) -> dict[str, Any]:
    """One instrumented analysis (`qda bench --measure ROOT`: the runner `qda analyze` uses,
    timing each stage) in a fresh process."""
    echo(f"  {label} at {scale:g}x ...")
    try:
        child = spawn(["bench", "--measure", str(root)])
    except ChildFailed as exc:
        raise BenchmarkError(str(exc)) from None
    out = child.pop("output") or {}
    stages = out.get("stages", [])
    # Resetting the peak before each stage resets what the parent reads too: the command's
    # peak is the highest stage's when that is higher.
    child["peak_mb"] = max([child["peak_mb"], *(s["peak_mb"] for s in stages)])
    return {"label": label, "scale": scale, "command": "python -m pipeline bench --measure",
            **child, "in_process": out.get("in_process"), "stages": stages}


def _command(root: Path, scale: float, echo: Callable[[str], None]) -> dict[str, Any]:
    """`python -m pipeline analyze -q` itself, as a researcher types it, nothing changed."""
    echo(f"  no change (the whole command) at {scale:g}x ...")
    try:
        child = spawn(["analyze", "-q", "-p", str(root)])
    except ChildFailed as exc:
        raise BenchmarkError(str(exc)) from None
    child.pop("output")
    log = json.loads((root / "outputs" / "run.json").read_text(encoding="utf-8"))
    stages = [{"stage": s["name"], "status": s["status"], "wall": s["seconds"]}
              for s in log.get("stages", [])]
    return {"label": "no change", "scale": scale, "command": "python -m pipeline analyze -q",
            **child, "stages": stages}


def change_one_transcript(root: Path) -> str:
    """Edit one participant turn of one plain-text transcript, as a researcher correcting the
    transcription would: a word changes in the middle of the corpus's first text file."""
    folder = root / "corpus" / "transcripts"
    path = sorted(folder.glob("*.txt"))[0]
    text = path.read_text(encoding="utf-8")
    edited, n = re.subn(r"\[inaudible\]", "the budget", text, count=1)
    if not n:  # no marker: a sentence added to the last turn
        edited = text.rstrip("\n") + " Sorry, one more thing about the budget.\n"
    path.write_text(edited, encoding="utf-8")
    return path.name


def _bertopic(root: Path, scale: float, cold: dict[str, Any], echo: Callable[[str], None]
              ) -> dict[str, Any]:
    echo(f"  BERTopic-style baseline at {scale:g}x ...")
    try:
        child = spawn(["bench", "--bertopic", str(root)])
    except ChildFailed as exc:
        raise BenchmarkError(str(exc)) from None
    out = child.pop("output") or {}
    ours = sum(s["wall"] for s in cold["stages"] if s["stage"] in ("represent", "compare"))
    return {"label": "bertopic-style", "scale": scale,
            "command": "python -m pipeline bench --bertopic", **child, **out,
            "ratio_to_cold": round(child["wall"] / cold["wall"], 2),
            "ratio_to_represent_compare": round(out.get("seconds", {}).get("total", 0)
                                                / ours, 2) if ours else None}


def _peer(root: Path, scale: float, cold: dict[str, Any], echo: Callable[[str], None],
          python: str) -> dict[str, Any]:
    """BERTopic's default on the segments the cold run wrote, in the peer's environment."""
    echo(f"  BERTopic default (all-MiniLM-L6-v2) at {scale:g}x (10-15 minutes per 2M words on 2 "
         f"cores) ...")
    from pipeline.analysis.peer_bertopic import COMMAND as module

    try:
        child = spawn(["-m", module, str(root / "outputs" / "segments.parquet")],
                      module=False, python=python)
    except (ChildFailed, OSError) as exc:
        raise BenchmarkError(f"BERTopic default ({python}): {exc}") from None
    out = child.pop("output") or {}
    return {"label": PEER, "scale": scale, "command": f"{python} -m {module}", **child, **out,
            "ratio_to_cold": round(child["wall"] / cold["wall"], 2)}


def cold_runs(results: dict[str, Any]) -> dict[float, dict[str, Any]]:
    return {r["scale"]: r for r in results["runs"] if r["label"] == "cold"}


def scaling(results: dict[str, Any]) -> dict[str, Any]:
    """Cold wall and CPU time at each scale over the base scale's, beside the words' ratio."""
    cold, base = cold_runs(results), results["base_scale"]
    words = {float(k): v["words"] for k, v in results["corpora"].items()}
    out = {}
    for scale, r in sorted(cold.items()):
        if scale != base and base in cold:
            out[f"{scale / base:g}"] = {
                "scale": scale, "words_ratio": round(words[scale] / words[base], 3),
                "wall_ratio": round(r["wall"] / cold[base]["wall"], 3),
                "cpu_ratio": round(r["cpu"] / cold[base]["cpu"], 3)}
            if reference_of(r) and reference_of(cold[base]):
                # Above 1: the machine ran slower for this scale than for the base one.
                out[f"{scale / base:g}"]["reference_ratio"] = round(
                    reference_of(r) / reference_of(cold[base]), 3)
    return out


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, each measured or not (only at scale 1: they are for 2M words)."""
    if results["base_scale"] != 1.0:
        return []
    by = {r["label"]: r for r in results["runs"] if r["scale"] == 1.0}
    peak = max((r["peak_mb"] for r in results["runs"]
                if r["scale"] == 1.0 and r["label"] not in PEERS), default=None)
    rows = [("cold analysis, 2M words (s)", by.get("cold", {}).get("wall"), TARGETS["cold"]),
            ("no change, whole command (s)", by.get("no change", {}).get("wall"),
             TARGETS["no change"]),
            ("one transcript changed (s)", by.get("one changed", {}).get("wall"),
             TARGETS["one changed"]),
            ("peak memory of the analysis at 1x (MB)", peak, TARGETS["peak_mb"])]
    for k in ("2", "4"):
        ratio = results["scaling"].get(k, {}).get("wall_ratio")
        rows.append((f"{k}x time / 1x time", ratio, TARGETS[f"ratio {k}"]))
    out = [{"target": name, "measured": value, "limit": limit, "bound": "<=",
            "met": None if value is None else value <= limit} for name, value, limit in rows]
    peer = by.get(PEER, {}).get("ratio_to_cold")
    if peer is not None:  # the stand-in is not the peer the target names
        out.append({"target": "BERTopic default time / our cold time",
                    "measured": peer, "limit": TARGETS["vs bertopic"], "bound": ">=",
                    "met": peer >= TARGETS["vs bertopic"]})
    return out


def write(results: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
