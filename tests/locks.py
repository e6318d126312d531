"""Another process holding (or trying) the outputs lock, for tests/core/test_lock.py and
tests/cli/test_lock.py. flock is per open file, so a lock taken in the test process itself
would be re-entered, not contended: the other side has to be a real process."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.fixtures import ROOT

HOLDER_COMMAND = "qda analyze --set segment.max_words=5"
_HOLD = f"""
import sys
from pathlib import Path
from pipeline.core.lock import hold
with hold(Path(sys.argv[1]), {HOLDER_COMMAND!r}):
    print("held", flush=True)
    sys.stdin.read()   # until the test closes our stdin (or kills us)
"""
_TRY = """
import sys
from pathlib import Path
from pipeline.core.errors import LockError
from pipeline.core.lock import hold
try:
    with hold(Path(sys.argv[1]), "try", 0):
        print("free")
except LockError:
    print("busy")
"""


def python(code: str, *args: str, **kwargs) -> subprocess.Popen:
    """`python -c code args` importing this checkout's pipeline."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=env,
                            **kwargs)


@contextmanager
def held_elsewhere(folder: Path) -> Iterator[subprocess.Popen]:
    """A child process holding the lock on `folder` until its stdin is closed (on leaving
    the block, or earlier by the test) or it is killed."""
    proc = python(_HOLD, str(folder), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert proc.stdout.readline() == b"held\n", "the holder did not take the lock"
        yield proc
    finally:
        if proc.stdin and not proc.stdin.closed:
            proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()


def free_elsewhere(folder: Path) -> bool:
    """Whether another process can take the lock on `folder` at once."""
    proc = python(_TRY, str(folder), stdout=subprocess.PIPE, text=True)
    out, _ = proc.communicate(timeout=30)
    assert out.strip() in ("free", "busy"), out
    return out.strip() == "free"
