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
