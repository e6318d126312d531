"""`python -m pipeline.cli.peer`: the command BERTopic's environment runs for the benchmark."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from pipeline.analysis.bench_measure import child_env
from pipeline.cli.peer import peer


def test_an_unreadable_input_is_a_message_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.parquet"
    result = CliRunner().invoke(peer, [str(missing), "--labels", str(tmp_path / "l.parquet")])
    assert result.exit_code == 1 and f"Error: {missing}:" in result.output
    assert not (tmp_path / "l.parquet").exists()


def test_it_runs_as_a_module_without_a_traceback(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pipeline.cli.peer", str(tmp_path / "x")],
                          capture_output=True, text=True, env=child_env())
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{tmp_path / 'x'}" in done.stderr
