import pandas as pd
import pytest

from pipeline.core.inputs import make_source
from pipeline.stages.code.human import read_csv_codings, spans_to_segments

TEXT = "I: Why?\nP: The money ran out in June.  We kept going anyway.\n"
TEXTS = {"O1_Teacher#1_5.3": TEXT}
CODES = {"funding", "persistence"}


def read(csv_text: str):
    return read_csv_codings(make_source("codebooks/codings/a.csv", csv_text.encode()), TEXTS,
                            CODES)


def test_offsets_and_quotes_become_spans() -> None:
    start = TEXT.index("The money")
    spans, problems = read(
        "citation_id,start_char,end_char,quote,code_id,coder\n"
        f"O1_Teacher#1_5.3,{start},{start + 26},,funding,ana\n"
        "O1_Teacher#1_5.3,,,We kept going,persistence,ben\n"
        "O1_Teacher#1_5.3,,,June.   We kept,persistence,ben\n"  # whitespace-insensitive
        "O1_Teacher#1_5.3,,,The money ran out,,ben\n")             # reviewed, no code
    assert problems == []
    got = [(TEXT[s.start_char:s.end_char], s.code_id, s.coder) for s in spans.itertuples()]
    assert got == [("The money ran out in June.", "funding", "ana"),
                   ("We kept going", "persistence", "ben"),
                   ("June.  We kept", "persistence", "ben"),
                   ("The money ran out", "", "ben")]
    assert spans["line"].tolist() == [2, 3, 4, 5]


@pytest.mark.parametrize("row, fragment", [
    ("O9_Teacher#1_5.3,1,5,,funding,ana", "unknown citation_id 'O9_Teacher#1_5.3'"),
    ("O1_Teacher#1_5.3,1,5,,fundng,ana", "unknown code_id 'fundng'"),
    ("O1_Teacher#1_5.3,1,5,,funding,", "empty coder"),
    ("O1_Teacher#1_5.3,5,1,,funding,ana", "span 5-1 is outside"),
    ("O1_Teacher#1_5.3,1,999,,funding,ana", "span 1-999 is outside"),
    ("O1_Teacher#1_5.3,a,b,,funding,ana", "whole numbers"),
    ("O1_Teacher#1_5.3,,,no such words,funding,ana", "quote not found"),
    ("O1_Teacher#1_5.3,,,e,funding,ana", "found 5 times in O1_Teacher#1_5.3; give start_char"),
    ("O1_Teacher#1_5.3,0,4,The money,funding,ana", "quote does not match"),
    ("O1_Teacher#1_5.3,,,,funding,ana", "give start_char and end_char, or quote"),
])
def test_bad_rows_name_file_and_line(row: str, fragment: str) -> None:
    spans, problems = read("citation_id,start_char,end_char,quote,code_id,coder\n"
                           "O1_Teacher#1_5.3,,,We kept going,persistence,ben\n" + row + "\n")
    assert len(spans) == 1
    assert len(problems) == 1
    assert (problems[0].path, problems[0].line) == ("codebooks/codings/a.csv", 3)
    assert fragment in problems[0].message


def test_missing_columns() -> None:
    _, problems = read("citation_id,code_id\nx,y\n")
    assert problems[0].line == 1 and "coder" in problems[0].message


def test_spans_to_segments_overlap_rule() -> None:
    segs = pd.DataFrame({"segment_id": ["d:1", "d:2", "d:3"], "citation_id": "d",
                         "start_char": [0, 100, 200], "end_char": [100, 200, 300]})
    spans = pd.DataFrame({
        "citation_id": ["d", "d", "d", "x"], "code_id": ["a", "b", "c", "a"],
        "coder": ["ana", "ana", "ben", "ana"],
        "start_char": [10, 80, 150, 0], "end_char": [30, 290, 160, 10]})
    out = spans_to_segments(spans, segs)
    assert out.values.tolist() == [
        ["d:1", "a", "ana"],   # short quote inside segment 1
        ["d:2", "b", "ana"],   # long span covers most of segments 2 and 3 ...
        ["d:2", "c", "ben"],
        ["d:3", "b", "ana"],   # ... but only 20 of segment 1's 100 characters
    ]


# QualCoder and Taguette count offsets in the file's text as Python reads it: trailing spaces
# kept (normalisation drops them), newlines as \n.
FILE_TEXT = ("ID: O1_Principal#1_5.14   \n\nInterviewer: How did it start?  \n"
             "P: With a meeting in the gym.   \nInterviewer: And the money?\n"
             "P: The grant paid for release time.\n")


def qualcoder_rows(*quotes: str, offsets_in: str = "", with_quote: bool = True) -> bytes:
    header = "citation_id,start_char,end_char,code_id,coder" + (",quote" if with_quote else "")
    header += ",offsets_in" if offsets_in else ""
    lines = [header]
    for q in quotes:
        start = FILE_TEXT.index(q)
        row = f"O1_Principal#1_5.14,{start},{start + len(q)},alpha,qc"
        row += f",{q}" if with_quote else ""
        row += f",{offsets_in}" if offsets_in else ""
        lines.append(row)
    return ("\n".join(lines) + "\n").encode()


def mapped_text() -> tuple[str, list[int]]:
    from pipeline.formats.text import normalise_mapped

    return normalise_mapped(FILE_TEXT)


@pytest.mark.parametrize("offsets_in, with_quote", [("", True), ("file", True),
                                                    ("file", False)])
def test_file_offsets_from_another_tool_import_without_shift(offsets_in: str,
                                                            with_quote: bool) -> None:
    text, dropped = mapped_text()
    src = make_source("codebooks/codings/qualcoder.csv", qualcoder_rows(
        "With a meeting in the gym.", "The grant paid for release time.",
        offsets_in=offsets_in, with_quote=with_quote))
    spans, problems = read_csv_codings(src, {"O1_Principal#1_5.14": text}, {"alpha"},
                                       {"O1_Principal#1_5.14": dropped})
    quoted = [text[s:e] for s, e in zip(spans["start_char"], spans["end_char"])]
    assert quoted == ["With a meeting in the gym.", "The grant paid for release time."]
    if offsets_in:
        assert problems == []
    else:
        assert [p.message for p in problems] == [
            "2 row(s) count offsets in the file's text (before normalisation dropped trailing "
            "spaces and the like); converted (by their quotes, or where only the file's offsets "
            "fall on word edges)"]


def test_offsets_alone_are_placed_by_word_edges_or_warned_about() -> None:
    text, dropped = mapped_text()
    src = make_source("codebooks/codings/qualcoder.csv", qualcoder_rows(
        "With a meeting in the gym.", with_quote=False))
    spans, problems = read_csv_codings(src, {"O1_Principal#1_5.14": text}, {"alpha"},
                                       {"O1_Principal#1_5.14": dropped})
    # as transcript offsets the span would cut words (5 characters off); as file offsets it
    # does not: converted, and said so
    assert text[spans["start_char"][0]:spans["end_char"][0]] == "With a meeting in the gym."
    assert len(problems) == 1 and problems[0].message.startswith("1 row(s) count offsets")
    # a span that cuts words either way is read as given, with a warning
    start = FILE_TEXT.index("ting in the")
    src = make_source("codebooks/codings/x.csv", (
        "citation_id,start_char,end_char,code_id,coder\n"
        f"O1_Principal#1_5.14,{start},{start + 4},alpha,qc\n").encode())
    spans, problems = read_csv_codings(src, {"O1_Principal#1_5.14": text}, {"alpha"},
                                       {"O1_Principal#1_5.14": dropped})
    assert spans["start_char"].tolist() == [start]
    assert [p.line for p in problems] == [2] and "cut words" in problems[0].message


def test_our_own_transcript_offsets_without_quotes_stay_silent() -> None:
    text, dropped = mapped_text()
    start = text.index("The grant paid")
    src = make_source("codebooks/codings/ours.csv", (
        "citation_id,start_char,end_char,code_id,coder\n"
        f"O1_Principal#1_5.14,{start},{start + 32},alpha,us\n").encode())
    spans, problems = read_csv_codings(src, {"O1_Principal#1_5.14": text}, {"alpha"},
                                       {"O1_Principal#1_5.14": dropped})
    assert text[spans["start_char"][0]:spans["end_char"][0]] == \
        "The grant paid for release time."
    assert problems == []
