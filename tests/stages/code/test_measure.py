"""Measurement over read segments: the vectorised kappa equals scikit-learn's, intervals
bracket the estimate, parents roll codes up."""
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from pipeline.codebook import load_codebook
from pipeline.stages.code.measure import _kappa_rows, evaluate, kappa_interval

BOOK = load_codebook([("b.yml", """
codes:
  - {id: tensions, definition: Pressures., codable: false}
  - {id: funding, parent: tensions, definition: Money.}
  - {id: testing, parent: tensions, definition: Tests.}
  - {id: voice, definition: Students.}
""")])


@pytest.mark.parametrize("seed", range(5))
def test_the_bootstrap_statistic_is_cohens_kappa(seed: int) -> None:
    rng = np.random.default_rng(seed)
    ref, pred = rng.random((40, 3)) < 0.3, rng.random((40, 3)) < 0.4
    stat = _kappa_rows(ref, pred)(np.arange(40))
    assert stat == pytest.approx(cohen_kappa_score(ref.ravel(), pred.ravel()))


def test_interval_brackets_the_estimate() -> None:
    rng = np.random.default_rng(1)
    ref = rng.random((200, 1)) < 0.3
    pred = ref ^ (rng.random((200, 1)) < 0.1)     # 10% disagreement
    low, high = kappa_interval(ref, pred, seed=0)
    point = cohen_kappa_score(ref.ravel(), pred.ravel())
    assert low < point < high and high - low < 0.3


def test_codes_and_parents_are_scored_over_every_read_segment() -> None:
    read = [f"s{i}" for i in range(12)]
    reference = pd.DataFrame({"segment_id": ["s0", "s1", "s2"],
                              "code_id": ["funding", "testing", "voice"]})
    predicted = pd.DataFrame({"segment_id": ["s0", "s1", "s5"],
                              "code_id": ["funding", "funding", "voice"]})
    out = evaluate(reference, read, {"auto:x": predicted}, BOOK, seed=0)
    code = out[out["level"] == "code"].set_index("code_id")
    # s1 testing is missed and s1 funding is a false positive on a segment the coder read
    assert (code.loc["funding", "n_predicted"], code.loc["funding", "n_both"]) == (2, 1)
    assert code.loc["funding", "n_segments"] == 12
    parent = out[out["level"] == "parent"].set_index("code_id")
    assert sorted(parent.index) == ["(all codes)", "tensions", "voice"]
    # rolled up, s0 and s1 both carry "tensions" on both sides: agreement
    assert (parent.loc["tensions", "n_reference"], parent.loc["tensions", "n_both"]) == (2, 2)
