"""--workers and --dask: where the per-transcript work runs, and what a bad address says."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipeline.cli.main import cli
from tests.fixtures import copy_project


def test_a_bad_scheduler_address_is_a_message_and_writes_nothing(tmp_path) -> None:
    pytest.importorskip("distributed")
    root = copy_project(tmp_path / "project")
    out = CliRunner().invoke(cli, ["ingest", "-p", str(root), "-q", "--dask", "nonsense"])
    assert out.exit_code == 1
    assert "cannot reach the Dask scheduler at nonsense" in out.output
    assert "Traceback" not in out.output
    assert not list((root / "outputs").glob("*.parquet"))


def test_workers_on_the_command_line_are_checked_and_recorded(tmp_path) -> None:
    root = copy_project(tmp_path / "project")
    bad = CliRunner().invoke(cli, ["ingest", "-p", str(root), "-q", "--workers", "-1"])
    assert bad.exit_code == 2 and "--workers" in bad.output
    good = CliRunner().invoke(cli, ["ingest", "-p", str(root), "-q", "--workers", "1"])
    assert good.exit_code == 0, good.output
    log = json.loads((root / "outputs" / "run.json").read_text(encoding="utf-8"))
    assert log["config"]["run"] == {"workers": 1, "dask": ""}
