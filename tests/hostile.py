"""Hypothesis strategies for hostile input, shared by the ``test_hostile.py`` modules: random
YAML (well-formed data of any shape, then damaged), random CSV, random bytes, and the
handcrafted bombs (YAML aliases, zips that expand a thousandfold)."""
from __future__ import annotations

import io
import os
import string
import struct
import zipfile
import zlib

import yaml
from hypothesis import strategies as st

# How hard to search: QDA_HOSTILE_SCALE=20 multiplies every test's examples (and
# `--hypothesis-profile=qda-explore` draws fresh ones each run rather than the fixed ones).
SCALE = int(os.environ.get("QDA_HOSTILE_SCALE", "1"))
# `make test` draws half of them (conftest sets QDA_HOSTILE_SHARE without --slow), to stay
# within a minute; `make test-all`, which CI runs, draws them all.
SHARE = float(os.environ.get("QDA_HOSTILE_SHARE", "1"))


def examples(n: int) -> int:
    return max(10, round(n * SCALE * SHARE))


# ---------------------------------------------------------------------------------- YAML

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30),
                    st.floats(allow_nan=True), st.text(max_size=20))
keys = st.one_of(st.text(max_size=10), st.integers(-5, 5), st.booleans(), st.none())
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=12)

# Fragments that mean something to a YAML parser: tags that fail to construct, aliases and
# anchors, merge keys, flow and block indicators, characters YAML refuses.
YAML_TOKENS = ["!!int ", "!!float ", "!!timestamp ", "!!binary ", "!!set ", "!!map ", "!!seq ",
               "!!str ", "!!python/object:os.system ", "!!omap ", "!custom ", "*a", "&a ",
               "<<: ", "? ", ": ", "- ", "[", "]", "{", "}", ",", "|", ">", "'", '"', "#",
               "%YAML 1.1\n", "---\n", "...\n", "\t", "\n", "  ", "\x00", "\ufeff", "\ud800",
               "\x85", "\u2028", "2001-13-45", "0x", "1e9999", ".nan", "~", "é"]


def fragments(pieces: list[str], most: int) -> st.SearchStrategy[str]:
    """Up to `most` of `pieces` joined: text made of what a parser treats specially."""
    return st.lists(st.sampled_from(pieces), max_size=most).map("".join)


@st.composite
def damaged(draw: st.DrawFn, text: str) -> str:
    """`text` with a few YAML-significant fragments inserted or characters deleted."""
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        if text and draw(st.booleans()):
            text = text[:at] + text[at + 1:]
        else:
            text = text[:at] + draw(st.sampled_from(YAML_TOKENS)) + text[at:]
    return text


def yaml_documents(shape: st.SearchStrategy) -> st.SearchStrategy[str]:
    """YAML text: `shape` dumped as YAML (block or flow style), possibly damaged, or noise."""
    dumped = st.builds(lambda v, flow: yaml.safe_dump(v, default_flow_style=flow,
                                                      allow_unicode=True),
                       shape, st.booleans())
    noise = fragments(YAML_TOKENS + list("abc:-01 "), 20)
    return st.one_of(dumped, dumped.flatmap(damaged), noise)


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """The "billion laughs" in YAML: about 700 bytes that expand to 9**9 strings when walked."""
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------- CSV

CSV_TOKENS = [",", '"', '""', "\n", "\r\n", "\r", "\x00", "\ufeff", " ", "\t", ";", "é",
              "-1", "0", "99999999999999999999", "1.5", "１２", "²", "١", "NaN", "O", "O1", ""]


def csv_text(columns: list[str]) -> st.SearchStrategy[str]:
    """CSV text: a header of (some of) `columns` and other names, then rows of CSV-hostile
    fields (quotes, newlines inside fields, NUL, ragged rows), or plain noise."""
    field = st.one_of(st.text(max_size=12), fragments(CSV_TOKENS, 6))
    header = st.lists(st.one_of(st.sampled_from(columns), st.text(max_size=6)),
                      min_size=0, max_size=len(columns) + 2)
    rows = st.lists(st.lists(field, max_size=len(columns) + 2), max_size=6)
    table = st.builds(lambda h, rs: "\n".join(",".join(r) for r in [h, *rs]), header, rows)
    full = st.builds(lambda rs: "\n".join(",".join(r) for r in [columns, *rs]), rows)
    return st.one_of(full, table, fragments(CSV_TOKENS + list("ab"), 40))


def encoded(text: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """Text as bytes in UTF-8 (mostly), or in an encoding the reader does not expect."""
    return st.one_of(
        text.map(lambda t: t.encode("utf-8", "surrogatepass")),
        text.map(lambda t: t.encode("utf-16", "surrogatepass")),
        text.map(lambda t: t.encode("cp1252", "replace")),
        st.binary(max_size=64))


# ----------------------------------------------------------------------------------- zips

MiB = 1024 * 1024


def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb(member: str, size: int, others: dict[str, bytes] | None = None) -> bytes:
    """A sound zip (CRC and all) whose `member` expands to `size` bytes of zeros, about
    1000:1, built in well under a second: each MiB of zeros deflates to the same block once
    the compressor is flushed (Z_FULL_FLUSH forgets the window), so one block is repeated,
    and the expanded data is never held."""
    chunk = b"\0" * MiB
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    whole, rest = divmod(size, MiB)
    tail = deflate.compress(b"\0" * rest) + deflate.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(whole):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(b"\0" * rest, crc)
    return _with_member(others or {}, member, block * whole + tail, crc, size)


def _with_member(others: dict[str, bytes], name: str, body: bytes, crc: int, size: int
                 ) -> bytes:
    """A zip of `others` plus one member of deflated `body`, with a fresh central directory
    for all of them."""
    first = zip_bytes(others)
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        old = z.infolist()
        prefix = first[:z.start_dir]   # their local headers and data, not their directory
    raw = name.encode()
    offset = len(prefix)
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(body), size,
                        len(raw), 0) + raw
    central = b"".join(_central(i.filename.encode(), i.compress_type, i.CRC, i.compress_size,
                                i.file_size, i.header_offset) for i in old)
    central += _central(raw, 8, crc, len(body), size, offset)
    start = offset + len(local) + len(body)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(old) + 1, len(old) + 1, len(central),
                      start, 0)
    return prefix + local + body + central + end


def _central(name: bytes, method: int, crc: int, csize: int, usize: int, offset: int) -> bytes:
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc,
                       csize, usize, len(name), 0, 0, 0, 0, 0, offset) + name


@st.composite
def damaged_zips(draw: st.DrawFn, members: dict[str, bytes]) -> bytes:
    """A sound zip of `members`, then truncated, with bytes flipped, or left alone."""
    method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED,
                                   zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2]))
    data = bytearray(zip_bytes(members, method))
    how = draw(st.sampled_from(["sound", "truncated", "flipped", "both"]))
    if how in ("flipped", "both"):
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, len(data) - 1))
            data[at] = draw(st.integers(0, 255))
    if how in ("truncated", "both"):
        data = data[:draw(st.integers(0, len(data)))]
    return bytes(data)


XML_PIECES = ["<", ">", "/>", "&amp;", "&bogus;", "&#0;", "<!DOCTYPE x [<!ENTITY e 'eeee'>]>",
              "&e;", "<![CDATA[x]]>", "\x00", '"', "'", "=", "<v>", "</v>", "<row r='x'>",
              "</row>", "<c r='ZZZZZZZ1' t='s'><v>99</v></c>", "<c t='n'><v>abc</v></c>",
              "<w:p>", "</w:p>", "<w:t>", "</w:t>", " r=\"-1\"", " t=\"e\""]


@st.composite
def damaged_members(draw: st.DrawFn, members: dict[str, bytes]) -> bytes:
    """A sound zip of `members` (an Office file) with XML fragments inserted into one or two
    of its XML parts, or one of them cut short."""
    members = dict(members)
    parts = sorted(n for n in members if n.endswith((".xml", ".rels")))
    for name in draw(st.lists(st.sampled_from(parts), min_size=1, max_size=2, unique=True)):
        xml = members[name].decode("utf-8")
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(xml)))
            xml = xml[:at] + draw(fragments(XML_PIECES, 3)) + xml[at:]
        if draw(st.integers(0, 4)) == 0:
            xml = xml[:draw(st.integers(0, len(xml)))]
        members[name] = xml.encode("utf-8", "surrogatepass")
    return zip_bytes(members)


identifiers = st.text(string.ascii_lowercase + "_0123456789", min_size=1, max_size=8)
