"""The agreement report (outputs/agreement.md): what was compared, the pooled figures with
their intervals, a per-code table, and the codes most in disagreement with verbatim example
segments for the team to discuss."""
from __future__ import annotations

import pandas as pd

from pipeline.analysis.agreement_stats import MIN_SEGMENTS, N_RESAMPLES
from pipeline.stages.code import POOLED

N_CODES, N_EXAMPLES = 5, 2

WHICH = (
    "**Which figure to report.** Krippendorff's α: it takes two or more coders, allows "
    "missing data (a coder who did not read a segment is missing, not \"did not code it\") "
    "and corrects for chance, so it is the one to publish. Cohen's κ is for one fixed pair "
    "of coders who both read every unit; it is given for each pair and is close to α there. "
    "Percent agreement is shown for reference only: with a rare code most units are ones "
    "nobody coded, so it is high whatever the coders do (compare it with κ for the rare "
    "codes below). Report the segment figures for \"did they apply the same codes to the same "
    "passages\" and the character figures for \"did they mark the same stretches of text\".")


def _num(v: float) -> str:
    return "–" if pd.isna(v) else f"{v:.2f}"


def _ci(row: pd.Series, name: str) -> str:
    if pd.isna(row[name]):
        return "–"
    if pd.isna(row[f"{name}_low"]):
        return _num(row[name])
    return f"{row[name]:.2f} [{row[f'{name}_low']:.2f}, {row[f'{name}_high']:.2f}]"


def _compared(table: pd.DataFrame, n_codes: int) -> list[str]:
    seg = table[(table["unit"] == "segment") & (table["code_id"] == POOLED)]
    char = table[(table["unit"] == "character") & (table["code_id"] == POOLED)]
    chars = dict(zip(char["comparison"], char["n_units"]))
    lines = [f"- **{r.comparison}**: {r.n_units:,} segments read by the coders compared "
             f"({chars.get(r.comparison, 0):,} characters of participant speech)"
             for r in seg.itertuples()]
    return ["## What was compared", "", *lines, "",
            f"Each of the {n_codes} codable codes is one yes/no decision per unit: on "
            "**segments**, did the coder apply the code to the segment; on **characters**, "
            "does one of the coder's spans of the code cover the character (counted in "
            "characters, not spans). Only units read by the coders compared count; \"auto\" "
            "is the pipeline's suggestions (automatic codes not yet reviewed), compared on "
            "the segments that human read. Pooled = over every (unit, code) decision. "
            f"Intervals: 95% percentile bootstrap, {N_RESAMPLES} resamples of segments "
            f"(fixed seed). κ and α are left out (–) for fewer than {MIN_SEGMENTS} segments "
            "or when every decision is the same, with the reason.", ""]


def _pooled(table: pd.DataFrame) -> list[str]:
    lines = ["## Pooled", "", "| comparison | unit | units | % agreement | κ [95%] | α [95%] "
             "| note |", "|---|---|---:|---:|---|---|---|"]
    for _, r in table[table["code_id"] == POOLED].iterrows():
        lines.append(f"| {r.comparison} | {r.unit} | {r.n_units:,} | {_num(r.percent)} | "
                     f"{_ci(r, 'kappa')} | {_ci(r, 'alpha')} | {r.note} |")
    return [*lines, ""]


def _per_code(table: pd.DataFrame, labels: dict[str, str]) -> list[str]:
    out = ["## Per code", ""]
    for name, rows in table.groupby("comparison", sort=False):
        seg = rows[rows["unit"] == "segment"].set_index("code_id")
        char = rows[rows["unit"] == "character"].set_index("code_id")
        out += [f"### {name}", "", "| code | % agreement | κ [95%] | α [95%] | characters: "
                "κ / α | note |", "|---|---:|---|---|---|---|"]
        for code, r in seg.iterrows():
            c = char.loc[code]
            label = labels.get(code, code) if code != POOLED else POOLED
            out.append(f"| {label} | {_num(r.percent)} | {_ci(r, 'kappa')} | "
                       f"{_ci(r, 'alpha')} | {_num(c.kappa)} / {_num(c.alpha)} | "
                       f"{r.note or c.note} |")
        out.append("")
    return out


def _examples(split: dict[str, pd.DataFrame], segments: pd.DataFrame,
              labels: dict[str, str]) -> list[str]:
    # Human pairs first: their disagreements are what the team can settle by discussion.
    names = sorted(split, key=lambda n: (n.startswith("auto"), n))
    chosen = next((n for n in names if len(split[n])), None)
    if chosen is None:
        return ["## Codes most in disagreement", "", "No disagreement on any segment.", ""]
    split_rows = split[chosen]
    by_seg = segments.set_index("segment_id")
    counts = split_rows["code_id"].value_counts().head(N_CODES)
    out = ["## Codes most in disagreement", "",
           f"In **{chosen}**, the codes applied by one coder and not the other on the most "
           f"segments, with {N_EXAMPLES} of those segments each (verbatim):", ""]
    for code, n in counts.items():
        out += [f"### {labels.get(code, code)} (`{code}`): {n} segments", ""]
        for r in split_rows[split_rows["code_id"] == code].head(N_EXAMPLES).itertuples():
            seg = by_seg.loc[r.segment_id]
            quote = "\n> ".join(str(seg["text"]).splitlines())
            out += [f"> {quote}", "", f"— {seg['locator']}: applied by {r.applied_by}, not by "
                    f"{r.not_by}", ""]
    return out


def agreement_markdown(table: pd.DataFrame, split: dict[str, pd.DataFrame],
                       segments: pd.DataFrame, codes: pd.DataFrame) -> str:
    """The report as Markdown."""
    if table.empty:
        return ("# Inter-coder agreement\n\nNothing to compare: add human codings under "
                "codebooks/codings/ (two coders for human agreement).\n")
    labels = dict(zip(codes["code_id"], codes["label"]))
    n_codes = int(codes["codable"].astype(bool).sum())
    out = ["# Inter-coder agreement", "", WHICH, "", *_compared(table, n_codes),
           *_pooled(table), *_examples(split, segments, labels), *_per_code(table, labels)]
    return "\n".join(out).rstrip() + "\n"
