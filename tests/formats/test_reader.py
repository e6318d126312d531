from pathlib import Path

import docx
import pytest

from pipeline.core.errors import Problem
from pipeline.formats.reader import ReadResult, read_transcript

KNOWN = {"interviewer", "i", "q", "p", "r", "sarah whitfield", "luc bergeron"}
TXT = "ID: O1_Teacher#1_5.3\n\nInterviewer: Tell me\nabout it.\r\nP: Fine — café.\n"


def spans(result: ReadResult) -> list[tuple[str, str, float | None, float | None]]:
    return [(t.speaker, result.text[t.start_char:t.end_char], t.start_time, t.end_time)
            for t in result.parsed.turns]


@pytest.mark.parametrize("path", ["corpus/transcripts/O1_Teacher#1_5.3.txt", "x/a.md", "a.TXT"])
def test_read_text(path: str) -> None:
    result = read_transcript(path, TXT.encode(), KNOWN)
    assert (result.fmt, result.encoding) == ("text", "utf-8")
    assert result.text == ("ID: O1_Teacher#1_5.3\n\nInterviewer: Tell me\nabout it.\n"
                           "P: Fine — café.\n")
    assert result.parsed.header == {"id": ("O1_Teacher#1_5.3", 1)}
    assert spans(result) == [("Interviewer", "Tell me\nabout it.", None, None),
                             ("P", "Fine — café.", None, None)]
    assert result.problems == []


def test_read_vtt() -> None:
    vtt = ("WEBVTT\n\nNOTE\nID: O2_Principal#1_5.5\n\n"
           "00:00:01.000 --> 00:00:02.500\n<v Sarah Whitfield>Hello,\nTeresa.</v>\n\n"
           "00:00:03.000 --> 00:00:04.000\n<v Sarah Whitfield>Welcome.</v>\n\n"
           "00:00:05.000 --> 00:00:09.250\n<v Teresa Mancini>Thanks.</v>\n")
    result = read_transcript("O2_Principal#1_5.5.vtt", vtt.encode(), KNOWN)
    assert (result.fmt, result.encoding) == ("vtt", "utf-8")
    assert result.text == ("ID: O2_Principal#1_5.5\n\n"
                           "[00:00:01.000] Sarah Whitfield: Hello, Teresa. Welcome.\n\n"
                           "[00:00:05.000] Teresa Mancini: Thanks.\n")
    assert result.parsed.header == {"id": ("O2_Principal#1_5.5", 1)}
    assert spans(result) == [("Sarah Whitfield", "Hello, Teresa. Welcome.", 1.0, 4.0),
                             ("Teresa Mancini", "Thanks.", 5.0, 9.25)]
    assert [t.line for t in result.parsed.turns] == [3, 5]
    assert result.problems == []


def test_read_srt_with_speakers_used_once() -> None:
    srt = ("1\n00:00:01,000 --> 00:00:02,000\nLUC BERGERON: Merci, Nathalie.\n\n"
           "2\n00:00:02,500 --> 00:00:04,000\nNATHALIE: De rien. The\n\n"
           "3\n00:00:04,000 --> 00:00:06,000\nbus is gone.\n")
    result = read_transcript("O4_Teacher#1_5.12.srt", srt.encode(), set())
    assert result.fmt == "srt"
    assert spans(result) == [("LUC BERGERON", "Merci, Nathalie.", 1.0, 2.0),
                             ("NATHALIE", "De rien. The bus is gone.", 2.5, 6.0)]
    assert result.problems == []


def test_read_docx(tmp_path: Path) -> None:
    document = docx.Document()
    for text in ["ID: O6_Principal#1_5.17", "", "Interviewer: Hello.", "Paul: Hi there.",
                 "Interviewer: Bye.", "Paul: Bye."]:
        document.add_paragraph(text)
    path = tmp_path / "O6_Principal#1_5.17.docx"
    document.save(str(path))
    result = read_transcript(str(path), path.read_bytes(), KNOWN)
    assert (result.fmt, result.encoding) == ("docx", "docx")
    assert result.parsed.header == {"id": ("O6_Principal#1_5.17", 1)}
    assert spans(result) == [("Interviewer", "Hello.", None, None),
                             ("Paul", "Hi there.", None, None),
                             ("Interviewer", "Bye.", None, None),
                             ("Paul", "Bye.", None, None)]
    assert result.problems == []


def test_empty_docx_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "a.docx"
    docx.Document().save(str(path))
    result = read_transcript("a.docx", path.read_bytes(), KNOWN)
    assert result.problems == [Problem("a.docx", 0, "error", "the document has no text")]
    assert result.text == ""


@pytest.mark.parametrize("path", ["notes/a.pdf", "a.rtf", "README"])
def test_unsupported_extension_is_an_error(path: str) -> None:
    result = read_transcript(path, TXT.encode(), KNOWN)
    assert result.fmt == ""
    assert result.text == ""
    assert result.parsed.turns == []
    assert result.problems == [Problem(path, 0, "error", "unsupported file type; use one of "
                                       ".docx, .md, .srt, .txt, .vtt")]


@pytest.mark.parametrize("path, data, message", [
    ("dir/O1_Teacher#1_5.3.txt", b"Interviewer: hi\x00\x00",
     "binary file (contains NUL bytes); expected text"),
    ("dir/a.vtt", b"", "the file is empty"),
    ("dir/a.docx", b"plain text", "not a readable DOCX file (File is not a zip file)"),
    ("dir/a.vtt", b"not a caption file", "malformed WebVTT file: Invalid format"),
])
def test_unreadable_files_are_errors_with_the_path(path: str, data: bytes, message: str) -> None:
    result = read_transcript(path, data, KNOWN)
    assert result.problems == [Problem(path, 0, "error", message)]
    assert str(result.problems[0]) == f"{path}: error: {message}"
    assert result.text == ""


def test_cp1252_file_is_read_with_a_warning_first() -> None:
    text = "Interviewer: How’s Renée?\nP: She’s great — “hands-on”.\nNote: once.\n"
    result = read_transcript("a.txt", text.encode("cp1252"), KNOWN)
    assert result.text == text
    assert spans(result) == [("Interviewer", "How’s Renée?", None, None),
                             ("P", "She’s great — “hands-on”.\nNote: once.", None, None)]
    assert [(p.line, p.severity) for p in result.problems] == [(0, "warning"), (3, "warning")]
    assert result.problems[0].message.startswith("not UTF-8; decoded as ")
    assert result.problems[0].message.endswith(" and converted")
    assert result.encoding in result.problems[0].message


def test_vtt_note_metadata_is_not_a_speaker_turn() -> None:
    vtt = ("WEBVTT\n\nNOTE\nID: O2_Principal#1_5.5\nPlatform: Zoom\n\n"
           "00:00:01.000 --> 00:00:02.000\n<v Sarah Whitfield>Hello.</v>\n\n"
           "00:00:03.000 --> 00:00:04.000\n<v Teresa Mancini>Hi.</v>\n")
    result = read_transcript("O2_Principal#1_5.5.vtt", vtt.encode(), KNOWN)
    assert spans(result) == [("Sarah Whitfield", "Hello.", 1.0, 2.0),
                             ("Teresa Mancini", "Hi.", 3.0, 4.0)]


def test_a_combined_label_in_a_docx_opens_its_own_turn(tmp_path: Path) -> None:
    document = docx.Document()
    for text in ("Interviewer: Who runs it?", "Interviewee 1 & Interviewee 2: We both do.",
                 "Interviewer: Thanks."):
        document.add_paragraph(text)
    path = tmp_path / "t.docx"
    document.save(str(path))
    result = read_transcript("t.docx", path.read_bytes(),
                             {"interviewer", "interviewee 1", "interviewee 2"})
    turns = [(t.speaker, result.text[t.start_char:t.end_char]) for t in result.parsed.turns]
    assert turns[1] == ("Interviewee 1 & Interviewee 2", "We both do.")
    assert result.problems == []
