"""themes: integrate codebook codes and accepted emerging categories into themes, and count
who voiced them where.

Salience is the share of a site's participants who voiced a theme (not the number of
segments, which long talkers inflate); segment counts stand beside it.
"""
from __future__ import annotations

import pandas as pd

from pipeline.core.errors import Problem
from pipeline.stages.themes.params import ThemeParams

THEME_COLUMNS = ["theme_id", "label", "kind", "description", "family", "source_id"]


def code_themes(codes: pd.DataFrame) -> pd.DataFrame:
    """One theme per codable code of the `codes` table, in codebook order."""
    codable = codes[codes["codable"].astype(bool)]
    return pd.DataFrame({"theme_id": "code:" + codable["code_id"], "label": codable["label"],
                         "kind": "code", "description": codable["definition"],
                         "family": codable["family"], "source_id": codable["code_id"]},
                        columns=THEME_COLUMNS).reset_index(drop=True)


def category_themes(categories: pd.DataFrame, statuses: tuple[str, ...]) -> pd.DataFrame:
    cross = categories[(categories["level"] == "cross-site")
                       & categories["status"].isin(statuses)]
    rows = []
    for c in cross.itertuples(index=False):
        terms = ", ".join(list(c.top_terms)[:5])
        text = f"Emerging category ({terms}); first voiced in {c.first_locator}."
        if isinstance(c.decision_memo, str) and c.decision_memo:
            text += f" Team memo: {c.decision_memo}"
        if isinstance(c.promoted_code, str) and c.promoted_code:
            text += f" Promoted to code {c.promoted_code}."
        rows.append({"theme_id": f"category:{c.category_id}", "label": c.label,
                     "kind": "category", "description": text,
                     "family": "emerging categories", "source_id": c.category_id})
    return pd.DataFrame(rows, columns=THEME_COLUMNS)


def segment_themes(codings: pd.DataFrame, segment_categories: pd.DataFrame,
                   themes: pd.DataFrame, sources: tuple[str, ...]) -> pd.DataFrame:
    """(segment, theme) pairs: codes from the chosen sources, categories by membership."""
    source_ok = codings["source"].apply(
        lambda s: s in sources or ("human" in sources and s.startswith("human:")))
    coded = codings[source_ok].assign(theme_id="code:" + codings["code_id"])
    coded = (coded.groupby(["segment_id", "theme_id"])["source"]
             .agg(lambda s: "; ".join(sorted(set(s)))).reset_index()
             if len(coded) else pd.DataFrame(columns=["segment_id", "theme_id", "source"]))
    cats = segment_categories.assign(theme_id="category:" + segment_categories[
        "cross_category_id"], source="compare")[["segment_id", "theme_id", "source"]]
    pairs = pd.concat([coded, cats], ignore_index=True)
    pairs = pairs[pairs["theme_id"].isin(set(themes["theme_id"]))]
    return pairs.sort_values(["segment_id", "theme_id"]).reset_index(drop=True)


def _matrix(pairs: pd.DataFrame, by: str, totals: pd.Series) -> pd.DataFrame:
    """Counts per (by, theme): segments, participants, share of participants, roles."""
    columns = [by, "theme_id", "n_segments", "n_participants", "share_participants", "roles"]
    if pairs.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c.startswith("n_") else
                                          "float64" if c.startswith("share") else object)
                             for c in columns})
    grouped = pairs.groupby([by, "theme_id"])
    out = grouped.agg(n_segments=("segment_id", "nunique"),
                      n_participants=("participant_id", "nunique"),
                      roles=("role", lambda r: sorted(set(r)))).reset_index()
    out["share_participants"] = (out["n_participants"] / out[by].map(totals)).round(4)
    return out[columns]


def cooccurrence(pairs: pd.DataFrame) -> pd.DataFrame:
    """Code pairs coded on the same segment: counts and Jaccard overlap."""
    codes = pairs[pairs["theme_id"].astype(str).str.startswith("code:")][["segment_id",
                                                                          "theme_id"]]
    joined = codes.merge(codes, on="segment_id", suffixes=("_a", "_b"))
    joined = joined[joined["theme_id_a"] < joined["theme_id_b"]]
    if joined.empty:
        return pd.DataFrame({"code_a": pd.Series(dtype=object), "code_b": pd.Series(dtype=object),
                             "n_segments": pd.Series(dtype="int64"),
                             "jaccard": pd.Series(dtype="float64")})
    counts = joined.groupby(["theme_id_a", "theme_id_b"]).size().rename("n_segments")
    sizes = codes.groupby("theme_id")["segment_id"].nunique()
    out = counts.reset_index()
    union = out["theme_id_a"].map(sizes) + out["theme_id_b"].map(sizes) - out["n_segments"]
    out["jaccard"] = (out["n_segments"] / union).round(4)
    out["code_a"] = out.pop("theme_id_a").str.removeprefix("code:")
    out["code_b"] = out.pop("theme_id_b").str.removeprefix("code:")
    return out[["code_a", "code_b", "n_segments", "jaccard"]].sort_values(
        ["n_segments", "code_a", "code_b"], ascending=[False, True, True]).reset_index(drop=True)


def run(segments: pd.DataFrame, participants: pd.DataFrame, codes: pd.DataFrame,
        codings: pd.DataFrame, categories: pd.DataFrame, segment_categories: pd.DataFrame, *,
        params: ThemeParams) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    themes = pd.concat([code_themes(codes), category_themes(categories,
                                                           params.category_statuses)],
                       ignore_index=True)
    pairs = segment_themes(codings, segment_categories, themes, params.code_sources)
    pairs = pairs.merge(segments[["segment_id", "site", "role", "participant_id"]],
                        on="segment_id")
    site_totals = participants.groupby("site")["participant_id"].nunique()
    role_totals = participants.groupby("role")["participant_id"].nunique()
    voiced = pairs.groupby("theme_id")["participant_id"].nunique()
    themes["n_participants"] = themes["theme_id"].map(voiced).fillna(0).astype(int)
    themes["n_sites"] = themes["theme_id"].map(pairs.groupby("theme_id")["site"].nunique()
                                               ).fillna(0).astype(int)
    return {"themes": themes,
            "segment_themes": pairs[["segment_id", "theme_id", "source"]],
            "theme_matrix": _matrix(pairs, "site", site_totals),
            "role_matrix": _matrix(pairs, "role", role_totals),
            "cooccurrence": cooccurrence(pairs)}, []
