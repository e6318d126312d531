"""Hostile REFI-QDA files (.qdpx projects, .qdc codebooks): a project, or a `RefiError` naming
the file; never a crash, and never a zip bomb expanded."""
from __future__ import annotations

import copy
import io
import re
import tracemalloc
import xml.etree.ElementTree as ET
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.codebook.model import Code, Codebook
from pipeline.core.archives import LIMITS
from pipeline.formats.refi.codebook import export_qdc, import_qdc
from pipeline.formats.refi.project import Coding, Project, Source, export_qdpx
from pipeline.formats.refi.project_reader import import_qdpx
from pipeline.formats.refi.qdaxml import RefiError
from tests.hostile import MiB, damaged_zips, examples, fragments, zip_bomb, zip_bytes

PATH = "codebooks/codings/hostile.qdpx"
TEXT = "Interviewer: why?\nP: Because 👩‍🏫 teachers asked.\r\nÉlodie: yes."
BOOK = Codebook("Tiny", "", (
    Code("family", "Family", "Groups.", codable=False),
    Code("decision", "Décision", "A decision.", parent="family", color="#2ca02c"),
    Code("share", "Shared", "Shared.", include="Use for 'we'."),
))
PROJECT = Project("Tiny", BOOK, (Source("O1_Principal#1_5.14", TEXT),), (), (
    Coding("O1_Principal#1_5.14", 21, 28, "decision", "Ana"),
    Coding("O1_Principal#1_5.14", 0, 11, "share", "Bruno")), ("Ana", "Bruno"))
SOUND = export_qdpx(PROJECT)
with zipfile.ZipFile(io.BytesIO(SOUND)) as _zip:
    MEMBERS = {name: _zip.read(name) for name in _zip.namelist()}
QDE = MEMBERS["project.qde"].decode("utf-8")

# What an XML parser, or our reader of positions and GUIDs, treats specially.
XML_TOKENS = ["<", ">", "/>", "</Code>", "<Code guid='x'>", "&amp;", "&bogus;", "&#0;",
              "&#x110000;", "<![CDATA[", "]]>", "<!--", "-->", "<?xml version='1.0' "
              "encoding='utf-16'?>", "<!DOCTYPE p [<!ENTITY e 'eeeeeeeeee'>]>", "&e;",
              "<!ENTITY % p SYSTEM 'file:///etc/passwd'>", '"', "'", "=", "\x00", "\ud800",
              "<PlainTextSelection guid='{00000000-0000-0000-0000-000000000000}' "
              "startPosition='0' endPosition='1'>", "<Sources>", "</Sources>", "<TextSource "
              "name='x' plainTextPath='internal://../../x.txt'>", " xmlns:a='urn:a'", "é"]
ATTRIBUTE_VALUES = ["", "-1", "1e9", "99999999999999999999", "０", " 3", "x", "{", "}",
                    "internal://", "internal://nope.txt", "relative://a", "NaN", "true"]


@st.composite
def damaged_xml(draw: st.DrawFn, sound: bytes) -> bytes:
    """Our own XML (a project.qde, a .qdc) with elements deleted or repeated, attributes and
    texts changed (still well-formed), and sometimes raw fragments inserted or the end cut."""
    root = ET.fromstring(sound)
    for _ in range(draw(st.integers(0, 4))):
        elements = list(root.iter())
        el = elements[draw(st.integers(0, len(elements) - 1))]
        parent = next((p for p in elements if el in list(p)), None)
        how = draw(st.sampled_from(["attribute", "attribute", "drop", "repeat", "text"]))
        if how == "attribute" and el.attrib:
            name = draw(st.sampled_from(sorted(el.attrib)))
            if draw(st.booleans()):
                del el.attrib[name]
            else:
                el.set(name, draw(st.one_of(st.sampled_from(ATTRIBUTE_VALUES),
                                            st.text(max_size=6))))
        elif how == "drop" and parent is not None:
            parent.remove(el)
        elif how == "repeat" and parent is not None:
            parent.append(copy.deepcopy(el))
        elif how == "text":
            el.text = draw(st.text(max_size=10))
    text = ET.tostring(root, encoding="unicode")
    if draw(st.integers(0, 3)) == 0:
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(fragments(XML_TOKENS, 3)) + text[at:]
        if draw(st.booleans()):
            text = text[:draw(st.integers(0, len(text)))]
    return text.encode("utf-8", "surrogatepass")


def check_project(data: bytes) -> None:
    try:
        project, losses = import_qdpx(data, PATH)
    except RefiError as exc:
        assert str(exc).startswith(PATH)
        return
    assert all(isinstance(loss, str) for loss in losses)
    names = {s.name for s in project.sources}
    for c in project.codings:   # what the code stage relies on: a span of a known source
        assert c.source in names and c.code_id in project.codebook
        text = next(s.text for s in project.sources if s.name == c.source)
        assert 0 <= c.start <= c.end <= len(text)


@settings(max_examples=examples(150))
@given(damaged_xml(MEMBERS["project.qde"]))
def test_any_damaged_project_xml_gives_a_project_or_a_refi_error(qde: bytes) -> None:
    check_project(zip_bytes({**MEMBERS, "project.qde": qde}))


@settings(max_examples=examples(100))
@given(damaged_zips(MEMBERS))
def test_any_damaged_archive_gives_a_project_or_a_refi_error(data: bytes) -> None:
    check_project(data)


@settings(max_examples=examples(50))
@given(st.binary(max_size=200))
def test_random_bytes_are_a_refi_error(data: bytes) -> None:
    with pytest.raises(RefiError, match=f"^{re.escape(PATH)}: "):
        import_qdpx(data, PATH)


@settings(max_examples=examples(100))
@given(damaged_xml(export_qdc(BOOK)))
def test_any_damaged_codebook_gives_codes_or_a_refi_error(xml: bytes) -> None:
    try:
        book = import_qdc(xml, "codebook.qdc")
    except RefiError as exc:
        assert str(exc).startswith("codebook.qdc")
    else:
        assert all(isinstance(c, Code) and c.parent in (None, *book.ids) for c in book.codes)


@pytest.mark.parametrize("qde, fragment", [
    ("<Project name='p'>" + "<Sets>" * 5000 + "</Sets>" * 5000 + "</Project>", "nested"),
    ("<Project name='p'><CodeBook><Codes>" + "<Code guid='{%s}' name='c'>" * 3000
     + "</Code>" * 3000 + "</Codes></CodeBook></Project>", "nested"),
    ("<?xml version='1.0' encoding='bogus'?><Project name='p'/>", "not well-formed XML"),
    ("<!DOCTYPE p [" + "".join(f"<!ENTITY e{i} '" + f"&e{i - 1};" * 10 + "'>"
                               for i in range(1, 10))
     + "<!ENTITY e0 'lol'>]><Project name='&e9;'/>", "not well-formed XML"),
])
def test_found_by_hypothesis(qde: str, fragment: str) -> None:
    """Inputs that once raised RecursionError or LookupError (the entity bomb: expat's own
    amplification limit already refuses it)."""
    if "%s" in qde:
        qde = qde.replace("%s", "00000000-0000-0000-0000-000000000001")
    with pytest.raises(RefiError, match=fragment):
        import_qdpx(zip_bytes({"project.qde": qde.encode()}), PATH)


# ------------------------------------------------------------------------------- zip bombs


def refused_within(data: bytes, fragment: str, most: int = 20 * MiB) -> None:
    """import_qdpx refuses `data` with `fragment` in the message, having allocated less
    than `most` bytes on the way (the bomb is never expanded)."""
    tracemalloc.start()
    try:
        with pytest.raises(RefiError, match=fragment) as info:
            import_qdpx(data, PATH)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(info.value).startswith(PATH) and peak < most, peak


def test_a_project_that_expands_to_800_mib_is_refused_unread() -> None:
    bomb = zip_bomb("project.qde", 800 * MiB)
    assert len(bomb) < 1 * MiB
    refused_within(bomb, "project.qde would expand to 800 MiB, over the limit of 200 MiB")


def test_a_member_that_expands_a_thousandfold_is_refused_under_the_size_limit() -> None:
    bomb = zip_bomb("project.qde", 20 * MiB)
    refused_within(bomb, r"project.qde would expand 10\d\d-fold")


def test_a_source_text_bomb_is_refused() -> None:
    guid = re.search(r"internal://([^\"]+)", QDE)[1]
    others = {k: v for k, v in MEMBERS.items() if not k.endswith(guid)}
    bomb = zip_bomb(f"sources/{guid}", 300 * MiB, others)
    refused_within(bomb, f"sources/{guid} would expand to 300 MiB")


def test_a_header_that_understates_the_size_is_still_bounded() -> None:
    """A member whose directory entry claims 1 KiB but that inflates to 20 MiB: the bounded
    read stops at the claim (the CRC then fails), rather than expanding it all."""
    bomb = bytearray(zip_bomb("project.qde", 20 * MiB))
    cd = bomb.rindex(b"PK\x01\x02")
    bomb[cd + 24:cd + 28] = (1024).to_bytes(4, "little")   # uncompressed size
    refused_within(bytes(bomb), "project.qde (cannot be read|expands beyond)")


def test_limits_are_what_the_docs_say() -> None:
    assert (LIMITS.member, LIMITS.total, LIMITS.ratio) == (200 * MiB, 500 * MiB, 200)
