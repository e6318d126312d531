"""code: apply the codebook to participant segments (deductive coding).

Three automatic sources, each row with a score and its evidence:
- ``auto:pattern``: keyword phrases and token patterns matched on lemmas;
- ``auto:similarity``: TF-IDF similarity to the code's definition, use-when text, examples and
  keywords, minus similarity to its do-not-use-when text;
- ``auto:model``: when human codings exist, a classifier trained on them proposes codes for the
  segments nobody coded.
Human codings (``human:<coder>``) are carried through unchanged and never overwritten.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.codebook.model import Codebook, build_codebook
from pipeline.core.errors import InputError, Problem, warning
from pipeline.core.inputs import CodebookInputs
from pipeline.nlp.pipelines import fast_nlp
from pipeline.stages.code.human import read_csv_codings, spans_to_segments
from pipeline.stages.code.keywords import match_segments
from pipeline.stages.code.model import cross_validated, propose, trainable
from pipeline.stages.code.params import CodeParams
from pipeline.stages.code.qdpx import read_qdpx_codings
from pipeline.stages.code.reliability import COLUMNS as AGREEMENT_COLUMNS
from pipeline.stages.code.reliability import agreement, indicator
from pipeline.stages.code.similarity import SimilarityCoder

CODING_COLUMNS = ["segment_id", "code_id", "source", "coder", "score", "evidence"]


def load_inputs(transcripts: pd.DataFrame, inputs: CodebookInputs
                ) -> tuple[Codebook, pd.DataFrame, list[Problem]]:
    """Codebook and human coding spans; raises InputError listing every error."""
    book, problems = build_codebook(list(inputs.codebook_files))
    texts = dict(zip(transcripts["citation_id"], transcripts["text"]))
    frames = []
    for src in inputs.coding_files:
        if src.path.lower().endswith(".csv"):
            spans, found = read_csv_codings(src, texts, set(book.ids))
        else:
            spans, found = read_qdpx_codings(src, texts, book)
        frames.append(spans)
        problems += found
    if any(p.is_error for p in problems):
        raise InputError(problems)
    if not inputs.codebook_files:
        problems.append(warning("codebooks", 0, "no codebook (*.yml) found; nothing is coded"))
    spans = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["citation_id", "start_char", "end_char", "code_id", "coder", "file", "line"])
    return book, spans, problems


def pattern_rows(matches: pd.DataFrame, min_terms: int) -> pd.DataFrame:
    """An exclusion keyword cancels one matched term; keep codes with enough terms left."""
    n_excl = matches["excluded_by"].str.count(";") + (matches["excluded_by"] != "")
    n_eff = matches["n_terms"] - n_excl
    keep = matches[n_eff >= min_terms].copy()
    n_eff = n_eff[n_eff >= min_terms]
    keep["score"] = (1 - 0.5 ** n_eff).round(4)
    keep["evidence"] = keep["terms"]
    keep["source"], keep["coder"] = "auto:pattern", "auto"
    return keep[CODING_COLUMNS]


def human_rows(human: pd.DataFrame) -> pd.DataFrame:
    human = human[human["code_id"] != ""]  # "reviewed, nothing applies" is not a coding
    out = human.assign(source="human:" + human["coder"], score=1.0, evidence="human coding")
    return out[CODING_COLUMNS]


def model_rows(segments: pd.DataFrame, X, labels: pd.DataFrame, params: CodeParams
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Proposals for uncoded segments, and cross-validated predictions for the coded ones."""
    codes = trainable(labels, params.model_min_examples)
    pos = {s: i for i, s in enumerate(segments["segment_id"])}
    rows_l = [pos[s] for s in labels.index]
    groups = segments["citation_id"].to_numpy()[rows_l]
    cv = cross_validated(X[rows_l], labels, groups, codes, params.model_folds, params.model_c,
                         params.seed, params.model_threshold)
    new = np.setdiff1d(np.arange(len(segments)), rows_l)
    probs = propose(X[rows_l], labels, X[new], codes, params.model_c, params.seed)
    i, j = np.nonzero(probs >= params.model_threshold)
    seg_ids = segments["segment_id"].to_numpy()
    proposed = pd.DataFrame({"segment_id": seg_ids[new[i]], "code_id": [codes[k] for k in j],
                             "source": "auto:model", "coder": "auto",
                             "score": probs[i, j].round(4),
                             "evidence": "trained on human codings"})
    return proposed[CODING_COLUMNS], cv


def evaluate(human: pd.DataFrame, auto: pd.DataFrame, cv: pd.DataFrame | None,
             book: Codebook) -> pd.DataFrame:
    """Agreement with the human codings (a segment's reference codes = any coder's), for each
    automatic source, their union, the cross-validated model, and coder pairs."""
    if human.empty:  # nothing to compare with: an empty table with every column
        return pd.DataFrame(columns=["comparison", *AGREEMENT_COLUMNS]).astype(
            {c: "int64" for c in AGREEMENT_COLUMNS if c.startswith("n_")}
            | {c: "float64" for c in ("precision", "recall", "f1", "kappa")})
    seg_ids = sorted(human["segment_id"].unique())
    codes = [c.id for c in book.codable]
    reference = indicator(human, seg_ids, codes)
    frames = []
    comparisons = {"auto:pattern": auto[auto["source"] == "auto:pattern"],
                   "auto:similarity": auto[auto["source"] == "auto:similarity"],
                   "auto:pattern+similarity": auto}
    for name, rows in comparisons.items():
        frames.append(agreement(reference, indicator(rows, seg_ids, codes))
                      .assign(comparison=name))
    if cv is not None and len(cv.columns):
        frames.append(agreement(reference[cv.columns], cv).assign(
            comparison="auto:model (cross-validated)"))
    frames += _coder_pairs(human, codes)
    out = pd.concat(frames, ignore_index=True)
    return out[["comparison"] + [c for c in out.columns if c != "comparison"]]


def _coder_pairs(human: pd.DataFrame, codes: list[str]) -> list[pd.DataFrame]:
    coders = sorted(human["coder"].unique())
    frames = []
    for a_i, a in enumerate(coders):
        for b in coders[a_i + 1:]:
            both = sorted(set(human.loc[human["coder"] == a, "segment_id"])
                          & set(human.loc[human["coder"] == b, "segment_id"]))
            if both:
                ref = indicator(human[human["coder"] == a], both, codes)
                frames.append(agreement(ref, indicator(human[human["coder"] == b], both, codes))
                              .assign(comparison=f"human:{a} vs human:{b}"))
    return frames


def codes_table(book: Codebook) -> pd.DataFrame:
    """The codebook as a table, so later stages read codes without re-parsing YAML."""
    rows = [{"code_id": c.id, "label": c.label, "parent_id": c.parent or "",
             "family": book[c.parent].label if c.parent in book else "",
             "definition": c.definition, "codable": c.codable, "source_path": c.path,
             "line": c.line} for c in book.codes]
    return pd.DataFrame(rows, columns=["code_id", "label", "parent_id", "family", "definition",
                                       "codable", "source_path", "line"])


def auto_codings(segments: pd.DataFrame, book: Codebook, sim: SimilarityCoder,
                 params: CodeParams) -> pd.DataFrame:
    """Keyword/pattern and similarity codings of every segment (auto:pattern, auto:similarity)."""
    nlp = fast_nlp(params.lang)
    auto = [pattern_rows(match_segments(segments, book, nlp), params.pattern_min_terms)]
    if sim.usable:
        scores = sim.scores(exclude_weight=params.exclude_weight)
        found = sim.codings(segments["segment_id"].to_numpy(), scores,
                            params.similarity_threshold, params.similarity_max_codes)
        auto.append(found.assign(source="auto:similarity", coder="auto")[CODING_COLUMNS])
    return pd.concat(auto, ignore_index=True)


def run(transcripts: pd.DataFrame, segments: pd.DataFrame, codebooks: CodebookInputs, *,
        params: CodeParams) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    book, spans, problems = load_inputs(transcripts, codebooks)
    human = spans_to_segments(spans, segments, params.span_min_overlap)
    sim = SimilarityCoder(book, fast_nlp(params.lang), params.min_df).fit(
        segments["lemmas"].tolist())
    auto_df = auto_codings(segments, book, sim, params)
    cv = None
    if not human.empty and sim.matrix_ is not None:
        labels = indicator(human, sorted(human["segment_id"].unique()),
                           [c.id for c in book.codable]).astype(int)
        proposed, cv = model_rows(segments, sim.matrix_, labels, params)
        auto_df = pd.concat([auto_df, proposed], ignore_index=True)
    codings = (pd.concat([human_rows(human), auto_df], ignore_index=True)
               .sort_values(["segment_id", "code_id", "source", "coder"])
               .reset_index(drop=True))
    info = segments.set_index("segment_id")[["citation_id", "site", "role"]]
    codings = codings.join(info, on="segment_id")
    return {"codes": codes_table(book), "codings": codings,
            "human_codings": spans.drop(columns=["file", "line"]).assign(
                source_file=spans["file"], source_line=spans["line"]),
            "human_segments": human,
            "coding_agreement": evaluate(human, auto_df[auto_df["source"] != "auto:model"], cv,
                                         book)}, [p for p in problems if not p.is_error]
