"""The per-transcript stages on other processes and on a local Dask cluster give exactly the
tables and files of a serial run."""
from __future__ import annotations

import warnings

import pandas as pd
import pytest

from pipeline.core.registry import OUTPUTS
from tests.conftest import analyse
from tests.fixtures import copy_project


def run_with(tmp_path, name: str, *overrides: str):
    root = copy_project(tmp_path / name)
    reports, catalog = analyse(root, ("run.workers=1", *overrides) if not overrides
                               else overrides)
    return {r.name: r for r in reports}, catalog


def same_outputs(a, b) -> None:
    for name in OUTPUTS:
        if a.is_file_set(name):
            assert a.load_files(name) == b.load_files(name), name
            continue
        pd.testing.assert_frame_equal(a.load(name), b.load(name), obj=name)
        assert a.provenance(name)["data_hash"] == b.provenance(name)["data_hash"], name
        assert a.provenance(name)["fingerprint"] == b.provenance(name)["fingerprint"], name


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    return run_with(tmp_path_factory.mktemp("serial"), "serial")[1]


def test_two_worker_processes_give_the_serial_tables(serial, tmp_path) -> None:
    reports, catalog = run_with(tmp_path, "processes", "run.workers=2")
    assert reports["segment"].cache_misses == 3  # all three interviews went to the pool
    same_outputs(serial, catalog)


@pytest.mark.slow
def test_a_local_dask_cluster_of_two_workers_gives_the_serial_tables(serial, tmp_path
                                                                       ) -> None:
    pytest.importorskip("distributed")
    reports, catalog = run_with(tmp_path, "dask", "run.dask=local", "run.workers=2")
    assert reports["ingest"].status == "ran" and reports["segment"].cache_misses == 3
    same_outputs(serial, catalog)
    # The partitioned tables are what Dask itself reads, one part per site.
    folder = catalog.table_path("segments")
    with warnings.catch_warnings():  # dask.dataframe's own deprecation warnings (pandas 3)
        warnings.simplefilter("ignore")
        dd = pytest.importorskip("dask.dataframe")
        frame = dd.read_parquet(str(folder))
        ids = sorted(frame["segment_id"].compute())
    assert frame.npartitions == len(list(folder.glob("part-*.parquet"))) == 2  # O1, O2
    assert ids == sorted(catalog.load("segments")["segment_id"])
