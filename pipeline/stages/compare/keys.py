"""Category keys that last: a key follows its category from one run to the next.

A new run computes its categories afresh, each with a key from its earliest incident. Where
the previous run's keys are known (``outputs/category_keys.parquet``), every earlier key goes
to the new category that holds most of its earlier segments, the largest overlaps first, one
key per category. An earlier key whose segments now sit mostly in a category that took
another key is *absorbed*: decisions naming it apply to that category, with a note. Keys of
categories with no earlier counterpart stay fresh (and never reuse a key still in play).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.stages.compare.algorithm import category_key

LEVELS = ("category_id", "cross_category_id")


@dataclass
class KeyChanges:
    """What following the earlier keys did, per level."""
    kept: dict[str, int] = field(default_factory=dict)       # level -> keys carried over
    absorbed: dict[str, str] = field(default_factory=dict)   # earlier key -> key now


def _best(overlap: pd.DataFrame) -> pd.DataFrame:
    """Per earlier key, the new category holding most of its segments (a tie goes to the
    larger new category, then to the first key)."""
    return (overlap.sort_values(["n", "size", "new"], ascending=[False, False, True])
            .drop_duplicates("old"))


def _assign(overlap: pd.DataFrame) -> dict[str, str]:
    """fresh key -> earlier key: each earlier key goes to the category holding most of its
    segments, largest overlaps first; one earlier key per category."""
    best = _best(overlap)
    best = best.sort_values(["n", "old"], ascending=[False, True])
    taken_new: set[str] = set()
    mapping: dict[str, str] = {}
    for old, new in zip(best["old"], best["new"]):
        if new not in taken_new:
            mapping[new] = old
            taken_new.add(new)
    return mapping


def _unique_fresh(key: str, used: set[str]) -> str:
    n = 2
    fresh = key
    while fresh in used:
        fresh = category_key(key.split("-")[0], f"{key}#{n}")
        n += 1
    return fresh


def follow(members: pd.DataFrame, history: pd.DataFrame | None) -> tuple[pd.DataFrame,
                                                                          KeyChanges]:
    """Rename fresh keys in `members` (segment_id, category_id, cross_category_id) to the
    earlier keys they continue. `history`: the previous run's keys per segment, or None."""
    changes = KeyChanges()
    if history is None or history.empty or members.empty:
        return members, changes
    out = members.copy()
    for col in LEVELS:
        joined = out[["segment_id", col]].merge(
            history[["segment_id", col]].dropna(), on="segment_id", suffixes=("", "_old"))
        overlap = (joined.groupby([f"{col}_old", col]).size().rename("n").reset_index()
                   .rename(columns={f"{col}_old": "old", col: "new"}))
        overlap["size"] = overlap["new"].map(out[col].value_counts())
        mapping = _assign(overlap)
        # A fresh key never takes an earlier key's name: decisions naming it mean another
        # category.
        used = set(mapping.values()) | set(history[col].dropna())
        renamed = {}
        for new in dict.fromkeys(out[col]):
            renamed[new] = mapping.get(new) or _unique_fresh(new, used)
            used.add(renamed[new])
        out[col] = out[col].map(renamed)
        changes.kept[col] = len(mapping)
        best_new = _best(overlap).set_index("old")["new"]
        for old, new in best_new.items():
            if old not in mapping.values():
                changes.absorbed[old] = renamed[new]
    return out, changes


def key_table(members: pd.DataFrame) -> pd.DataFrame:
    """The keys this run gave, per segment (before researcher decisions), for the next run."""
    return members[["segment_id", "site", *LEVELS]].sort_values("segment_id").reset_index(
        drop=True)
