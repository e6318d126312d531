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

    def _path(self, key: str) -> Path:
        name = hashlib.sha256(f"{self.salt}\0{key}".encode()).hexdigest()
        return self.folder / name[:2] / f"{name}.json"

    def get(self, key: str) -> tuple[bool, Any]:
        """(found, value); counts a hit when found."""
        path = self._path(key)
        if path.is_file() and not self.refresh:
            try:
                value = json.loads(path.read_text(encoding="utf-8"))
                self.hits += 1
                return True, value
            except (OSError, json.JSONDecodeError):
                pass  # a damaged entry is recomputed
        return False, None

    def put(self, key: str, value: Any) -> None:
        self.misses += 1
        atomic_write(self._path(key),
                     lambda tmp: tmp.write_text(json.dumps(value), encoding="utf-8"))

    def __call__(self, key: str, compute: Callable[[], Any]) -> Any:
        found, value = self.get(key)
        if found:
            return value
        value = compute()
        self.put(key, value)
        return value


def cached_many(cache: Cache | None, keys: list[str],
                compute_many: Callable[[list[int]], list[Any]]) -> list[Any]:
    """Values for `keys`, computing the missing ones in one batch (`compute_many` gets
    their positions), so batch-friendly work such as `nlp.pipe` stays batched. A cache that
    is a plain (key, compute) function is asked one key at a time."""
    if cache is None or cache is no_cache:
        return compute_many(list(range(len(keys))))
    lookup = getattr(cache, "get", None)
    if lookup is None:
        return [cache(k, lambda i=i: compute_many([i])[0]) for i, k in enumerate(keys)]
    found = [lookup(k) for k in keys]
    todo = [i for i, (hit, _) in enumerate(found) if not hit]
    values = [v for _, v in found]
    for i, value in zip(todo, compute_many(todo) if todo else []):
        values[i] = value
        cache.put(keys[i], value)
    return values
