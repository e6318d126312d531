import pandas as pd

from pipeline.analysis.coding_report import coding_quality_markdown


def test_coding_quality_table_puts_pooled_last() -> None:
    rows = []
    for comp, kappa in (("auto:pattern+similarity", 0.5), ("auto:model (cross-validated)", 0.3),
                        ("human:a vs human:b", 0.9)):
        for code in ("(all codes)", "funding"):
            rows.append({"comparison": comp, "code_id": code, "n_reference": 4,
                         "precision": 0.75, "recall": 0.5, "kappa": kappa})
    text = coding_quality_markdown(pd.DataFrame(rows))
    lines = text.splitlines()
    assert lines[2] == "| funding | 4 | 0.75 / 0.50 / 0.50 | 0.30 | 0.90 |"
    assert lines[3].startswith("| (all codes) |")
    assert "No human codings" in coding_quality_markdown(pd.DataFrame())
