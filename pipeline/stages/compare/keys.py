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

import numpy as np
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
    """fresh key -> earlier key, one earlier key per category, largest overlaps first. An
    earlier key goes to the category holding most of its segments; when another key took
    that one, it may go to a category made mostly of its segments instead (a split)."""
    best = set(zip(*_best(overlap)[["old", "new"]].T.values))
    share = overlap["n"] / overlap.groupby("new")["n"].transform("sum")
    pairs = overlap.assign(share=share, best=[(o, n) in best for o, n in
                                              zip(overlap["old"], overlap["new"])])
    pairs = pairs[pairs["best"] | (pairs["share"] > 0.5)]
    pairs = pairs.sort_values(["best", "n", "size", "old", "new"],
                              ascending=[False, False, False, True, True])
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for old, new in zip(pairs["old"], pairs["new"]):
        if new not in mapping and old not in taken:
            mapping[new] = old
            taken.add(old)
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


def earlier_cross(segment_ids: list[list[str]], history: pd.DataFrame | None
                  ) -> list[str | None]:
    """Per site category (its segments): the cross-site key most of its segments had in the
    previous run, or None."""
    if history is None or history.empty:
        return [None] * len(segment_ids)
    before = dict(zip(history["segment_id"], history["cross_category_id"]))
    out = []
    for ids in segment_ids:
        keys = pd.Series([before[i] for i in ids if i in before], dtype=object)
        out.append(keys.value_counts().sort_index().idxmax() if len(keys) else None)
    return out


def keep_apart(groups: np.ndarray, earlier: list[str | None], sizes: list[int]
               ) -> np.ndarray:
    """Cross-site groups that would join site categories of different earlier cross-site
    categories are split back along those categories: merging categories the team has seen
    is the team's decision (`merge:` in decisions.yml), not a side effect of a new interview.
    Site categories new to this run join the largest earlier category of their group."""
    out = np.empty(len(groups), dtype=object)
    for g in dict.fromkeys(groups.tolist()):
        idx = np.flatnonzero(groups == g)
        weight: dict[str, int] = {}
        for i in idx:
            if earlier[i] is not None:
                weight[earlier[i]] = weight.get(earlier[i], 0) + sizes[i]
        main = max(sorted(weight), key=lambda k: weight[k]) if weight else None
        for i in idx:
            out[i] = f"{g}:{earlier[i] if earlier[i] is not None else main}"
    return pd.factorize(out)[0]   # numbered by first appearance, as `integrate` numbers them


def key_table(members: pd.DataFrame) -> pd.DataFrame:
    """The keys this run gave, per segment (before researcher decisions), for the next run."""
    return members[["segment_id", "site", *LEVELS]].sort_values("segment_id").reset_index(
        drop=True)
