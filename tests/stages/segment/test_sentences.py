import pytest

from pipeline.nlp.pipelines import fast_nlp
from pipeline.stages.segment.sentences import MAX_NOTE_TOKENS, inside_notes, sentences
from pipeline.stages.segment.stage import SegmentParams, segment_transcript


def split(text: str) -> list[str]:
    return [s.text for s in sentences(fast_nlp("en")(text))]


@pytest.mark.parametrize("text, expected", [
    # spaCy's sentencizer leaves "[" with the first sentence: "time. [" / "laughs] The"
    ("We would wait a long time. [laughs] The Ministry makes a policy.",
     ["We would wait a long time.", "[laughs] The Ministry makes a policy."]),
    ("It was fine. (laughs) And so on.", ["It was fine.", "(laughs) And so on."]),
    # a full stop inside a note starts no sentence there
    ('It was fine. [inaudible; likely "yes." said twice] Then we left.',
     ["It was fine.", '[inaudible; likely "yes." said twice] Then we left.']),
    ("It was fine. [crosstalk 00:12:03] Then. [Then] we left.",
     ["It was fine.", "[crosstalk 00:12:03] Then.", "[Then] we left."]),
    ("[laughs] Yes. Sure.", ["[laughs] Yes.", "Sure."]),
    # closing quotes and brackets still end the sentence they close
    ('He said "stop." Then we went.', ['He said "stop."', "Then we went."]),
    ("We met (twice.) Then we left.", ["We met (twice.)", "Then we left."]),
])
def test_notes_stay_whole_and_go_with_the_sentence_they_open(text, expected) -> None:
    assert split(text) == expected


def test_an_unclosed_bracket_opens_the_next_sentence_and_blocks_nothing() -> None:
    assert split("Done. [ Then more. Another one.") == ["Done.", "[ Then more.", "Another one."]


def test_a_bracketed_passage_longer_than_a_note_keeps_its_boundaries() -> None:
    long = " ".join(["We talked about it."] * 15)  # 75 tokens between the brackets
    got = split(f"Start. [{long}] End.")
    assert len(got) == 17 and got[1].startswith("[We talked")
    assert got[-2] == "We talked about it.]" and got[-1] == "End."
    assert MAX_NOTE_TOKENS < 75


def test_the_sentences_cover_the_doc_in_order() -> None:
    doc = fast_nlp("en")("One. [laughs] Two (pause) three. [inaudible. x] Four. (")
    spans = sentences(doc)
    assert [t.i for s in spans for t in s] == list(range(len(doc)))
    words = [t.text for t in doc]
    inside = inside_notes(doc)
    assert inside[words.index("laughs")] and not inside[words.index("[")]
    assert not inside[words.index("Four")] and not inside[-1]  # the last "(" is unclosed


def test_no_segment_window_cuts_a_note() -> None:
    sentence = "The district gave every school the same small grant for the project. [laughs] "
    text = "P: " + (sentence * 30).strip()
    segs = segment_transcript(text, [{"turn": 1, "start_char": 3, "end_char": len(text)}],
                              fast_nlp("en"), SegmentParams(max_words=120))
    assert len(segs) > 1
    for s in segs:
        chunk = text[s["start_char"]:s["end_char"]]
        assert chunk.startswith("The district") or chunk.startswith("[laughs] The district")
        assert chunk.endswith("[laughs]") or chunk.endswith("project.")
        assert chunk.count("[") == chunk.count("]")


def test_given_the_text_it_finds_the_same_sentences() -> None:
    text = "One. [laughs] Two (pause) three. [inaudible. x] Four. And {five}."
    doc = fast_nlp("en")(text)
    assert [s.text for s in sentences(doc, text)] == [s.text for s in sentences(doc)] == [
        "One.", "[laughs] Two (pause) three.", "[inaudible. x] Four.", "And {five}."]
