import pandas as pd

from pipeline.member import effective, load_rounds, withdrawn_segments
from tests.member.helpers import items, round_files


def test_the_latest_answer_of_each_respondent_counts() -> None:
    applied = effective(load_rounds(round_files([
        ("O3-R1-I01", "agree", "", "A", ""),
        ("O3-R1-I01", "disagree", "", "A", "on reflection, no"),
        ("O3-R1-I01", "agree", "", "B", "")])))
    assert applied.answers[["respondent", "response"]].values.tolist() == [
        ["A", "disagree"], ["B", "agree"]]
    assert [d["comment"] for d in applied.disagreements[("O3", "code:eqao")]] == [
        "on reflection, no"]
    assert applied.sites == {"O3"}


def test_revisions_replace_the_interpretation_and_keep_the_first_original() -> None:
    applied = effective(load_rounds(round_files([
        ("O3-R1-I01", "revise", "First rewording.", "A", ""),
        ("O3-R1-I01", "revise", "Second rewording.", "B", "shorter"),
        ("O3-R1-T01", "revise", "Testing and us", "C", "")])))
    rev = applied.revisions[("O3", "code:eqao")]
    assert rev["text"] == "Second rewording." and rev["respondent"] == "B"
    assert rev["original"] == items().loc[1, "text"]
    assert [w["revised_text"] for w in applied.wordings[("O3", "code:eqao")]] == [
        "Testing and us"]


def test_withdrawn_quotes_block_every_segment_they_overlap() -> None:
    files = round_files([("O3-R1-Q01", "withdraw", "", "O3_Teacher#1_5.10/1", "")])
    applied = effective(load_rounds(files))
    assert applied.withdrawn[["item_id", "start_char", "end_char"]].values.tolist() == [
        ["O3-R1-Q01", 100, 116]]
    assert applied.is_withdrawn("O3_Teacher#1_5.10", 110, 200)
    assert not applied.is_withdrawn("O3_Teacher#1_5.10", 116, 200)
    assert not applied.is_withdrawn("O3_Principal#1_5.10", 100, 116)
    segments = pd.DataFrame({
        "segment_id": ["a", "b", "c"], "citation_id": ["O3_Teacher#1_5.10"] * 2 + ["x"],
        "start_char": [90, 116, 100], "end_char": [105, 130, 116]})
    assert withdrawn_segments(files, segments) == {"a", "O3_Teacher#1_5.10:0024:001"}


def test_no_answers_change_nothing() -> None:
    applied = effective(load_rounds(round_files([])))
    assert applied.answers.empty and applied.withdrawn.empty
    assert applied.revisions == {} and applied.disagreements == {}
