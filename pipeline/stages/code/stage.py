"""code: apply the codebook to participant segments (deductive coding).

Confirmed codings: human codings (``human:<coder>``), never overwritten, and suggestions a
reviewer accepted (``review:<reviewer>``). Suggested codings, each with a score and evidence:
- ``auto:pattern``: keyword phrases and token patterns matched on lemmas;
- ``auto:similarity``: similarity (TF-IDF or embeddings) to the code's definition, use-when
  text, examples and keywords, minus similarity to its do-not-use-when text;
- ``auto:model``: per code, a calibrated classifier of what researchers decided on the segments
  they read, proposing only at a threshold that meets its cross-validated precision target.
No segment shorter than ``min_words`` gets a suggestion. The stage also measures the automatic
sources against the researchers on every segment they read, and ranks the undecided
suggestions for review.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.codebook.model import Codebook, build_codebook
from pipeline.core.cache import Cache, no_cache
from pipeline.core.errors import InputError, Problem, warning
from pipeline.core.inputs import CodebookInputs
from pipeline.core.parallel import SERIAL, Serial
from pipeline.nlp.pipelines import fast_nlp
from pipeline.stages.code.evidence import (
    accepted_rows,
    labels,
    read_coverage,
    read_reviews,
    read_segments,
)
from pipeline.stages.code.human import read_csv_codings, spans_to_segments
from pipeline.stages.code.keywords import match_segments
from pipeline.stages.code.measure import coder_pairs, evaluate
from pipeline.stages.code.model import MODEL_COLUMNS, ModelSettings, fit_codes, propose
from pipeline.stages.code.params import CodeParams
from pipeline.stages.code.qdpx import read_qdpx_codings
from pipeline.stages.code.similarity import SimilarityCoder
from pipeline.stages.code.suggest import suggestions

CODING_COLUMNS = ["segment_id", "code_id", "source", "coder", "score", "evidence"]


def load_inputs(transcripts: pd.DataFrame, inputs: CodebookInputs
                ) -> tuple[Codebook, pd.DataFrame, list[Problem]]:
    """Codebook and human coding spans; raises InputError listing every error."""
    book, problems = build_codebook(list(inputs.codebook_files))
    texts = dict(zip(transcripts["citation_id"], transcripts["text"]))
    dropped = {cid: None if d is None else [int(o) for o in d] for cid, d in zip(
        transcripts["citation_id"], transcripts["file_dropped"])} \
        if "file_dropped" in transcripts else {}
    frames = []
    for src in inputs.coding_files:
        if src.path.lower().endswith(".csv"):
            spans, found = read_csv_codings(src, texts, set(book.ids), dropped)
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
    spans, repeated = _once(spans)
    return book, spans, problems + repeated


SPAN_KEY = ["citation_id", "start_char", "end_char", "code_id", "coder"]


def _once(spans: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Each coding once: the same span, code and coder in a second file (our own .qdpx
    imported back, an export copied in) is counted once, and the file is told."""
    dup = spans.duplicated(SPAN_KEY, keep="first")
    problems = []
    for path, group in spans[dup].groupby("file", sort=True):
        first = spans[~dup].merge(group[SPAN_KEY], on=SPAN_KEY)["file"]
        problems.append(warning(str(path), int(group["line"].min()), (
            f"{len(group)} coding(s) repeat ones already in "
            f"{', '.join(sorted(set(first)))}; counted once")))
    return spans[~dup].reset_index(drop=True), problems


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


def settings(params: CodeParams) -> ModelSettings:
    return ModelSettings(params.model_c, params.seed, params.model_folds,
                         params.model_min_examples, params.model_precision)


def model_rows(segments: pd.DataFrame, X, labels: pd.DataFrame, params: CodeParams
               ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(proposals for the segments nobody read, per-code model table, out-of-fold predictions
    on the labelled segments, probabilities of every proposing code on the unread ones)."""
    s = settings(params)
    pos = {seg: i for i, seg in enumerate(segments["segment_id"])}
    rows_l = np.array([pos[seg] for seg in labels.index], dtype=int)
    groups = segments["citation_id"].to_numpy()[rows_l]
    models, oof, fitted = fit_codes(X[rows_l], labels, groups, s)
    eligible = segments["n_words"].to_numpy() >= params.min_words
    new = np.setdiff1d(np.flatnonzero(eligible), rows_l)
    probs = propose(fitted, X[new])
    seg_ids = segments["segment_id"].to_numpy()[new]
    long = (probs.assign(segment_id=seg_ids).melt("segment_id", var_name="code_id",
                                                  value_name="prob")
            if len(probs.columns) else _no_probs())
    long["prob"] = long["prob"].astype(float)
    threshold = models.set_index("code_id")["threshold"]
    hits = long[long["prob"] >= long["code_id"].map(threshold).astype(float)]
    proposed = pd.DataFrame({"segment_id": hits["segment_id"], "code_id": hits["code_id"],
                             "source": "auto:model", "coder": "auto",
                             "score": hits["prob"].round(4),
                             "evidence": "learned from researchers' decisions"})
    return proposed[CODING_COLUMNS], models, oof, long


def measurement(human: pd.DataFrame, read: pd.DataFrame, auto: pd.DataFrame,
                oof: pd.DataFrame | None, book: Codebook, params: CodeParams) -> pd.DataFrame:
    """Automatic coding against the human codings on every segment a researcher read (a
    false positive counts), by source, their union and the cross-validated model; and coders
    against each other."""
    read_ids = sorted(set(read["segment_id"]))
    reference = human[human["code_id"] != ""]
    predictions = {"auto:pattern": auto[auto["source"] == "auto:pattern"],
                   "auto:similarity": auto[auto["source"] == "auto:similarity"],
                   "auto:pattern+similarity": auto}
    if oof is not None:
        known = oof.stack().dropna()
        hits = known[known.astype(bool)].reset_index()
        hits.columns = ["segment_id", "code_id", "hit"]
        predictions["auto:model (cross-validated)"] = hits
    out = evaluate(reference, read_ids, predictions, book, params.seed)
    return pd.concat([out, coder_pairs(human, book, params.seed)], ignore_index=True)


def codes_table(book: Codebook) -> pd.DataFrame:
    """The codebook as a table, so later stages read codes without re-parsing YAML."""
    rows = [{"code_id": c.id, "label": c.label, "parent_id": c.parent or "",
             "family": book[c.parent].label if c.parent in book else "",
             "definition": c.definition, "codable": c.codable,
             "n_keywords": len(c.keywords) + len(c.patterns), "n_examples": len(c.examples),
             "source_path": c.path, "line": c.line} for c in book.codes]
    return pd.DataFrame(rows, columns=["code_id", "label", "parent_id", "family", "definition",
                                       "codable", "n_keywords", "n_examples", "source_path",
                                       "line"])


def auto_codings(segments: pd.DataFrame, book: Codebook, sim: SimilarityCoder,
                 params: CodeParams, cache: Cache = no_cache, executor: Serial = SERIAL
                 ) -> pd.DataFrame:
    """Keyword/pattern and similarity codings of every segment long enough to carry meaning
    (auto:pattern, auto:similarity)."""
    nlp = fast_nlp(params.lang)
    matches = match_segments(segments, book, nlp, cache=cache, executor=executor)
    auto = [pattern_rows(matches, params.pattern_min_terms)]
    if sim.usable:
        scores = sim.scores(exclude_weight=params.exclude_weight)
        threshold = (params.embedding_threshold if params.features == "embeddings"
                     else params.similarity_threshold)
        found = sim.codings(segments["segment_id"].to_numpy(), scores, threshold,
                            params.similarity_max_codes)
        auto.append(found.assign(source="auto:similarity", coder="auto")[CODING_COLUMNS])
    rows = pd.concat(auto, ignore_index=True)
    short = set(segments.loc[segments["n_words"] < params.min_words, "segment_id"])
    return rows[~rows["segment_id"].isin(short)].reset_index(drop=True)


def run(transcripts: pd.DataFrame, segments: pd.DataFrame, codebooks: CodebookInputs, *,
        params: CodeParams, cache: Cache = no_cache, executor: Serial = SERIAL
        ) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    book, spans, problems = load_inputs(transcripts, codebooks)
    coverage, found = read_coverage(codebooks.coverage, set(transcripts["citation_id"]))
    reviews, found_r = read_reviews(codebooks.review_files, segments, set(book.ids))
    problems += found + found_r
    if any(p.is_error for p in problems):
        raise InputError(problems)
    human = spans_to_segments(spans, segments, params.span_min_overlap)
    read = read_segments(human, coverage, segments)
    confirmed = pd.concat([human_rows(human), accepted_rows(reviews)], ignore_index=True)
    sim = SimilarityCoder(book, fast_nlp(params.lang), params.min_df, params.features).fit(
        segments["lemmas"].tolist(), segments["text"].tolist())
    auto = auto_codings(segments, book, sim, params, cache, executor) if params.suggest else \
        pd.DataFrame(columns=CODING_COLUMNS)
    codes = [c.id for c in book.codable]
    models, oof, probs = pd.DataFrame(columns=MODEL_COLUMNS), None, _no_probs()
    if params.suggest and len(read) and sim.matrix_ is not None and codes:
        train = labels(read, confirmed, reviews, codes)
        proposed, models, oof, probs = model_rows(segments, sim.matrix_, train, params)
        auto = pd.concat([auto, proposed], ignore_index=True)
    measured = measurement(human, read, auto[auto["source"] != "auto:model"], oof, book,
                           params)
    codings = _codings(confirmed, auto, segments)
    return {"codes": codes_table(book), "codings": codings,
            "human_codings": spans.drop(columns=["file", "line"]).assign(
                source_file=spans["file"], source_line=spans["line"]),
            "human_segments": human, "read_segments": read, "coding_agreement": measured,
            "model_codes": models,
            "suggestions": suggestions(auto, confirmed, reviews, segments,
                                       _reliability(measured), probs,
                                       models.set_index("code_id")["threshold"].to_dict())
            }, [p for p in problems if not p.is_error] + _keyword_note(book)


def _no_probs() -> pd.DataFrame:
    return pd.DataFrame(columns=["segment_id", "code_id", "prob"])


def _codings(confirmed: pd.DataFrame, auto: pd.DataFrame, segments: pd.DataFrame
             ) -> pd.DataFrame:
    """Every coding with its status: confirmed (researchers) or suggested (machine)."""
    rows = pd.concat([confirmed.assign(status="confirmed"), auto.assign(status="suggested")],
                     ignore_index=True)
    rows = rows.sort_values(["segment_id", "code_id", "source", "coder"]).reset_index(drop=True)
    info = segments.set_index("segment_id")[["citation_id", "site", "role"]]
    return rows.join(info, on="segment_id")


def _reliability(measured: pd.DataFrame) -> dict[str, tuple[float, float, float]]:
    """Per code: kappa of its keyword+similarity suggestions on the segments researchers
    read (what a reviewer should weigh a suggestion by), with its 95% bootstrap interval."""
    rows = measured[(measured["comparison"] == "auto:pattern+similarity")
                    & (measured["level"] == "code")]
    return {c: (k, lo, hi) for c, k, lo, hi in zip(
        rows["code_id"], rows["kappa"], rows["kappa_low"], rows["kappa_high"])}


def _keyword_note(book: Codebook) -> list[Problem]:
    bare = [c.id for c in book.codable if not c.keywords and not c.patterns]
    if not bare or not book.codable:
        return []
    return [warning(book.files[0] if book.files else "codebooks", 0,
                    f"{len(bare)} of {len(book.codable)} codes have no keywords or patterns, "
                    f"so keywords cannot suggest them (e.g. {', '.join(bare[:3])})")]
