"""REFI-QDA project exchange (.qdpx): text sources, codings, cases and coders.

A .qdpx is a zip holding ``project.qde`` (XML in ``urn:QDA-XML:project:1.0``, checked against
``xsd/Project-mrt2019.xsd``) and a flat ``sources/`` folder of files named by
GUID. We write each source as ``sources/<GUID>.txt`` (UTF-8) referenced as
``internal://<GUID>.txt``, and every coding as its own ``PlainTextSelection`` with positions in
Unicode code points, end exclusive (a Python slice), as the standard (§10.2) and QualCoder do.

Reading is lenient about what other tools do differently and strict about what we cannot do
without (GUIDs, positions, references): those errors raise `RefiError` naming the file and the
element. Everything we do not carry over is counted and returned, as the standard's §7 asks.

NVivo, checked against a genuine NVivo 12.6 export: it writes a capitalised ``Sources/``
folder, text files with a byte-order mark and CRLF newlines, and counts positions in UTF-16
code units (an emoji counts 2) over the CRLF text. `import_qdpx` converts all of that to code
points in text with ``\\n`` newlines, so ``text[start:end]`` is the coded passage.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from pipeline.codebook.model import Codebook
from pipeline.core.files import deterministic_zip
from pipeline.formats.refi.codebook import add_codes
from pipeline.formats.refi.qdaxml import (
    ORIGIN,
    PROJECT_NS,
    code_guid,
    guid_key,
    stable_guid,
    to_bytes,
    xml_text,
)


@dataclass(frozen=True)
class Source:
    name: str
    text: str
    guid: str = ""   # REFI identity, kept when the source came from another tool
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Case:
    name: str
    attributes: tuple[tuple[str, str], ...] = ()
    sources: tuple[str, ...] = ()   # source names


@dataclass(frozen=True)
class Coding:
    source: str      # source name
    start: int       # code-point offsets into Source.text, end exclusive
    end: int
    code_id: str
    coder: str


@dataclass(frozen=True)
class Project:
    name: str
    codebook: Codebook
    sources: tuple[Source, ...]
    cases: tuple[Case, ...] = ()
    codings: tuple[Coding, ...] = ()
    users: tuple[str, ...] = ()


# ---------------------------------------------------------------------------- writing


def _source_guid(source: Source) -> str:
    return source.guid or stable_guid("source", source.name)


def _check(project: Project) -> None:
    """Refuse to write a project whose references do not resolve: the XML would lie."""
    texts = {s.name: s.text for s in project.sources}
    if len(texts) != len(project.sources):
        raise ValueError("source names must be unique")
    if len({guid_key(_source_guid(s)) for s in project.sources}) != len(project.sources):
        raise ValueError("source GUIDs must be unique")
    if len({c.name for c in project.cases}) != len(project.cases):
        raise ValueError("case names must be unique")
    for c in project.codings:
        if c.source not in texts:
            raise ValueError(f"coding {c}: no source named {c.source!r}")
        if c.code_id not in project.codebook:
            raise ValueError(f"coding {c}: code {c.code_id!r} is not in the codebook")
        if not 0 <= c.start <= c.end <= len(texts[c.source]):
            raise ValueError(f"coding {c}: offsets outside the source's text")
    for case in project.cases:
        missing = [s for s in case.sources if s not in texts]
        if missing:
            raise ValueError(f"case {case.name!r}: unknown sources {missing}")


def _users(project: Project) -> dict[str, str]:
    """Coder name -> User GUID: declared users first, then any other coder, sorted."""
    names = list(dict.fromkeys(project.users))
    names += sorted({c.coder for c in project.codings if c.coder} - set(names))
    return {name: stable_guid("user", name) for name in names}


def _variables(project: Project) -> dict[str, str]:
    """Attribute name -> Variable GUID, for every attribute of a case or a source."""
    names = {k for item in (*project.cases, *project.sources) for k, _ in item.attributes}
    return {name: stable_guid("variable", name) for name in sorted(names)}


def _add_values(el: ET.Element, attributes: tuple[tuple[str, str], ...],
                variables: dict[str, str]) -> None:
    for key, value in attributes:
        vv = ET.SubElement(el, "VariableValue")
        ET.SubElement(vv, "VariableRef", {"targetGUID": variables[key]})
        ET.SubElement(vv, "TextValue").text = xml_text(value)


def _add_cases(root: ET.Element, project: Project, variables: dict[str, str]) -> None:
    by_name = {s.name: s for s in project.sources}
    cases_el = ET.SubElement(root, "Cases")
    for case in project.cases:
        case_el = ET.SubElement(cases_el, "Case", {
            "guid": stable_guid("case", case.name), "name": xml_text(case.name)})
        _add_values(case_el, case.attributes, variables)
        for name in case.sources:
            ET.SubElement(case_el, "SourceRef", {"targetGUID": _source_guid(by_name[name])})


def _add_selections(el: ET.Element, source: Source, codings: list[Coding], book: Codebook,
                    users: dict[str, str]) -> None:
    """One PlainTextSelection per coding, in a fixed order, with GUIDs derived from it."""
    seen: dict[tuple, int] = {}
    for c in sorted(codings, key=lambda c: (c.start, c.end, c.code_id, c.coder)):
        key = (c.start, c.end, c.code_id, c.coder)
        seen[key] = seen.get(key, -1) + 1   # repeated codings still need distinct GUIDs
        ident = f"{_source_guid(source)}:{c.start}:{c.end}:{c.code_id}:{c.coder}:{seen[key]}"
        user = {"creatingUser": users[c.coder]} if c.coder else {}
        sel = ET.SubElement(el, "PlainTextSelection", {
            "guid": stable_guid("selection", ident), "startPosition": str(c.start),
            "endPosition": str(c.end), **user})
        coding = ET.SubElement(sel, "Coding", {"guid": stable_guid("coding", ident), **user})
        ET.SubElement(coding, "CodeRef", {"targetGUID": code_guid(book[c.code_id])})


def _add_sources(root: ET.Element, project: Project, users: dict[str, str],
                 variables: dict[str, str]) -> None:
    by_source: dict[str, list[Coding]] = {}
    for c in project.codings:
        by_source.setdefault(c.source, []).append(c)
    sources_el = ET.SubElement(root, "Sources")
    for source in project.sources:
        guid = _source_guid(source)
        el = ET.SubElement(sources_el, "TextSource", {
            "guid": guid, "name": xml_text(source.name),
            "plainTextPath": f"internal://{guid.strip('{}')}.txt"})
        _add_selections(el, source, by_source.get(source.name, []), project.codebook, users)
        _add_values(el, source.attributes, variables)


def project_xml(project: Project) -> bytes:
    """The ``project.qde`` document of `export_qdpx` (no timestamps: output is reproducible)."""
    _check(project)
    root = ET.Element("Project", {"name": xml_text(project.name), "origin": ORIGIN})
    users, variables = _users(project), _variables(project)
    # Children in the order the schema's sequence demands; empty containers are invalid.
    if users:
        users_el = ET.SubElement(root, "Users")
        for name, guid in users.items():
            ET.SubElement(users_el, "User", {"guid": guid, "name": xml_text(name)})
    if project.codebook.codes:
        add_codes(ET.SubElement(root, "CodeBook"), project.codebook)
    if variables:
        variables_el = ET.SubElement(root, "Variables")
        for name, guid in variables.items():
            ET.SubElement(variables_el, "Variable",
                          {"guid": guid, "name": xml_text(name), "typeOfVariable": "Text"})
    if project.cases:
        _add_cases(root, project, variables)
    if project.sources:
        _add_sources(root, project, users, variables)
    return to_bytes(root, PROJECT_NS)   # tags are unqualified; this puts them in the namespace




def export_qdpx(project: Project) -> bytes:
    """The project as a .qdpx zip; exporting the same project twice gives identical bytes."""
    entries = [("project.qde", project_xml(project)), ("sources/", b"")]
    # Lower-case "sources": ATLAS.ti rejects a capitalised folder (QualCoder's refi.py).
    entries += [(f"sources/{_source_guid(s).strip('{}')}.txt", s.text.encode("utf-8"))
                for s in project.sources]
    return deterministic_zip(entries)
