"""Decode transcript bytes and normalise text (UTF-8, NFC, ``\\n`` newlines).

Offsets everywhere else point into the text this module returns, so it is stored with each
transcript and never recomputed differently.
"""
from __future__ import annotations

import codecs
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
# UTF-32's marks first: UTF-32-LE's begins with UTF-16-LE's.
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"),
         (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"),
         (b"\xfe\xff", "utf-16-be"))


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
        wide = _wide_without_bom(data)
        if wide is None:
            raise DecodeError("binary file (contains NUL bytes); expected text")
        return wide
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    mostly = _utf8_with_stray_bytes(data)
    if mostly is not None:
        return mostly
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


def _wide_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 or UTF-32 text saved without a byte-order mark: in English and French text
    nearly every other (or three in four) byte is zero, in a fixed position."""
    def zeros(start: int, step: int) -> float:
        part = data[start::step]
        return part.count(0) / len(part) if part else 0.0
    candidates = []
    if len(data) % 4 == 0:
        candidates += [("utf-32-le", zeros(1, 4) + zeros(2, 4) + zeros(3, 4) > 2.7),
                       ("utf-32-be", zeros(0, 4) + zeros(1, 4) + zeros(2, 4) > 2.7)]
    if len(data) % 2 == 0:
        candidates += [("utf-16-le", zeros(1, 2) > 0.9 and zeros(0, 2) < 0.1),
                       ("utf-16-be", zeros(0, 2) > 0.9 and zeros(1, 2) < 0.1)]
    for enc, fits in candidates:
        if fits:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            return Decoded(text, f"{enc} (no BOM)",
                           note=f"no byte-order mark; read as {enc} and converted")
    return None


def _utf8_with_stray_bytes(data: bytes) -> Decoded | None:
    """UTF-8 text with a few bytes of another encoding pasted in (a name typed in a Latin-1
    editor): the UTF-8 is kept, each stray byte is read as cp1252, and the note says where.
    None when the file holds no valid multi-byte UTF-8 at all (then it is a legacy file)."""
    bad: list[int] = []

    def repair(exc: UnicodeDecodeError) -> tuple[str, int]:
        bad.append(exc.start)
        return data[exc.start:exc.start + 1].decode("cp1252", errors="replace"), exc.start + 1
    codecs.register_error("qda-stray-cp1252", repair)
    text = data.decode("utf-8", errors="qda-stray-cp1252")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - len(bad)
    if multibyte <= 0:
        return None
    lines = sorted({data[:i].count(b"\n") + 1 for i in bad})
    where = ", ".join(map(str, lines[:5])) + (" ..." if len(lines) > 5 else "")
    return Decoded(text, "utf-8 (with stray bytes)",
                   note=f"{len(bad)} byte(s) on line(s) {where} are not valid UTF-8; read as "
                        f"cp1252 (the rest of the file is UTF-8)")


def normalise(text: str) -> str:
    """NFC, ``\\n`` newlines, no BOM or form feeds, no trailing spaces, page markers blanked.

    Line numbers are preserved: every transformation keeps the number of newlines.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").replace("\f", "")
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _PAGE_MARKER.sub("", text)


def normalise_mapped(text: str) -> tuple[str, list[int] | None]:
    """`normalise(text)` and the offsets, in the file's text as other tools count it (decoded,
    newlines read as ``\\n``), of every character normalisation dropped (trailing spaces, BOMs,
    form feeds, page markers, combining marks NFC folded into their letter). A file offset
    `o` is then transcript offset `o - (dropped characters before o)`. None when NFC changed
    a line in a way that is not a pure fold (the offsets cannot be carried over)."""
    flat = text.replace("\r\n", "\n").replace("\r", "\n")
    dropped: list[int] = []
    out_lines: list[str] = []
    pos = 0
    for line in flat.split("\n"):
        kept = _fold_line(line, pos, dropped)
        if kept is None:
            return normalise(text), None
        # What is gone from the end of the line (trailing spaces, a whole page marker) is
        # dropped at the line's end in the file too, after any characters dropped inside it.
        stripped = "" if _PAGE_MARKER.fullmatch(kept) else kept.rstrip()
        gone = len(kept) - len(stripped)
        if gone:
            dropped.extend(_last_kept(line, pos, dropped, gone))
        out_lines.append(stripped)
        pos += len(line) + 1
    return "\n".join(out_lines), sorted(dropped)


def _fold_line(line: str, pos: int, dropped: list[int]) -> str | None:
    """One line without BOMs and form feeds and in NFC; the file offsets of the characters
    that go are added to `dropped`. Most lines need nothing, and are not walked."""
    if "\ufeff" not in line and "\f" not in line and unicodedata.is_normalized("NFC", line):
        return line
    chars: list[str] = []
    for i, ch in enumerate(line):
        if ch in "\ufeff\f":
            dropped.append(pos + i)
        elif chars and unicodedata.combining(ch) and len(
                unicodedata.normalize("NFC", chars[-1] + ch)) == 1:
            chars[-1] = unicodedata.normalize("NFC", chars[-1] + ch)
            dropped.append(pos + i)
        else:
            chars.append(ch)
    folded = "".join(chars)
    return folded if unicodedata.is_normalized("NFC", folded) else None


def _last_kept(line: str, pos: int, dropped: list[int], n: int) -> list[int]:
    """File offsets of the last `n` characters of `line` that folding kept."""
    gone = {d for d in dropped[-len(line):] if d >= pos} if dropped else set()
    kept: list[int] = []
    i = pos + len(line) - 1
    while len(kept) < n and i >= pos:
        if i not in gone:
            kept.append(i)
        i -= 1
    return kept


def file_to_transcript(offset: int, dropped: list[int]) -> int:
    """A file offset (see `normalise_mapped`) as an offset into the normalised text."""
    from bisect import bisect_left

    return offset - bisect_left(dropped, offset)


def find_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Where `quote` occurs in `text`, as (start, end): exact matches, or else matches that
    allow any whitespace between its words (a quote copied across a line break)."""
    exact = [(m.start(), m.end()) for m in re.finditer(re.escape(quote), text)]
    if exact or not quote.split():
        return exact
    loose = re.compile(r"\s+".join(map(re.escape, quote.split())))
    return [(m.start(), m.end()) for m in loose.finditer(text)]


def count_words(text: str) -> int:
    return len(re.findall(r"[^\W_]+(?:['’\-][^\W_]+)*", text))
