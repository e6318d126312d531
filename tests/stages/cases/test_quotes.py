"""quotes: whole-sentence verbatim excerpts, candidate ranking, quotes from different people
and roles, and the words that mark a qualifying or contrary statement."""
from __future__ import annotations

import pandas as pd
import pytest

from pipeline.stages.cases.quotes import (
    CONTRAST,
    excerpt,
    pick_diverse,
    rank_candidates,
    sentences,
)

# ------------------------------------------------------------------------------ sentences


@pytest.mark.parametrize("text, expected", [
    ("One. Two? Three!", ["One.", "Two?", "Three!"]),
    ("Is it? Yes.", ["Is it?", "Yes."]),
    ("Really?! Yes... Fine.", ["Really?!", "Yes...", "Fine."]),
    ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
    ("We asked “why?” Nobody knew.", ["We asked “why?”", "Nobody knew."]),
    ("It was ‘fine.’ Or so.", ["It was ‘fine.’", "Or so."]),
    ("A note (see above.) Next one.", ["A note (see above.)", "Next one."]),
    ("A line\nwraps here. Next\none.", ["A line\nwraps here.", "Next\none."]),
    ("First line.\nSecond line?\nThird", ["First line.", "Second line?", "Third"]),
    ("No end mark here", ["No end mark here"]),
    ("Ends. Then a fragment", ["Ends.", "Then a fragment"]),
    ("  Leading. spaces.", ["Leading.", "spaces."]),
    ("It cost 3.5 dollars. Done.", ["It cost 3.5 dollars.", "Done."]),
    ("Done.\n", ["Done."]),
    ("", []),
])
def test_sentences_split_on_end_marks_followed_by_space(text: str,
                                                        expected: list[str]) -> None:
    spans = sentences(text)
    assert [text[a:b] for a, b in spans] == expected


def test_sentences_exact_offsets() -> None:
    text = "Why now?  Because “the money ends.”\nSo we\nplan. Ok"
    assert sentences(text) == [(0, 8), (10, 35), (36, 47), (48, 50)]


def test_sentences_are_in_order_and_do_not_overlap() -> None:
    text = "A b c. D e? F “g.” H\ni j! K"
    spans = sentences(text)
    assert spans == [(0, 6), (7, 11), (12, 18), (19, 25), (26, 27)]
    assert all(b <= c for (_, b), (c, _) in zip(spans, spans[1:]))


def test_sentences_strip_trailing_spaces_of_a_final_fragment() -> None:
    text = "Ends. Then a fragment  "
    assert [text[a:b] for a, b in sentences(text)] == ["Ends.", "Then a fragment"]


# ------------------------------------------------------------------------------- excerpt

# 2 + 3 + 4 + 3 + 2 = 14 words in five sentences.
TEXT = "Alpha one. Beta funding two. Gamma three four five. Delta funding ends. Epsilon six."
S = {  # sentence -> (start, end)
    "alpha": (0, 10), "beta": (11, 28), "gamma": (29, 51), "delta": (52, 71),
    "epsilon": (72, 84),
}


def test_sentence_offsets_of_the_excerpt_text() -> None:
    assert sentences(TEXT) == list(S.values())


@pytest.mark.parametrize("max_words", [14, 15, 100])
def test_short_text_is_returned_whole(max_words: int) -> None:
    assert excerpt(TEXT, ["gamma"], max_words) == (0, len(TEXT))


def test_short_text_is_returned_whole_even_without_sentences() -> None:
    text = "  no end mark, some words  "
    assert excerpt(text, [], 10) == (0, len(text))


@pytest.mark.parametrize("terms, max_words, expected", [
    # the sentence with most terms, widened right first, then left
    (["gamma"], 4, "Gamma three four five."),
    (["gamma"], 6, "Gamma three four five."),
    (["gamma"], 7, "Gamma three four five. Delta funding ends."),
    (["gamma"], 9, "Gamma three four five. Delta funding ends. Epsilon six."),
    (["gamma"], 10, "Beta funding two. Gamma three four five. Delta funding ends."),
    (["gamma"], 12, "Beta funding two. Gamma three four five. Delta funding ends. Epsilon six."),
    (["gamma"], 13, "Beta funding two. Gamma three four five. Delta funding ends. Epsilon six."),
    # ties go to the earliest sentence; more terms win
    (["funding"], 3, "Beta funding two."),
    (["funding", "ends"], 3, "Delta funding ends."),
    (["funding", "ends"], 5, "Delta funding ends. Epsilon six."),
    (["epsilon"], 2, "Epsilon six."),
    (["epsilon"], 8, "Delta funding ends. Epsilon six."),
    (["epsilon"], 9, "Gamma three four five. Delta funding ends. Epsilon six."),
    # terms are matched on the lower-cased sentence, inside words too
    (["delt"], 3, "Delta funding ends."),
    # no term found: the first sentence, widened
    ([], 5, "Alpha one. Beta funding two."),
    (["absent"], 1, "Alpha one."),
    # a sentence longer than max_words is kept whole
    (["gamma"], 2, "Gamma three four five."),
])
def test_excerpt_picks_and_widens_whole_sentences(terms: list[str], max_words: int,
                                                  expected: str) -> None:
    a, b = excerpt(TEXT, terms, max_words)
    assert TEXT[a:b] == expected


@pytest.mark.parametrize("terms", [[], ["funding"], ["gamma"], ["six", "ends"], ["one"]])
@pytest.mark.parametrize("max_words", [1, 3, 5, 8, 13])
def test_excerpt_is_a_run_of_whole_sentences(terms: list[str], max_words: int) -> None:
    a, b = excerpt(TEXT, terms, max_words)
    starts = [s for s, _ in S.values()]
    ends = [e for _, e in S.values()]
    assert a in starts and b in ends and a < b
    n_sentences = len([s for s in starts if a <= s < b])
    assert len(TEXT[a:b].split()) <= max_words or n_sentences == 1


def test_excerpt_across_lines() -> None:
    text = "I don't know. The release days\nmight not come back. We will see\nabout that."
    a, b = excerpt(text, ["release"], 6)
    assert (a, b) == (14, 51)
    assert text[a:b] == "The release days\nmight not come back."


# ------------------------------------------------------------------------ rank_candidates


def test_rank_candidates_human_first_then_score_then_segment() -> None:
    candidates = pd.DataFrame({
        "segment_id": ["s5", "s2", "s4", "s1", "s3", "s6"],
        "human": [False, True, False, True, False, False],
        "score": [0.9, 0.1, 0.5, 0.1, 0.9, 0.5],
    })
    ranked = rank_candidates(candidates)
    assert ranked["segment_id"].tolist() == ["s1", "s2", "s3", "s5", "s4", "s6"]
    assert ranked.index.tolist() == [3, 1, 4, 0, 2, 5]  # rows are kept, not renumbered


# --------------------------------------------------------------------------- pick_diverse


def _ranked(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["segment_id", "participant_id", "role"])


RANKED = _ranked([
    ("s1", "p1", "Teacher"),
    ("s2", "p1", "Teacher"),     # same person again
    ("s3", "p2", "Teacher"),     # same role, another person
    ("s4", "p3", "Principal"),
    ("s5", "p4", "Director"),
    ("s6", "p3", "Principal"),
])


def _ids(rows: list[dict]) -> list[str]:
    return [r["segment_id"] for r in rows]


@pytest.mark.parametrize("n, taken, expected", [
    (1, set(), ["s1"]),
    (2, set(), ["s1", "s4"]),
    (3, set(), ["s1", "s4", "s5"]),
    (4, set(), ["s1", "s4", "s5", "s3"]),       # a repeated role once new roles run out
    (6, set(), ["s1", "s4", "s5", "s3"]),       # never the same person twice
    (0, set(), []),
    (2, {"p1"}, ["s3", "s4"]),
    (4, {"p1"}, ["s3", "s4", "s5"]),
    (3, {"p3", "p4"}, ["s1", "s3"]),
    (2, {"p1", "p2", "p3", "p4"}, []),
])
def test_pick_diverse(n: int, taken: set[str], expected: list[str]) -> None:
    chosen = pick_diverse(RANKED, n, taken)
    assert _ids(chosen) == expected
    assert len({r["participant_id"] for r in chosen}) == len(chosen)
    assert not {r["participant_id"] for r in chosen} & taken


def test_pick_diverse_does_not_change_taken_people() -> None:
    taken = {"p2"}
    pick_diverse(RANKED, 3, taken)
    assert taken == {"p2"}


def test_pick_diverse_returns_whole_rows() -> None:
    ranked = RANKED.assign(score=[0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    assert pick_diverse(ranked, 2, set()) == [
        {"segment_id": "s1", "participant_id": "p1", "role": "Teacher", "score": 0.9},
        {"segment_id": "s4", "participant_id": "p3", "role": "Principal", "score": 0.6},
    ]


def test_pick_diverse_of_nothing_is_empty() -> None:
    assert pick_diverse(RANKED.iloc[:0], 3, set()) == []


# ------------------------------------------------------------------------------- CONTRAST


@pytest.mark.parametrize("text, found", [
    ("It works, but not for everyone.", "but"),
    ("But then the money ended.", "But"),
    ("I don't think it changed much.", "I don't think"),
    ("Honestly, i do not think so.", "i do not think"),
    ("However, the schools differ.", "However"),
    ("Although we tried.", "Although"),
    ("I'm not sure it lasts.", "not sure"),
    ("I disagree with that.", "disagree"),
    ("It doesn't reach the classroom.", "doesn't"),
    ("We didn't get the release days.", "didn't"),
    ("That never happened here.", "never"),
    ("Not really, no.", "Not really"),
    ("I was the sceptic on the team.", "sceptic"),
    ("A skeptic would say so.", "skeptic"),
])
def test_contrast_finds_qualifying_words(text: str, found: str) -> None:
    match = CONTRAST.search(text)
    assert match is not None
    assert match.group(0) == found


@pytest.mark.parametrize("text", [
    "Pass the butter, please.",
    "We rebut that claim.",
    "The schools abut the lake.",
    "I think it works.",
    "Nevertheless we went on.",
    "Everything went well.",
    "",
])
def test_contrast_ignores_words_that_merely_contain_a_marker(text: str) -> None:
    assert CONTRAST.search(text) is None


@pytest.mark.parametrize("text", ["I don’t think it changed.", "It doesn’t reach them.",
                                  "We didn’t get the days."])
def test_contrast_finds_markers_with_typographic_apostrophes(text: str) -> None:
    assert CONTRAST.search(text) is not None


@pytest.mark.parametrize("text", ["I'm sceptical.", "Staff are skeptical.",
                                  "We have some scepticism."])
def test_contrast_finds_forms_of_sceptic(text: str) -> None:
    assert CONTRAST.search(text) is not None
