import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline.core.cache import JsonCache
from pipeline.core.catalog import Catalog, data_hash
from pipeline.core.errors import InputError, PipelineError
from pipeline.core.files import atomic_write
from pipeline.core.schemas import SchemaError


def sites_df() -> pd.DataFrame:
    return pd.DataFrame({"site": ["O1"], "name": ["Alder"], "kind": ["district"],
                         "n_transcripts": [2], "n_participants": [3]})


def test_save_load_round_trip_with_provenance(tmp_path: Path) -> None:
    cat = Catalog(tmp_path, {})
    cat.save("sites", sites_df(), {"stage": "ingest", "fingerprint": "abc"})
    assert cat.load("sites").equals(sites_df())
    prov = cat.provenance("sites")
    assert prov["fingerprint"] == "abc" and prov["rows"] == 1
    assert prov["data_hash"] == data_hash(sites_df())
    assert not list((tmp_path / "outputs").glob("*.tmp"))


def test_missing_contract_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="n_participants"):
        Catalog(tmp_path, {}).save("sites", sites_df().drop(columns="n_participants"), {})
    assert not (tmp_path / "outputs" / "sites.parquet").exists()


def test_atomic_write_keeps_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    target.write_text("old")

    def fail(tmp: Path) -> None:
        tmp.write_text("half")
        raise RuntimeError("disk full")
    with pytest.raises(RuntimeError):
        atomic_write(target, fail)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]


def test_data_hash_changes_with_content() -> None:
    a = sites_df()
    b = sites_df().assign(n_transcripts=[3])
    assert data_hash(a) == data_hash(sites_df()) != data_hash(b)


def test_json_cache_counts_hits_and_misses(tmp_path: Path) -> None:
    cache = JsonCache(tmp_path)
    assert cache("k", lambda: {"v": 1}) == {"v": 1}
    assert cache("k", lambda: pytest.fail("should be cached")) == {"v": 1}
    assert (cache.hits, cache.misses) == (1, 1)


def test_json_cache_recomputes_damaged_entries(tmp_path: Path) -> None:
    cache = JsonCache(tmp_path)
    cache("k", lambda: [1])
    entry = next(tmp_path.rglob("*.json"))
    entry.write_text("{not json")
    assert cache("k", lambda: [2]) == [2]
    assert json.loads(entry.read_text()) == [2]


def test_paths_may_not_escape_the_project(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="escapes the project"):
        Catalog(tmp_path, {"outputs": "../elsewhere"})


def test_read_corpus_skips_foreign_files(make_project) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": "I: Hi\nP: Hello\n", "notes.pdf": b"%PDF",
                         ".DS_Store": b"\x00"})
    corpus = Catalog(root, {}).read_corpus()
    assert [f.path for f in corpus.files] == ["corpus/transcripts/O1_Principal#1_5.14.txt"]
    assert corpus.skipped == (("corpus/transcripts/notes.pdf",
                               "skipped: not a transcript format this pipeline reads"),)


def test_read_corpus_without_transcripts_reads_the_study_files_alone(make_project
                                                                     ) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": "I: Hi\nP: Hello\n"})
    full, study = Catalog(root, {}).read_corpus(), Catalog(root, {}).read_corpus(False)
    assert study.files == () and study.skipped == () and len(full.files) == 1
    assert study.study_bytes == full.study_bytes and study.sites_bytes == full.sites_bytes


def test_hidden_transcripts_and_word_locks_are_named_not_silently_dropped(make_project
                                                                          ) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": "I: Hi\nP: Hello\n",
                         ".O1_Teacher#1_5.14.txt": "I: Hi\nP: Hello\n",
                         "~$Teacher.docx": b"\x00lock", "._O1_Teacher.docx": b"\x00",
                         ".~lock.O1_Teacher.docx#": b""})
    corpus = Catalog(root, {}).read_corpus()
    assert [f.path for f in corpus.files] == ["corpus/transcripts/O1_Principal#1_5.14.txt"]
    assert dict(corpus.skipped) == {
        "corpus/transcripts/.O1_Teacher#1_5.14.txt":
            "skipped: a hidden file (its name starts with '.'); rename it to read it",
        "corpus/transcripts/~$Teacher.docx":
            "skipped: a Word lock file (the document is open in Word)"}


@pytest.mark.parametrize("where", ["codebooks/codings/evil.csv", "codebooks/evil.yml",
                                   "codebooks/decisions.yml", "corpus/sites.csv",
                                   "corpus/transcripts/O1_Teacher#1_5.14.txt",
                                   "codebooks/interpretations/O1.yml"])
def test_a_link_leading_outside_the_project_is_refused(make_project, tmp_path: Path,
                                                       where: str) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": "I: Hi\nP: Hello\n"})
    outside = tmp_path / "outside.txt"
    outside.write_text("secret: not part of the project\n")
    link = root / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.unlink(missing_ok=True)
    link.symlink_to(outside)
    cat = Catalog(root, {})
    with pytest.raises(InputError) as caught:
        for raw in ("corpus", "codebooks", "decisions", "interpretations"):
            cat.read_raw(raw)
    (problem,) = caught.value.problems
    assert problem.path == where and f"a link to {outside}, outside the project" \
        in problem.message


def test_a_link_inside_the_project_is_read(make_project) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": "I: Hi\nP: Hello\n"})
    (root / "shared.yml").write_text("codes: []\n")
    (root / "codebooks").mkdir()
    (root / "codebooks" / "linked.yml").symlink_to(root / "shared.yml")
    books = dict(Catalog(root, {}).read_codebooks().codebook_files)
    assert books["shared.yml"] == "codes: []\n"  # named by where it really is


def test_read_corpus_requires_study_metadata(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    with pytest.raises(InputError, match="study.toml and sites.csv"):
        Catalog(tmp_path, {}).read_corpus()


def test_load_missing_table_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="qda analyze"):
        Catalog(tmp_path, {}).load("segments")


def test_json_cache_salt_separates_code_versions(tmp_path: Path) -> None:
    JsonCache(tmp_path, "v1")("k", lambda: 1)
    assert JsonCache(tmp_path, "v2")("k", lambda: 2) == 2
    assert JsonCache(tmp_path, "v1")("k", lambda: 3) == 1


def test_load_checks_the_contract(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    cat = Catalog(tmp_path)
    cat.outputs.mkdir()
    # a file from another version: a column missing, another of the wrong type
    pq.write_table(pa.table({"site": ["O1"], "name": ["A"], "kind": ["district"],
                             "n_transcripts": ["two"]}), cat.table_path("sites"))
    with pytest.raises(SchemaError, match=r"outputs/sites.parquet: lacks column "
                                          r"n_participants; column n_transcripts is string"):
        cat.load("sites")


def test_only_declared_tables_are_saved(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="not a declared table"):
        Catalog(tmp_path).save("scratch", sites_df(), {})


def test_file_set_freshness_follows_its_files(tmp_path: Path) -> None:
    cat = Catalog(tmp_path)
    files = {"cases/O1.md": b"# O1\n", "cases/O2.md": b"# O2\n"}
    cat.save_files("case_documents", files, {"fingerprint": "f1"})
    assert cat.provenance("case_documents")["fingerprint"] == "f1"
    assert cat.load_files("case_documents") == files
    (cat.outputs / "cases" / "O2.md").unlink()   # a deleted document: out of date
    assert cat.provenance("case_documents") is None
    cat.save_files("case_documents", files, {"fingerprint": "f1"})
    (cat.outputs / "cases" / "O1.md").write_bytes(b"edited")   # an edited one: too
    assert cat.provenance("case_documents") is None


def test_a_new_file_set_removes_files_it_no_longer_has(tmp_path: Path) -> None:
    cat = Catalog(tmp_path)
    cat.save_files("case_documents", {"cases/O1.md": b"1", "cases/O9.md": b"9"}, {})
    cat.save_files("case_documents", {"cases/O1.md": b"1"}, {})
    assert sorted(p.name for p in (cat.outputs / "cases").iterdir()) == ["O1.md"]


def test_file_sets_stay_inside_outputs(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="not a path inside outputs"):
        Catalog(tmp_path).save_files("figures", {"../corpus/x.png": b""}, {})


def test_reports_never_go_into_researcher_folders(tmp_path: Path) -> None:
    cat = Catalog(tmp_path)
    for folder in ("corpus", "codebooks"):
        with pytest.raises(PipelineError, match="holds what researchers wrote"):
            cat.write_report("export", {tmp_path / folder / "x.csv": b"a"}, {})
        assert not (tmp_path / folder / "x.csv").exists()
    written = cat.write_report("export", {tmp_path / "elsewhere" / "x.csv": b"a"},
                               {"command": "export"})
    manifest = json.loads((cat.outputs / ".manifests" / "export.json").read_text())
    assert written == [tmp_path / "elsewhere" / "x.csv"]
    assert manifest["provenance"]["command"] == "export"
    assert list(manifest["files"]) == ["elsewhere/x.csv"]


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    import os

    old = os.umask(0o022)
    try:
        Catalog(tmp_path).save("sites", sites_df(), {})
    finally:
        os.umask(old)
    assert (tmp_path / "outputs" / "sites.parquet").stat().st_mode & 0o777 == 0o644


def test_run_log_merges_and_keeps_every_stage(tmp_path: Path) -> None:
    cat = Catalog(tmp_path)
    cat.update_run_log({"order": ["a", "b"], "last_run": ["a", "b"]},
                       [{"name": "b", "n": 1}, {"name": "a", "n": 1}])
    cat.update_run_log({"order": ["a", "b"], "last_run": ["b"]}, [{"name": "b", "n": 2}])
    log = cat.run_log()
    assert log["stages"] == [{"name": "a", "n": 1}, {"name": "b", "n": 2}]
    assert log["last_run"] == ["b"]


def test_temporaries_of_a_killed_run_are_removed_and_nothing_else(tmp_path: Path) -> None:
    from pipeline.core.files import remove_temporaries

    (tmp_path / "cases").mkdir()
    stale = [tmp_path / ".segments.parquet.k2j4h5g6.tmp",
             tmp_path / "cases" / ".O1.md.a_b3c4d5.tmp"]
    kept = [tmp_path / "notes.tmp", tmp_path / ".draft.tmp", tmp_path / "cases" / "O1.md"]
    for p in stale + kept:
        p.write_text("x")
    assert remove_temporaries([tmp_path, tmp_path / "missing"]) == sorted(stale)
    assert all(p.exists() for p in kept) and not any(p.exists() for p in stale)


def test_taking_the_lock_removes_what_a_killed_run_left(make_project) -> None:
    """kill -9 skips atomic_write's clean-up: its temporary file (interview text) stayed."""
    root = make_project({"O1_Principal#1_5.14.txt": "I: Hi\nP: Hello\n"})
    left = [root / "outputs" / "cases" / ".O1.md.k2j4h5g6.tmp",
            root / "codebooks" / ".lfm.yml.a1b2c3d4.tmp"]
    for p in left:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("P: confidential words")
    cat = Catalog(root, {})
    with cat.lock():
        assert not any(p.exists() for p in left)
        mine = root / "outputs" / ".segments.parquet.zzzzzzzz.tmp"
        mine.write_text("a write in progress")
        with cat.lock():       # re-entered: this process's own writes are left alone
            assert mine.exists()


def test_data_hash_of_vectors_follows_their_values() -> None:
    import numpy as np

    a = pd.DataFrame({"segment_id": ["s1", "s2"],
                      "vector": [np.array([0.5, 0.5], np.float32), np.zeros(2, np.float32)]})
    b = a.copy()
    b["vector"] = [np.array([0.5, 0.5], np.float32), np.array([0.0, 1e-3], np.float32)]
    assert data_hash(a) == data_hash(a.copy()) != data_hash(b)
    assert data_hash(a) != data_hash(a.assign(segment_id=["s1", "s3"]))
