"""The coding report: per-code agreement of automatic coding with the human codings."""
from __future__ import annotations

import pandas as pd

from pipeline.stages.code import POOLED


def coding_quality_markdown(table: pd.DataFrame) -> str:
    """Per-code agreement of automatic coding with the human codings, as a Markdown table."""
    if table.empty:
        return "No human codings yet: add some under codebooks/codings/ to measure coding.\n"
    wanted = ["auto:pattern+similarity", "auto:model (cross-validated)"]
    pairs = [c for c in table["comparison"].unique() if c.startswith("human:")]
    wide = table[table["comparison"].isin(wanted + pairs)].pivot_table(
        index="code_id", columns="comparison", values=["n_reference", "precision", "recall",
                                                       "kappa"], aggfunc="first")
    lines = ["| code | human segments | keywords+similarity P / R / κ | model (CV) κ | "
             "coders κ |", "|---|---:|---|---:|---:|"]

    def num(v: float) -> str:
        return "–" if pd.isna(v) else f"{v:.2f}"
    for code in [c for c in wide.index if c != POOLED] + [POOLED]:
        row = wide.loc[code]
        auto = [row.get((m, wanted[0]), float("nan")) for m in ("precision", "recall", "kappa")]
        model = row.get(("kappa", wanted[1]), float("nan"))
        coders = row.get(("kappa", pairs[0]), float("nan")) if pairs else float("nan")
        n_ref = row.get(("n_reference", wanted[0]), 0)
        lines.append(f"| {code} | {int(n_ref)} | {' / '.join(num(v) for v in auto)} | "
                     f"{num(model)} | {num(coders)} |")
    return "\n".join(lines) + "\n"
