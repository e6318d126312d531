"""One writer at a time per outputs folder: an exclusive lock on ``outputs/.lock``.

Two commands writing the same outputs at once interleave their tables (codings from one run
pointing at segments of the other, run.json naming settings the tables were not made with).
So every command that writes there holds this lock for its whole duration; a second one
waits up to ``paths.lock_timeout`` seconds for it, then stops with an error naming the holder.

- The lock is ``fcntl.flock`` on the lock file. The kernel releases it when the holding
  process ends, however it ends (``kill -9`` included), so a lock file left behind never
  blocks anyone; its content (pid, host, command, start time) only says who holds it.
- It is re-entrant within a process: a command that holds it and then runs the stages (the
  runner takes it too) goes on. Without that, flock on a second descriptor would wait for
  the first one, held by the same process, until the timeout.
- flock is advisory and per machine: it excludes runs on this machine; a network file system
  may not pass it between machines (the host in the record helps to tell).
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shlex
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.errors import LockError

LOCK_FILE = ".lock"
POLL = 0.1     # seconds between two tries while waiting
GRACE = 1.0    # how long a holder may take to write its record after taking the lock


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, as its lock file records it."""
    pid: int
    host: str
    command: str
    started: str

    def __str__(self) -> str:
        where = "" if self.host == socket.gethostname() else f" on {self.host}"
        return f"pid {self.pid}{where} at {self.started} ({self.command})"


@dataclass
class _Held:
    fd: int
    depth: int


_held: dict[Path, _Held] = {}   # the locks this process holds, by lock file
_guard = threading.Lock()       # guards _held (the web server and tests use threads)


def lock_path(folder: Path) -> Path:
    return folder.resolve() / LOCK_FILE


def default_command() -> str:
    """This process's command line, for the record."""
    return shlex.join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv else "python"


def read_holder(path: Path) -> Holder | None:
    """The record in a lock file; None when it is missing, empty or half written."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return Holder(int(record["pid"]), str(record["host"]), str(record["command"]),
                      str(record["started"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_held(folder: Path) -> bool:
    """Whether this process holds the lock on `folder`."""
    with _guard:
        return lock_path(folder) in _held


@contextmanager
def hold(folder: Path, command: str | None = None, timeout: float = 0.0,
         echo: Callable[[str], None] = lambda s: None, shown: str | None = None
         ) -> Iterator[Path]:
    """Hold the lock on `folder` (created if need be) for the `with` block.

    Waits up to `timeout` seconds for another process to release it, saying once through
    `echo` whom it waits for; then raises LockError naming the holder. `shown` is how the
    lock file is named in messages (default: its full path)."""
    path = lock_path(folder)
    with _guard:
        entry = _held.get(path)
        if entry is not None:
            entry.depth += 1
    if entry is None:
        fd = _acquire(path, command or default_command(), timeout, echo, shown or str(path))
        with _guard:
            entry = _held[path] = _Held(fd, 1)
    try:
        yield path
    finally:
        with _guard:
            entry.depth -= 1
            last = entry.depth == 0
            if last:
                del _held[path]
        if last:
            _release(entry.fd)


def _acquire(path: Path, command: str, timeout: float, echo: Callable[[str], None],
             shown: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    # No O_TRUNC: until we hold the lock the file is the holder's record, for others to read.
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        _wait(fd, path, timeout, echo, shown)
        _record(fd, command)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _wait(fd: int, path: Path, timeout: float, echo: Callable[[str], None], shown: str
          ) -> None:
    start = time.monotonic()
    told = False
    while not _try_lock(fd):
        waited = time.monotonic() - start
        if waited >= timeout:
            holder = _holder_within(path, GRACE)
            raise LockError(
                f"{shown} is held by the run started by {_who(holder)}"
                + (f"; waited {timeout:g} s" if timeout else "")
                + ". Let that run finish (or stop it) and run this again; set "
                  "paths.lock_timeout to wait longer. A lock left by a process that has "
                  "ended does not block.")
        holder = read_holder(path)
        if not told and (holder is not None or waited >= GRACE):
            echo(f"waiting for the run started by {_who(holder)} to finish "
                 f"(up to {timeout:g} s; {shown})")
            told = True
        time.sleep(min(POLL, max(timeout - waited, 0.0)))


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder_within(path: Path, grace: float) -> Holder | None:
    """The holder's record; a holder that has just taken the lock may not have written it
    yet, so look again for up to `grace` seconds."""
    deadline = time.monotonic() + grace
    while (holder := read_holder(path)) is None and time.monotonic() < deadline:
        time.sleep(POLL / 2)
    return holder


def _who(holder: Holder | None) -> str:
    return str(holder) if holder is not None else "another process (it has not said which)"


def _record(fd: int, command: str) -> None:
    started = dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
    record = {"pid": os.getpid(), "host": socket.gethostname(), "command": command,
              "started": started}
    os.ftruncate(fd, 0)
    os.pwrite(fd, (json.dumps(record) + "\n").encode("utf-8"), 0)


def _release(fd: int) -> None:
    try:
        os.ftruncate(fd, 0)   # before unlocking: afterwards the file may be the next holder's
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
