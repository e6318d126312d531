"""The per-transcript stages on other processes and on a local Dask cluster give exactly the
tables and files of a serial run."""
from __future__ import annotations

import json
import subprocess
import sys
import time
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
    assert reports["segment"].where == "2 processes" and reports["represent"].where is None
    same_outputs(serial, catalog)


# The clusters run one at a time (one pytest-xdist worker takes them): two at once on two
# cores only wait on each other.
DASK = pytest.mark.xdist_group("dask")


@pytest.mark.slow
@DASK
def test_a_local_dask_cluster_of_two_workers_gives_the_serial_tables(serial, tmp_path
                                                                       ) -> None:
    pytest.importorskip("distributed")
    reports, catalog = run_with(tmp_path, "dask", "run.dask=local", "run.workers=2")
    assert reports["ingest"].status == "ran" and reports["segment"].cache_misses == 3
    assert reports["code"].where == "Dask (local)"
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


@pytest.fixture
def scheduler(tmp_path):
    """A Dask scheduler and two worker processes on the loopback interface, started as a
    researcher would start them on a cluster (`dask scheduler`, `dask worker`)."""
    pytest.importorskip("distributed")
    info = tmp_path / "scheduler.json"
    common = ["--scheduler-file", str(info), "--no-dashboard"]
    procs = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler",
                               "--host", "127.0.0.1", "--port", "0", *common],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 60
        while not info.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(info.read_text(encoding="utf-8"))["address"]
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", "--nworkers", "2",
             "--nthreads", "1", "--host", "127.0.0.1", *common],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
            proc.wait(timeout=30)


@pytest.mark.slow
@DASK
def test_a_running_scheduler_given_by_its_address_gives_the_serial_tables(serial, scheduler,
                                                                           tmp_path) -> None:
    reports, catalog = run_with(tmp_path, "remote", f"run.dask={scheduler}")
    assert reports["segment"].where == f"Dask ({scheduler})"
    same_outputs(serial, catalog)


@pytest.mark.slow
@DASK
def test_a_scheduler_without_workers_is_a_message(tmp_path, monkeypatch) -> None:
    distributed = pytest.importorskip("distributed")
    from pipeline.core import parallel
    from pipeline.core.errors import PipelineError

    monkeypatch.setattr(parallel, "WAIT_FOR_WORKERS", 1)
    with distributed.LocalCluster(n_workers=0, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0") as cluster:
        executor = parallel.make_executor(0, cluster.scheduler_address)
        with pytest.raises(PipelineError, match="has no workers"):
            executor.map(len, [[1]], "t")
        executor.close()
