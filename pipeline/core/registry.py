"""The stages of the pipeline and what each reads and writes: the single source of truth."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pipeline.stages.cases import stage as cases
from pipeline.stages.code import stage as coding
from pipeline.stages.compare import stage as compare
from pipeline.stages.ingest import stage as ingest
from pipeline.stages.represent import stage as represent
from pipeline.stages.segment import stage as segment
from pipeline.stages.themes import stage as themes


@dataclass(frozen=True)
class Stage:
    name: str
    func: Callable[..., Any]
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    params: type
    cached: bool = False  # per-transcript results cached by content hash
    description: str = ""


STAGES: tuple[Stage, ...] = (
    Stage("ingest", ingest.run, ("corpus",),
          ("transcripts", "turns", "participants", "sites"), ingest.IngestParams, cached=True,
          description="parse and check transcripts, speakers and study metadata"),
    Stage("segment", segment.run, ("transcripts", "turns", "participants"), ("segments",),
          segment.SegmentParams, cached=True,
          description="split participant turns into sentence-window segments"),
    Stage("code", coding.run, ("transcripts", "segments", "codebooks"),
          ("codings", "human_codings", "coding_agreement"), coding.CodeParams,
          description="apply the codebook: keywords, similarity, human codings, model"),
    Stage("represent", represent.run, ("segments",), ("segment_vectors",),
          represent.RepresentParams, description="segment vectors (TF-IDF + LSA)"),
    Stage("compare", compare.run,
          ("transcripts", "segments", "segment_vectors", "codings", "decisions"),
          ("categories", "segment_categories", "saturation", "decision_log"),
          compare.CompareParams,
          description="constant comparison: categories within and across sites, saturation"),
    Stage("themes", themes.run,
          ("segments", "participants", "codings", "categories", "segment_categories",
           "codebooks"),
          ("themes", "segment_themes", "theme_matrix", "role_matrix", "cooccurrence"),
          themes.ThemeParams,
          description="themes from codes and categories; salience per site and role"),
    Stage("cases", cases.run,
          ("transcripts", "sites", "participants", "segments", "codings", "themes",
           "segment_themes", "theme_matrix"),
          ("case_blocks", "case_quotes", "quote_balance"), cases.CaseParams,
          description="case-summary skeletons per site and across sites, quote balance"),
)

# Inputs read from researcher-written folders rather than from earlier stages.
RAW_INPUTS = ("corpus", "codebooks", "decisions")

BY_NAME = {s.name: s for s in STAGES}


def upstream(name: str) -> list[Stage]:
    """The stage and every stage it depends on, in run order."""
    producers = {out: s for s in STAGES for out in s.outputs}
    needed, todo = set(), [BY_NAME[name]]
    while todo:
        stage = todo.pop()
        if stage.name not in needed:
            needed.add(stage.name)
            todo.extend(producers[i] for i in stage.inputs if i in producers)
    return [s for s in STAGES if s.name in needed]
