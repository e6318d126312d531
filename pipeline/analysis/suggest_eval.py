"""How good are the machine's suggestions, on real studies coded by their own researchers?

For each dataset (the shipped demonstration corpus, and each real study in
``../shared/realdata/`` built as a project with every transcript declared coded in full), the
code stage runs once per feature set (TF-IDF, embeddings), and its own measurement is read
back: precision, recall and Cohen's kappa with bootstrap intervals over every segment the
researcher read, per code and rolled up to parent codes; the model's figures are
cross-validated by interview. Also: the share of suggestions on segments of four words or
fewer (the target is none) and the stage's time.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from pipeline.analysis.realdata import available, build_project
from pipeline.core.catalog import Catalog
from pipeline.core.config import load_config
from pipeline.core.registry import upstream
from pipeline.core.runner import Runner

FEATURES = ("tfidf", "embeddings")
COMPARISONS = ("auto:pattern", "auto:similarity", "auto:pattern+similarity",
               "auto:model (cross-validated)")
COLUMNS = ["dataset", "features", "comparison", "level", "read_segments", "n_reference",
           "n_predicted", "precision", "recall", "kappa", "kappa_low", "kappa_high",
           "suggestions", "short_share", "code_seconds"]


def measure(root: Path, dataset: str, features: str) -> list[dict]:
    """Run ingest..code on the project at `root` with these features; its measured rows."""
    cfg = load_config(None, [f"code.features={features}"])
    catalog = Catalog(root, cfg.paths)
    start = time.perf_counter()
    reports = Runner(catalog, cfg).run(upstream(["code"]))
    seconds = next(r.seconds for r in reports if r.name == "code")
    agreement = catalog.load("coding_agreement")
    pooled = agreement[(agreement["code_id"] == "(all codes)")
                       & agreement["comparison"].isin(COMPARISONS)]
    suggestions, segments = catalog.load("suggestions"), catalog.load("segments")
    words = segments.set_index("segment_id")["n_words"]
    short = float((suggestions["segment_id"].map(words) <= 4).mean()) if len(suggestions) \
        else 0.0
    read = catalog.load("read_segments")["segment_id"].nunique()
    base = {"dataset": dataset, "features": features, "read_segments": read,
            "suggestions": len(suggestions), "short_share": round(short, 4),
            "code_seconds": round(seconds or time.perf_counter() - start, 2)}
    return [dict(base, comparison=r.comparison, level=r.level, n_reference=r.n_reference,
                 n_predicted=r.n_predicted, precision=r.precision, recall=r.recall,
                 kappa=r.kappa, kappa_low=r.kappa_low, kappa_high=r.kappa_high)
            for r in pooled.itertuples()]


def _copy(project: Path, target: Path) -> Path:
    for folder in ("corpus", "codebooks"):
        shutil.copytree(project / folder, target / folder)
    return target


def evaluate(project: Path, shared: Path | None, features: tuple[str, ...] = FEATURES,
             progress: Callable[[str], None] = lambda s: None) -> pd.DataFrame:
    """Every dataset x feature set, in a temporary folder (real data never enters the
    project)."""
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="qda-suggest-") as tmp:
        sources = {"shipped (demonstration)": lambda t: _copy(project, t)}
        for name in available(shared) if shared else []:
            sources[name] = lambda t, name=name: _built(name, shared, t)
        for dataset, make in sources.items():
            root = make(Path(tmp) / dataset.split(" ")[0])
            for feat in features:
                progress(f"{dataset}: {feat}")
                rows += measure(root, dataset, feat)
    return pd.DataFrame(rows, columns=COLUMNS)


def _built(name: str, shared: Path, target: Path) -> Path:
    built = build_project(name, shared, target)
    # The researcher coded every transcript: all their segments count as read.
    lines = ["citation_id,coder"] + [f"{cid}," for cid in built.coded_transcripts]
    (target / "codebooks" / "coverage.csv").write_text("\n".join(lines) + "\n")
    return target


def markdown(table: pd.DataFrame) -> str:
    """The table as Markdown, one line per dataset, features, comparison and level."""
    lines = ["| dataset | features | suggestions from | level | read segments | precision | "
             "recall | κ [95%] | suggestions on ≤4-word segments |",
             "|---|---|---|---|---:|---:|---:|---|---:|"]

    def num(v: float) -> str:
        return "–" if pd.isna(v) else f"{v:.2f}"
    for r in table.itertuples():
        kappa = num(r.kappa) if pd.isna(r.kappa_low) else \
            f"{r.kappa:.2f} [{r.kappa_low:.2f}, {r.kappa_high:.2f}]"
        lines.append(f"| {r.dataset} | {r.features} | {r.comparison} | {r.level} | "
                     f"{r.read_segments:,} | {num(r.precision)} | {num(r.recall)} | {kappa} "
                     f"| {r.short_share:.0%} |")
    return "\n".join(lines) + "\n"
