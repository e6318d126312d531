"""Partitioned tables: a folder of parquet files, one per site, that reads back as the table."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.core import partitions
from pipeline.core.catalog import Catalog, data_hash
from pipeline.core.errors import PipelineError


def turns(cids: list[str]) -> pd.DataFrame:
    n = len(cids)
    return pd.DataFrame({
        "citation_id": cids, "turn": list(range(1, n + 1)), "speaker": ["P"] * n,
        "speaker_role": ["participant"] * n, "participant_id": [f"{c}/1" for c in cids],
        "line": list(range(n)), "start_char": [0] * n, "end_char": [5] * n,
        "start_time": [None] * n, "end_time": [1.5] * n, "n_words": [2] * n,
        "text": [f"words {i}" for i in range(n)]})


CIDS = ["O1_Teacher#1_5.14", "O1_Teacher#1_5.14", "O10_Principal#1_5.20",
        "O2_Teacher#1_5.16", "O1_Teacher#2_5.15"]


def test_a_partitioned_table_reads_back_as_saved_one_file_per_site_run(tmp_path: Path
                                                                       ) -> None:
    cat = Catalog(tmp_path, {})
    table = turns(CIDS)
    cat.save("turns", table, {"stage": "ingest", "fingerprint": "f1"})
    folder = tmp_path / "outputs" / "turns.parquet"
    assert folder.is_dir()
    names = sorted(p.name for p in folder.iterdir())
    # O1 comes back after O2, so it is a run of its own: the row order is the table's.
    assert [n.split("-")[2] for n in names] == ["O1", "O10", "O2", "O1"]
    back = cat.load("turns")
    pd.testing.assert_frame_equal(back, cat.load("turns"))
    assert back["citation_id"].tolist() == CIDS
    assert back["start_time"].isna().all() and back["end_time"].tolist() == [1.5] * 5
    prov = cat.provenance("turns")
    assert prov["fingerprint"] == "f1" and prov["rows"] == 5 and prov["parts"] == 4
    assert prov["data_hash"] == data_hash(table)
    # pandas and pyarrow read the folder as one dataset, with the same rows.
    assert sorted(pd.read_parquet(folder)["text"]) == sorted(table["text"])
    assert cat.tables() == ["turns"]


def test_an_empty_partitioned_table_keeps_its_columns(tmp_path: Path) -> None:
    cat = Catalog(tmp_path, {})
    cat.save("turns", turns([]), {"stage": "ingest"})
    back = cat.load("turns")
    assert len(back) == 0 and "speaker_role" in back.columns


def test_a_new_version_replaces_the_parts_and_removes_the_old(tmp_path: Path) -> None:
    cat = Catalog(tmp_path, {})
    cat.save("turns", turns(CIDS), {"fingerprint": "a"})
    cat.save("turns", turns(CIDS[:2]), {"fingerprint": "b"})
    folder = tmp_path / "outputs" / "turns.parquet"
    assert len(list(folder.glob("part-*.parquet"))) == 1
    assert cat.load("turns")["citation_id"].tolist() == CIDS[:2]


def test_an_interrupted_write_leaves_the_previous_table_whole(tmp_path: Path,
                                                            monkeypatch) -> None:
    cat = Catalog(tmp_path, {})
    cat.save("turns", turns(CIDS), {"fingerprint": "a"})

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the run dies before the manifest names the new parts

    monkeypatch.setattr(cat, "_write_json", killed)
    with pytest.raises(KeyboardInterrupt):
        cat.save("turns", turns(CIDS[:1]), {"fingerprint": "b"})
    monkeypatch.undo()
    assert cat.provenance("turns")["fingerprint"] == "a"
    assert cat.load("turns")["citation_id"].tolist() == CIDS


def test_a_part_changed_or_lost_is_caught(tmp_path: Path) -> None:
    cat = Catalog(tmp_path, {})
    cat.save("turns", turns(CIDS), {"fingerprint": "a"})
    part = sorted((tmp_path / "outputs" / "turns.parquet").glob("part-*"))[0]
    data = part.read_bytes()
    part.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # same size, other bytes
    with pytest.raises(PipelineError, match=f"{part.name} was changed"):
        cat.load("turns")
    part.unlink()
    assert cat.provenance("turns") is None  # the stage is out of date: it runs again
    with pytest.raises(PipelineError, match="cannot read it"):
        cat.load("turns")


def test_the_single_file_of_an_older_version_is_replaced(tmp_path: Path) -> None:
    old = tmp_path / "outputs" / "turns.parquet"
    old.parent.mkdir(parents=True)
    turns(CIDS).to_parquet(old)
    cat = Catalog(tmp_path, {})
    assert cat.provenance("turns") is None and not cat.exists("turns")
    cat.save("turns", turns(CIDS), {"fingerprint": "new"})
    assert old.is_dir() and cat.provenance("turns")["fingerprint"] == "new"


def test_a_table_without_a_site_column_takes_the_site_from_the_citation_id() -> None:
    import pyarrow as pa

    runs = partitions.site_runs(pa.table({"citation_id": CIDS}))
    assert runs == [("O1", 0, 2), ("O10", 2, 3), ("O2", 3, 4), ("O1", 4, 5)]
    assert partitions.site_runs(pa.table({"site": ["A", "A"]})) == [("A", 0, 2)]
