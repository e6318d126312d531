"""How far one edited transcript moves the emerging categories of the others.

A researcher who corrects one word in one transcript expects that interview's categories to
be able to change, and no other's. The representation (TF-IDF and LSA) is fitted on the whole
corpus, so every segment's vector moves a little and clustering decisions near a threshold
can flip anywhere. This measures it on the segments outside the edited transcript: the
adjusted Rand index of their site categories and of their cross-site categories before and
after (1.0 when the partition is the same, whatever the category ids), and the sites whose
partition changed at all.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

TABLE = "segment_categories.parquet"
COLUMNS = ["segment_id", "citation_id", "site", "category_id", "cross_category_id"]


def snapshot(outputs: Path) -> pd.DataFrame:
    """The category columns of an analysis' `segment_categories`."""
    return pd.read_parquet(outputs / TABLE, columns=COLUMNS)


def stability(before: pd.DataFrame, after: pd.DataFrame, changed: str) -> dict[str, Any]:
    """Agreement of the partitions outside the transcript `changed` (its citation id).
    Segments in only one of the tables (an edit can split or join segments) are left out;
    a segment in no category (left out of comparison) is its own group ''."""
    from sklearn.metrics import adjusted_rand_score

    both = before.merge(after, on="segment_id", suffixes=("_before", "_after"))
    others = both[both["citation_id_before"] != changed]
    out: dict[str, Any] = {"changed": changed, "segments": len(others)}
    for column, name in (("category_id", "site_categories_ari"),
                         ("cross_category_id", "cross_site_ari")):
        a = others[f"{column}_before"].fillna("").astype(str)
        b = others[f"{column}_after"].fillna("").astype(str)
        out[name] = round(float(adjusted_rand_score(a, b)), 4) if len(others) else None
    moved = []
    for site, g in others.groupby("site_before", sort=True):
        a = g["category_id_before"].fillna("").astype(str)
        b = g["category_id_after"].fillna("").astype(str)
        if adjusted_rand_score(a, b) < 1.0:
            moved.append(str(site))
    edited = set(before.loc[before["citation_id"] == changed, "site"].astype(str))
    out["other_sites"] = sorted(set(others["site_before"].astype(str)) - edited)
    out["other_sites_moved"] = [s for s in moved if s not in edited]
    out["categories_before"] = int(before["category_id"].nunique())
    out["categories_after"] = int(after["category_id"].nunique())
    return out


def describe(s: dict[str, Any]) -> str:
    """One line for the benchmark's report."""
    others = s["other_sites"]
    return (f"  categories outside the edited transcript ({s['segments']:,} segments): site "
            f"categories ARI {s['site_categories_ari']:.3f}, cross-site ARI "
            f"{s['cross_site_ari']:.3f}; {len(s['other_sites_moved'])} of {len(others)} other "
            f"sites' partitions moved; {s['categories_before']} -> {s['categories_after']} "
            f"site categories")
