import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.stages.code.model import cross_validated, propose, trainable


def data():
    texts = (["funding money budget grant ends"] * 6 + ["test score eqao provincial"] * 6
             + ["funding budget test score"] * 2)
    labels = pd.DataFrame({"money": [1] * 6 + [0] * 6 + [1, 1],
                           "tests": [0] * 6 + [1] * 6 + [1, 1],
                           "rare": [1] + [0] * 13},
                          index=[f"s{i}" for i in range(14)])
    groups = np.array([f"doc{i % 7}" for i in range(14)])
    X = TfidfVectorizer().fit_transform(texts)
    return X, labels, groups


def test_trainable_needs_enough_examples() -> None:
    _, labels, _ = data()
    assert trainable(labels, min_examples=5) == ["money", "tests"]


def test_cross_validated_predictions_recover_separable_codes() -> None:
    X, labels, groups = data()
    cv = cross_validated(X, labels, groups, ["money", "tests"], folds=7, c=10.0, seed=0,
                         threshold=0.5)
    assert cv["money"].tolist() == labels["money"].astype(bool).tolist()
    assert cv["tests"].tolist() == labels["tests"].astype(bool).tolist()


def test_propose_scores_new_segments() -> None:
    _, labels, _ = data()
    texts = (["funding money budget grant ends"] * 6 + ["test score eqao provincial"] * 6
             + ["funding budget test score"] * 2)
    vec = TfidfVectorizer().fit(texts)
    X_new = vec.transform(["the grant money ends", "eqao test score"])
    probs = propose(vec.transform(texts), labels, X_new, ["money", "tests"], c=10.0, seed=0)
    assert probs[0, 0] > 0.5 > probs[0, 1]
    assert probs[1, 1] > 0.5 > probs[1, 0]
