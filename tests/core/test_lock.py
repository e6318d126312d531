"""The outputs lock: another process waits for it or stops with the holder named; a process
that died holding it blocks no one; the same process re-enters it."""
from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from pipeline.core.catalog import Catalog
from pipeline.core.config import load_config
from pipeline.core.errors import ConfigError, LockError
from pipeline.core.lock import LOCK_FILE, hold, is_held, read_holder
from pipeline.core.runner import Runner
from tests.locks import HOLDER_COMMAND, free_elsewhere, held_elsewhere


@pytest.fixture
def outputs(tmp_path: Path) -> Path:
    return tmp_path / "project" / "outputs"   # not there yet: taking the lock creates it


def test_the_lock_file_records_who_holds_it(outputs: Path) -> None:
    with hold(outputs, "qda export --format xlsx", 0):
        record = json.loads((outputs / LOCK_FILE).read_text(encoding="utf-8"))
        holder = read_holder(outputs / LOCK_FILE)
    assert set(record) == {"pid", "host", "command", "started"}
    assert holder is not None and holder.pid == os.getpid()
    assert holder.command == "qda export --format xlsx"
    assert holder.started[:4].isdigit() and "T" in holder.started
    # released: the file stays (harmless) but names no one any more
    assert read_holder(outputs / LOCK_FILE) is None and not is_held(outputs)


def test_another_process_with_timeout_0_stops_at_once_naming_the_holder(outputs: Path
                                                                        ) -> None:
    told: list[str] = []
    with held_elsewhere(outputs) as holder:
        start = time.monotonic()
        with pytest.raises(LockError) as caught:
            with hold(outputs, "second", 0, told.append, shown="outputs/.lock"):
                pytest.fail("took a lock another process holds")
        seconds = time.monotonic() - start
    message = str(caught.value)
    assert message.startswith(f"outputs/.lock is held by the run started by pid {holder.pid} "
                              f"at ")
    assert f"({HOLDER_COMMAND})" in message and "waited" not in message
    assert told == [] and seconds < 1.0     # no wait, no waiting message
    assert not is_held(outputs)


def test_with_a_timeout_it_waits_says_so_once_and_goes_on_when_released(outputs: Path
                                                                        ) -> None:
    told: list[str] = []
    with held_elsewhere(outputs) as holder:
        threading.Timer(1.0, holder.stdin.close).start()   # the first run ends after 1 s
        start = time.monotonic()
        with hold(outputs, "second", 30, told.append):
            seconds = time.monotonic() - start
            assert read_holder(outputs / LOCK_FILE).command == "second"
    assert 0.9 <= seconds < 10
    assert len(told) == 1
    assert told[0].startswith(f"waiting for the run started by pid {holder.pid} at ")
    assert f"({HOLDER_COMMAND})" in told[0] and "up to 30 s" in told[0]


def test_with_a_timeout_it_stops_once_the_time_is_up(outputs: Path) -> None:
    told: list[str] = []
    with held_elsewhere(outputs) as holder:
        start = time.monotonic()
        with pytest.raises(LockError, match=f"pid {holder.pid} .*; waited 0.5 s"):
            with hold(outputs, "second", 0.5, told.append):
                pytest.fail("took a lock another process holds")
        assert 0.5 <= time.monotonic() - start < 5
    assert len(told) == 1 and f"pid {holder.pid}" in told[0]


def test_a_lock_left_by_a_killed_process_does_not_block(outputs: Path) -> None:
    with held_elsewhere(outputs) as holder:
        holder.kill()      # SIGKILL: no clean-up of any kind
        holder.wait()
        stale = read_holder(outputs / LOCK_FILE)
        assert stale is not None and stale.pid == holder.pid   # its record is still there
        with hold(outputs, "after", 0):
            assert read_holder(outputs / LOCK_FILE).pid == os.getpid()


def test_the_same_process_re_enters_and_holds_until_the_outermost_block_ends(
        outputs: Path) -> None:
    with hold(outputs, "outer", 0):
        with hold(outputs, "inner", 0):     # would wait for itself without re-entry
            assert read_holder(outputs / LOCK_FILE).command == "outer"
        assert is_held(outputs) and not free_elsewhere(outputs)
    assert not is_held(outputs) and free_elsewhere(outputs)


def test_an_error_inside_the_block_releases_the_lock(outputs: Path) -> None:
    with pytest.raises(RuntimeError):
        with hold(outputs, "failing", 0):
            raise RuntimeError("stage failed")
    assert not is_held(outputs)
    with hold(outputs, "next", 0):   # a leaked descriptor would still hold the flock
        pass


def test_the_runner_takes_the_lock_and_re_enters_a_command_s(tmp_path: Path) -> None:
    cfg = load_config(None, ["paths.lock_timeout=0"])
    catalog = Catalog(tmp_path, cfg.paths)
    with catalog.lock("qda analyze"):
        assert Runner(catalog, cfg).run(()) == []     # no deadlock, no LockError
    assert (catalog.outputs / "run.json").is_file()
    (catalog.outputs / "run.json").unlink()
    with held_elsewhere(catalog.outputs) as holder:
        with pytest.raises(LockError, match=f"outputs/.lock is held .* pid {holder.pid}"):
            Runner(catalog, cfg).run(())
    assert not (catalog.outputs / "run.json").exists()   # stopped before writing anything


def test_lock_timeout_is_a_checked_parameter_of_paths(tmp_path: Path) -> None:
    assert Catalog(tmp_path).lock_timeout == 30.0
    cfg = load_config(None, ["paths.lock_timeout=2.5"])
    assert Catalog(tmp_path, cfg.paths).lock_timeout == 2.5
    with pytest.raises(ConfigError, match=r"paths.lock_timeout must be at least 0 \(got -1\)"):
        load_config(None, ["paths.lock_timeout=-1"])
