"""themes: integrate codebook codes and accepted emerging categories into themes, and count
who voiced them where.

Evidence is what researchers confirmed (human codings, accepted suggestions); machine
suggestions count only when `include_suggestions` is set, and then the machine-only share of
every count is given beside it. Salience is the share of a site's participants who voiced a
theme (not the number of segments, which long talkers inflate), with a 95% Wilson interval,
segment counts, and how many voiced it only once.
"""
from __future__ import annotations

import pandas as pd
from scipy.stats import binomtest

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


PROPOSED = " (proposed)"


def category_themes(categories: pd.DataFrame, statuses: tuple[str, ...],
                    include_proposed: bool = False) -> pd.DataFrame:
    """Cross-site categories a decision accepted or promoted (and, when asked, proposed ones
    that are not minor, their labels marked '(proposed)')."""
    cross = categories[categories["level"] == "cross-site"]
    proposed = (cross["status"] == "proposed") & ~cross["minor"].astype(bool)
    cross = cross[cross["status"].isin(statuses) | (proposed & include_proposed)]
    rows = []
    for c in cross.itertuples(index=False):
        terms = ", ".join(list(c.top_terms)[:5])
        spoken = getattr(c, "phrases", None)   # an array from parquet: no truth value
        phrases = [] if spoken is None else list(spoken)
        said = f"; phrases as spoken: {'; '.join(phrases)}" if phrases else ""
        text = f"Emerging category ({terms}{said}); first voiced in {c.first_locator}."
        if c.status == "proposed":
            text = ("Proposed by machine comparison; no researcher has accepted it yet. "
                    + text)
        if isinstance(c.decision_memo, str) and c.decision_memo:
            text += f" Team memo: {c.decision_memo}"
        if isinstance(c.promoted_code, str) and c.promoted_code:
            text += f" Promoted to code {c.promoted_code}."
        label = c.label + (PROPOSED if c.status == "proposed" else "")
        rows.append({"theme_id": f"category:{c.category_id}", "label": label,
                     "kind": "category", "description": text,
                     "family": "emerging categories", "source_id": c.category_id})
    return pd.DataFrame(rows, columns=THEME_COLUMNS)


PAIR_COLUMNS = ["segment_id", "theme_id", "source", "confirmed"]


def segment_themes(codings: pd.DataFrame, segment_categories: pd.DataFrame,
                   themes: pd.DataFrame, include_suggestions: bool = False) -> pd.DataFrame:
    """(segment, theme) pairs: confirmed codings (and suggestions, when included), and
    categories by membership; `confirmed` says whether a researcher stands behind it."""
    chosen = codings if include_suggestions else codings[codings["status"] == "confirmed"]
    coded = chosen.assign(theme_id="code:" + chosen["code_id"],
                          confirmed=chosen["status"] == "confirmed")
    coded = (coded.groupby(["segment_id", "theme_id"])
             .agg(source=("source", lambda s: "; ".join(sorted(set(s)))),
                  confirmed=("confirmed", "any")).reset_index()
             if len(coded) else pd.DataFrame(columns=PAIR_COLUMNS))
    cats = segment_categories.assign(theme_id="category:" + segment_categories[
        "cross_category_id"], source="compare", confirmed=False)[PAIR_COLUMNS]
    pairs = pd.concat([coded, cats], ignore_index=True)
    pairs = pairs[pairs["theme_id"].isin(set(themes["theme_id"]))]
    pairs["confirmed"] = pairs["confirmed"].astype(bool)
    return pairs.sort_values(["segment_id", "theme_id"]).reset_index(drop=True)


MATRIX_COUNTS = ["n_segments", "n_participants", "share_participants", "share_low",
                 "share_high", "n_participants_once", "n_segments_machine_only",
                 "n_participants_machine_only", "roles"]


def _matrix(pairs: pd.DataFrame, by: str, totals: pd.Series) -> pd.DataFrame:
    """Counts per (by, theme): segments, participants and their share (with a 95% Wilson
    interval), participants who voiced it once only, the machine-only part, roles."""
    columns = [by, "theme_id", *MATRIX_COUNTS]
    if pairs.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c.startswith("n_") else
                                          "float64" if c.startswith("share") else object)
                             for c in columns})
    per_person = (pairs.groupby([by, "theme_id", "participant_id"])
                  .agg(n=("segment_id", "nunique"), confirmed=("confirmed", "any"))
                  .reset_index())
    people = per_person.groupby([by, "theme_id"]).agg(
        n_participants=("participant_id", "nunique"),
        n_participants_once=("n", lambda n: int((n == 1).sum())),
        n_participants_machine_only=("confirmed", lambda c: int((~c).sum())))
    segs = pairs.groupby([by, "theme_id"]).agg(
        n_segments=("segment_id", "nunique"),
        n_segments_machine_only=("confirmed", lambda c: int((~c).sum())),
        roles=("role", lambda r: sorted(set(r))))
    out = segs.join(people).reset_index()
    totals_of = out[by].map(totals)
    out["share_participants"] = (out["n_participants"] / totals_of).round(4)
    bounds = [wilson(k, n) for k, n in zip(out["n_participants"], totals_of)]
    out["share_low"] = [round(lo, 4) for lo, _ in bounds]
    out["share_high"] = [round(hi, 4) for _, hi in bounds]
    return out[columns]


def wilson(k: int, n: int) -> tuple[float, float]:
    """95% Wilson score interval of k of n (scipy's binomtest)."""
    if n <= 0:
        return float("nan"), float("nan")
    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=0.95, method="wilson")
    return float(ci.low), float(ci.high)


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
                                                           params.category_statuses,
                                                           params.include_proposed)],
                       ignore_index=True)
    pairs = segment_themes(codings, segment_categories, themes,
                           params.include_suggestions)
    pairs = pairs.merge(segments[["segment_id", "site", "role", "participant_id"]],
                        on="segment_id")
    site_totals = participants.groupby("site")["participant_id"].nunique()
    role_totals = participants.groupby("role")["participant_id"].nunique()
    voiced = pairs.groupby("theme_id")["participant_id"].nunique()
    themes["n_participants"] = themes["theme_id"].map(voiced).fillna(0).astype(int)
    themes["n_sites"] = themes["theme_id"].map(pairs.groupby("theme_id")["site"].nunique()
                                               ).fillna(0).astype(int)
    return {"themes": themes,
            "segment_themes": pairs[PAIR_COLUMNS],
            "theme_matrix": _matrix(pairs, "site", site_totals),
            "role_matrix": _matrix(pairs, "role", role_totals),
            "cooccurrence": cooccurrence(pairs)}, []
