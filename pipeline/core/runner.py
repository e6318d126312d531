"""Run stages: skip those whose inputs, parameters and code are unchanged; record provenance.

A stage is up to date when every output carries the fingerprint the stage would produce now:
a hash of its parameters, the content of its inputs, the source of the code it declares, and
the contract of its outputs. Nothing else (the CLI, another stage's code) enters it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pipeline.core.catalog import Catalog
from pipeline.core.config import Config
from pipeline.core.errors import PipelineError, Problem
from pipeline.core.inputs import RAW_INPUTS
from pipeline.core.provenance import source_hash, versions
from pipeline.core.registry import STAGES, Stage, resolve
from pipeline.core.schemas import spec_hash


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
    where: str | None = None  # the processes or cluster its per-transcript work ran on

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "seconds": round(self.seconds, 3),
                "rows": self.rows, "cache_hits": self.cache_hits,
                "cache_misses": self.cache_misses, "fingerprint": self.fingerprint,
                "warnings": [str(w) for w in self.warnings], "where": self.where}


def code_hash(stage: Stage) -> str:
    """The source of the modules the stage declares, and the contract of its outputs."""
    return source_hash(stage.code) + "-" + spec_hash(stage.outputs)


class Runner:
    def __init__(self, catalog: Catalog, cfg: Config,
                 echo: Callable[[str], None] = lambda s: None):
        self.catalog = catalog
        self.cfg = cfg
        self.echo = echo
        self._raw: dict[str, Any] = {}
        self._executor: Any = None

    @property
    def executor(self) -> Any:
        """Where per-transcript work runs ([run]); started on first use, closed by `run`."""
        if self._executor is None:
            from pipeline.core.parallel import make_executor

            run = self.cfg.run
            self._executor = make_executor(run.workers, run.dask)
        return self._executor

    def close(self) -> None:
        if self._executor is not None:
            self._executor.close()
            self._executor = None

    def raw(self, name: str) -> Any:
        """Researcher-written inputs (corpus/, codebooks/), read once per run."""
        if name not in self._raw:
            self._raw[name] = self.catalog.read_raw(name)
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
        params = dataclasses.asdict(self.cfg.params(stage.name))
        inputs = self.input_hashes(stage)
        blob = json.dumps({"stage": stage.name, "params": params, "inputs": inputs,
                           "code": code_hash(stage)}, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest(), params, inputs

    def is_fresh(self, stage: Stage, fingerprint: str) -> bool:
        for out in stage.outputs:
            prov = self.catalog.provenance(out)
            if not prov or prov.get("fingerprint") != fingerprint:
                return False
        return True

    def _load(self, name: str) -> Any:
        if name in RAW_INPUTS:
            return self.raw(name)
        if self.catalog.is_file_set(name):
            return self.catalog.load_files(name)
        return self.catalog.load(name)

    def run_stage(self, stage: Stage, force: bool = False) -> StageReport:
        fp, params, inputs = self.fingerprint(stage)
        if not force and self.is_fresh(stage, fp):
            rows = {o: _count(self.catalog.provenance(o)) for o in stage.outputs}
            return StageReport(stage.name, "up to date", rows=rows, fingerprint=fp,
                               warnings=self.outstanding(stage))
        missing = [i for i, h in inputs.items() if h is None]
        if missing:
            raise PipelineError(f"stage {stage.name} needs {', '.join(missing)}; run the "
                                f"earlier stages first (qda analyze)")
        args = [self._load(i) for i in stage.inputs]
        kwargs: dict[str, Any] = {"params": self.cfg.params(stage.name)}
        cache = (self.catalog.cache(stage.name, code_hash(stage), refresh=force)
                 if stage.cached else None)
        if cache is not None:
            kwargs["cache"] = cache
        if stage.parallel:
            kwargs["executor"] = self.executor
            self.executor.used = False
        start = time.perf_counter()
        try:
            tables, warnings = stage.load()(*args, **kwargs)
        finally:
            if self._executor is not None:  # a pool's workers end with their stage
                self._executor.release()
        where = self._executor.name if stage.parallel and self._executor.used else None
        if set(tables) != set(stage.outputs):
            raise PipelineError(f"stage {stage.name} returned {', '.join(sorted(tables))} but "
                                f"declares {', '.join(stage.outputs)} (pipeline/core/"
                                f"registry.py)")
        prov = {"stage": stage.name, "fingerprint": fp, "params": params, "inputs": inputs,
                "code": code_hash(stage), "versions": versions(), **self._models(stage),
                # Kept so that an up-to-date stage still reports what is outstanding.
                "warnings": [dataclasses.asdict(w) for w in warnings]}
        for name in stage.outputs:  # every output is computed before any is written
            if self.catalog.is_file_set(name):
                self.catalog.save_files(name, tables[name], prov)
            else:
                self.catalog.save(name, tables[name], prov)
        rows = {n: len(tables[n]) for n in stage.outputs}  # rows, or files of a file set
        return StageReport(stage.name, "ran", time.perf_counter() - start, rows,
                           cache.hits if cache else None, cache.misses if cache else None,
                           fp, list(warnings), where)

    def outstanding(self, stage: Stage) -> list[Problem]:
        """The warnings the stage's last run gave: they hold until its inputs change."""
        prov = self.catalog.provenance(stage.outputs[0]) or {}
        return [Problem(**w) for w in prov.get("warnings", []) if isinstance(w, dict)]

    def _models(self, stage: Stage) -> dict[str, str]:
        """The spaCy pipeline a stage ran, by name and version, for its provenance."""
        params = self.cfg.params(stage.name)
        out = {"nlp": resolve("pipeline.nlp.pipelines:describe_fast")(
            getattr(params, "lang", "en"))} if stage.nlp else {}
        if "embeddings" in (getattr(params, "features", ""), getattr(params, "method", "")):
            out["embeddings"] = resolve("pipeline.nlp.embeddings:describe")()
        return out

    def run(self, stages: Iterable[Stage] = STAGES, force: bool | Iterable[str] = False
            ) -> list[StageReport]:
        """Run `stages` in order (each only if out of date, or if named in `force`); when all
        succeed, merge their reports into run.json. A failure leaves run.json untouched.

        The whole run holds the outputs lock (a command holding it already goes on), so no
        other process writes tables between this run's stages."""
        stages = list(stages)
        forced = {s.name for s in stages} if force is True else set(force or ())
        with self.catalog.lock(echo=self.echo):
            started = _now()
            reports = []
            try:
                for stage in stages:
                    self.echo(f"{stage.name}: {stage.description} ...")
                    reports.append(self.run_stage(stage, stage.name in forced))
            finally:
                self.close()
            self.catalog.update_run_log(
                {"started": started, "finished": _now(), "versions": versions(),
                 "config": self.cfg.as_dict(), "order": [s.name for s in STAGES],
                 "last_run": [r.name for r in reports]},
                [dict(r.as_dict(), code=code_hash(s)) for r, s in zip(reports, stages)])
        return reports



def _count(provenance: dict | None) -> int:
    """Rows of a table, or files of a file set, from its provenance."""
    prov = provenance or {}
    return int(prov.get("rows", prov.get("files", 0)))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
