"""Backchannels and marker-only segments are left out of comparison, with the reason."""
import numpy as np
import pandas as pd

from pipeline.stages.compare.noise import describe_categories, describe_left_out, left_out


def test_left_out_gives_each_reason() -> None:
    segs = pd.DataFrame({
        "text": ["[inaudible; likely \"yes\"]", "Yeah. Bye.", "Thank you so much.",
                 "The grant money ended and release time went with it.", "Budget cuts hurt."],
        "lemmas": ["", "bye", "thank", "grant money end release time", "budget cut hurt"]})
    X = np.array([[0, 0], [1, 0], [1, 0], [0, 1], [0, 0]], dtype=float)
    reasons = left_out(segs, X, min_content_words=3)
    assert reasons.tolist() == ["only transcription markers", "fewer than 3 content words",
                                "fewer than 3 content words", "",
                                "no term it shares with other segments"]
    assert left_out(segs, X, min_content_words=0).tolist()[1:4] == ["", "", ""]


def test_describe_says_how_many_and_why() -> None:
    reasons = pd.Series(["", "fewer than 3 content words", "", "only transcription markers",
                         "fewer than 3 content words"])
    assert describe_left_out(reasons) == (
        "3 of 5 segments were left out of comparison (2 fewer than 3 content words, "
        "1 only transcription markers); they stay in the tables, flagged.")
    assert describe_left_out(pd.Series(["", ""])) == "All 2 segments were compared."


def test_describe_categories_counts_statuses_and_those_awaiting_a_decision() -> None:
    cats = pd.DataFrame({"level": ["cross-site"] * 4 + ["site"],
                         "status": ["accepted", "proposed", "proposed", "rejected", "proposed"],
                         "minor": [False, False, True, False, False]})
    lines = describe_categories(cats, pd.DataFrame({"left_out": ["", None]}))
    assert lines == [
        "4 cross-site categories: 1 accepted, 1 rejected, 2 proposed.",
        "1 proposed categories voiced by several participants await a decision in "
        "codebooks/decisions.yml (`accept: KEY` makes one a theme).",
        "All 2 segments were compared."]
