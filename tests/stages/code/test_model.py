"""The model of researchers' decisions: trained on what they read (negatives included),
calibrated, and proposing a code only at a threshold that meets the precision target."""
import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.stages.code.model import (
    ModelSettings,
    choose_threshold,
    fit_codes,
    propose,
    trainable,
)

TEXTS = (["funding money budget grant ends"] * 8 + ["test score eqao provincial"] * 8
         + ["the weather was fine today"] * 8)
S = ModelSettings(c=10.0, seed=0, folds=4, min_examples=5, precision=0.8)


def data():
    n = len(TEXTS)
    labels = pd.DataFrame({"money": [1.0] * 8 + [0.0] * 16,
                           "tests": [0.0] * 8 + [1.0] * 8 + [0.0] * 8,
                           "rare": [1.0] + [0.0] * (n - 1)},
                          index=[f"s{i:02d}" for i in range(n)])
    groups = np.array([f"doc{i % 8}" for i in range(n)])
    vec = TfidfVectorizer().fit(TEXTS)
    return vec, vec.transform(TEXTS), labels, groups


def test_trainable_counts_known_labels_only() -> None:
    _, _, labels, _ = data()
    labels.loc["s00", "tests"] = np.nan          # unknown, not a negative
    assert trainable(labels, min_examples=5) == ["money", "tests"]
    assert trainable(labels, min_examples=17) == []


def test_separable_codes_propose_and_a_rare_one_says_why() -> None:
    vec, X, labels, groups = data()
    models, oof, fitted = fit_codes(X, labels, groups, S)
    m = models.set_index("code_id")
    assert m.loc["money", "proposes"] and m.loc["tests", "proposes"]
    assert m.loc["money", "cv_precision"] == 1.0 and m.loc["money", "cv_recall"] == 1.0
    assert not m.loc["rare", "proposes"]
    assert m.loc["rare", "reason"] == "fewer than 5 positive or negative examples"
    assert (m.loc["money", "n_positive"], m.loc["money", "n_negative"]) == (8, 16)
    assert oof["money"].tolist() == labels["money"].tolist()   # held out by interview
    assert sorted(fitted) == ["money", "tests"]
    probs = propose(fitted, vec.transform(["the grant money ends", "eqao test score",
                                           "fine weather"]))
    assert probs.loc[0, "money"] > 0.5 > probs.loc[0, "tests"]
    assert probs.loc[1, "tests"] > 0.5 > probs.loc[1, "money"]
    assert probs.loc[2, "money"] < 0.5 and probs.loc[2, "tests"] < 0.5   # nothing applies


@pytest.mark.parametrize("probs, expected", [
    # positives at 0.9, 0.8, 0.7; a negative at 0.75: three hits cost precision 0.75, and
    # the thresholds above (0.8: two hits) find too few: no threshold qualifies
    ([0.9, 0.8, 0.7, 0.75, 0.1, 0.2], (None, "cross-validated precision 0.75 is below")),
    ([0.9, 0.8, 0.7, 0.6, 0.1, 0.2], (0.7, "")),
])
def test_threshold_meets_the_precision_target_with_enough_hits(probs, expected) -> None:
    y = np.array([1, 1, 1, 0, 0, 0])
    t, precision, recall, why = choose_threshold(y, np.array(probs), S)
    assert (t, why[:31]) == (expected[0], expected[1][:31])
    if t is not None:
        assert (precision, recall) == (1.0, 1.0)


def test_an_unreachable_target_is_explained() -> None:
    y = np.array([1, 0, 1, 0, 1, 0, 1, 0])
    probs = np.array([0.9, 0.9, 0.8, 0.8, 0.7, 0.7, 0.6, 0.6])
    t, precision, _, why = choose_threshold(y, probs, S)
    assert t is None and precision == 0.5
    assert why == "cross-validated precision 0.50 is below the target 0.80"
