import math

import pandas as pd
import pytest

from pipeline.stages.code.reliability import POOLED, agreement, indicator


def test_indicator_ignores_unknown_codes_and_segments() -> None:
    pairs = pd.DataFrame({"segment_id": ["s1", "s2", "zz", "s1"],
                          "code_id": ["a", "b", "a", "unknown"]})
    table = indicator(pairs, ["s1", "s2"], ["a", "b"])
    assert table.values.tolist() == [[True, False], [False, True]]


def test_agreement_matches_hand_computed_values() -> None:
    # 10 segments; reference codes a on s0-s3, prediction on s2-s5.
    segs = [f"s{i}" for i in range(10)]
    ref = indicator(pd.DataFrame({"segment_id": segs[:4], "code_id": "a"}), segs, ["a", "b"])
    pred = indicator(pd.DataFrame({"segment_id": segs[2:6], "code_id": "a"}), segs, ["a", "b"])
    out = agreement(ref, pred).set_index("code_id")
    a = out.loc["a"]
    assert (a.n_reference, a.n_predicted, a.n_both) == (4, 4, 2)
    assert a.precision == a.recall == a.f1 == 0.5
    # po = 0.6, pe = 0.4*0.4 + 0.6*0.6 = 0.52 -> kappa = 0.08/0.48
    assert a.kappa == pytest.approx(1 / 6)
    assert math.isnan(out.loc["b", "kappa"])  # never used by either: undefined
    pooled = out.loc[POOLED]
    assert (pooled.n_segments, pooled.n_both) == (20, 2)


def test_one_side_constant_gives_zero_kappa() -> None:
    segs = ["s0", "s1"]
    ref = indicator(pd.DataFrame({"segment_id": ["s0"], "code_id": ["a"]}), segs, ["a"])
    pred = indicator(pd.DataFrame({"segment_id": [], "code_id": []}), segs, ["a"])
    assert agreement(ref, pred).set_index("code_id").loc["a", "kappa"] == 0.0


def test_agreement_of_no_codes_is_an_empty_pooled_row() -> None:
    import pandas as pd

    from pipeline.stages.code.reliability import POOLED, agreement
    empty = pd.DataFrame(index=pd.Index(["s1", "s2"], name="segment_id"))
    out = agreement(empty, empty)
    assert out["code_id"].tolist() == [POOLED]
    assert (out.loc[0, "n_segments"], out.loc[0, "n_both"]) == (0, 0)
