"""The stages of the pipeline, what each reads and writes, and the code it runs: the single
source of truth for the runner, the command line, `qda status` and the Makefile.

Stage functions and parameter classes are named by dotted path and imported only when needed,
so listing the stages (``qda -h``) or checking what is up to date loads no NLP library.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from pipeline.core.inputs import RAW_INPUTS


def resolve(ref: str) -> Any:
    """'package.module:name' -> the object."""
    module, _, name = ref.partition(":")
    return getattr(import_module(module), name)


@dataclass(frozen=True)
class Stage:
    name: str
    func: str                 # "module:function"; called as func(*inputs, params=..., [cache=])
    params: str               # "module:Class"; its config section is the stage's name
    inputs: tuple[str, ...]   # tables, file sets or raw inputs (corpus, codebooks, decisions)
    outputs: tuple[str, ...]  # tables (parquet) or file sets (see schemas.FILE_SETS)
    code: tuple[str, ...]     # modules whose source fingerprints the stage
    cached: bool = False      # per-transcript results cached by content hash
    parallel: bool = False    # has per-transcript work that may run elsewhere ([run])
    render: bool = False      # writes documents or figures rather than tables
    nlp: bool = False         # runs the fast spaCy pipeline (its name goes into provenance)
    description: str = ""

    def load(self) -> Callable[..., Any]:
        return resolve(self.func)

    def params_class(self) -> type:
        return resolve(self.params)


# Member-check rounds and interpretations, as the stages that apply them read them.
_MEMBER = ("pipeline.member", "pipeline.core.yamlio", "pipeline.core.sheets",
           "pipeline.core.archives")
_FORMATS = ("pipeline.formats.reader", "pipeline.formats.text", "pipeline.formats.turns",
            "pipeline.formats.captions", "pipeline.formats.docx", "pipeline.core.archives")

STAGES: tuple[Stage, ...] = (
    Stage("ingest", "pipeline.stages.ingest:run", "pipeline.stages.ingest:IngestParams",
          ("corpus",), ("transcripts", "turns", "participants", "sites"),
          ("pipeline.stages.ingest", "pipeline.study", "pipeline.core.csvio", *_FORMATS),
          cached=True, parallel=True,
          description="parse and check transcripts, speakers and study metadata"),
    Stage("segment", "pipeline.stages.segment:run", "pipeline.stages.segment:SegmentParams",
          ("transcripts", "turns", "participants"), ("segments",),
          ("pipeline.stages.segment", "pipeline.nlp.pipelines"), cached=True, nlp=True,
          parallel=True,
          description="split participant turns into sentence-window segments"),
    Stage("code", "pipeline.stages.code:run", "pipeline.stages.code:CodeParams",
          ("transcripts", "segments", "codebooks"),
          ("codes", "codings", "human_codings", "human_segments", "read_segments",
           "coding_agreement", "model_codes", "suggestions"),
          ("pipeline.stages.code", "pipeline.codebook", "pipeline.nlp.pipelines",
           "pipeline.nlp.tfidf", "pipeline.nlp.counts", "pipeline.nlp.embeddings",
           "pipeline.formats.refi",
           "pipeline.formats.text", "pipeline.core.yamlio", "pipeline.core.csvio",
           "pipeline.core.archives"), cached=True, nlp=True, parallel=True,
          description="apply the codebook: keywords, similarity, human codings, model"),
    Stage("represent", "pipeline.stages.represent:run",
          "pipeline.stages.represent:RepresentParams", ("segments",), ("segment_vectors",),
          ("pipeline.stages.represent", "pipeline.nlp.tfidf", "pipeline.nlp.counts",
           "pipeline.nlp.vectors", "pipeline.nlp.embeddings"),
          description="segment vectors (TF-IDF + LSA, or sentence embeddings)"),
    Stage("compare", "pipeline.stages.compare:run", "pipeline.stages.compare:CompareParams",
          ("transcripts", "segments", "segment_vectors", "codings", "participants",
           "decisions", "key_history", "member_checks"),
          ("categories", "segment_categories", "saturation", "decision_log", "category_keys"),
          ("pipeline.stages.compare", "pipeline.nlp.pipelines", "pipeline.nlp.vectors",
           "pipeline.nlp.counts", *_MEMBER), cached=True, nlp=True,
          description="constant comparison: categories within and across sites, saturation"),
    Stage("themes", "pipeline.stages.themes:run", "pipeline.stages.themes:ThemeParams",
          ("segments", "participants", "codes", "codings", "categories", "segment_categories"),
          ("themes", "segment_themes", "theme_matrix", "role_matrix", "cooccurrence"),
          ("pipeline.stages.themes",),
          description="themes from codes and categories; salience per site and role"),
    Stage("cases", "pipeline.stages.cases:run", "pipeline.stages.cases:CaseParams",
          ("transcripts", "sites", "participants", "segments", "codings", "themes",
           "segment_themes", "theme_matrix", "human_codings", "suggestions", "codes",
           "read_segments", "categories", "segment_categories", "interpretations",
           "member_checks"),
          ("case_blocks", "case_quotes", "quote_balance", "case_themes", "case_blocks_pre"),
          ("pipeline.stages.cases", "pipeline.core.blocks", "pipeline.core.order", *_MEMBER),
          description="case summaries per site and across sites, quote balance"),
    Stage("packets", "pipeline.stages.packets:run", "pipeline.stages.packets:PacketParams",
          ("case_themes", "case_quotes", "segment_themes", "themes", "categories",
           "participants", "transcripts", "sites", "redaction", "member_checks"),
          ("packet_items", "packet_blocks"),
          ("pipeline.stages.packets", "pipeline.privacy", "pipeline.core.csvio",
           "pipeline.core.blocks", "pipeline.formats.turns", "pipeline.nlp.pipelines",
           "pipeline.study.names", *_MEMBER),
          description="member-check packets per site: confirmed findings, redacted"),
    Stage("checks", "pipeline.stages.checks:run", "pipeline.stages.checks:CheckParams",
          ("member_checks",), ("member_check_audit", "member_check_report"),
          ("pipeline.stages.checks", *_MEMBER),
          description="what member checking changed: audit, report, criticality drift"),
    Stage("figures", "pipeline.render.figures:run", "pipeline.render.params:FigureParams",
          ("saturation", "theme_matrix", "themes", "sites", "corpus", "codings"), ("figures",),
          ("pipeline.render.figures", "pipeline.render.params", "pipeline.study",
           "pipeline.core.csvio", "pipeline.core.order"),
          render=True,
          description="site x theme heatmap and saturation curve (PNG, SVG)"),
    Stage("documents", "pipeline.render.documents:run",
          "pipeline.render.params:DocumentParams",
          ("case_blocks", "case_blocks_pre", "figures", "corpus", "codings"),
          ("case_documents",), ("pipeline.render.documents", "pipeline.render.params",
                                "pipeline.study",
                                "pipeline.core.csvio", "pipeline.core.blocks"),
          render=True, description="case summaries as Markdown and DOCX"),
    Stage("packet_documents", "pipeline.render.packets:run",
          "pipeline.render.params:DocumentParams",
          ("packet_blocks", "packet_items", "corpus", "codings"),
          ("packet_documents",), ("pipeline.render.packets", "pipeline.render.documents",
                                  "pipeline.render.params", "pipeline.render.templates",
                                  "pipeline.study",
                                  "pipeline.core.csvio", "pipeline.core.blocks", *_MEMBER),
          render=True, description="member-check packets (Markdown, DOCX, HTML) and sheets"),
    Stage("report", "pipeline.render.report:run", "pipeline.render.params:ReportParams",
          ("corpus", "transcripts", "sites", "participants", "turns", "segments", "codes",
           "codings", "read_segments", "suggestions", "categories", "decision_log",
           "saturation", "themes", "segment_themes", "theme_matrix", "role_matrix",
           "case_blocks", "case_quotes", "figures", "member_checks"),
          ("report",), ("pipeline.render.report", "pipeline.render.report_links",
                        "pipeline.render.report_model", "pipeline.render.report_pages",
                        "pipeline.render.report_review", "pipeline.render.params",
                        "pipeline.render.templates.report", "pipeline.study",
                        "pipeline.core.csvio", "pipeline.core.blocks", *_MEMBER),
          render=True, description="the browsable HTML report: pages linked to the passages"),
)

BY_NAME = {s.name: s for s in STAGES}
PRODUCER = {out: s for s in STAGES for out in s.outputs}
# Every table and file set the stages write, in pipeline order.
OUTPUTS = tuple(PRODUCER)


def upstream(names: Iterable[str]) -> list[Stage]:
    """The stages and every stage they depend on, in run order."""
    needed, todo = set(), [BY_NAME[n] for n in names]
    while todo:
        stage = todo.pop()
        if stage.name not in needed:
            needed.add(stage.name)
            todo.extend(PRODUCER[i] for i in stage.inputs if i in PRODUCER)
    return [s for s in STAGES if s.name in needed]


def with_renders(stages: Iterable[Stage]) -> list[Stage]:
    """`stages` plus every render stage whose inputs they (or raw inputs) provide: running
    `qda cases` also writes the case documents."""
    chosen = list(stages)
    produced = {o for s in chosen for o in s.outputs} | set(RAW_INPUTS)
    for stage in STAGES:
        if stage.render and stage not in chosen and set(stage.inputs) <= produced:
            chosen.append(stage)
            produced |= set(stage.outputs)
    return [s for s in STAGES if s in chosen]


def check_registry() -> list[str]:
    """Wiring mistakes: unknown inputs, outputs made twice, inputs produced later."""
    problems, seen = [], set(RAW_INPUTS)
    for stage in STAGES:
        problems += [f"{stage.name}: input {i} is not produced before it" for i in stage.inputs
                     if i not in seen]
        problems += [f"{stage.name}: output {o} is produced twice" for o in stage.outputs
                     if o in seen]
        seen |= set(stage.outputs)
    return problems
