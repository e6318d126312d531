import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.formats.text import Decoded, DecodeError, count_words, decode, normalise

# --- decode ----------------------------------------------------------------------------------


@pytest.mark.parametrize("data, encoding", [
    ("Interviewer: café?\n".encode(), "utf-8"),
    (b"\xef\xbb\xbf" + "Interviewer: café?\n".encode(), "utf-8 (BOM)"),
    (b"\xff\xfe" + "Interviewer: café?\n".encode("utf-16-le"), "utf-16-le (BOM)"),
    (b"\xfe\xff" + "Interviewer: café?\n".encode("utf-16-be"), "utf-16-be (BOM)"),
])
def test_decode_unicode_encodings(data: bytes, encoding: str) -> None:
    assert decode(data) == Decoded("Interviewer: café?\n", encoding, "")


def test_decode_bom_is_not_part_of_the_text() -> None:
    decoded = decode(b"\xef\xbb\xbfP: ok")
    assert decoded.text == "P: ok"
    assert not decoded.text.startswith("\ufeff")


CP1252_ENGLISH = ("Interviewer: How’s the new principal, Renée?\n"
                  "P: She’s great — really “hands-on”.\n")


def test_decode_cp1252_gives_the_right_characters_and_a_note() -> None:
    data = CP1252_ENGLISH.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the sample really is not UTF-8
    decoded = decode(data)
    assert decoded.text == CP1252_ENGLISH
    assert "’" in decoded.text and "“" in decoded.text and "é" in decoded.text
    assert decoded.note == f"not UTF-8; decoded as {decoded.encoding} and converted"


def test_decode_cp1252_is_reported_as_cp1252() -> None:
    decoded = decode(CP1252_ENGLISH.encode("cp1252"))
    assert decoded.encoding == "cp1252"
    assert decoded.note == "not UTF-8; decoded as cp1252 and converted"


@pytest.mark.parametrize("text", [
    "Il a dit: “à côté”.\n",
    "P: Ça va, merci.\n",
])
def test_decode_short_french_cp1252(text: str) -> None:
    assert decode(text.encode("cp1252")).text == text


@pytest.mark.parametrize("data, message", [
    (b"", "the file is empty"),
    (b"   \n\t \r\n", "the file is empty"),
    (b"Interviewer: hi\x00\x01\x02", "binary file (contains NUL bytes); expected text"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (contains NUL bytes); expected text"),
])
def test_decode_refuses_empty_and_binary(data: bytes, message: str) -> None:
    with pytest.raises(DecodeError) as info:
        decode(data)
    assert str(info.value) == message


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf", b"\xff\xfe \x00\n\x00"])
def test_decode_refuses_a_file_that_is_only_a_bom(data: bytes) -> None:
    with pytest.raises(DecodeError, match="empty"):
        decode(data)


@pytest.mark.parametrize("data, line", [
    (bytes(range(128, 256)) * 3, 1),
    (b"ok\nok\n" + bytes(range(128, 256)) * 3, 3),
])
def test_decode_refuses_undecodable_bytes(data: bytes, line: int) -> None:
    with pytest.raises(DecodeError) as info:
        decode(data)
    assert str(info.value) == (
        f"not valid UTF-8 (first bad byte on line {line}) and the encoding could not be "
        f"detected; save the file as UTF-8")


@pytest.mark.parametrize("data, fragment", [
    (b"\xff\xfe\x00\xd8", "starts with a utf-16-le byte-order mark but is not valid utf-16-le"),
    (b"\xff\xfea", "starts with a utf-16-le byte-order mark but is not valid utf-16-le"),
    (b"\xef\xbb\xbf\xff\xfe", "starts with a utf-8 byte-order mark but is not valid utf-8"),
])
def test_decode_bom_with_invalid_body(data: bytes, fragment: str) -> None:
    with pytest.raises(DecodeError, match=re.escape(fragment)):
        decode(data)


# --- normalise -------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("a\r\nb\r\n", "a\nb\n"),
    ("a\rb\rc", "a\nb\nc"),
    ("a\r\n\r\nb", "a\n\nb"),
    ("cafe\u0301", "café"),
    ("\ufeffInterviewer: hi", "Interviewer: hi"),
    ("end of page\x0c\nnext", "end of page\nnext"),
    ("P: so   \t\nthen  ", "P: so\nthen"),
    ("  indented stays", "  indented stays"),
])
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_normalise_result_is_nfc() -> None:
    out = normalise("e\u0301le\u0300ve")
    assert out == "élève"
    assert len(out) == 5
    assert unicodedata.is_normalized("NFC", out)


@pytest.mark.parametrize("marker", [
    "Page 3 of 7",
    "page 12",
    "  PAGE 3 OF 7  ",
    "- 4 -",
    "-4-",
    "--- 12 ---",
    "--- page break ---",
    "Page Break",
    "-- Page 2 --",
])
def test_normalise_blanks_page_marker_lines(marker: str) -> None:
    text = f"P: I was saying that\n{marker}\nwe need more time.\n"
    assert normalise(text) == "P: I was saying that\n\nwe need more time.\n"


@pytest.mark.parametrize("line", [
    "42",
    "P: turn to page 3 of 7",
    "Page 3 of 7 is where it says so",
    "- 4 - 5 -",
    "pages 3",
])
def test_normalise_keeps_lines_that_are_not_page_markers(line: str) -> None:
    text = f"before\n{line}\nafter"
    assert normalise(text) == text


def test_normalise_keeps_the_number_of_lines() -> None:
    raw = "\ufeffID: x\r\n\r\nPage 1 of 2\r\nP: cafe\u0301  \x0c\r- 2 -\rend  \n42\n"
    out = normalise(raw)
    assert out == "ID: x\n\n\nP: café\n\nend\n42\n"
    assert out.count("\n") == 7


@given(st.lists(st.sampled_from(
    ["a", "é", "e\u0301", " ", "\t", "\n", "\r", "\r\n", "\f", "\ufeff", "Page 3 of 7", "- 4 -",
     "42", "--- page break ---"])).map("".join))
def test_normalise_never_changes_the_number_of_lines(raw: str) -> None:
    out = normalise(raw)
    assert out.count("\n") == len(re.findall(r"\r\n|\r|\n", raw))
    assert "\r" not in out and "\ufeff" not in out and "\f" not in out


@pytest.mark.parametrize("raw", ["e\ufeff\u0301", "e\f\u0301"])
def test_normalise_is_nfc_even_around_removed_characters(raw: str) -> None:
    assert normalise(raw) == "é"


# --- count_words -----------------------------------------------------------------------------


@pytest.mark.parametrize("text, n", [
    ("", 0),
    ("   \n ", 0),
    ("one two  three", 3),
    ("it's isn’t don't", 3),
    ("a well-known, long-term plan", 4),
    ("self-regulation -- and - then", 3),
    ("O'Brien-Smith's", 1),
    ("'quoted' words", 2),
    ("[inaudible] ok", 2),
    ("élève à côté", 3),
    ("snake_case", 2),
    ("3 or 42", 3),
])
def test_count_words(text: str, n: int) -> None:
    assert count_words(text) == n


ACCENTS = "Interviewer: Café?\nP: Yes — Zoë said so.\n"


@pytest.mark.parametrize("encoding, name", [
    ("utf-16-le", "utf-16-le (no BOM)"), ("utf-16-be", "utf-16-be (no BOM)"),
    ("utf-32-le", "utf-32-le (no BOM)"), ("utf-32-be", "utf-32-be (no BOM)"),
    ("utf-32", "utf-32-le (BOM)")])
def test_wide_encodings_with_and_without_a_byte_order_mark(encoding: str, name: str) -> None:
    decoded = decode(ACCENTS.encode(encoding))
    assert (decoded.text, decoded.encoding) == (ACCENTS, name)


def test_one_stray_latin1_byte_in_utf8_is_repaired_alone_and_located() -> None:
    data = ("Interviewer: Café?\n" * 3 + "P: Zoë said so.\n").encode().replace(
        b"Zo\xc3\xab", b"Zo\xeb")
    decoded = decode(data)
    assert decoded.text == "Interviewer: Café?\n" * 3 + "P: Zoë said so.\n"   # no mojibake
    assert decoded.encoding == "utf-8 (with stray bytes)"
    assert decoded.note == ("1 byte(s) on line(s) 4 are not valid UTF-8; read as cp1252 (the "
                            "rest of the file is UTF-8)")


def test_a_whole_cp1252_file_is_still_read_as_cp1252() -> None:
    assert decode(ACCENTS.encode("cp1252")).encoding == "cp1252"


@given(st.text(alphabet="ab \t\r\n\f\ufeff\u0301", max_size=80))
def test_file_offsets_map_onto_the_normalised_text(raw: str) -> None:
    from pipeline.formats.text import file_to_transcript, normalise_mapped

    text, dropped = normalise_mapped(raw)
    assert text == normalise(raw)
    if dropped is None:
        return
    flat = raw.replace("\r\n", "\n").replace("\r", "\n")
    for i, ch in enumerate(flat):
        if ch in "ab":   # a letter lands on itself (or on the letter an accent folded into)
            assert unicodedata.normalize("NFD", text[file_to_transcript(i, dropped)])[0] == ch


def test_normalise_mapped_on_a_typical_export() -> None:
    from pipeline.formats.text import file_to_transcript, normalise_mapped

    raw = "Interviewer: Hi   \r\nP: Cafe\u0301 is   fine.  \r\n--- page 2 ---\r\nP: More here.\n"
    text, dropped = normalise_mapped(raw)
    flat = raw.replace("\r\n", "\n")
    assert text == "Interviewer: Hi\nP: Café is   fine.\n\nP: More here.\n"
    for word in ("fine.", "More", "here."):
        at = file_to_transcript(flat.index(word), dropped)
        assert text[at:at + len(word)] == word
