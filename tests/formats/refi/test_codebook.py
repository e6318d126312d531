"""REFI-QDA codebooks (.qdc): schema-valid export, lossless round trip, foreign files."""
from __future__ import annotations

import re
import uuid

import pytest

from pipeline.codebook.model import Code, Codebook, Example
from pipeline.formats.refi.codebook import (
    describe,
    export_qdc,
    import_qdc,
    parse_description,
    slug,
)
from pipeline.formats.refi.qdaxml import GUID_NAMESPACE, RefiError, validate

FOREIGN_GUID = "{8C1A7E2B-1111-4A2B-9C3D-0123456789AB}"


def make_book() -> Codebook:
    return Codebook("LfM test", "1.0", (
        Code("lfm_principles", "LfM principles", "The principles of the Consortium.",
             codable=False, color="#1f77b4"),
        Code("lfm_collective_responsibility", "Collective responsibility",
             "Everyone owns every student's learning.", parent="lfm_principles",
             include="Shared ownership across schools.",
             exclude="Marking duties; use workload instead.",
             examples=(Example("every kid in the board is all of our kids",
                               "O8_Director#1_5.24 ¶7"), Example("ours, not mine")),
             color="#ff7f0e"),
        Code("lfm_initiative", "Élan & initiative", "Acting before being asked.",
             parent="lfm_principles", guid=FOREIGN_GUID),
        Code("workload", "Workload", "Time pressure on staff."),
    ))


def test_export_validates_against_codebook_xsd() -> None:
    xml = export_qdc(make_book())
    assert validate(xml, "Codebook.xsd") == []
    assert b"<Sets" not in xml   # an empty <Sets/> is invalid (Taguette's mistake)


def test_export_nests_codes_and_uses_stable_guids() -> None:
    xml = export_qdc(make_book()).decode("utf-8")
    assert xml == export_qdc(make_book()).decode("utf-8")
    principles = str(uuid.uuid5(GUID_NAMESPACE, "lfm_principles"))
    assert f'guid="{principles}" name="LfM principles" isCodable="false"' in xml
    assert f'guid="{FOREIGN_GUID}"' in xml
    # children sit inside their parent's element, before it closes
    parent_at = xml.index("LfM principles")
    assert parent_at < xml.index("Collective responsibility") < xml.index("Workload")
    assert xml.count("</Code>") == 4


def test_description_layout_is_readable_and_parses_back() -> None:
    code = make_book()["lfm_collective_responsibility"]
    text = describe(code)
    assert text.splitlines()[0] == "Everyone owns every student's learning."
    assert "Use when: Shared ownership across schools." in text
    assert "Do not use when: Marking duties; use workload instead." in text
    assert "Example (O8_Director#1_5.24 ¶7): every kid in the board" in text
    back = parse_description(text)
    assert back["definition"] == code.definition
    assert (back["include"], back["exclude"], back["id"]) == (code.include, code.exclude,
                                                              code.id)
    assert back["examples"] == code.examples


def test_round_trip_keeps_ids_labels_parents_definitions_colours() -> None:
    book = make_book()
    back = import_qdc(export_qdc(book), "lfm.qdc")
    fields = ("id", "label", "parent", "definition", "include", "exclude", "examples",
              "color", "codable")
    assert [[getattr(c, f) for f in fields] for c in back.codes] == \
        [[getattr(c, f) for f in fields] for c in book.codes]
    # a GUID we derived is not worth keeping; a foreign one is
    assert [c.guid for c in back.codes] == ["", "", FOREIGN_GUID, ""]
    assert {c.path for c in back.codes} == {"lfm.qdc"}
    assert back.files == ("lfm.qdc",)


def test_foreign_codebook_gets_snake_case_ids() -> None:
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Other tool">
  <Codes>
    <Code guid="{FOREIGN_GUID}" name="1. Oltás típusa" isCodable="false" color="#A3c">
      <Description>COVID or not
second line</Description>
      <Code guid="11111111-2222-3333-4444-555555555555" name="Trust / distrust"
            isCodable="true"/>
      <Code guid="11111111-2222-3333-4444-666666666666" name="trust  distrust"
            isCodable="1"/>
    </Code>
    <Code guid="11111111-2222-3333-4444-777777777777" name="Straße ✨" isCodable="true"/>
  </Codes>
  <Sets><Set guid="11111111-2222-3333-4444-888888888888" name="s"/></Sets>
</CodeBook>""".encode()
    losses: list[str] = []
    book = import_qdc(xml, "foreign.qdc", losses)
    assert book.ids == ["code_1_oltas_tipusa", "trust_distrust", "trust_distrust_2", "strasse"]
    top = book["code_1_oltas_tipusa"]
    assert (top.label, top.guid, top.codable, top.color) == ("1. Oltás típusa", FOREIGN_GUID,
                                                             False, "#AA33cc")
    assert top.definition == "COVID or not\nsecond line"
    assert book["trust_distrust_2"].parent == "code_1_oltas_tipusa"
    assert book["strasse"].parent is None
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in book.ids)
    assert losses == ["1 × <Set> discarded (sets of codes or sources)"]


@pytest.mark.parametrize("name, expected", [
    ("Collective responsibility", "collective_responsibility"),
    ("  Élan & initiative!! ", "elan_initiative"),
    ("2. Attitűd szint", "code_2_attitud_szint"),
    ("Праздник", "code"),
])
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_validate_reports_taguette_style_empty_sets() -> None:
    xml = (b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="'
           + FOREIGN_GUID.encode() + b'" name="x" isCodable="true"/></Codes><Sets/></CodeBook>')
    problems = validate(xml, "Codebook.xsd")
    assert len(problems) == 1 and "Set" in problems[0]
    assert validate(b"<CodeBook", "Codebook.xsd")[0].startswith("not well-formed XML")


@pytest.mark.parametrize("body, message", [
    (f'<Code guid="{FOREIGN_GUID}" isCodable="true"/>',
     f"codebook.qdc: <Code guid={FOREIGN_GUID}> lacks the required attribute 'name'"),
    ('<Code name="Trust" isCodable="true"/>',
     "codebook.qdc: <Code name=Trust> lacks the required attribute 'guid'"),
    ('<Code guid="not-a-guid" name="Trust" isCodable="true"/>', "which is not a GUID"),
    (f'<Code guid="{FOREIGN_GUID}" name="a" isCodable="yes"/>', "isCodable='yes'"),
    (f'<Code guid="{FOREIGN_GUID}" name="a" isCodable="true"/>'
     f'<Code guid="{FOREIGN_GUID.lower()}" name="b" isCodable="true"/>', "appears twice"),
])
def test_bad_foreign_codebooks_name_the_element(body: str, message: str) -> None:
    xml = f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{body}</Codes></CodeBook>'
    with pytest.raises(RefiError, match=re.escape(message)):
        import_qdc(xml.encode(), "codebook.qdc")


def test_not_a_codebook() -> None:
    with pytest.raises(RefiError, match="codebook.qdc: not well-formed XML"):
        import_qdc(b"id,label\nx,y\n", "codebook.qdc")
    with pytest.raises(RefiError, match="root element is <Project>"):
        import_qdc(b'<Project name="p"/>', "codebook.qdc")
    with pytest.raises(RefiError, match="<CodeBook> has no <Codes>"):
        import_qdc(b"<CodeBook/>", "codebook.qdc")
    assert isinstance(RefiError("x"), ValueError)


def test_export_refuses_what_it_cannot_write() -> None:
    with pytest.raises(ValueError, match="at least one code"):
        export_qdc(Codebook("empty", "", ()))
    with pytest.raises(ValueError, match="unknown"):
        export_qdc(Codebook("b", "", (Code("a", "A", "d", parent="unknown"),)))
    with pytest.raises(ValueError, match="cycle"):
        export_qdc(Codebook("b", "", (Code("a", "A", "d", parent="b"),
                                      Code("b", "B", "d", parent="a"))))
