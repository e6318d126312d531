"""Saturation: how many new categories each interview opened, in the order interviews were
conducted, across all sites (cross-site categories) and within each site (site categories)."""
from __future__ import annotations

import pandas as pd

COLUMNS = ["scope", "order", "citation_id", "site", "interview_date", "new_categories",
           "cumulative_categories"]


def _curve(interviews: pd.DataFrame, first_seen: pd.Series, scope: str) -> pd.DataFrame:
    opened = first_seen.value_counts()
    out = interviews[["citation_id", "site", "interview_date"]].copy()
    out["new_categories"] = [int(opened.get(c, 0)) for c in out["citation_id"]]
    out["cumulative_categories"] = out["new_categories"].cumsum()
    out.insert(0, "order", range(1, len(out) + 1))
    out.insert(0, "scope", scope)
    return out


def saturation(interviews: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """`interviews` in conduct order (citation_id, site, interview_date); `members` with
    segment order, citation_id, site, category_id and cross_category_id."""
    ordered = members.sort_values("order")
    frames = [_curve(interviews, ordered.drop_duplicates("cross_category_id")
                     .set_index("cross_category_id")["citation_id"], "overall")]
    for site, site_interviews in interviews.groupby("site", sort=False):
        site_members = ordered[ordered["site"] == site].drop_duplicates("category_id")
        frames.append(_curve(site_interviews, site_members["citation_id"], site))
    return pd.concat(frames, ignore_index=True)[COLUMNS]


def describe_saturation(sat: pd.DataFrame, last: int = 10) -> list[str]:
    """Saturation in words, overall and per site."""
    lines = []
    for scope, curve in sat.groupby("scope", sort=False):
        if curve.empty:
            continue
        total = int(curve["cumulative_categories"].iloc[-1])
        k = min(last, len(curve)) if scope == "overall" else min(max(1, len(curve) // 3),
                                                                 len(curve))
        recent = int(curve["new_categories"].tail(k).sum())
        noun = "category" if recent == 1 else "categories"
        where = "Across all sites" if scope == "overall" else f"{scope}"
        last_k = "the last interview" if k == 1 else f"the last {k} interviews"
        count = f"{len(curve)} interview{'' if len(curve) == 1 else 's'}"
        lines.append(f"{where}: {last_k} opened {recent} new {noun} ({total} in all, "
                     f"{count}).")
    return lines
