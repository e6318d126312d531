"""Hostile input to the readers every researcher file goes through: YAML (aliases, nesting,
bad tags), CSV (huge fields, stray carriage returns), zip archives (bombs, damage) and filled
sheets. Only a result or the project's own error may come out."""
from __future__ import annotations

import io
import tracemalloc
import zipfile

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.archives import (
    LIMITS,
    ArchiveError,
    BoundedReader,
    Limits,
    defused,
    open_archive,
)
from pipeline.core.csvio import FIELD_LIMIT, CsvError, read_rows
from pipeline.core.sheets import read_sheet, to_xlsx
from pipeline.core.yamlio import MAX_DEPTH, YamlError, load, strip
from tests.hostile import (
    MiB,
    alias_bomb,
    csv_text,
    damaged_members,
    damaged_zips,
    examples,
    values,
    yaml_documents,
    zip_bomb,
    zip_bytes,
)

# ------------------------------------------------------------------------------------ YAML


@settings(max_examples=examples(300))
@given(yaml_documents(values))
def test_any_yaml_loads_or_is_a_yaml_error_with_a_line(text: str) -> None:
    try:
        data = load(text)
    except YamlError as exc:
        # YAML counts NEL, LS and PS as line breaks too
        breaks = sum(text.replace("\r\n", "\n").count(c) for c in "\n\r\x85\u2028\u2029")
        assert isinstance(exc.line, int) and 0 <= exc.line <= breaks + 2
        return
    strip(data)   # the walk every loader makes must finish too


def test_an_alias_bomb_is_refused_at_its_first_alias() -> None:
    bomb = alias_bomb()
    assert len(bomb) < 800   # 9**9 strings once expanded and walked
    with pytest.raises(YamlError, match=r"YAML aliases \(\*name\) are not allowed here") as info:
        load(bomb)
    assert info.value.line == 2


@pytest.mark.parametrize("text, line, fragment", [
    ("a: &x {b: 1}\nc:\n  <<: *x\n", 3, "aliases"),
    ("[a]: 1\n", 1, "a key must be a plain value"),
    ("? {a: 1}\n: 1\n", 1, "a key must be a plain value"),
    ("a: !!int\n", 1, "invalid value"),
    ("a: !!timestamp 2001-13-45\n", 1, "invalid value"),
    ("a:\n  b: !!seq {c: 1}\n", 2, "invalid value"),
    ("a: ok\nb: \x00\n", 2, r"character U\+0000 is not allowed"),
    ("x: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n", 1, "nested more than"),
    ("x: " + "[" * 5000 + "]" * 5000 + "\n", 1, "nested more than"),
    ('a: 1\nb: "\\U00123B84"\n', 2, "an escape names no Unicode character"),   # chr()
])
def test_found_by_hypothesis(text: str, line: int, fragment: str) -> None:
    """Inputs that once raised TypeError, ValueError, IndexError, AttributeError, ReaderError
    or RecursionError, or (aliases) expanded without bound."""
    with pytest.raises(YamlError, match=fragment) as info:
        load(text)
    assert info.value.line == line


def test_shipped_yaml_uses_no_aliases() -> None:
    from tests.fixtures import ROOT

    files = sorted((ROOT / "codebooks").rglob("*.yml"))
    assert files
    for path in files:
        load(path.read_text(encoding="utf-8"))   # would raise at an alias


# ------------------------------------------------------------------------------------- CSV


@settings(max_examples=examples(200))
@given(csv_text(["a", "b", "c"]))
def test_any_csv_gives_rows_or_a_csv_error_with_a_line(text: str) -> None:
    try:
        header, rows = read_rows(text)
    except CsvError as exc:
        assert exc.line >= 0
        return
    assert all(isinstance(h, str) for h in header)
    assert [line for line, _ in rows] == sorted(line for line, _ in rows)


def test_fields_up_to_the_limit_are_read_and_beyond_it_refused() -> None:
    header, rows = read_rows("a,b\n1,\"" + "x" * 200_000 + "\"\n")
    assert len(rows[0][1]["b"]) == 200_000   # over the csv module's default of 128 KiB
    with pytest.raises(CsvError, match="a field is longer than 16 MiB") as info:
        read_rows("a,b\n1,2\n3,\"" + "x" * (FIELD_LIMIT + 1) + "\"\n")
    assert info.value.line == 3


# ------------------------------------------------------------------------------------ zips

SOUND = {"a.xml": b"<a>" + b"text " * 400 + b"</a>", "dir/": b"", "b.txt": "é".encode()}


@settings(max_examples=examples(150))
@given(damaged_zips(SOUND))
def test_any_damaged_zip_is_read_or_an_archive_error(data: bytes) -> None:
    try:
        copy = defused(data, "x.zip")
    except ArchiveError as exc:
        assert str(exc).startswith("x.zip: ")
        return
    with zipfile.ZipFile(io.BytesIO(copy)) as archive:
        assert all(i.compress_type == zipfile.ZIP_STORED for i in archive.infolist())
        assert archive.testzip() is None


def peak_while(func) -> int:
    tracemalloc.start()
    try:
        func()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_a_member_over_the_size_limit_is_refused_before_it_is_read() -> None:
    bomb = zip_bomb("big.xml", 300 * MiB)

    def refuse() -> None:
        with pytest.raises(ArchiveError, match="x.zip: big.xml would expand to 300 MiB, over "
                                               "the limit of 200 MiB"):
            defused(bomb, "x.zip")
    assert peak_while(refuse) < 5 * MiB


def test_a_thousandfold_member_is_refused_under_the_size_limit() -> None:
    with pytest.raises(ArchiveError, match=r"big.xml would expand 10\d\d-fold"):
        defused(zip_bomb("big.xml", 5 * MiB), "x.zip")


def test_the_total_is_bounded_too() -> None:
    small = Limits(member=2 * MiB, total=3 * MiB, ratio=10**6)
    data = zip_bytes({f"m{i}": bytes(range(256)) * 4096 for i in range(4)})   # 1 MiB each
    with pytest.raises(ArchiveError, match="the archive would expand to 4 MiB, over the limit "
                                           "of 3 MiB"):
        defused(data, "x.zip", small)
    with open_archive(data, "x.zip") as archive:
        reader = BoundedReader(archive, "x.zip", small)
        for info in archive.infolist()[:3]:
            reader.read(info)
        with pytest.raises(ArchiveError, match="m3 would take what is read from the archive "
                                               "over the limit of 3 MiB"):
            reader.read(archive.infolist()[3])


def test_a_header_that_understates_the_size_cannot_expand_a_bomb() -> None:
    bomb = bytearray(zip_bomb("big.xml", 100 * MiB))
    cd = bomb.rindex(b"PK\x01\x02")
    bomb[cd + 24:cd + 28] = (1024).to_bytes(4, "little")   # the directory's size: 1 KiB

    def refuse() -> None:
        with pytest.raises(ArchiveError, match="big.xml cannot be read"):
            defused(bytes(bomb), "x.zip")
    assert peak_while(refuse) < 5 * MiB


def test_only_deflate_is_accepted() -> None:
    """bzip2 and LZMA inflate a whole block at once, however large."""
    for method in (zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):
        with pytest.raises(ArchiveError, match=f"a.xml uses compression method {method}"):
            defused(zip_bytes(SOUND, method), "x.zip")


def test_the_documented_limits() -> None:
    assert LIMITS == Limits(200 * MiB, 500 * MiB, 200, 1 * MiB)


# ---------------------------------------------------------------------------------- sheets

TABLE = pd.DataFrame({"item_id": ["O3-R1-T01"], "response": ["agree"], "comment": ["é"]})
XLSX = to_xlsx(TABLE, "responses", "response", ("agree", "disagree"), {})
with zipfile.ZipFile(io.BytesIO(XLSX)) as _zip:
    XLSX_MEMBERS = {name: _zip.read(name) for name in _zip.namelist()}


@settings(max_examples=examples(80))
@given(st.one_of(damaged_zips(XLSX_MEMBERS).map(lambda d: (d, "s.xlsx")),
                 damaged_members(XLSX_MEMBERS).map(lambda d: (d, "s.xlsx")),
                 csv_text(list(TABLE.columns)).map(lambda t: (t.encode(), "s.csv")),
                 st.binary(max_size=60).map(lambda d: (d, "s.csv"))))
def test_any_filled_sheet_is_a_table_of_strings_or_a_value_error(sheet: tuple[bytes, str]
                                                                 ) -> None:
    data, name = sheet
    try:
        table = read_sheet(data, name)
    except ValueError:   # what the commands report as "cannot read the sheet (...)"
        return
    assert all(isinstance(v, str) for v in table.to_numpy().ravel())


def test_an_xlsx_bomb_is_refused() -> None:
    bomb = zip_bomb("xl/worksheets/sheet1.xml", 300 * MiB,
                    {k: v for k, v in XLSX_MEMBERS.items() if k != "xl/worksheets/sheet1.xml"})
    with pytest.raises(ValueError, match="sheet1.xml would expand to 300 MiB"):
        read_sheet(bomb, "filled.xlsx")
