"""The evidence model's inputs: coverage declarations, review rounds, what was read, and the
training labels they make."""
import numpy as np
import pandas as pd

from pipeline.codebook.review import suggestion_id
from pipeline.core.inputs import make_source
from pipeline.stages.code.evidence import (
    accepted_rows,
    labels,
    read_coverage,
    read_reviews,
    read_segments,
)

SEGMENTS = pd.DataFrame({"segment_id": ["a:1", "a:2", "b:1"],
                         "citation_id": ["a", "a", "b"]})


def review_file(*rows: str) -> object:
    head = "item_id,segment_id,code_id,decision,reviewer,sources\n"
    return make_source("codebooks/reviews/round-1-ana.csv", (head + "".join(rows)).encode())


def row(seg: str, code: str, decision: str, reviewer: str = "ana", item: str = "") -> str:
    return f"{item or suggestion_id(seg, code)},{seg},{code},{decision},{reviewer},auto:pattern\n"


def test_suggestion_ids_are_stable_and_distinct() -> None:
    assert suggestion_id("a:1", "funding") == suggestion_id("a:1", "funding")
    assert suggestion_id("a:1", "funding") != suggestion_id("a:1", "testing")
    assert suggestion_id("a:1", "funding").startswith("s") and len(suggestion_id("x", "y")) == 11


def test_coverage_names_transcripts_coded_in_full() -> None:
    src = make_source("codebooks/coverage.csv", b"citation_id,coder\na,ana\nzzz,ana\n")
    table, problems = read_coverage(src, {"a", "b"})
    assert table.values.tolist() == [["a", "ana"]]
    assert [(p.line, p.message) for p in problems] == [(3, "unknown citation_id 'zzz'")]
    assert read_coverage(None, {"a"})[0].empty


def test_reviews_are_checked_row_by_row_and_the_last_round_wins() -> None:
    later = make_source("codebooks/reviews/round-2-ana.csv",
                        ("item_id,segment_id,code_id,decision,reviewer,sources\n"
                         + row("a:1", "funding", "reject")).encode())
    bad = review_file(row("a:1", "funding", "accept"), row("a:9", "funding", "accept"),
                      row("a:2", "nope", "accept"), row("a:2", "funding", "maybe"),
                      row("b:1", "funding", "accept", item="s0000000000"),
                      row("b:1", "funding", "accept", reviewer=""))
    table, problems = read_reviews((bad, later), SEGMENTS, {"funding"})
    expected = [(3, "segment 'a:9' is not in this analysis"), (4, "unknown code_id 'nope'"),
                (5, "decision 'maybe' is not accept or reject"),
                (6, "item_id 's0000000000' does not belong"), (7, "no reviewer")]
    assert [p.line for p in problems] == [line for line, _ in expected]
    assert all(p.message.startswith(text) for p, (_, text) in zip(problems, expected))
    assert table[["segment_id", "code_id", "decision"]].values.tolist() == [
        ["a:1", "funding", "reject"]]


def test_read_segments_join_spans_and_whole_transcripts() -> None:
    human = pd.DataFrame({"segment_id": ["b:1"], "code_id": ["funding"], "coder": ["ben"]})
    coverage = pd.DataFrame({"citation_id": ["a"], "coder": ["ana"]})
    read = read_segments(human, coverage, SEGMENTS)
    assert read.values.tolist() == [["a:1", "ana"], ["a:2", "ana"], ["b:1", "ben"]]


def test_labels_know_what_nobody_decided() -> None:
    read = pd.DataFrame({"segment_id": ["a:1", "a:2"], "coder": "ana"})
    confirmed = pd.DataFrame({"segment_id": ["a:1"], "code_id": ["funding"]})
    reviews = pd.DataFrame({"segment_id": ["b:1"], "code_id": ["testing"],
                            "decision": ["reject"]})
    table = labels(read, confirmed, reviews, ["funding", "testing"])
    assert table.loc["a:1"].tolist() == [1.0, 0.0]
    assert table.loc["a:2"].tolist() == [0.0, 0.0]     # read, left uncoded: negatives
    assert np.isnan(table.loc["b:1", "funding"])         # nobody said anything about it
    assert table.loc["b:1", "testing"] == 0.0            # rejected: a negative


def test_accepted_suggestions_become_the_reviewers_confirmed_codings() -> None:
    reviews = pd.DataFrame({"segment_id": ["a:1", "a:2"], "code_id": "funding",
                            "decision": ["accept", "reject"], "reviewer": "ana",
                            "origin": ["auto:pattern", ""]})
    rows = accepted_rows(reviews)
    assert rows[["segment_id", "source", "coder", "evidence"]].values.tolist() == [
        ["a:1", "review:ana", "ana", "accepted suggestion (auto:pattern)"]]
