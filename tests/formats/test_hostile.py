"""Hostile transcripts in every format the corpus reader takes: the result is a parsed text
with its turns, or problems naming the file (and line); never an exception."""
from __future__ import annotations

import io
import zipfile

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.errors import Problem
from pipeline.formats.reader import FORMATS, ReadResult, read_transcript
from tests.hostile import (
    MiB,
    damaged_members,
    damaged_zips,
    encoded,
    examples,
    fragments,
    zip_bomb,
    zip_bytes,
)

KNOWN = {"interviewer", "i", "p", "r"}
# Pieces of transcripts as people and tools write them: labels, Otter speaker lines,
# timestamps, headers, page markers; and what breaks naive parsers.
PIECES = ["Interviewer: ", "P: ", "I:", "Élodie Roy: ", "Speaker 1  12:31\n", "P04 22:00\n",
          "[00:12:31] ", "[1:02:15.5] ", "ID: O1_Principal#1_5.14\n", "Date: 2016-05-14\n",
          "Date: 2016-13-45\n", "Participants: Ana; Bo\n", "Interviewers: Kim\n",
          "SUMMARY KEYWORDS\n", "SPEAKERS\n", "Page 3 of 7\n", "- 4 -\n", "\f", "\ufeff",
          "\r\n", "\r", "\n", "\n\n", "\t", "  ", ":", "[", "]", "word ", "café ", "e\u0301",
          "\u2028", "\x85", "\x00", "😀", "\ud800"]
transcript_text = st.one_of(fragments(PIECES, 30), st.text(max_size=60))

CUE_PIECES = ["WEBVTT\n\n", "NOTE a note\n\n", "1\n", "00:00:01.000 --> 00:00:04.000\n",
              "00:00:01,000 --> 00:00:04,000\n", "00:01.000 --> 00:02.000\n",
              "99:59:59.999 --> 00:00:00.000\n", "00:00:01.000 -> 00:00:04.000\n",
              "00:00:01.000\n", "<v Ana>", "</v>", "<v>", "<i>", "<inaudible>", "&amp;",
              "&lt;", "ANA: ", "Ana: ", "text ", "\n", "\n\n", "-->", "\ufeff", "\r\n"]
caption_text = st.one_of(fragments(CUE_PIECES, 25),
                         fragments(CUE_PIECES, 25).map(lambda t: "WEBVTT\n\n" + t))


def check(path: str, data: bytes) -> ReadResult:
    result = read_transcript(path, data, KNOWN)
    assert all(isinstance(p, Problem) and p.path == path for p in result.problems)
    if result.text:
        assert isinstance(result.text, str)
        for turn in result.parsed.turns:   # what segmenting relies on
            assert 0 <= turn.start_char <= turn.end_char <= len(result.text)
            assert 1 <= turn.line <= result.text.count("\n") + 1
    elif result.fmt:
        assert any(p.is_error for p in result.problems), result.problems
    return result


@settings(max_examples=examples(300))
@given(encoded(transcript_text), st.sampled_from([".txt", ".md"]))
def test_any_text_transcript_is_read_or_reported(data: bytes, suffix: str) -> None:
    check(f"corpus/transcripts/O1_Principal#1_5.14{suffix}", data)


@settings(max_examples=examples(300))
@given(encoded(caption_text), st.sampled_from([".vtt", ".srt"]))
def test_any_caption_file_is_read_or_reported(data: bytes, suffix: str) -> None:
    check(f"corpus/transcripts/O1_Principal#1_5.14{suffix}", data)


def _sound_docx() -> dict[str, bytes]:
    document = docx.Document()
    for line in ("ID: O1_Principal#1_5.14", "Interviewer: Hello?", "P: Hi."):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


DOCX = _sound_docx()
DOCX_PATH = "corpus/transcripts/O1_Principal#1_5.14.docx"
XML_PIECES = ["<w:p>", "</w:p>", "<w:r>", "</w:r>", "<w:t>", "</w:t>", "text", "&amp;",
              "&bogus;", "<!DOCTYPE x [<!ENTITY e 'eeee'>]>", "&e;", "<![CDATA[x]]>", "\x00",
              "<w:p/>", "<w:br/>", "<w:tab/>", "<", ">", '"']


@st.composite
def damaged_document_xml(draw: st.DrawFn) -> bytes:
    xml = DOCX["word/document.xml"].decode("utf-8")
    body = xml.index("<w:body>") + len("<w:body>")
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(body, len(xml)))
        xml = xml[:at] + draw(fragments(XML_PIECES, 6)) + xml[at:]
    if draw(st.booleans()):
        xml = xml[:draw(st.integers(0, len(xml)))]
    return xml.encode("utf-8", "surrogatepass")


@settings(max_examples=examples(40))
@given(st.one_of(st.binary(max_size=100), damaged_zips(DOCX), damaged_members(DOCX),
                 damaged_document_xml().map(lambda x: zip_bytes({**DOCX,
                                                                 "word/document.xml": x}))))
def test_any_docx_is_read_or_reported(data: bytes) -> None:
    check(DOCX_PATH, data)


def test_a_docx_bomb_is_refused_before_it_expands() -> None:
    bomb = zip_bomb("word/document.xml", 300 * MiB,
                    {k: v for k, v in DOCX.items() if k != "word/document.xml"})
    result = check(DOCX_PATH, bomb)
    assert [p.message for p in result.problems] == [
        "not a readable DOCX file (word/document.xml would expand to 300 MiB, over the limit "
        "of 200 MiB; not read (a damaged file or a zip bomb?))"]


def test_a_docx_whose_header_understates_a_bomb_is_refused() -> None:
    """The directory says 1 KiB; the data inflates to 20 MiB. python-docx would inflate it
    whole before anything checks; the bounded read stops at the declared size."""
    bomb = bytearray(zip_bomb("word/document.xml", 20 * MiB,
                              {k: v for k, v in DOCX.items() if k != "word/document.xml"}))
    cd = bomb.rindex(b"PK\x01\x02")
    bomb[cd + 24:cd + 28] = (1024).to_bytes(4, "little")
    result = check(DOCX_PATH, bytes(bomb))
    assert [p.is_error for p in result.problems] == [True]
    assert "word/document.xml cannot be read (Bad CRC-32" in result.problems[0].message


@pytest.mark.parametrize("suffix", sorted(FORMATS))
def test_every_format_is_covered_here(suffix: str) -> None:
    assert suffix in {".txt", ".md", ".vtt", ".srt", ".docx"}
