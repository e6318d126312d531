"""Decode transcript bytes and normalise text (UTF-8, NFC, ``\\n`` newlines).

Offsets everywhere else point into the text this module returns, so it is stored with each
transcript and never recomputed differently.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer

# A line that is only a page marker ("Page 3 of 7", "- 4 -", "--- page break ---") is blanked,
# so a turn broken by a page break reads on and quotes never contain the marker.
_PAGE_MARKER = re.compile(
    r"^[ \t]*(?:-*[ \t]*page[ \t]+\d+(?:[ \t]+of[ \t]+\d+)?[ \t]*-*"
    r"|-+[ \t]*\d+[ \t]*-+"
    r"|-*[ \t]*page[ \t]*break[ \t]*-*)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


class DecodeError(ValueError):
    """The bytes are not text we can read (binary, empty, or of unknown encoding)."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    note: str = ""  # set when the file was converted from a non-UTF-8 encoding


def decode(data: bytes) -> Decoded:
    """Decode bytes to str, detecting BOMs and legacy encodings; refuse binary data."""
    decoded = _decode(data)
    if not decoded.text.strip():
        raise DecodeError("the file is empty")
    return decoded


def _decode(data: bytes) -> Decoded:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(enc), enc + " (BOM)")
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {enc} byte-order mark but is not valid "
                                  f"{enc} (byte {exc.start})") from exc
    if b"\x00" in data:
        raise DecodeError("binary file (contains NUL bytes); expected text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    # Windows-1252 is what legacy English and French transcripts almost always are: use it
    # whenever the bytes are valid cp1252, otherwise take the detector's best guess.
    try:
        return Decoded(data.decode("cp1252"), "cp1252",
                       note="not UTF-8; decoded as cp1252 and converted")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding in ("utf_8", "ascii"):
        line = data[:bad_at].count(b"\n") + 1
        raise DecodeError(f"not valid UTF-8 (first bad byte on line {line}) and the encoding "
                          f"could not be detected; save the file as UTF-8")
    return Decoded(str(best), best.encoding,
                   note=f"not UTF-8; decoded as {best.encoding} and converted")


def normalise(text: str) -> str:
    """NFC, ``\\n`` newlines, no BOM or form feeds, no trailing spaces, page markers blanked.

    Line numbers are preserved: every transformation keeps the number of newlines.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").replace("\f", "")
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _PAGE_MARKER.sub("", text)


def count_words(text: str) -> int:
    return len(re.findall(r"[^\W_]+(?:['’\-][^\W_]+)*", text))
