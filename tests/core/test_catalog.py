import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline.core.catalog import Catalog, JsonCache, atomic_write, data_hash
from pipeline.core.errors import InputError
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
    with pytest.raises(ValueError, match="escapes the project"):
        Catalog(tmp_path, {"outputs": "../elsewhere"})


def test_read_corpus_skips_foreign_files(make_project) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": "I: Hi\nP: Hello\n", "notes.pdf": b"%PDF",
                         ".DS_Store": b"\x00"})
    corpus = Catalog(root, {}).read_corpus()
    assert [f.path for f in corpus.files] == ["corpus/transcripts/O1_Principal#1_5.14.txt"]
    assert corpus.skipped == ("corpus/transcripts/notes.pdf",)


def test_read_corpus_requires_study_metadata(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    with pytest.raises(InputError, match="study.toml and sites.csv"):
        Catalog(tmp_path, {}).read_corpus()


def test_load_missing_table_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="qda analyze"):
        Catalog(tmp_path, {}).load("segments")


def test_json_cache_salt_separates_code_versions(tmp_path: Path) -> None:
    JsonCache(tmp_path, "v1")("k", lambda: 1)
    assert JsonCache(tmp_path, "v2")("k", lambda: 2) == 2
    assert JsonCache(tmp_path, "v1")("k", lambda: 3) == 1
