"""Suggestions to review: machine codings nobody has confirmed or rejected yet, ranked so that
each decision teaches the model most.

Ranking: codes with the fewest confirmed examples come first; within a code, suggestions the
model is least sure of (probability nearest the code's threshold; a code without a model is
unsure of all) come first, taking the sites in turn; the codes then take turns. So a review
round of any length covers codes and sites instead of piling up on one.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.codebook.review import suggestion_id

SUGGESTION_COLUMNS = ["suggestion_id", "priority", "segment_id", "code_id", "sources", "score",
                      "evidence", "reliability", "reliability_low", "reliability_high",
                      "uncertainty", "citation_id", "site", "role", "locator", "n_words"]


def _grouped(auto: pd.DataFrame) -> pd.DataFrame:
    """One row per (segment, code): its sources, best score, and distinct evidence terms."""
    keys = ["segment_id", "code_id"]
    if auto.empty:
        return pd.DataFrame(columns=[*keys, "sources", "score", "evidence"])
    rows = auto.sort_values([*keys, "source"]).drop_duplicates([*keys, "source"])
    out = rows.groupby(keys, sort=True)["score"].max().reset_index()
    # The string columns are joined in one pass over the sorted rows: a Python function
    # per group through pandas took seconds.
    sources, evidence = joined(list(zip(rows["segment_id"].tolist(), rows["code_id"].tolist())),
                               rows["source"].tolist(), rows["evidence"].tolist())
    out.insert(2, "sources", sources)
    out["evidence"] = evidence
    return out


def joined(keys: list, sources: list[str], evidence: list[str]
           ) -> tuple[list[str], list[str]]:
    """Per run of equal keys (rows sorted by key): its sources joined with '; ', and its
    evidence terms joined, each once, in order of first mention."""
    out_sources: list[str] = []
    out_evidence: list[str] = []
    start = 0
    for end in range(1, len(keys) + 1):
        if end < len(keys) and keys[end] == keys[start]:
            continue
        out_sources.append("; ".join(sources[start:end]))
        e = "; ".join(x for x in evidence[start:end] if x)
        if end - start > 1:   # terms repeat only where several sources agree
            e = "; ".join(dict.fromkeys(term for term in e.split("; ") if term))
        out_evidence.append(e)
        start = end
    return out_sources, out_evidence


def _uncertainty(table: pd.DataFrame, probs: pd.DataFrame, thresholds: dict[str, float]
                 ) -> np.ndarray:
    """1 = the model cannot tell (or there is no model for the code), 0 = it is sure."""
    merged = table.merge(probs, on=["segment_id", "code_id"], how="left")
    t = merged["code_id"].map(thresholds).astype(float)
    spread = np.maximum(t, 1 - t)
    u = 1 - (merged["prob"] - t).abs() / spread
    return u.fillna(1.0).clip(0, 1).round(4).to_numpy()


def suggestions(auto: pd.DataFrame, confirmed: pd.DataFrame, reviews: pd.DataFrame,
                segments: pd.DataFrame, reliability: dict[str, tuple[float, float, float]],
                probs: pd.DataFrame,
                thresholds: dict[str, float]) -> pd.DataFrame:
    """One row per (segment, code) suggested and not yet decided, in review order.
    `reliability`: per code, kappa of its automatic coding and the 95% interval of it."""
    table = _grouped(auto)
    decided = set(zip(confirmed["segment_id"], confirmed["code_id"])) | set(
        zip(reviews["segment_id"], reviews["code_id"]))
    keep = pd.Series([(s, c) not in decided for s, c in zip(table["segment_id"],
                                                           table["code_id"])],
                     index=table.index, dtype=bool)
    table = table[keep].reset_index(drop=True)
    info = segments.set_index("segment_id")[["citation_id", "site", "role", "locator",
                                             "n_words"]]
    table = table.join(info, on="segment_id")
    table["suggestion_id"] = [suggestion_id(s, c) for s, c in zip(table["segment_id"],
                                                                  table["code_id"])]
    nan = (float("nan"),) * 3
    for i, col in enumerate(("reliability", "reliability_low", "reliability_high")):
        table[col] = [reliability.get(c, nan)[i] for c in table["code_id"]]
        table[col] = table[col].astype(float)
    table["uncertainty"] = _uncertainty(table, probs, thresholds) if len(table) else []
    table["priority"] = _priority(table, confirmed)
    return table.sort_values("priority").reset_index(drop=True)[SUGGESTION_COLUMNS]


def _priority(table: pd.DataFrame, confirmed: pd.DataFrame) -> np.ndarray:
    if table.empty:
        return np.zeros(0, dtype=int)
    examples = confirmed.groupby("code_id").size()
    t = table.assign(examples=table["code_id"].map(examples).fillna(0))
    t = t.sort_values(["uncertainty", "score", "segment_id"], ascending=[False, False, True])
    t["in_site"] = t.groupby(["code_id", "site"]).cumcount()
    t = t.sort_values(["code_id", "in_site", "uncertainty", "site"],
                      ascending=[True, True, False, True])
    t["in_code"] = t.groupby("code_id").cumcount()
    order = t.sort_values(["in_code", "examples", "code_id"]).index
    priority = pd.Series(np.arange(1, len(t) + 1), index=order)
    return priority.reindex(table.index).to_numpy()
