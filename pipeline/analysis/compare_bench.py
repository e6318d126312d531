"""Category recovery on the project and on real studies coded by their own researchers.

For each dataset (the project itself, and each study in ``../shared/realdata/`` built as a
project in a temporary folder), `compare_eval.evaluate` measures the emerging categories of
each representation against the researcher's themes, at code and at parent level, beside
KMeans and Ward at equal k, the BERTopic-style baseline and (given its environment)
BERTopic's default, all on the same compared segments. Real data never enters the project.
"""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from pipeline.analysis.compare_eval import evaluate, references
from pipeline.analysis.realdata import available, build_project
from pipeline.analysis.topic_baseline import available as baseline_available
from pipeline.core.catalog import Catalog
from pipeline.core.config import Config, load_config
from pipeline.core.registry import upstream
from pipeline.core.runner import Runner


def measure(catalog: Catalog, cfg: Config, methods: tuple[str, ...], bertopic: bool,
            peer_python: str | None = None) -> dict:
    """The evaluation of the analysed project behind `catalog`."""
    refs = references(catalog.load("human_segments"), catalog.load("codes"))
    return evaluate(catalog.load("transcripts"), catalog.load("segments"), refs,
                    cfg.params("represent"), cfg.params("compare"), methods,
                    bertopic and baseline_available(), peer_python=peer_python)


def evaluate_datasets(catalog: Catalog, cfg: Config, shared: Path | None,
                      methods: tuple[str, ...] = ("lsa", "embeddings"), bertopic: bool = True,
                      progress: Callable[[str], None] = lambda s: None,
                      peer_python: str | None = None) -> dict[str, dict]:
    """The project (analysed already) and every real study found under `shared`; with
    `peer_python` (BERTopic's environment), BERTopic's default too."""
    progress("project")
    results = {"project": measure(catalog, cfg, methods, bertopic, peer_python)}
    with tempfile.TemporaryDirectory(prefix="qda-compare-") as tmp:
        for name in available(shared) if shared else []:
            progress(name)
            root = Path(tmp) / name
            build_project(name, shared, root)
            real_cfg = load_config(None, [])
            real = Catalog(root, real_cfg.paths)
            Runner(real, real_cfg).run(upstream(["code"]))
            results[name] = measure(real, real_cfg, methods, bertopic, peer_python)
    return results


def markdown(results: dict[str, dict]) -> str:
    """One table: dataset, reference level, method, clusters, ARI, NMI."""
    lines = ["| dataset | reference | clustering | clusters | ARI | NMI |",
             "|---|---|---|---:|---:|---:|"]
    for dataset, result in results.items():
        for level, methods in result["recovery"].items():
            ref = result["reference"][level]
            where = f"{level} ({ref['themes']} themes, {ref['segments']} segments)"
            for name, r in methods.items():
                lines.append(f"| {dataset} | {where} | {name} | {r['n_clusters']} | "
                             f"{r['ari']:.3f} | {r['nmi']:.3f} |")
    lines.append("")
    for dataset, result in results.items():
        timing = ", ".join(f"{k} {v:.1f} s" for k, v in result.get("seconds", {}).items())
        keys = result["key_retention"]["last interview added"]
        lines.append(f"- {dataset}: {timing}; cross-site keys kept when the last interview "
                     f"is added: {keys['cross_keys_kept_following']:.0%} following earlier "
                     f"keys ({keys['cross_keys_kept_fresh']:.0%} afresh).")
    return "\n".join(lines) + "\n"
