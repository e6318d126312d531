"""Partitioned tables: one parquet file per site in a folder, listed in a manifest.

The manifest (written last, atomically) is what makes a set of parts the table: parts are named
by their content, so a new version's parts are written beside the old ones and the old ones are
removed only after the manifest names the new ones. An interrupted write leaves the previous
table whole. Reading concatenates the parts in the manifest's order, which is the table's row
order, so the table read back equals the one saved.
"""
from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core.errors import PipelineError
from pipeline.core.files import write_bytes

_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")


def site_runs(table: pa.Table) -> list[tuple[str, int, int]]:
    """(site, first row, end row) for each run of consecutive rows of one site. A table without
    a site column takes the site from its citation IDs (the part before the first '_')."""
    if "site" in table.column_names:
        sites = table.column("site").to_pylist()
    else:
        sites = [str(c).partition("_")[0] for c in table.column("citation_id").to_pylist()]
    runs: list[tuple[str, int, int]] = []
    for i, site in enumerate(sites):
        if runs and runs[-1][0] == site:
            runs[-1] = (site, runs[-1][1], i + 1)
        else:
            runs.append((site, i, i + 1))
    return runs or [("empty", 0, 0)]


def write_parts(folder: Path, table: pa.Table) -> dict[str, dict]:
    """Write the table's site runs as parquet files in `folder`; returns {file name:
    {"sha256", "bytes", "rows", "site"}} in row order. Files already there are kept."""
    folder.mkdir(parents=True, exist_ok=True)
    parts: dict[str, dict] = {}
    for number, (site, start, stop) in enumerate(site_runs(table)):
        buffer = io.BytesIO()
        pq.write_table(table.slice(start, stop - start), buffer)
        data = buffer.getvalue()
        sha = hashlib.sha256(data).hexdigest()
        name = f"part-{number:04d}-{_UNSAFE.sub('_', str(site))[:40]}-{sha[:12]}.parquet"
        if not (folder / name).is_file():
            write_bytes(folder / name, data)
        parts[name] = {"sha256": sha, "bytes": len(data), "rows": stop - start,
                       "site": str(site)}
    return parts


def parts_present(folder: Path, parts: dict[str, dict]) -> bool:
    """Every part is there with its size (cheap: run on every freshness check; `read_parts`
    checks the content)."""
    for name, info in parts.items():
        path = folder / name
        if not path.is_file() or path.stat().st_size != info.get("bytes"):
            return False
    return True


def read_parts(folder: Path, parts: dict[str, dict], where: str) -> pa.Table:
    tables = []
    for name, info in parts.items():
        try:
            data = (folder / name).read_bytes()
        except OSError as exc:
            raise PipelineError(f"{where}/{name}: cannot read it ({exc.strerror}); run "
                                f"`qda analyze` to rebuild the table") from None
        if hashlib.sha256(data).hexdigest() != info.get("sha256"):
            raise PipelineError(f"{where}/{name} was changed after it was written; run "
                                f"`qda analyze` to rebuild the table")
        tables.append(pq.read_table(pa.BufferReader(data)))
    return pa.concat_tables(tables) if len(tables) > 1 else tables[0]


def remove_stale(folder: Path, keep: set[str]) -> None:
    """Parts no manifest names any more (a previous version's)."""
    for path in folder.glob("part-*.parquet"):
        if path.name not in keep:
            path.unlink(missing_ok=True)
