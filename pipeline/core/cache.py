"""Per-item results keyed by content hash, so a changed transcript is the only one redone."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.core.files import atomic_write

Cache = Callable[[str, Callable[[], Any]], Any]  # (key, compute) -> value


def no_cache(key: str, compute: Callable[[], Any]) -> Any:
    """The cache a stage uses when none is given (tests, one-off runs): compute every time."""
    return compute()


class JsonCache:
    """JSON files under a folder, named by the hash of (salt, key).

    The salt is the stage's code fingerprint, so new code never reuses old results; the key
    must name every input that shapes the result. With ``refresh`` every value is recomputed
    and rewritten (``--force``).
    """

    def __init__(self, folder: Path, salt: str = "", refresh: bool = False):
        self.folder = folder
        self.salt = salt
        self.refresh = refresh
        self.hits = 0
        self.misses = 0

    def __call__(self, key: str, compute: Callable[[], Any]) -> Any:
        name = hashlib.sha256(f"{self.salt}\0{key}".encode()).hexdigest()
        path = self.folder / name[:2] / f"{name}.json"
        if path.is_file() and not self.refresh:
            try:
                value = json.loads(path.read_text(encoding="utf-8"))
                self.hits += 1
                return value
            except (OSError, json.JSONDecodeError):
                pass  # a damaged entry is recomputed
        self.misses += 1
        value = compute()
        atomic_write(path, lambda tmp: tmp.write_text(json.dumps(value), encoding="utf-8"))
        return value
