"""The coding report: pooled figures with intervals, per code and per parent, the model's
decisions, and what the codebook lacks."""
import pandas as pd

from pipeline.analysis.coding_report import coding_quality_markdown


def table() -> pd.DataFrame:
    rows = []
    for comp, kappa in (("auto:pattern+similarity", 0.5), ("auto:model (cross-validated)", 0.3),
                        ("human:a vs human:b", 0.9)):
        for level, code in (("code", "(all codes)"), ("code", "funding"),
                            ("parent", "(all codes)"), ("parent", "tensions")):
            rows.append({"comparison": comp, "level": level, "code_id": code, "n_segments": 40,
                         "n_reference": 4, "precision": 0.75, "recall": 0.5, "kappa": kappa,
                         "kappa_low": kappa - 0.1, "kappa_high": kappa + 0.1})
    return pd.DataFrame(rows)


MODELS = pd.DataFrame([{"code_id": "funding", "proposes": False, "threshold": float("nan"),
                        "cv_precision": 0.5, "cv_recall": float("nan"),
                        "reason": "cross-validated precision 0.50 is below the target 0.80"}])
CODES = pd.DataFrame([
    {"code_id": "tensions", "codable": False, "n_keywords": 0, "n_examples": 0},
    {"code_id": "funding", "codable": True, "n_keywords": 0, "n_examples": 0}])


def test_report_lists_per_code_then_pooled_with_intervals() -> None:
    text = coding_quality_markdown(table(), MODELS, CODES, n_read=40)
    lines = text.splitlines()
    assert "Measured over the 40 segments researchers read" in text
    assert "| auto:pattern+similarity | code | 40 cells | 0.75 | 0.50 | 0.50 [0.40, 0.60] |" \
        in lines
    funding = next(line for line in lines if line.startswith("| funding |"))
    assert funding == ("| funding | 4 | 0.75 / 0.50 / 0.50 [0.40, 0.60] | no: cross-validated "
                       "precision 0.50 is below the target 0.80 | 0.90 [0.80, 1.00] |")
    assert lines.index(funding) < lines.index(next(
        line for line in lines if line.startswith("| (all codes) | 4 |")))
    assert "| tensions | 4 | 0.75 / 0.50 / 0.50 [0.40, 0.60] | 0.90 [0.80, 1.00] |" in lines
    assert "1 of 1 codes have no keywords or patterns: keywords cannot suggest them " \
           "(funding)." in text


def test_no_human_codings_says_so() -> None:
    assert "No human codings" in coding_quality_markdown(pd.DataFrame())
