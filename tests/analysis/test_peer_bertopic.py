"""BERTopic's default as the benchmark's peer: its own environment, how the benchmark and the
category evaluation call it, and what they make of its answer. A stand-in interpreter plays
the peer in the fast tests; the real one runs when `.venv-bertopic` exists (make bench)."""
from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.analysis import benchmark, peer_bertopic
from pipeline.analysis.bench_measure import spawn
from pipeline.analysis.bench_report import lines
from pipeline.analysis.compare_eval import PEER_NAME, peer_baseline

PROJECT = Path(__file__).resolve().parents[2]
REAL_PEER = PROJECT / ".venv-bertopic" / "bin" / "python"


def fake_peer(tmp_path: Path, topics: list[int] | None = None, seconds: float = 0.0) -> str:
    """An 'interpreter' that answers as peer_bertopic does: it writes `topics` where
    --labels asks (one per input text when None: text i gets topic i % 2) and prints JSON."""
    script = tmp_path / "peer-python"
    script.write_text(f"""#!{sys.executable}
import json, sys, time
import pandas as pd
args = sys.argv[1:]
texts = pd.read_parquet(args[2])["text"].tolist()
topics = {topics!r}
if topics is None:
    topics = [i % 2 for i in range(len(texts))]
if "--labels" in args:
    pd.DataFrame({{"topic": topics}}).to_parquet(args[args.index("--labels") + 1])
time.sleep({seconds})
print(json.dumps({{"segments": len(texts), "topics": len(set(topics) - {{-1}}),
                  "outliers": topics.count(-1), "model": "fake",
                  "seconds": {{"embed": 0.1, "total": 0.2}}}}))
""", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_the_weights_must_come_from_their_package() -> None:
    if peer_bertopic.installed():
        pytest.skip("the MiniLM package is installed in this environment")
    with pytest.raises(OSError, match="all_minilm_l6_v2.*make bench"):
        peer_bertopic.model_dir()


def test_the_benchmark_times_the_peer_against_our_cold_run(tmp_path: Path) -> None:
    root = tmp_path / "scale-1"
    (root / "outputs").mkdir(parents=True)
    pd.DataFrame({"text": ["a", "b", "c"]}).to_parquet(root / "outputs" / "segments.parquet")
    run = benchmark._peer(root, 1.0, {"wall": 0.05}, lambda s: None,
                          fake_peer(tmp_path, seconds=1.0))
    assert run["label"] == benchmark.PEER and run["segments"] == 3 and run["topics"] == 2
    assert run["wall"] >= 1.0 and run["ratio_to_cold"] == round(run["wall"] / 0.05, 2)
    assert run["ratio_to_cold"] >= 20


def test_the_peer_target_is_at_least_twenty_times_and_the_stand_in_does_not_count() -> None:
    cold = {"label": "cold", "scale": 1.0, "wall": 30.0, "cpu": 30.0, "peak_mb": 800.0,
            "command": "c", "stages": []}
    results = {"base_scale": 1.0, "scaling": {}, "runs": [
        cold, {"label": benchmark.STAND_IN, "scale": 1.0, "wall": 60.0, "cpu": 60.0,
               "peak_mb": 5000.0, "command": "c", "ratio_to_cold": 2.0}]}
    assert [t for t in benchmark.targets(results) if t["bound"] == ">="] == []
    assert next(t for t in benchmark.targets(results) if "peak" in t["target"])["met"]
    for wall, met in ((570.0, False), (600.0, True)):
        results["runs"][1:] = [{"label": benchmark.PEER, "scale": 1.0, "wall": wall,
                                "cpu": wall, "peak_mb": 2500.0, "command": "c",
                                "segments": 10, "topics": 2, "outliers": 1, "model": "m",
                                "seconds": {"total": wall}, "ratio_to_cold": wall / 30.0}]
        peer = [t for t in benchmark.targets(results) if t["bound"] == ">="]
        assert [(t["measured"], t["limit"], t["met"]) for t in peer] == [(wall / 30, 20, met)]
    results.update(date="d", machine=benchmark.machine(), corpora={"1": {
        "interviews": 1, "words": 10, "styles": {"text": 1}, "seconds": 1.0}},
                   targets=benchmark.targets(results))
    text = "\n".join(lines(results))
    assert "20.0x our cold analysis" in text and "(>= 20)  met" in text


def test_the_evaluation_scores_the_peers_topics(tmp_path: Path) -> None:
    members = pd.DataFrame(index=pd.Index(["s1", "s2", "s3", "s4"], name="segment_id"))
    segments = pd.DataFrame({"segment_id": ["s4", "s3", "s2", "s1", "s0"],
                             "text": ["d", "c", "b", "a", "left out"]})
    refs = {"code": pd.Series(["x", "x", "y", "y"], index=members.index)}
    found = peer_baseline(members, segments, refs, fake_peer(tmp_path, [0, 0, 1, -1]))
    assert found["code"][PEER_NAME]["n_clusters"] == 3 and found["outliers"] == 1
    assert 0 < found["code"][PEER_NAME]["ari"] < 1
    agree = peer_baseline(members, segments, refs, fake_peer(tmp_path, [5, 5, 7, 7]))
    assert agree["code"][PEER_NAME]["ari"] == 1.0
    with pytest.raises(ValueError, match="3 topics for 4 segments"):
        peer_baseline(members, segments, refs, fake_peer(tmp_path, [0, 0, 1]))


@pytest.mark.slow
@pytest.mark.skipif(not REAL_PEER.exists(), reason="no .venv-bertopic (make bench makes it)")
def test_the_real_default_runs_offline_on_a_few_texts(tmp_path: Path) -> None:
    words = ["budget", "timetable", "parents", "reading", "mentoring", "transport"]
    texts = [f"we talked about {w} again and the {w} plan for next year, number {i}"
             for i in range(120) for w in words[i % 6:i % 6 + 1]]
    pd.DataFrame({"text": texts}).to_parquet(tmp_path / "texts.parquet")
    out = spawn(["-m", "pipeline.cli.peer",
                           str(tmp_path / "texts.parquet"), "--labels",
                           str(tmp_path / "labels.parquet")], module=False,
                          python=str(REAL_PEER))
    found = out["output"]
    assert found["segments"] == 120 and found["topics"] >= 2
    assert "all-MiniLM-L6-v2" in found["model"] and found["seconds"]["embed"] > 0
    topics = pd.read_parquet(tmp_path / "labels.parquet")["topic"]
    assert len(topics) == 120 and json.loads(json.dumps(found))["outliers"] == (topics == -1).sum()
