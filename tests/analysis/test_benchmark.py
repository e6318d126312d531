"""The benchmark harness: what it measures, how it compares scales and targets, what it writes."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.analysis import benchmark
from pipeline.analysis.bench_measure import MeasuredRunner, child_env, spawn
from pipeline.analysis.bench_report import lines
from pipeline.core.catalog import Catalog
from pipeline.core.config import load_config
from pipeline.core.registry import STAGES
from tests.fixtures import ROOT, copy_project

FIELDS = {"stage", "status", "wall", "cpu", "peak_mb"}


def test_spawn_measures_the_child_process_alone() -> None:
    quick = spawn(["--help"])
    assert quick["wall"] > 0 and quick["cpu"] > 0 and quick["peak_mb"] > 10
    assert quick["cpu"] == pytest.approx(quick["user"] + quick["sys"], abs=0.002)
    # A child that allocates 300 MB reports it (the parent's own memory does not count).
    big = spawn(["-c", "import json; b = bytearray(300 * 2**20); "
                 "b[::4096] = b'x' * len(b[::4096]); print(json.dumps({'n': len(b)}))"],
                module=False)
    assert big["output"] == {"n": 300 * 2**20}
    assert 300 < big["peak_mb"] < quick["peak_mb"] + 400


def test_measured_runner_times_every_stage(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    cfg = load_config(None)
    runner = MeasuredRunner(Catalog(root, cfg.paths), cfg)
    runner.run(STAGES)
    assert [m["stage"] for m in runner.measures] == [s.name for s in STAGES]
    assert all(FIELDS <= set(m) and m["wall"] >= 0 and m["peak_mb"] > 0
               for m in runner.measures)
    assert {m["status"] for m in runner.measures} == {"ran"}
    again = MeasuredRunner(Catalog(root, cfg.paths), cfg)
    again.run(STAGES)
    assert {m["status"] for m in again.measures} == {"up to date"}
    assert sum(m["wall"] for m in again.measures) < sum(m["wall"] for m in runner.measures)


def test_changing_one_transcript_changes_one_file(tmp_path: Path) -> None:
    folder = tmp_path / "corpus" / "transcripts"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text("I: Hi?\nP: Yes [inaudible] no.\n", encoding="utf-8")
    (folder / "b.txt").write_text("I: Hi?\nP: Yes.\n", encoding="utf-8")
    assert benchmark.change_one_transcript(tmp_path) == "a.txt"
    assert (folder / "a.txt").read_text() == "I: Hi?\nP: Yes the budget no.\n"
    assert (folder / "b.txt").read_text() == "I: Hi?\nP: Yes.\n"
    benchmark.change_one_transcript(tmp_path)  # no marker left: a sentence is added
    assert (folder / "a.txt").read_text().endswith("the budget.\n")


def _results(walls: dict[float, float], words: dict[float, int]) -> dict:
    runs = [{"label": "cold", "scale": s, "wall": w, "cpu": w / 2, "peak_mb": 900.0 * s,
             "command": "c", "stages": [{"stage": "ingest", "status": "ran", "wall": w,
                                         "cpu": w / 2, "peak_mb": 900.0 * s}]}
            for s, w in walls.items()]
    runs += [{"label": "no change", "scale": 1.0, "wall": 3.0, "cpu": 2.0, "peak_mb": 300.0,
              "command": "c", "stages": [{"stage": "ingest", "status": "up to date",
                                          "wall": 0.0}]},
             {"label": "one changed", "scale": 1.0, "wall": 9.5, "cpu": 9.0, "peak_mb": 800.0,
              "command": "c", "stages": runs[0]["stages"]}]
    corpora = {f"{s:g}": {"interviews": 1, "words": n, "styles": {"text": 1}, "seconds": 1.0}
               for s, n in words.items()}
    results = {"base_scale": 1.0, "runs": runs, "corpora": corpora, "date": "d",
               "machine": benchmark.machine()}
    results["scaling"] = benchmark.scaling(results)
    results["targets"] = benchmark.targets(results)
    return results


def test_scaling_ratios_and_targets() -> None:
    results = _results({1.0: 100.0, 2.0: 205.0, 4.0: 450.0},
                       {1.0: 2_000_000, 2.0: 4_000_000, 4.0: 8_100_000})
    assert results["scaling"]["2"] == {"scale": 2.0, "words_ratio": 2.0, "wall_ratio": 2.05,
                                       "cpu_ratio": 2.05}
    assert results["scaling"]["4"]["wall_ratio"] == 4.5
    met = {t["target"]: t["met"] for t in results["targets"]}
    assert met == {"cold analysis, 2M words (s)": False, "no change, whole command (s)": False,
                   "one transcript changed (s)": True,
                   "peak memory of the analysis at 1x (MB)": True,
                   "2x time / 1x time": True, "4x time / 1x time": False}
    text = "\n".join(lines(results))
    assert "4x/1x" in text and "NOT met" in text and "ingest" in text


def test_the_machine_speed_is_reported_and_a_change_is_flagged() -> None:
    results = _results({1.0: 100.0, 2.0: 205.0}, {1.0: 2_000_000, 2.0: 4_000_000})
    assert not any("machine speed" in line for line in lines(results))  # older results
    for run, ref in zip(results["runs"], (0.10, 0.11, 0.10, 0.10)):
        run["reference_s"] = ref
    results["scaling"] = benchmark.scaling(results)
    assert results["scaling"]["2"]["reference_ratio"] == 1.1
    text = "\n".join(lines(results))
    assert "reference workload 0.110 s before" in text
    assert "the reference workload took 0.100-0.110 s around the runs (1.10x)" in text
    results["runs"][1]["reference_after_s"] = 0.13   # after the 2x run: the mean counts
    assert benchmark.scaling(results)["2"]["reference_ratio"] == 1.2
    assert "0.110 s before, 0.130 s after" in "\n".join(lines(results))
    assert "speed changed" not in text  # within 15%
    results["runs"][1]["reference_s"] = 0.2   # the 2x run on a machine half as fast
    assert "the machine's speed changed during the benchmark" in "\n".join(lines(results))


def test_every_run_of_a_scale_has_the_machine_speed_before_it(monkeypatch, tmp_path) -> None:
    calls = []
    monkeypatch.setattr(benchmark, "reference_seconds", lambda: calls.append("ref") or 0.1)

    def fake(root, scale, label, echo):
        calls.append(label)
        return {"label": label, "scale": scale, "wall": 1.0, "cpu": 1.0, "stages": []}
    monkeypatch.setattr(benchmark, "_analysis", fake)
    monkeypatch.setattr(benchmark, "_command", lambda r, s, e: fake(r, s, "no change", e))
    monkeypatch.setattr(benchmark, "change_one_transcript", lambda root: "a.txt")
    monkeypatch.setattr(benchmark.bench_stability, "snapshot", lambda path: None)
    monkeypatch.setattr(benchmark.bench_stability, "stability", lambda *a: {})
    runs = benchmark._measure_scale(tmp_path, 1.0, True, False, lambda s: None)
    assert calls == ["ref", "cold", "ref", "ref", "no change", "ref", "ref",
                     "no change, per stage", "ref", "ref", "one changed", "ref"]
    assert [(r["reference_s"], r["reference_after_s"]) for r in runs] == [(0.1, 0.1)] * 4
    assert runs[3]["changed"] == "a.txt"


def test_targets_are_only_judged_at_scale_1() -> None:
    results = _results({0.1: 30.0}, {0.1: 200_000})
    results["base_scale"] = 0.1
    assert benchmark.targets(results) == []


def test_machine_names_the_cores_and_python() -> None:
    m = benchmark.machine()
    assert m["cores"] >= 1 and m["machine"] and m["python"].count(".") == 2


@pytest.mark.slow
def test_quick_benchmark_writes_every_stage_of_every_run(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", "bench", "--quick", "--out", str(out),
                    "-p", str(ROOT)], check=True, capture_output=True, env=child_env())
    seconds = time.perf_counter() - start
    results = json.loads(out.read_text())
    assert results["machine"]["cores"] >= 1 and results["machine"]["python"]
    assert results["corpora"]["0.1"]["interviews"] == 22
    runs = {r["label"]: r for r in results["runs"]}
    assert set(runs) == {"cold", "no change", "no change, per stage", "one changed"}
    for label in ("cold", "no change, per stage", "one changed"):
        assert [s["stage"] for s in runs[label]["stages"]] == [s.name for s in STAGES]
        assert all(FIELDS <= set(s) for s in runs[label]["stages"])
    for run in runs.values():
        assert run["wall"] > 0 and run["cpu"] > 0 and run["peak_mb"] > 0
    assert {s["status"] for s in runs["cold"]["stages"]} == {"ran"}
    assert {s["status"] for s in runs["no change"]["stages"]} == {"up to date"}
    assert {s["status"] for s in runs["one changed"]["stages"][:2]} == {"ran"}
    moved = runs["one changed"]["stability"]
    assert moved["changed"] == Path(runs["one changed"]["changed"]).stem
    assert 0 < moved["segments"] and -1 <= moved["site_categories_ari"] <= 1
    # The whole command includes start-up: more than its stages' sum.
    assert runs["cold"]["wall"] > sum(s["wall"] for s in runs["cold"]["stages"])
    assert all(run["reference_s"] > 0 for run in runs.values())
    assert seconds < 240  # under 2 minutes on an idle 2-core machine; shared ones spread
