import pandas as pd
import pytest

from pipeline.nlp.pipelines import fast_nlp
from pipeline.stages.segment.stage import SegmentParams, segment_transcript, windows


@pytest.mark.parametrize("sent_words, max_words, expected", [
    ([10, 20, 30], 120, [(0, 3)]),
    ([50, 50, 50, 50, 50], 120, [(0, 2), (2, 4), (4, 5)]),
    ([100, 100], 120, [(0, 1), (1, 2)]),
    ([200], 120, [(0, 1)]),                      # one long sentence stays whole
    ([60, 60, 5], 120, [(0, 2), (2, 3)]),
    ([40, 40, 40, 40], 120, [(0, 2), (2, 4)]),  # balanced, not 120 + 40
])
def test_windows(sent_words, max_words, expected) -> None:
    assert windows(sent_words, max_words) == expected


def test_windows_never_exceed_max_unless_one_sentence() -> None:
    sents = [7, 33, 18, 41, 12, 29, 9, 55, 3, 27, 36]
    for a, b in windows(sents, 60):
        assert sum(sents[a:b]) <= 60 or b - a == 1


def test_segment_transcript_offsets_and_lemmas() -> None:
    text = ("Q: Tell me.\nP: Teachers were leading the projects. [inaudible] Um, they "
            "designed it themselves!\nQ: Thanks.\n")
    start = text.index("Teachers")
    end = text.index("!") + 1
    segs = segment_transcript(text, [{"turn": 2, "start_char": start, "end_char": end}],
                              fast_nlp("en"), SegmentParams())
    assert len(segs) == 1
    s = segs[0]
    assert text[s["start_char"]:s["end_char"]] == text[start:end]
    assert s["n_words"] == 11  # markers count as words; they are excluded from lemmas
    assert s["lemmas"] == "teacher lead project design"


def test_long_turn_is_split_into_sentence_windows() -> None:
    sentence = "The district gave every school the same small grant for the project. "
    body = sentence * 30  # 12 words each, 360 words
    text = "P: " + body.strip()
    segs = segment_transcript(text, [{"turn": 1, "start_char": 3, "end_char": len(text)}],
                              fast_nlp("en"), SegmentParams(max_words=120))
    assert [s["n_words"] for s in segs] == [120, 120, 120]
    assert [s["seg_in_turn"] for s in segs] == [1, 2, 3]
    for s in segs:
        chunk = text[s["start_char"]:s["end_char"]]
        assert chunk.startswith("The district") and chunk.endswith("project.")


# ---- the shipped corpus -------------------------------------------------------------------

@pytest.fixture(scope="module")
def tables(shipped_catalog):
    return {n: shipped_catalog.load(n) for n in ("transcripts", "turns", "segments")}


def test_every_segment_is_the_verbatim_transcript_slice(tables) -> None:
    texts = tables["transcripts"].set_index("citation_id")["text"]
    segs = tables["segments"]
    assert len(segs) > 500
    bad = [s.segment_id for s in segs.itertuples()
           if texts[s.citation_id][s.start_char:s.end_char] != s.text]
    assert bad == []


def test_segments_stay_inside_participant_turns(tables) -> None:
    turns = tables["turns"].set_index(["citation_id", "turn"])
    segs = tables["segments"]
    joined = segs.join(turns[["start_char", "end_char", "speaker_role"]],
                       on=["citation_id", "turn"], suffixes=("", "_turn"))
    assert (joined["speaker_role"] == "participant").all()
    assert (joined["start_char"] >= joined["start_char_turn"]).all()
    assert (joined["end_char"] <= joined["end_char_turn"]).all()


def test_segment_ids_unique_and_locators_cite_turns(tables) -> None:
    segs = tables["segments"]
    assert segs["segment_id"].is_unique
    first = segs.iloc[0]
    assert first["locator"] == f"{first['citation_id']} ¶{first['turn']}"
    assert first["segment_id"].startswith(f"{first['citation_id']}:{first['turn']:04d}:")


def test_segment_sizes(tables) -> None:
    n = tables["segments"]["n_words"]
    assert n.max() <= 160  # 120 plus the rare single long sentence
    assert 40 <= n.median() <= 120


def test_timestamps_carried_from_timed_formats(tables) -> None:
    segs = tables["segments"]
    timed = segs[segs["citation_id"].isin(["O2_Principal#1_5.5", "O4_Teacher#1_5.12",
                                           "O1_Principal#1_5.2", "O3_Director#1_5.9"])]
    assert timed["start_time"].notna().all()
    untimed = segs[segs["citation_id"] == "O1_Teacher#1_5.3"]
    assert untimed["start_time"].isna().all()


def test_questions_are_kept_as_context(tables) -> None:
    segs = tables["segments"]
    assert segs["question"].notna().mean() > 0.95
    assert isinstance(segs["question"].iloc[5], str)


def test_two_interviewee_roles_come_from_the_header(tables) -> None:
    segs = tables["segments"]
    vp = segs[segs["citation_id"] == "O8_VicePrincipal#1_5.25"]
    assert set(vp["role"]) == {"VicePrincipal", "Teacher"}
    assert pd.Series(vp["participant_id"]).nunique() == 2
