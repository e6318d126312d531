"""The one place that reads and writes files: corpus in, parquet and JSON out.

Writes are atomic (temporary file, then ``os.replace``), so an interrupted run leaves the
previous outputs intact. Each parquet file carries its provenance in the schema metadata.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from pipeline.core.errors import InputError, error
from pipeline.core.inputs import CodebookInputs, Corpus, DecisionsInput, make_source
from pipeline.core.schemas import to_arrow
from pipeline.formats.reader import FORMATS

PROVENANCE_KEY = b"qda.provenance"
RESERVED_YAML = {"decisions"}  # YAML files in codebooks/ that are not codebooks


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write via a temporary file in the same folder, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def data_hash(df: pd.DataFrame) -> str:
    """Content hash of a table (columns and rows), independent of file encoding."""
    h = hashlib.sha256(json.dumps(list(map(str, df.columns))).encode())
    if len(df):
        h.update(pd.util.hash_pandas_object(df.astype(str), index=False).values.tobytes())
    return h.hexdigest()


class JsonCache:
    """Per-item results keyed by content hash: a changed transcript is the only one redone."""

    def __init__(self, folder: Path, salt: str = ""):
        self.folder = folder
        self.salt = salt  # e.g. the code version: new code never reuses old results
        self.hits = 0
        self.misses = 0

    def __call__(self, key: str, compute: Callable[[], Any]) -> Any:
        name = hashlib.sha256(f"{self.salt}\0{key}".encode()).hexdigest()
        path = self.folder / name[:2] / f"{name}.json"
        if path.is_file():
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


class Catalog:
    def __init__(self, root: Path, paths: dict[str, str]):
        self.root = root.resolve()
        self.corpus_dir = self._inside(paths.get("corpus", "corpus"))
        self.codebooks_dir = self._inside(paths.get("codebooks", "codebooks"))
        self.outputs = self._inside(paths.get("outputs", "outputs"))

    def _inside(self, rel: str) -> Path:
        path = (self.root / rel).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError(f"path {rel!r} escapes the project directory {self.root}")
        return path

    def rel(self, path: Path) -> str:
        """A path for messages: relative to the project when inside it."""
        resolved = path.resolve()
        if resolved.is_relative_to(self.root):
            return resolved.relative_to(self.root).as_posix()
        return str(path)

    # ---- corpus -------------------------------------------------------------------------
    def read_corpus(self) -> Corpus:
        study, sites = self.corpus_dir / "study.toml", self.corpus_dir / "sites.csv"
        for required in (study, sites):
            if not required.is_file():
                raise InputError([error(self.rel(required) if required.parent.exists()
                                        else str(required), 0, "missing: the corpus needs "
                                        "study.toml and sites.csv")])
        files, skipped = [], []
        folder = self.corpus_dir / "transcripts"
        for path in sorted(folder.iterdir() if folder.is_dir() else []):
            if path.name.startswith(".") or path.is_dir() or path.name.lower() == "readme.md":
                continue
            if not path.resolve().is_relative_to(self.root):
                skipped.append(self.rel(path.parent) + "/" + path.name)
                continue
            if path.suffix.lower() not in FORMATS:
                skipped.append(self.rel(path))
                continue
            files.append(make_source(self.rel(path), path.read_bytes()))
        return Corpus(study.read_bytes(), sites.read_bytes(), tuple(files), tuple(skipped),
                      self.rel(study), self.rel(sites))

    def read_codebooks(self) -> CodebookInputs:
        """Codebook YAML files in codebooks/ and human codings in codebooks/codings/."""
        folder = self.codebooks_dir
        books = [(self.rel(p), p.read_text(encoding="utf-8-sig"))
                 for p in sorted(folder.glob("*.y*ml") if folder.is_dir() else [])
                 if p.suffix in (".yml", ".yaml") and p.stem not in RESERVED_YAML]
        codings = [make_source(self.rel(p), p.read_bytes())
                   for p in sorted((folder / "codings").glob("*"))
                   if p.suffix.lower() in (".csv", ".qdpx")]
        return CodebookInputs(tuple(books), tuple(codings))

    def read_decisions(self) -> DecisionsInput:
        path = self.codebooks_dir / "decisions.yml"
        text = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
        return DecisionsInput(self.rel(path), text)

    # ---- tables -------------------------------------------------------------------------
    def table_path(self, name: str) -> Path:
        return self.outputs / f"{name}.parquet"

    def tables(self) -> list[str]:
        """Names of the tables in outputs/, sorted."""
        return sorted(p.stem for p in self.outputs.glob("*.parquet") if p.is_file())

    def exists(self, name: str) -> bool:
        return self.table_path(name).is_file()

    def load(self, name: str) -> pd.DataFrame:
        path = self.table_path(name)
        if not path.is_file():
            raise FileNotFoundError(f"{self.rel(path)} does not exist yet; run `qda analyze`")
        return pq.read_table(path).to_pandas()

    def provenance(self, name: str) -> dict | None:
        path = self.table_path(name)
        if not path.is_file():
            return None
        try:
            meta = pq.read_schema(path).metadata or {}
            return json.loads(meta.get(PROVENANCE_KEY, b"null"))
        except (OSError, ValueError):
            return None  # unreadable or foreign file: treat as missing

    def save(self, name: str, df: pd.DataFrame, provenance: dict) -> None:
        table = to_arrow(name, df)
        prov = dict(provenance, table=name, rows=len(df), data_hash=data_hash(df))
        meta = dict(table.schema.metadata or {})
        meta[PROVENANCE_KEY] = json.dumps(prov, sort_keys=True).encode()
        table = table.replace_schema_metadata(meta)
        atomic_write(self.table_path(name), lambda tmp: pq.write_table(table, tmp))

    def write_json(self, name: str, obj: Any) -> Path:
        path = self.outputs / name
        text = json.dumps(obj, indent=2, sort_keys=True, default=str) + "\n"
        atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        return path

    def write_text(self, path: Path, text: str) -> Path:
        atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        return path

    def write_bytes(self, path: Path, data: bytes) -> Path:
        atomic_write(path, lambda tmp: tmp.write_bytes(data))
        return path

    def write_csv(self, name: str, df: pd.DataFrame) -> Path:
        path = self.outputs / name
        atomic_write(path, lambda tmp: df.to_csv(tmp, index=False))
        return path

    def save_figure(self, name: str, fig, meta: dict) -> list[Path]:
        """Write figures/<name>.png and .svg atomically (no timestamps in the files)."""
        import matplotlib.pyplot as plt

        paths = []
        for ext, extra in (("png", {"dpi": 150}), ("svg", {})):
            path = self.outputs / "figures" / f"{name}.{ext}"
            metadata = {"Date": None} if ext == "svg" else {"Software": "qda"}
            atomic_write(path, lambda tmp, ext=ext, extra=extra, metadata=metadata: fig.savefig(
                tmp, format=ext, metadata=metadata, **extra))
            paths.append(path)
        plt.close(fig)
        self.write_json(f"figures/{name}.json", meta)
        return paths

    def figure_meta(self, name: str) -> dict | None:
        path = self.outputs / "figures" / f"{name}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def cache(self, stage: str, salt: str = "") -> JsonCache:
        return JsonCache(self.outputs / ".cache" / stage, salt)
