"""The outputs lock on the command line: every command that writes holds it, the read-only
ones never wait for it, and two real `qda analyze` at once leave one run's outputs."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli.main import cli
from pipeline.core.catalog import Catalog
from tests.fixtures import ROOT, copy_project
from tests.locks import held_elsewhere

# Commands that write nothing into outputs/ and so never take the lock. `member-check serve`
# writes only into codebooks/member_checks/, for the hours a meeting lasts.
READ_ONLY = {"status", "validate", "config show", "codebook show", "codebook check",
             "member-check serve"}
NO_PROJECT = {"bench"}   # works in a temporary folder of its own, not on a project
# Arguments click needs before the command body (and so the lock) is reached.
ARGS = {"import": ["taguette", "{file}"], "refi import": ["{file}"],
        "review ingest": ["{file}"], "member-check ingest": ["{file}"]}


def leaves(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> dict[str, click.Command]:
    out: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            out |= leaves(command, prefix + (name,))
        else:
            out[" ".join(prefix + (name,))] = command
    return out


COMMANDS = leaves()
WRITING = sorted(set(COMMANDS) - READ_ONLY - NO_PROJECT)


def test_every_command_takes_the_lock_unless_it_is_declared_read_only() -> None:
    marked = {name: getattr(c.callback, "takes_lock", None) for name, c in COMMANDS.items()}
    assert {n for n, lock in marked.items() if lock is None} == NO_PROJECT
    assert {n for n, lock in marked.items() if lock is False} == READ_ONLY
    assert {"analyze", "segment", "export", "import", "refi import", "refi export-project",
            "agreement", "review ingest", "member-check prepare",
            "member-check ingest"} <= set(WRITING)


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory):
    """The fixture project (not analysed) whose outputs lock another process holds."""
    root = copy_project(tmp_path_factory.mktemp("busy") / "project")
    (root / "sheet.csv").write_text("x\n", encoding="utf-8")
    with held_elsewhere(root / "outputs") as holder:
        yield root, holder


def invoke(root: Path, name: str, *more: str):
    args = [a.format(file=root / "sheet.csv") for a in ARGS.get(name, [])]
    return CliRunner().invoke(cli, [*name.split(), *args, "-p", str(root), *more])


@pytest.mark.parametrize("name", WRITING)
def test_a_writing_command_stops_at_a_held_lock_with_a_clear_error(busy, name: str) -> None:
    root, holder = busy
    result = invoke(root, name, "--set", "paths.lock_timeout=0")
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)          # a message, not a traceback
    assert result.output.startswith(f"Error: outputs/.lock is held by the run started by "
                                    f"pid {holder.pid} at ")
    assert "(qda analyze --set segment.max_words=5)" in result.output
    assert not list((root / "outputs").glob("*.parquet"))   # nothing ran


@pytest.mark.parametrize("name", sorted(READ_ONLY - {"member-check serve"}))
def test_a_read_only_command_does_not_wait_for_the_lock(busy, name: str) -> None:
    root, _ = busy
    result = invoke(root, name, "--set", "paths.lock_timeout=0")
    assert "is held by" not in result.output and "waiting for" not in result.output
    assert result.exit_code == 0, result.output


def test_a_command_waits_for_the_lock_says_so_even_when_quiet_then_runs(tmp_path: Path
                                                                         ) -> None:
    root = copy_project(tmp_path / "project")
    with held_elsewhere(root / "outputs") as holder:
        threading.Timer(1.0, holder.stdin.close).start()
        result = invoke(root, "refi export-codebook", "-q")
    assert result.exit_code == 0, result.output
    assert result.output.count("waiting for the run started by") == 1
    assert f"waiting for the run started by pid {holder.pid} at " in result.output
    assert "up to 30 s; outputs/.lock" in result.output          # the default timeout
    assert (root / "outputs" / "codebook.qdc").is_file()


# ---- two real `qda analyze` at once -----------------------------------------------------------
# The fixture's director answers "The trustees look at EQAO first. Test scores are ..." in one
# turn of two sentences: max_words=5 splits it in two (11 segments), the default keeps it whole
# (10), so the tables say which run wrote them.
SEGMENTS = {5: 10 + 1, 120: 10}
SPLIT = "O2_Director#1_5.10:0002:002"


def start_two(root: Path, timeout: int) -> dict[int, subprocess.Popen]:
    """Two `qda analyze --force` with different segment settings, started together."""
    import os

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    return {words: subprocess.Popen(
        [sys.executable, "-m", "pipeline", "analyze", "--force", "-q", "-p", str(root),
         "--set", f"segment.max_words={words}", "--set", f"paths.lock_timeout={timeout}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for words in SEGMENTS}


def finish(procs: dict[int, subprocess.Popen]) -> dict[int, tuple[int, str, int]]:
    """{max_words: (exit code, stderr, pid)} once both have ended."""
    done = {}
    for words, proc in procs.items():
        _, err = proc.communicate(timeout=600)
        done[words] = (proc.returncode, err, proc.pid)
    return done


def written_with(root: Path) -> int:
    """The max_words the outputs were made with, after checking that they agree: run.json,
    the segments, and the codings (made from exactly these segments, ids included)."""
    out = root / "outputs"
    log = json.loads((out / "run.json").read_text(encoding="utf-8"))
    segments, codings = pd.read_parquet(out / "segments.parquet"), \
        pd.read_parquet(out / "codings.parquet")
    catalog = Catalog(root)
    prov = {name: catalog.provenance(name) for name in ("segments", "codings")}
    words = log["config"]["segment"]["max_words"]
    assert prov["segments"]["params"]["max_words"] == words
    assert len(segments) == SEGMENTS[words] and (SPLIT in set(segments["segment_id"])) == \
        (words == 5)
    assert set(codings["segment_id"]) <= set(segments["segment_id"])
    assert prov["codings"]["inputs"]["segments"] == prov["segments"]["data_hash"]
    assert {s["status"] for s in log["stages"]} == {"ran"}     # both ran with --force
    return words


@pytest.mark.slow
def test_two_analyses_at_once_the_second_waits_then_runs_after_the_first(tmp_path: Path
                                                                          ) -> None:
    root = copy_project(tmp_path / "project")
    done = finish(start_two(root, timeout=600))
    assert [code for code, _, _ in done.values()] == [0, 0], done
    waited = {w for w, (_, err, _) in done.items() if "waiting for the run started by" in err}
    assert len(waited) == 1, done                     # exactly one found the other running
    second, = waited
    first, = set(SEGMENTS) - waited
    message = re.search(r"waiting for the run started by pid (\d+) .*max_words=(\d+)",
                        done[second][1])
    assert message and int(message[1]) == done[first][2] and int(message[2]) == first
    assert "Traceback" not in done[first][1] + done[second][1]
    assert written_with(root) == second               # the later run's outputs, whole


@pytest.mark.slow
def test_two_analyses_at_once_with_timeout_0_the_second_stops_with_the_holder_named(
        tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    done = finish(start_two(root, timeout=0))
    assert sorted(code for code, _, _ in done.values()) == [0, 1], done
    winner, = (w for w, (code, _, _) in done.items() if code == 0)
    loser, = set(SEGMENTS) - {winner}
    err = done[loser][1]
    assert err.startswith(f"Error: outputs/.lock is held by the run started by pid "
                          f"{done[winner][2]} at "), err
    assert f"segment.max_words={winner}" in err and "Traceback" not in err
    assert written_with(root) == winner               # untouched by the run that stopped
    shutil.rmtree(root / "outputs")
