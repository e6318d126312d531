"""The one place that reads and writes files: researcher inputs in; tables, file sets, reports,
exports and run.json out.

- Tables are parquet files in outputs/ with their provenance in the schema metadata; they are
  checked against their contract when saved and when loaded.
- File sets (figures, case documents) and the files commands write (reports, exports) come
  with a manifest in outputs/.manifests/: provenance plus each file's content hash, so a
  deleted or edited file makes its stage out of date.
- Every write is atomic (temporary file, then rename), so an interrupted run leaves the
  previous outputs intact. Nothing here writes into corpus/, and into codebooks/ only new
  files (`write_new`): what a researcher wrote is never overwritten.
- One writer at a time: commands and the runner hold `lock()` (outputs/.lock, see
  pipeline/core/lock.py) while they write.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from pipeline.core import partitions
from pipeline.core.cache import JsonCache
from pipeline.core.config import PathParams
from pipeline.core.errors import PipelineError
from pipeline.core.files import atomic_write, remove_temporaries, write_bytes
from pipeline.core.lock import hold, is_held, lock_path
from pipeline.core.researcher_inputs import ResearcherInputs
from pipeline.core.schemas import FILE_SETS, PARTITIONED, SCHEMAS, check, to_arrow

PROVENANCE_KEY = b"qda.provenance"
MANIFESTS = ".manifests"
RUN_LOG = "run.json"


def data_hash(df: pd.DataFrame) -> str:
    """Content hash of a table (columns and rows), independent of file encoding."""
    h = hashlib.sha256(json.dumps(list(map(str, df.columns))).encode())
    if len(df):
        for name in df.columns:
            h.update(_column_digest(df[name]))
    return h.hexdigest()


def _column_digest(column: pd.Series) -> bytes:
    """One column's content. Vectors (numeric arrays in an object column) are hashed as
    their bytes: formatting 25,000 of them as text took most of `represent`'s time."""
    values = column.to_numpy()
    if values.dtype == object:
        first = next((v for v in values if v is not None), None)
        if isinstance(first, np.ndarray) and first.dtype.kind in "biuf":
            return _arrays_digest(values)
        column = column.astype(str)
    return pd.util.hash_pandas_object(column, index=False).values.tobytes()


def _arrays_digest(values: np.ndarray) -> bytes:
    h = hashlib.sha256()
    for v in values:
        if v is None:
            h.update(b"\0none")
        else:
            a = np.ascontiguousarray(v)
            h.update(f"{a.dtype.str}{a.shape}".encode())
            h.update(a.tobytes())
    return h.digest()


def files_hash(files: Mapping[str, str]) -> str:
    """Content hash of a file set from its (path, sha256) pairs."""
    return hashlib.sha256(json.dumps(sorted(files.items())).encode()).hexdigest()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Catalog(ResearcherInputs):
    def __init__(self, root: Path, paths: Any = None):
        if dataclasses.is_dataclass(paths):
            paths = dataclasses.asdict(paths)
        paths = dict(paths or {})
        self.root = root.resolve()
        self.corpus_dir = self._inside(paths.get("corpus", "corpus"))
        self.codebooks_dir = self._inside(paths.get("codebooks", "codebooks"))
        self.outputs = self._inside(paths.get("outputs", "outputs"))
        self.lock_timeout = float(paths.get("lock_timeout", PathParams.lock_timeout))

    def _inside(self, rel: str) -> Path:
        path = (self.root / rel).resolve()
        if not path.is_relative_to(self.root):
            raise PipelineError(f"path {rel!r} escapes the project directory {self.root}")
        return path

    def rel(self, path: Path) -> str:
        """A path for messages: relative to the project when inside it."""
        resolved = path.resolve()
        if resolved.is_relative_to(self.root):
            return resolved.relative_to(self.root).as_posix()
        return str(path)

    @contextmanager
    def lock(self, command: str | None = None, echo: Callable[[str], None] = lambda s: None
             ) -> Iterator[Path]:
        """Hold the outputs folder's lock for a `with` block: waits up to `lock_timeout`
        seconds for another process's run, then raises LockError naming it. Re-entrant within
        a process. `command` is what the lock file records (default: this process's
        command line). On first taking it, the temporary files a killed run left behind
        (they may hold interview text) are removed: no other writer can be running."""
        first = not is_held(self.outputs)
        with hold(self.outputs, command, self.lock_timeout, echo,
                  self.rel(lock_path(self.outputs))) as path:
            if first:
                remove_temporaries([self.outputs, self.codebooks_dir, self.corpus_dir])
            yield path

    # ---- tables -----------------------------------------------------------------------
    @staticmethod
    def is_file_set(name: str) -> bool:
        return name in FILE_SETS

    def table_path(self, name: str) -> Path:
        return self.outputs / f"{name}.parquet"

    def tables(self) -> list[str]:
        """Names of the tables in outputs/, sorted."""
        return sorted(p.stem for p in self.outputs.glob("*.parquet")
                      if p.is_file() or (p.stem in PARTITIONED and self.exists(p.stem)))

    def exists(self, name: str) -> bool:
        if self.is_file_set(name) or name in PARTITIONED:
            return self._manifest(name) is not None
        return self.table_path(name).is_file()

    def load(self, name: str) -> pd.DataFrame:
        """A table, checked against its contract."""
        path = self.table_path(name)
        if name in PARTITIONED:
            manifest = self._manifest(name)
            if manifest is None or not path.is_dir():
                raise PipelineError(f"{self.rel(path)}/ does not exist yet; run `qda analyze`")
            table = partitions.read_parts(path, manifest["files"], self.rel(path))
        elif not path.is_file():
            raise PipelineError(f"{self.rel(path)} does not exist yet; run `qda analyze`")
        else:
            table = pq.read_table(path)
        check(name, table.schema, self.rel(path))
        return table.to_pandas()

    def provenance(self, name: str) -> dict | None:
        """Provenance of a table or file set; None when missing, unreadable, or (for a file
        set) when any of its files is missing or changed."""
        if self.is_file_set(name):
            manifest = self._manifest(name)
            if manifest is None or not self._files_intact(manifest["files"]):
                return None
            return manifest["provenance"]
        path = self.table_path(name)
        if name in PARTITIONED:
            manifest = self._manifest(name)
            if manifest is None or not partitions.parts_present(path, manifest["files"]):
                return None
            return manifest["provenance"]
        if not path.is_file():
            return None
        try:
            meta = pq.read_schema(path).metadata or {}
            return json.loads(meta.get(PROVENANCE_KEY, b"null"))
        except (OSError, ValueError):
            return None  # unreadable or foreign file: treat as missing

    def save(self, name: str, df: pd.DataFrame, provenance: dict) -> None:
        if name not in SCHEMAS:
            raise PipelineError(f"{name} is not a declared table (pipeline/core/schemas.py)")
        table = to_arrow(name, df)
        prov = dict(provenance, table=name, rows=len(df), data_hash=data_hash(df))
        if name in PARTITIONED:
            self._save_parts(name, table, prov)
            return
        meta = dict(table.schema.metadata or {})
        meta[PROVENANCE_KEY] = json.dumps(prov, sort_keys=True).encode()
        table = table.replace_schema_metadata(meta)
        atomic_write(self.table_path(name), lambda tmp: pq.write_table(table, tmp))

    def _save_parts(self, name: str, table: Any, prov: dict) -> None:
        """A partitioned table: new parts beside the old, then the manifest, then the old
        parts go. A single file of the same name (an older version's layout) is replaced."""
        folder = self.table_path(name)
        if folder.is_file():
            folder.unlink()
        parts = partitions.write_parts(folder, table)
        prov = dict(prov, partitioned_by="site", parts=len(parts))
        self._write_json(self._manifest_path(name), {"provenance": prov, "files": parts})
        partitions.remove_stale(folder, set(parts))

    # ---- file sets (render stages) --------------------------------------------------------
    def _manifest_path(self, name: str) -> Path:
        return self.outputs / MANIFESTS / f"{name}.json"

    def _manifest(self, name: str) -> dict | None:
        try:
            manifest = json.loads(self._manifest_path(name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return manifest if isinstance(manifest, dict) and "files" in manifest else None

    def _resolve(self, rel: str) -> Path:
        path = Path(rel)
        return path if path.is_absolute() else self.root / path

    def _files_intact(self, files: dict[str, str]) -> bool:
        for rel, sha in files.items():
            path = self._resolve(rel)
            if not path.is_file() or _sha(path.read_bytes()) != sha:
                return False
        return True

    def load_files(self, name: str) -> dict[str, bytes]:
        """A file set: {path relative to outputs/: bytes}."""
        manifest = self._manifest(name)
        if manifest is None:
            raise PipelineError(f"{name} has not been written yet; run `qda analyze`")
        return {self._resolve(rel).relative_to(self.outputs).as_posix():
                self._resolve(rel).read_bytes() for rel in manifest["files"]}

    def save_files(self, name: str, files: Mapping[str, bytes], provenance: dict) -> list[Path]:
        """Write a render stage's files (paths relative to outputs/); files of the previous
        version that are no longer part of the set are removed."""
        targets = {}
        for rel, data in files.items():
            path = (self.outputs / rel).resolve()
            if not path.is_relative_to(self.outputs) or path == self.outputs:
                raise PipelineError(f"{name}: {rel!r} is not a path inside outputs/")
            targets[path] = data
        return self._write_set(name, targets, provenance, remove_stale=True)

    def _write_set(self, name: str, targets: Mapping[Path, bytes], provenance: dict,
                   remove_stale: bool) -> list[Path]:
        old = self._manifest(name)
        hashes = {self._key(p): _sha(d) for p, d in targets.items()}
        for path, data in targets.items():
            write_bytes(path, data)
        if old and remove_stale:
            for rel in set(old["files"]) - set(hashes):
                path = self._resolve(rel)
                if path.resolve().is_relative_to(self.outputs):
                    path.unlink(missing_ok=True)
        prov = dict(provenance, file_set=name, files=len(hashes), data_hash=files_hash(hashes))
        self._write_json(self._manifest_path(name), {"provenance": prov, "files": hashes})
        return list(targets)

    def _key(self, path: Path) -> str:
        resolved = path.resolve()
        return (resolved.relative_to(self.root).as_posix()
                if resolved.is_relative_to(self.root) else str(resolved))

    # ---- what commands write (reports, exports) and what researchers own ------------------
    def output_path(self, rel: str) -> Path:
        return self.outputs / rel

    def write_report(self, name: str, files: Mapping[Path, bytes], provenance: dict
                     ) -> list[Path]:
        """Files a command writes (reports, tuning tables, exports), with a manifest of
        provenance. They may go anywhere except corpus/ and codebooks/, which hold what
        researchers wrote."""
        for path in files:
            resolved = path.resolve()
            for folder in (self.corpus_dir, self.codebooks_dir):
                if resolved.is_relative_to(folder):
                    raise PipelineError(
                        f"{self.rel(path)} is inside {self.rel(folder)}/, which holds what "
                        f"researchers wrote; write exports and reports elsewhere (e.g. "
                        f"{self.rel(self.outputs)}/)")
        stamped = dict(provenance, written=_now())
        return self._write_set(name, dict(files), stamped, remove_stale=False)

    def write_new(self, path: Path, data: bytes) -> Path:
        """A file a researcher will own (an imported codebook, a copied coding project):
        written only if nothing is there yet."""
        if path.exists():
            raise PipelineError(f"{self.rel(path)} already exists; choose another name with "
                                f"-o (researcher-written files are never overwritten)")
        if path.resolve().is_relative_to(self.corpus_dir):
            raise PipelineError(f"{self.rel(path)}: nothing is written into "
                                f"{self.rel(self.corpus_dir)}/ (the transcripts' folder)")
        return write_bytes(path, data)

    # ---- run log -----------------------------------------------------------------------------
    def _write_json(self, path: Path, obj: Any) -> Path:
        text = json.dumps(obj, indent=2, sort_keys=True, default=str) + "\n"
        atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        return path

    def run_log(self) -> dict:
        try:
            log = json.loads((self.outputs / RUN_LOG).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return log if isinstance(log, dict) else {}

    def update_run_log(self, run: dict, stages: list[dict]) -> Path:
        """Merge one successful run into run.json: its stages replace their earlier entries,
        every other stage keeps its entry."""
        log = self.run_log()
        by_name = {s["name"]: s for s in log.get("stages", []) if isinstance(s, dict)}
        by_name.update({s["name"]: s for s in stages})
        order = {name: i for i, name in enumerate(run.get("order", []))}
        log.update(run)
        log.pop("order", None)
        log["stages"] = sorted(by_name.values(), key=lambda s: order.get(s["name"], 1 << 30))
        return self._write_json(self.outputs / RUN_LOG, log)

    def cache(self, stage: str, salt: str = "", refresh: bool = False) -> JsonCache:
        return JsonCache(self.outputs / ".cache" / stage, salt, refresh)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
