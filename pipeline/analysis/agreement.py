"""Inter-coder agreement (`qda agreement`): every human-human pair, the automatic coder (the
pipeline's suggestions) against each human, and all human coders together when there are
three or more, on two kinds of unit:

- segment: a segment read by the coders compared; each coder applied code X to it or not;
- character: each character of participant speech in those segments; each coder's spans of
  code X cover it or not (characters are counted, not spans, so a long span weighs more).

A coder who did not read a unit is missing, never "did not apply the code": counting unread
text as agreement is what inflates peers' figures for rare codes."""
from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from pipeline.analysis.agreement_stats import MISSING, Decisions, summarise
from pipeline.stages.code import POOLED

AUTO = "auto"
COLUMNS = ["comparison", "unit", "code_id", "n_units", "n_segments", "percent", "kappa",
           "kappa_low", "kappa_high", "alpha", "alpha_low", "alpha_high", "note"]


def _name(coder: str) -> str:
    return coder if coder == AUTO else f"human:{coder}"


def comparisons(humans: list[str]) -> list[tuple[str, list[str]]]:
    """(name, coders) of every comparison; the automatic coder comes first in its pairs."""
    out = [(f"{_name(a)} vs {_name(b)}", [a, b]) for a, b in combinations(humans, 2)]
    out += [(f"{AUTO} vs {_name(h)}", [AUTO, h]) for h in humans]
    if len(humans) >= 3:
        out.append((f"all human coders ({len(humans)})", list(humans)))
    return out


def read_by(read: pd.DataFrame, humans: list[str], segment_ids: list[str]
            ) -> dict[str, set[str]]:
    """Segments each coder read; coverage.csv's team rows ('') count for every human, and the
    automatic coder reads every segment."""
    team = set(read.loc[read["coder"] == "", "segment_id"])
    out = {h: set(read.loc[read["coder"] == h, "segment_id"]) | team for h in humans}
    out[AUTO] = set(segment_ids)
    return out


def auto_pairs(codings: pd.DataFrame) -> pd.DataFrame:
    """(segment_id, code_id) the pipeline suggests: its automatic, not yet reviewed codes."""
    auto = codings[(codings["status"] == "suggested")
                   & codings["source"].astype(str).str.startswith("auto:")]
    return auto[["segment_id", "code_id"]].drop_duplicates()


def _universe(segments: pd.DataFrame, coders: list[str], read: dict[str, set[str]]
              ) -> pd.DataFrame:
    """Segments read by at least two of the coders, in corpus order, with a cluster index."""
    counts = sum(segments["segment_id"].isin(read[c]).astype(int) for c in coders)
    return segments[counts >= 2].reset_index(drop=True).assign(
        cluster=lambda t: np.arange(len(t)))


def segment_decisions(universe: pd.DataFrame, coders: list[str], read: dict[str, set[str]],
                      coded: dict[str, pd.DataFrame], codes: list[str]) -> Decisions:
    """One unit per segment: 1 if the coder gave it the code, 0 if they read it and did not."""
    values = np.full((len(universe), len(codes), len(coders)), MISSING, dtype=np.int8)
    position = dict(zip(universe["segment_id"], universe["cluster"]))
    column = {c: j for j, c in enumerate(codes)}
    for k, coder in enumerate(coders):
        values[universe["segment_id"].isin(read[coder]).to_numpy(), :, k] = 0
        for seg, code in zip(coded[coder]["segment_id"], coded[coder]["code_id"]):
            if seg in position and code in column and values[position[seg], 0, k] != MISSING:
                values[position[seg], column[code], k] = 1
    return Decisions(values, np.ones(len(universe), dtype=np.int64),
                     universe["cluster"].to_numpy())


def _clip(universe: pd.DataFrame, spans: pd.DataFrame, k: int) -> pd.DataFrame:
    """A coder's spans cut to the segments compared (speech outside them is not a unit)."""
    m = universe[["cluster", "citation_id", "start_char", "end_char"]].merge(
        spans[["citation_id", "start_char", "end_char", "code_id"]], on="citation_id",
        suffixes=("", "_span"))
    m = m.assign(s=np.maximum(m["start_char"], m["start_char_span"]),
                 e=np.minimum(m["end_char"], m["end_char_span"]), k=k)
    return m.loc[m["s"] < m["e"], ["cluster", "s", "e", "code_id", "k"]]


def _pieces(universe: pd.DataFrame, clipped: pd.DataFrame) -> pd.DataFrame:
    """Runs of characters within each segment over which no coder's coverage changes."""
    cuts = pd.concat([universe[["cluster", "start_char"]].set_axis(["cluster", "at"], axis=1),
                      universe[["cluster", "end_char"]].set_axis(["cluster", "at"], axis=1),
                      clipped[["cluster", "s"]].set_axis(["cluster", "at"], axis=1),
                      clipped[["cluster", "e"]].set_axis(["cluster", "at"], axis=1)])
    cuts = cuts.drop_duplicates().sort_values(["cluster", "at"])
    cuts["end"] = cuts.groupby("cluster")["at"].shift(-1)
    runs = cuts.dropna(subset=["end"]).astype({"end": "int64"})
    return runs.rename(columns={"at": "start"}).reset_index(drop=True)


def char_decisions(universe: pd.DataFrame, coders: list[str], read: dict[str, set[str]],
                   spans: dict[str, pd.DataFrame], codes: list[str]) -> Decisions:
    """One unit per run of characters (weighted by its length): covered by the coder's
    spans of the code, or read and not covered."""
    clipped = pd.concat([_clip(universe, spans[c], k) for k, c in enumerate(coders)])
    runs = _pieces(universe, clipped)
    values = np.full((len(runs), len(codes), len(coders)), MISSING, dtype=np.int8)
    seg_of_run = universe["segment_id"].to_numpy()[runs["cluster"].to_numpy()]
    for k, coder in enumerate(coders):
        values[np.isin(seg_of_run, list(read[coder])), :, k] = 0
    hits = runs.reset_index().merge(clipped, on="cluster")
    hits = hits[(hits["start"] >= hits["s"]) & (hits["end"] <= hits["e"])
                & hits["code_id"].isin(codes)]
    column = {c: j for j, c in enumerate(codes)}
    idx, col, k = (hits["index"].to_numpy(), hits["code_id"].map(column).to_numpy(int),
                   hits["k"].to_numpy(int))
    read_here = values[idx, col, k] != MISSING
    values[idx[read_here], col[read_here], k[read_here]] = 1
    return Decisions(values, (runs["end"] - runs["start"]).to_numpy(),
                     runs["cluster"].to_numpy(), weighted=True)


def _coded(human_segments: pd.DataFrame, human_codings: pd.DataFrame, codings: pd.DataFrame,
           segments: pd.DataFrame, humans: list[str]) -> tuple[dict, dict]:
    """Per coder, the (segment, code) pairs and the character spans of each code."""
    coded = {h: human_segments[(human_segments["coder"] == h) & (human_segments["code_id"] != "")]
             for h in humans}
    spans = {h: human_codings[(human_codings["coder"] == h) & (human_codings["code_id"] != "")]
             for h in humans}
    coded[AUTO] = auto_pairs(codings)
    # The automatic coder codes whole segments: its span is the segment.
    spans[AUTO] = coded[AUTO].merge(
        segments[["segment_id", "citation_id", "start_char", "end_char"]], on="segment_id")
    return coded, spans


def disagreements(dec: Decisions, universe: pd.DataFrame, coders: list[str],
                  codes: list[str]) -> pd.DataFrame:
    """(segment_id, code_id, applied_by, not_by) where the coders who read it differ."""
    v = dec.values
    read = v != MISSING
    split = (((v == 1) & read).any(-1)) & (((v == 0) & read).any(-1))
    rows = []
    for u, j in zip(*np.nonzero(split)):
        rows.append({"segment_id": universe["segment_id"].iat[u], "code_id": codes[j],
                     "applied_by": ", ".join(_name(c) for c, x in zip(coders, v[u, j]) if x == 1),
                     "not_by": ", ".join(_name(c) for c, x in zip(coders, v[u, j]) if x == 0)})
    return pd.DataFrame(rows, columns=["segment_id", "code_id", "applied_by", "not_by"])


def agreement_table(segments: pd.DataFrame, codes: list[str], read: pd.DataFrame,
                    human_segments: pd.DataFrame, human_codings: pd.DataFrame,
                    codings: pd.DataFrame, seed: int = 0
                    ) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """One row per comparison x unit kind x code (and pooled), and per comparison the
    segments on which its coders disagree."""
    humans = sorted((set(human_segments["coder"]) | set(read["coder"])) - {""})
    readers = read_by(read, humans, list(segments["segment_id"]))
    coded, spans = _coded(human_segments, human_codings, codings, segments, humans)
    rows, split = [], {}
    for name, coders in comparisons(humans):
        universe = _universe(segments, coders, readers)
        seg = segment_decisions(universe, coders, readers, coded, codes)
        split[name] = disagreements(seg, universe, coders, codes)
        for unit, dec in (("segment", seg),
                          ("character", char_decisions(universe, coders, readers, spans,
                                                       codes))):
            rows += [r | {"comparison": name, "unit": unit}
                     for r in summarise(dec, codes, POOLED, seed)]
    return pd.DataFrame(rows, columns=COLUMNS), split
