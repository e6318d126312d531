"""The coding report: how far automatic coding agrees with the researchers, measured over
every segment they read (false positives count), per code and per parent code, with 95%
bootstrap intervals, the model's per-code decisions, and what the codebook gives the
keyword matcher to work with."""
from __future__ import annotations

import pandas as pd

from pipeline.stages.code import POOLED

AUTO = "auto:pattern+similarity"
MODEL = "auto:model (cross-validated)"


def _num(v: float) -> str:
    return "–" if pd.isna(v) else f"{v:.2f}"


def _kappa(row: pd.Series | None) -> str:
    if row is None or pd.isna(row["kappa"]):
        return "–"
    if pd.isna(row["kappa_low"]):
        return _num(row["kappa"])
    return f"{row['kappa']:.2f} [{row['kappa_low']:.2f}, {row['kappa_high']:.2f}]"


def _pooled(table: pd.DataFrame) -> list[str]:
    lines = ["| comparison | level | segments | precision | recall | κ [95% interval] |",
             "|---|---|---:|---:|---:|---|"]
    pooled = table[table["code_id"] == POOLED]
    for r in pooled.itertuples():
        n = r.n_segments  # pooled cells = segments x codes
        lines.append(f"| {r.comparison} | {r.level} | {n:,} cells | {_num(r.precision)} | "
                     f"{_num(r.recall)} | {_kappa(pooled.loc[r.Index])} |")
    return lines


def _per_code(table: pd.DataFrame, models: pd.DataFrame, level: str) -> list[str]:
    rows = table[table["level"] == level]
    by = {(r.comparison, r.code_id): rows.loc[r.Index] for r in rows.itertuples()}
    pairs = sorted(c for c in rows["comparison"].unique() if c.startswith("human:"))
    model = models.set_index("code_id") if len(models) else pd.DataFrame()
    head = ["code", "read segments with it", "keywords+similarity P / R / κ [95%]"]
    head += ["model: proposes at (CV precision / recall)"] if level == "code" else []
    head += ["coders κ"]
    lines = ["| " + " | ".join(head) + " |", "|---|---:|---|" + ("---|" if level == "code"
                                                                 else "") + "---:|"]
    codes = [c for c in rows["code_id"].unique() if c != POOLED] + [POOLED]
    for code in codes:
        auto = by.get((AUTO, code))
        if auto is None:
            continue
        cells = [code, str(int(auto["n_reference"])),
                 f"{_num(auto['precision'])} / {_num(auto['recall'])} / {_kappa(auto)}"]
        if level == "code":
            cells.append(_model_cell(model, code))
        cells.append(_kappa(by.get((pairs[0], code))) if pairs else "–")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _model_cell(model: pd.DataFrame, code: str) -> str:
    if code == POOLED or model.empty or code not in model.index:
        return ""
    m = model.loc[code]
    if not m["proposes"]:
        return f"no: {m['reason']}"
    return (f"p ≥ {m['threshold']:.2f} ({m['cv_precision']:.2f} / "
            f"{m['cv_recall']:.2f})")


def coding_quality_markdown(table: pd.DataFrame, models: pd.DataFrame | None = None,
                            codes: pd.DataFrame | None = None, n_read: int = 0) -> str:
    """The report as Markdown."""
    if table.empty:
        return "No human codings yet: add some under codebooks/codings/ to measure coding.\n"
    models = models if models is not None else pd.DataFrame()
    out = ["# How good is the automatic coding?", "",
           f"Measured over the {n_read:,} segments researchers read (every segment a human "
           f"span covers, and every segment of a transcript declared coded in full in "
           f"codebooks/coverage.csv), so a suggestion on a segment a researcher read and "
           f"left uncoded counts as a false positive. Intervals: 95% percentile bootstrap, "
           f"resampling segments. The model's figures are cross-validated by interview.", "",
           "## Pooled", "", *_pooled(table), "", "## Per code", "",
           *_per_code(table, models, "code"), "", "## Per parent code (codes rolled up to "
           "their top-level family)", "", *_per_code(table, models, "parent"), ""]
    out += _codebook_notes(codes)
    return "\n".join(out).rstrip() + "\n"


def _codebook_notes(codes: pd.DataFrame | None) -> list[str]:
    if codes is None or codes.empty:
        return []
    codable = codes[codes["codable"].astype(bool)]
    bare = codable[codable["n_keywords"] == 0]["code_id"].tolist()
    unexampled = codable[codable["n_examples"] == 0]["code_id"].tolist()
    notes = []
    if bare:
        notes.append(f"- {len(bare)} of {len(codable)} codes have no keywords or patterns: "
                     f"keywords cannot suggest them ({', '.join(bare[:8])}"
                     + (", ..." if len(bare) > 8 else "") + ").")
    if unexampled:
        notes.append(f"- {len(unexampled)} of {len(codable)} codes have no examples: their "
                     f"similarity rests on the definition alone.")
    return ["## What the codebook gives the machine", "", *notes, ""] if notes else []
