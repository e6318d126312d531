import shutil
from pathlib import Path

import pytest

from pipeline.core.catalog import Catalog
from pipeline.core.config import load_config
from pipeline.core.registry import STAGES
from pipeline.core.runner import Runner, code_hash
from tests.fixtures import ROOT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    return tmp_path


def run(root: Path, *overrides: str):
    cfg = load_config(None, overrides)
    return {r.name: r for r in Runner(Catalog(root, cfg["paths"]), cfg).run()}


def test_second_run_runs_no_stage(project: Path) -> None:
    first = run(project)
    assert {r.status for r in first.values()} == {"ran"}
    mtimes = {p: p.stat().st_mtime_ns for p in (project / "outputs").glob("*.parquet")}
    second = run(project)
    assert {r.status for r in second.values()} == {"up to date"}
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes


def test_changing_one_transcript_redoes_only_that_transcript(project: Path) -> None:
    first = run(project)
    n = first["ingest"].rows["transcripts"]
    assert (first["ingest"].cache_misses, first["segment"].cache_misses) == (n, n)
    path = project / "corpus" / "transcripts" / "O1_Teacher#1_5.3.txt"
    path.write_bytes(path.read_bytes().replace(b"[inaudible]", b"[inaudible 00:03:10]", 1))
    again = run(project)
    assert again["ingest"].status == again["segment"].status == "ran"
    assert (again["ingest"].cache_misses, again["ingest"].cache_hits) == (1, n - 1)
    assert (again["segment"].cache_misses, again["segment"].cache_hits) == (1, n - 1)


def test_touching_without_change_runs_nothing(project: Path) -> None:
    run(project)
    (project / "corpus" / "transcripts" / "O1_Teacher#1_5.3.txt").touch()
    assert {r.status for r in run(project).values()} == {"up to date"}


def test_a_parameter_change_reruns_only_the_stage_that_uses_it(project: Path) -> None:
    run(project)
    changed = run(project, "segment.max_words=60")
    assert changed["ingest"].status == "up to date"
    assert changed["segment"].status == "ran"
    assert changed["segment"].rows["segments"] > 900


def test_removing_a_transcript_reruns(project: Path) -> None:
    first = run(project)
    (project / "corpus" / "transcripts" / "O1_Teacher#1_5.3.txt").unlink()
    again = run(project)
    assert again["ingest"].rows["transcripts"] == first["ingest"].rows["transcripts"] - 1


def test_provenance_is_recorded(project: Path) -> None:
    run(project)
    cat = Catalog(project, {})
    prov = cat.provenance("segments")
    assert prov["stage"] == "segment"
    assert prov["params"] == {"max_words": 120, "lang": "en", "batch_size": 64}
    assert set(prov["inputs"]) == {"transcripts", "turns", "participants"}
    assert prov["versions"]["spacy"].startswith("3.")
    assert prov["code"] == code_hash()
    import json
    log = json.loads((project / "outputs" / "run.json").read_text())
    assert [s["name"] for s in log["stages"]] == [s.name for s in STAGES]
    assert log["stages"][0]["cache_misses"] == prov_rows(cat)


def prov_rows(cat: Catalog) -> int:
    return cat.provenance("transcripts")["rows"]


def test_a_failing_stage_leaves_previous_outputs(project: Path) -> None:
    run(project)
    before = (project / "outputs" / "transcripts.parquet").read_bytes()
    (project / "corpus" / "transcripts" / "O1_Teacher#1_5.3.txt").write_bytes(b"")
    from pipeline.core.errors import InputError
    with pytest.raises(InputError, match="1 error"):
        run(project)
    assert (project / "outputs" / "transcripts.parquet").read_bytes() == before


def test_output_is_deterministic(project: Path, tmp_path_factory) -> None:
    other = tmp_path_factory.mktemp("again")
    shutil.copytree(project / "corpus", other / "corpus")
    run(project)
    run(other)
    for name in ("transcripts", "segments"):
        a = Catalog(project, {}).load(name)
        b = Catalog(other, {}).load(name)
        assert a.equals(b), name
