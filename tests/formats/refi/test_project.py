"""REFI-QDA projects (.qdpx): valid, reproducible export; round trips; NVivo; bad files."""
from __future__ import annotations

import io
import re
import zipfile

import pytest

from pipeline.codebook.model import Code, Codebook
from pipeline.formats.refi.project import Case, Coding, Project, Source, export_qdpx
from pipeline.formats.refi.project_reader import import_qdpx
from pipeline.formats.refi.qdaxml import RefiError, validate
from tests.fixtures import REALDATA

NVIVO = REALDATA / "nvivo-oltas" / "oltas0517.qdpx"
PATH = "study.qdpx"
TEXT_A = "Café talk 😀: the board decided.\nÉlodie: we share it 🎉 for all kids, élan!"
TEXT_B = "Interviewer: why?\nP: Because 👩‍🏫 teachers asked."


def _span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def make_project() -> Project:
    book = Codebook("Tiny study", "", (
        Code("family", "Family", "Groups the decision codes.", codable=False, path=PATH),
        Code("decision", "Décision", "A decision is reported.", parent="family",
             color="#2ca02c", path=PATH),
        Code("share", "Shared 🎉", "Responsibility is shared.", include="Use for 'we'.",
             path=PATH),
    ), (PATH,))
    a, b = "O1_Principal#1_5.14", "O2_Teacher#1_5.20"
    codings = [
        Coding(a, *_span(TEXT_A, "the board decided"), "decision", "Ana"),
        Coding(a, *_span(TEXT_A, "the board decided"), "decision", "Bruno"),
        Coding(a, *_span(TEXT_A, "we share it 🎉 for all kids"), "share", "Ana"),
        Coding(a, *_span(TEXT_A, "élan"), "share", "Bruno"),
        Coding(b, *_span(TEXT_B, "Because 👩‍🏫 teachers asked."), "decision", "Ana"),
    ]
    return Project(
        "Tiny study", book,
        (Source(a, TEXT_A, attributes=(("role", "Principal"),)), Source(b, TEXT_B)),
        (Case("O1", (("district", "Alder"), ("board", "public")), (a,)),
         Case("O2", (("district", "Birch"),), (b,))),
        tuple(codings), ("Ana", "Bruno"))


def _qde(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("project.qde")


def test_export_validates_and_has_the_standard_layout() -> None:
    data = export_qdpx(make_project())
    qde = _qde(data)
    assert validate(qde, "Project-mrt2019.xsd") == []
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names[0] == "project.qde" and "sources/" in names
    texts = [n for n in names if n.endswith(".txt")]
    assert len(texts) == 2 and all(n.startswith("sources/") for n in texts)
    for name in texts:
        assert f'plainTextPath="internal://{name.removeprefix("sources/")}"'.encode() in qde
    body = zipfile.ZipFile(io.BytesIO(data)).read(texts[0])
    assert body == TEXT_A.encode("utf-8")   # UTF-8, no byte-order mark


def test_positions_are_code_points_with_exclusive_end() -> None:
    qde = _qde(export_qdpx(make_project())).decode("utf-8")
    start, end = _span(TEXT_A, "élan")
    assert len(TEXT_A[:start].encode("utf-8")) != start   # bytes would differ
    assert f'startPosition="{start}" endPosition="{end}"' in qde
    assert TEXT_A[start:end] == "élan"


def test_export_is_deterministic() -> None:
    assert export_qdpx(make_project()) == export_qdpx(make_project())


def test_export_declares_users_variables_and_cases() -> None:
    qde = _qde(export_qdpx(make_project())).decode("utf-8")
    assert qde.count("<User ") == 2 and 'name="Ana"' in qde
    for variable in ("board", "district", "role"):
        assert f'name="{variable}" typeOfVariable="Text"' in qde
    assert qde.count("<SourceRef ") == 2 and "<TextValue>Alder</TextValue>" in qde
    assert "creationDateTime" not in qde   # no clock in the output


def test_round_trip_is_exact() -> None:
    project = make_project()
    back, losses = import_qdpx(export_qdpx(project), PATH)
    assert back == project
    assert losses == []


def test_export_refuses_dangling_references() -> None:
    project = make_project()
    bad = Project(project.name, project.codebook, project.sources,
                  codings=(Coding("nope", 0, 1, "share", "Ana"),))
    with pytest.raises(ValueError, match="no source named 'nope'"):
        export_qdpx(bad)
    bad = Project(project.name, project.codebook, project.sources,
                  codings=(Coding(project.sources[1].name, 0, 999, "share", "Ana"),))
    with pytest.raises(ValueError, match="outside"):
        export_qdpx(bad)


# ----------------------------------------------------------------- the NVivo 12.6 export


@pytest.fixture(scope="module")
def nvivo() -> tuple[Project, list[str]]:
    if not NVIVO.is_file():
        pytest.skip("../shared (NVivo sample) is not present")
    return import_qdpx(NVIVO.read_bytes(), NVIVO.name)


def test_nvivo_import_counts(nvivo: tuple[Project, list[str]]) -> None:
    project, losses = nvivo
    assert len(project.codebook.codes) == 152
    assert len(project.codings) == 303
    assert project.users == ("Gergo", "floriansipos")
    assert len(project.sources) == 2
    assert len(set(project.codebook.ids)) == 152
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in project.codebook.ids)
    assert all(c.guid for c in project.codebook.codes)   # NVivo's GUIDs are kept
    assert max(len(project.codebook.ancestors(i)) for i in project.codebook.ids) == 3
    assert {c.coder for c in project.codings} == {"Gergo"}
    assert losses == [
        "2 × rich-text copies of text sources (richTextPath) discarded; the plain text is used",
        "2 × text sources with CRLF newlines turned into \\n (positions adjusted)",
        "2 × text sources with positions converted from UTF-16 units to code points",
    ]


def test_nvivo_positions_land_on_comment_boundaries(nvivo: tuple[Project, list[str]]) -> None:
    # NVivo counts UTF-16 units over CRLF text; most of its codings cover whole lines, so
    # after conversion they must start after a newline and end before one.
    project, _ = nvivo
    texts = {s.name: s.text for s in project.sources}
    assert all("\r" not in t and not t.startswith("\ufeff") for t in texts.values())

    def whole_lines(c: Coding) -> bool:
        text = texts[c.source]
        return (c.start == 0 or text[c.start - 1] == "\n") and \
            (c.end == len(text) or text[c.end] == "\n")

    assert sum(map(whole_lines, project.codings)) >= 270
    naive, _ = import_qdpx(NVIVO.read_bytes(), NVIVO.name, offsets="codepoints")
    assert sum(map(whole_lines, naive.codings)) < 30


def test_nvivo_round_trip(nvivo: tuple[Project, list[str]]) -> None:
    project, _ = nvivo
    data = export_qdpx(project)
    assert validate(_qde(data), "Project-mrt2019.xsd") == []
    again, losses = import_qdpx(data, "again.qdpx")
    assert losses == []

    def tree(p: Project) -> list[tuple]:
        return [(c.id, c.label, c.parent, c.codable, c.guid, c.definition)
                for c in p.codebook.codes]

    assert tree(again) == tree(project)
    assert again.codings == project.codings
    assert again.sources == project.sources and again.users == project.users


# ------------------------------------------------------------------------ foreign files

U1, U2 = "aaaaaaaa-0000-4000-8000-000000000001", "aaaaaaaa-0000-4000-8000-000000000002"
C1, S1, S2 = ("cccccccc-0000-4000-8000-000000000001", "5555aaaa-0000-4000-8000-000000000001",
              "5555aaaa-0000-4000-8000-000000000002")
V1 = "77777777-0000-4000-8000-000000000001"


def _guid(n: int) -> str:
    return f"99999999-0000-4000-8000-{n:012d}"


def foreign_qde(selection: str = "") -> str:
    selection = selection or f"""
      <PlainTextSelection guid="{_guid(1)}" startPosition="3" endPosition="7"
                          creatingUser="{U2}">
        <Coding guid="{_guid(2)}"><CodeRef targetGUID="{C1}"/></Coding>
        <Coding guid="{_guid(3)}" creatingUser="{_guid(99)}"><CodeRef targetGUID="{C1}"/>
        </Coding>
        <NoteRef targetGUID="{_guid(4)}"/>
      </PlainTextSelection>
      <PlainTextSelection guid="{_guid(5)}" startPosition="0" endPosition="2"/>"""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Foreign" origin="SomeTool 1.0">
  <Users><User guid="{U1}" name="Ana"/><User guid="{U2}" id="B"/></Users>
  <CodeBook><Codes><Code guid="{C1}" name="Trust" isCodable="true"/></Codes></CodeBook>
  <Variables>
    <Variable guid="{V1}" name="Age" typeOfVariable="Integer"/>
  </Variables>
  <Cases>
    <Case guid="{_guid(10)}" name="P1">
      <CodeRef targetGUID="{C1}"/>
      <VariableValue><VariableRef targetGUID="{V1}"/><IntegerValue>41</IntegerValue>
      </VariableValue>
      <SourceRef targetGUID="{S1}"/><SourceRef targetGUID="{S2}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{S1}" name="inline">
      <Description>About the interview</Description>
      <PlainTextContent>ab 😀 cdé</PlainTextContent>{selection}
      <Coding guid="{_guid(6)}"><CodeRef targetGUID="{C1}"/></Coding>
    </TextSource>
    <PDFSource guid="{S2}" name="scan.pdf" path="internal://{S2}.pdf"/>
  </Sources>
  <Notes><Note guid="{_guid(4)}" name="memo"><PlainTextContent>m</PlainTextContent></Note>
  </Notes>
  <Links><Link guid="{_guid(7)}" originGUID="{C1}" targetGUID="{S1}"/></Links>
  <Sets><Set guid="{_guid(8)}" name="set"><MemberCode targetGUID="{C1}"/></Set></Sets>
</Project>"""


def zipped(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def test_foreign_project_reads_what_it_can_and_counts_the_rest() -> None:
    project, losses = import_qdpx(zipped({"project.qde": foreign_qde()}), "foreign.qdpx")
    assert project.users == ("Ana", "B")
    assert project.sources == (Source("inline", "ab 😀 cdé", S1),)
    # the first coding has no user of its own: the selection's creator codes it; an unknown
    # user stays a GUID
    assert project.codings == (Coding("inline", 3, 7, "trust", _guid(99)),
                               Coding("inline", 3, 7, "trust", "B"))
    assert project.cases == (Case("P1", (("Age", "41"),), ("inline",)),)
    assert project.codebook["trust"].guid == C1
    assert losses == [
        "1 × <CodeRef> discarded (codes attached to cases)",
        "1 × <Coding> discarded (codings of a whole source, without a selection)",
        "1 × <Description> discarded (descriptions)",
        "1 × <Link> discarded (links between objects)",
        "1 × <Note> discarded (memos)",
        "1 × <NoteRef> discarded (references to notes)",
        "1 × <PDFSource> discarded (PDF sources)",
        "1 × <PlainTextSelection> discarded (selections without codings)",
        "1 × <Set> discarded (sets of codes or sources)",
        "1 × <SourceRef> discarded (links from cases to sources that were not imported)",
        "1 × variables of type Integer, values read as text",
    ]


def test_utf16_positions_on_request() -> None:
    # "ab 😀 cdé": the emoji is 2 UTF-16 units, so UTF-16 [6, 9) is code points [5, 8)
    selection = f"""<PlainTextSelection guid="{_guid(1)}" startPosition="6" endPosition="9">
        <Coding guid="{_guid(2)}" creatingUser="{U1}"><CodeRef targetGUID="{C1}"/></Coding>
      </PlainTextSelection>"""
    data = zipped({"project.qde": foreign_qde(selection)})
    project, _ = import_qdpx(data, "f.qdpx", offsets="utf16")
    coding = project.codings[0]
    assert project.sources[0].text[coding.start:coding.end] == "cdé"
    # not NVivo, so code points as the standard says: 9 is past the end of 8 code points
    with pytest.raises(RefiError, match="endPosition='9'"):
        import_qdpx(data, "f.qdpx")


def test_internal_files_case_blind_with_bom_and_crlf() -> None:
    qde = foreign_qde().replace("<PlainTextContent>ab 😀 cdé</PlainTextContent>", "") \
        .replace('name="inline">', f'name="inline" plainTextPath="internal://{S1}.txt">')
    text = "\ufeffa\r\nb 😀 cdé".encode()
    project, _ = import_qdpx(zipped({"project.qde": qde, f"Sources/{S1}.txt": text}), "f.qdpx")
    assert project.sources[0].text == "a\nb 😀 cdé"
    assert (project.codings[0].start, project.codings[0].end) == (2, 6)   # CR dropped


@pytest.mark.parametrize("files, message", [
    ({"project.qde": 'x'}, "f.qdpx: not well-formed XML"),
    ({"other.xml": "<Project/>"}, "f.qdpx: the archive has no project.qde"),
    ({"project.qde": "<CodeBook/>"}, "project.qde has root <CodeBook>"),
    ({"project.qde": "<Project/>"}, "f.qdpx: <Project> lacks the required attribute 'name'"),
])
def test_bad_archives(files: dict[str, str], message: str) -> None:
    with pytest.raises(RefiError, match=re.escape(message)):
        import_qdpx(zipped(files), "f.qdpx")


def test_not_a_zip() -> None:
    with pytest.raises(RefiError, match=r"f\.qdpx: not a zip archive"):
        import_qdpx(b"<Project/>", "f.qdpx")


@pytest.mark.parametrize("old, new, message", [
    ('startPosition="3" ', "", f"<PlainTextSelection guid={_guid(1)}> lacks the required "
                               f"attribute 'startPosition'"),
    ('endPosition="7"', 'endPosition="70"', "endPosition='70', which is not a position"),
    ('startPosition="3" endPosition="7"', 'startPosition="7" endPosition="3"',
     "ends before it starts"),
    (f'<CodeRef targetGUID="{C1}"/></Coding>\n        <Coding',
     f'<CodeRef targetGUID="{_guid(50)}"/></Coding>\n        <Coding',
     f"<CodeRef targetGUID={_guid(50)}> names no code"),
    (f'<TextSource guid="{S1}" name="inline">', '<TextSource name="inline">',
     "<TextSource name=inline> lacks the required attribute 'guid'"),
    ("<PlainTextContent>ab 😀 cdé</PlainTextContent>", "",
     "has neither PlainTextContent nor plainTextPath"),
    ('name="inline">', f'name="inline" plainTextPath="internal://{_guid(60)}.txt">',
     "has no such file"),
    (f'<Code guid="{C1}" name="Trust"', f'<Code guid="{C1}"',
     f"<Code guid={C1}> lacks the required attribute 'name'"),
])
def test_bad_xml_names_the_element(old: str, new: str, message: str) -> None:
    qde = foreign_qde()
    assert old in qde
    if "plainTextPath" in new:
        qde = qde.replace("<PlainTextContent>ab 😀 cdé</PlainTextContent>", "")
    with pytest.raises(RefiError, match=re.escape(message)) as info:
        import_qdpx(zipped({"project.qde": qde.replace(old, new, 1)}), "f.qdpx")
    assert str(info.value).startswith("f.qdpx: ")


def test_sources_without_plain_text_in_the_archive_are_dropped_and_counted() -> None:
    qde = foreign_qde().replace(f'<PDFSource guid="{S2}" name="scan.pdf" path="internal://'
                                f'{S2}.pdf"/>',
                                f'<TextSource guid="{S2}" name="far" plainTextPath='
                                f'"relative://far.txt"/><TextSource guid="{_guid(70)}" '
                                f'name="styled" richTextPath="internal://{_guid(70)}.docx"/>')
    project, losses = import_qdpx(zipped({"project.qde": qde}), "f.qdpx")
    assert [s.name for s in project.sources] == ["inline"]
    assert project.cases[0].sources == ("inline",)
    assert "2 × <TextSource> discarded (text sources without plain text in the archive, " \
           "with their codings)" in losses
