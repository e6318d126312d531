"""Inter-coder agreement against published worked examples and small designed cases
computed by hand, and where peers' formulas would give other figures."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.analysis.agreement import agreement_table, char_decisions, read_by
from pipeline.analysis.agreement_report import agreement_markdown
from pipeline.analysis.agreement_stats import (
    MISSING,
    Decisions,
    alpha_from,
    cluster_sums,
    intervals,
    kappa_from,
    library_alpha,
    library_kappa,
    percent_from,
    summarise,
)

POOLED = "(all codes)"
M = MISSING


def test_krippendorff_nominal_example_with_missing_values() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
    # observers, twelve units, nominal values, missing data; alpha = 0.743.
    data = np.array([[1, 2, 3, 3, 2, 1, 4, 1, 2, M, M, M],
                     [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, M, 3],
                     [M, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, M],
                     [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, M]])
    assert library_alpha(data.T) == pytest.approx(0.743, abs=5e-4)   # 0.7434...


def _table(n11: int, n10: int, n01: int, n00: int) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([1] * n11 + [1] * n10 + [0] * n01 + [0] * n00)
    y = np.array([1] * n11 + [0] * n10 + [1] * n01 + [0] * n00)
    return x, y


def _decisions(*coders: np.ndarray) -> Decisions:
    values = np.stack(coders, axis=-1)[:, None, :].astype(np.int8)
    return Decisions(values, np.ones(len(values), dtype=int), np.arange(len(values)))


def test_textbook_cohens_kappa() -> None:
    # 50 items, both yes 20, A yes B no 5, A no B yes 10, both no 15: po = 0.70, pe = 0.50
    x, y = _table(20, 5, 10, 15)
    assert library_kappa(x, y) == pytest.approx(0.40)
    total = cluster_sums(_decisions(x, y)).sum(0)[0]
    assert percent_from(total) == pytest.approx(0.70)
    assert kappa_from(total) == pytest.approx(0.40)
    row = summarise(_decisions(x, y), ["x"], POOLED, seed=0)[0]
    assert row["kappa"] == pytest.approx(0.40) and row["percent"] == pytest.approx(0.70)
    assert row["kappa_low"] < 0.40 < row["kappa_high"]
    assert row["alpha"] == pytest.approx(float(alpha_from(total)))


def test_the_formulas_match_the_packages_with_missing_values() -> None:
    rng = np.random.default_rng(3)
    values = rng.integers(0, 2, (60, 1, 3)).astype(np.int8)
    values[rng.random(values.shape) < 0.25] = MISSING
    dec = Decisions(values, np.ones(60, dtype=int), np.arange(60) // 2)
    total = cluster_sums(dec).sum(0)[0]
    assert float(alpha_from(total)) == pytest.approx(library_alpha(values[:, 0, :]))


def test_bootstrap_is_reproducible_and_brackets_the_estimate() -> None:
    x, y = _table(20, 5, 10, 15)
    sums = cluster_sums(_decisions(x, y))
    a, b = intervals(sums, 7), intervals(sums, 7)
    assert np.array_equal(a["kappa"], b["kappa"])
    low, high = a["alpha"][0]
    assert low < float(alpha_from(sums.sum(0)[0])) < high


def test_unread_text_counted_as_agreement_inflates_a_rare_code() -> None:
    # Both coders read the same 10 of 100 segments; each gave a rare code to one of them, not
    # the same one. Counting the 90 unread segments as "neither coded" (the source-size
    # denominator of NVivo-style agreement) makes them look in near-perfect agreement.
    x, y = _table(0, 1, 1, 8)
    ours = cluster_sums(_decisions(x, y)).sum(0)[0]
    assert percent_from(ours) == pytest.approx(0.80)
    assert kappa_from(ours) == pytest.approx((0.8 - 0.82) / 0.18)          # -0.111
    px, py = _table(0, 1, 1, 98)
    assert np.mean(px == py) == pytest.approx(0.98)                        # peer-style %


def _segments(n: int, length: int) -> pd.DataFrame:
    return pd.DataFrame({"segment_id": [f"T:{i:04d}:001" for i in range(n)],
                         "citation_id": "T", "start_char": np.arange(n) * length,
                         "end_char": np.arange(n) * length + length,
                         "text": [f"text {i}" for i in range(n)],
                         "locator": [f"T ¶{i}" for i in range(n)]})


def test_character_overlap_counts_characters_not_spans() -> None:
    # peers.md §4: 1,000 characters, each coder codes 100, 50 overlap. Standard character
    # kappa 0.444; QualCoder's formula, on coded characters only, gives 0.299.
    segments = _segments(10, 100).assign(cluster=np.arange(10))
    spans = {"a": pd.DataFrame({"citation_id": ["T"], "start_char": [0], "end_char": [100],
                                "code_id": ["x"]}),
             "b": pd.DataFrame({"citation_id": ["T"], "start_char": [50], "end_char": [150],
                                "code_id": ["x"]})}
    read = {c: set(segments["segment_id"]) for c in "ab"}
    dec = char_decisions(segments, ["a", "b"], read, spans, ["x"])
    assert dec.weight.sum() == 1000
    row = summarise(dec, ["x"], POOLED, seed=0)[0]
    assert row["n_units"] == 1000 and row["percent"] == pytest.approx(0.90)
    assert row["kappa"] == pytest.approx(0.08 / 0.18)                      # 0.444
    assert row["alpha"] == pytest.approx(1 - 1999 * 100 / (1800 * 200))    # 0.4447
    # The formula used for weighted runs equals the package on characters one by one.
    per_char = np.repeat(dec.values[:, 0, :], dec.weight, axis=0)
    assert row["alpha"] == pytest.approx(library_alpha(per_char))
    u, c0, c1, dual = 150, 100, 100, 50                                    # QualCoder
    pe = (c0 / u) * (c1 / u) * ((u - c0) / u) * ((u - c1) / u)
    assert (dual / u - pe) / (1 - pe) == pytest.approx(0.299, abs=1e-3)


def _designed() -> tuple[pd.DataFrame, dict]:
    """12 segments; a read all, b the first 10. Code x: a gave 0-3 and 11, b gave 0, 1, 2
    and 4. Code y: nobody."""
    segments = _segments(12, 10)
    ids = segments["segment_id"].tolist()
    read = pd.DataFrame({"segment_id": ids + ids[:10], "coder": ["a"] * 12 + ["b"] * 10})
    human = pd.DataFrame({"segment_id": [ids[i] for i in (0, 1, 2, 3, 11, 0, 1, 2, 4)],
                          "code_id": "x", "coder": ["a"] * 5 + ["b"] * 4})
    spans = human.merge(segments, on="segment_id")[["citation_id", "start_char", "end_char",
                                                    "code_id", "coder"]]
    codings = pd.DataFrame(columns=["segment_id", "code_id", "source", "status"])
    table, split = agreement_table(segments, ["x", "y"], read, human, spans, codings)
    return table.set_index(["comparison", "unit", "code_id"]), split


def test_designed_segment_example_by_hand() -> None:
    table, split = _designed()
    x = table.loc[("human:a vs human:b", "segment", "x")]
    # 10 segments both read: 3 both, 1 a only, 1 b only, 5 neither (a's segment 11 unread by b)
    assert x.n_units == 10 and x.percent == pytest.approx(0.8)
    assert x.kappa == pytest.approx((0.8 - 0.52) / 0.48)                   # 0.583
    assert x.alpha == pytest.approx(1 - 19 * 2 / (12 * 8))                 # 0.604
    y = table.loc[("human:a vs human:b", "segment", "y")]
    assert np.isnan(y.kappa) and np.isnan(y.alpha) and y.note.startswith("no variation")
    pooled = table.loc[("human:a vs human:b", "segment", POOLED)]
    assert pooled.kappa == pytest.approx((0.9 - 0.68) / 0.32)              # 0.6875
    assert pooled.alpha == pytest.approx(1 - 39 * 2 / (32 * 8))
    # whole-segment spans: characters give the same figures as segments here
    assert table.loc[("human:a vs human:b", "character", "x")].kappa == pytest.approx(x.kappa)
    auto = table.loc[("auto vs human:a", "segment", "x")]
    assert auto.n_units == 12 and auto.kappa == pytest.approx(0.0)  # auto never applies it
    assert sorted(split["human:a vs human:b"]["segment_id"].str[2:6]) == ["0003", "0004"]


def test_too_few_segments_is_nan_with_a_reason() -> None:
    x, y = _table(2, 0, 1, 0)
    row = summarise(_decisions(x, y), ["x"], POOLED, seed=0)[0]
    assert np.isnan(row["kappa"]) and np.isnan(row["alpha"])
    assert row["note"] == "only 3 segments compared (fewer than 10)"


def test_team_coverage_counts_for_every_coder() -> None:
    read = pd.DataFrame({"segment_id": ["s1", "s2"], "coder": ["a", ""]})
    assert read_by(read, ["a", "b"], ["s1", "s2", "s3"]) == {
        "a": {"s1", "s2"}, "b": {"s2"}, "auto": {"s1", "s2", "s3"}}


def test_report_names_the_statistic_and_the_disagreements() -> None:
    table, split = _designed()
    codes = pd.DataFrame({"code_id": ["x", "y"], "label": ["Ex", "Why"],
                          "codable": [True, True]})
    text = agreement_markdown(table.reset_index(), split, _segments(12, 10), codes)
    assert "Krippendorff's α" in text and "## Pooled" in text
    assert "### Ex (`x`): 2 segments" in text
    assert "> text 3" in text and "— T ¶3: applied by human:a, not by human:b" in text
