"""Run stages: skip those whose inputs, parameters and code are unchanged; record provenance."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from pipeline import __version__
from pipeline.core.catalog import Catalog
from pipeline.core.config import stage_params
from pipeline.core.errors import Problem
from pipeline.core.inputs import CodebookInputs, Corpus, DecisionsInput
from pipeline.core.registry import RAW_INPUTS, STAGES, Stage

PACKAGES = ("spacy", "spacy-lookups-data", "scikit-learn", "pandas", "pyarrow", "numpy")


@lru_cache(maxsize=1)
def code_hash() -> str:
    """Hash of the package's code and defaults: an upgrade re-runs every stage."""
    h = hashlib.sha256(__version__.encode())
    root = Path(__file__).parents[1]
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".cfg"):
            h.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    return h.hexdigest()[:16]


def versions() -> dict[str, str]:
    out = {"pipeline": __version__, "python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


@dataclass
class StageReport:
    name: str
    status: str  # "ran" or "up to date"
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    cache_hits: int | None = None
    cache_misses: int | None = None
    fingerprint: str = ""
    warnings: list[Problem] = field(default_factory=list)


class Runner:
    def __init__(self, catalog: Catalog, cfg: dict, echo: Callable[[str], None] = lambda s: None):
        self.catalog = catalog
        self.cfg = cfg
        self.echo = echo
        self._raw: dict[str, Corpus | CodebookInputs | DecisionsInput] = {}

    def raw(self, name: str) -> Corpus | CodebookInputs | DecisionsInput:
        """Researcher-written inputs (corpus/, codebooks/), read once per run."""
        if name not in self._raw:
            read = {"corpus": self.catalog.read_corpus, "codebooks": self.catalog.read_codebooks,
                    "decisions": self.catalog.read_decisions}
            self._raw[name] = read[name]()
        return self._raw[name]

    def input_hashes(self, stage: Stage) -> dict[str, str | None]:
        hashes: dict[str, str | None] = {}
        for name in stage.inputs:
            if name in RAW_INPUTS:
                hashes[name] = self.raw(name).fingerprint()
            else:
                prov = self.catalog.provenance(name)
                hashes[name] = prov.get("data_hash") if prov else None
        return hashes

    def fingerprint(self, stage: Stage) -> tuple[str, dict, dict]:
        params = dataclasses.asdict(stage_params(self.cfg, stage.name, stage.params))
        inputs = self.input_hashes(stage)
        blob = json.dumps({"stage": stage.name, "params": params, "inputs": inputs,
                           "code": code_hash()}, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest(), params, inputs

    def is_fresh(self, stage: Stage, fingerprint: str) -> bool:
        for out in stage.outputs:
            prov = self.catalog.provenance(out)
            if not prov or prov.get("fingerprint") != fingerprint:
                return False
        return True

    def run_stage(self, stage: Stage, force: bool = False) -> StageReport:
        fp, params, inputs = self.fingerprint(stage)
        if not force and self.is_fresh(stage, fp):
            rows = {o: (self.catalog.provenance(o) or {}).get("rows", 0) for o in stage.outputs}
            return StageReport(stage.name, "up to date", rows=rows, fingerprint=fp)
        missing = [i for i, h in inputs.items() if h is None]
        if missing:
            raise FileNotFoundError(f"stage {stage.name} needs {', '.join(missing)}; "
                                    f"run the earlier stages first (qda analyze)")
        args = [self.raw(i) if i in RAW_INPUTS else self.catalog.load(i) for i in stage.inputs]
        cache = self.catalog.cache(stage.name, code_hash()) if stage.cached else None
        kwargs = {"params": stage_params(self.cfg, stage.name, stage.params)}
        if cache is not None:
            kwargs["cache"] = cache
        start = time.perf_counter()
        tables, warnings = stage.func(*args, **kwargs)
        prov = {"stage": stage.name, "fingerprint": fp, "params": params, "inputs": inputs,
                "code": code_hash(), "versions": versions()}
        for name in stage.outputs:  # every output is computed before any is written
            self.catalog.save(name, tables[name], prov)
        return StageReport(stage.name, "ran", time.perf_counter() - start,
                           {n: len(tables[n]) for n in stage.outputs},
                           cache.hits if cache else None, cache.misses if cache else None,
                           fp, list(warnings))

    def run(self, stages: tuple[Stage, ...] = STAGES, force: bool = False
            ) -> list[StageReport]:
        started = dt.datetime.now(dt.UTC)
        reports = []
        for stage in stages:
            self.echo(f"{stage.name}: {stage.description} ...")
            reports.append(self.run_stage(stage, force))
        self.catalog.write_json("run.json", {
            "started": started.isoformat(timespec="seconds"),
            "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "versions": versions(), "code": code_hash(), "config": self.cfg,
            "stages": [{"name": r.name, "status": r.status, "seconds": round(r.seconds, 3),
                        "rows": r.rows, "cache_hits": r.cache_hits,
                        "cache_misses": r.cache_misses, "fingerprint": r.fingerprint,
                        "warnings": [str(w) for w in r.warnings]} for r in reports],
        })
        return reports
