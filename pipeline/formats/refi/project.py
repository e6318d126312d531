"""REFI-QDA project exchange (.qdpx): text sources, codings, cases and coders.

A .qdpx is a zip holding ``project.qde`` (XML in ``urn:QDA-XML:project:1.0``, checked against
``pipeline/formats/refi/xsd/Project-mrt2019.xsd``) and a flat ``sources/`` folder of files named by
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

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from bisect import bisect_left
from dataclasses import dataclass

from pipeline.codebook.model import Codebook
from pipeline.core.files import deterministic_zip
from pipeline.formats.refi.codebook import (
    ORIGIN,
    PROJECT_NS,
    RefiError,
    RefiReader,
    add_codes,
    code_guid,
    guid_key,
    read_codes,
    stable_guid,
    to_bytes,
    xml_text,
)

__all__ = ["Case", "Coding", "Project", "RefiError", "Source", "export_qdpx", "import_qdpx"]

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# A fixed zip timestamp (the earliest zip can store) so that two exports are byte-identical.


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


# ---------------------------------------------------------------------------- reading


class _Positions:
    """Maps a tool's positions in a source's raw text to code points in our normalised text.

    Our text has ``\\n`` newlines (CRLF and CR become ``\\n``), like the rest of the pipeline.
    With `utf16`, positions count UTF-16 code units, as NVivo's do.
    """

    def __init__(self, raw: str, utf16: bool):
        self.text = raw.replace("\r\n", "\n").replace("\r", "\n")
        # UTF-16 offset of each astral character: its code-point index plus one per earlier one.
        self.astral = [m.start() + i for i, m in enumerate(_ASTRAL.finditer(raw))] if utf16 \
            else []
        self.dropped = [m.start() for m in re.finditer("\r\n", raw)]   # each \r we remove
        self.limit = len(raw) + len(self.astral)

    def index(self, pos: int) -> int | None:
        if not 0 <= pos <= self.limit:
            return None
        point = pos - bisect_left(self.astral, pos)
        return point - bisect_left(self.dropped, point)


class _Import:
    """One .qdpx being read: the archive, the XML, and the lookups built along the way."""

    def __init__(self, data: bytes, path: str, offsets: str):
        if offsets not in ("auto", "codepoints", "utf16"):
            raise ValueError(f"offsets must be auto, codepoints or utf16, not {offsets!r}")
        self.reader = RefiReader(path)
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise RefiError(f"{path}: not a zip archive (a .qdpx is a zip holding project.qde "
                            f"and sources/)") from None
        # Tools disagree on the case of names (NVivo writes "Sources/"), so match case-blind.
        self.members = {info.filename.lower(): info for info in self.archive.infolist()}
        if "project.qde" not in self.members:
            raise RefiError(f"{path}: the archive has no project.qde")
        self.root = self.reader.parse(self.archive.read(self.members["project.qde"]))
        if self.root.tag != "Project":
            raise RefiError(f"{path}: project.qde has root <{self.root.tag}>, not <Project>")
        origin = (self.root.get("origin") or "").lower()
        self.utf16 = offsets == "utf16" or (offsets == "auto" and "nvivo" in origin)
        self.users: dict[str, str] = {}       # GUID key -> user name
        self.codes: dict[str, str] = {}       # GUID key -> code id
        self.variables: dict[str, str] = {}   # GUID key -> variable name
        self.sources: dict[str, str] = {}     # GUID key -> source name

    def read_users(self) -> tuple[str, ...]:
        for user in self.root.findall("Users/User"):
            guid = self.reader.guid(self.reader.use(user))
            self.users[guid_key(guid)] = user.get("name") or user.get("id") or guid
        return tuple(self.users.values())

    def read_codebook(self, name: str) -> Codebook:
        codes_el = self.root.find("CodeBook/Codes")
        codes = []
        if codes_el is not None:
            codes, self.codes = read_codes(codes_el, self.reader)
        # A project's codebook has no name of its own in REFI-QDA; it takes the project's.
        return Codebook(name, "", tuple(codes), (self.reader.path,))

    def read_variables(self) -> None:
        for var in self.root.findall("Variables/Variable"):
            guid = self.reader.guid(self.reader.use(var))
            self.variables[guid_key(guid)] = self.reader.attr(var, "name")
            kind = var.get("typeOfVariable", "Text")
            if kind != "Text":
                self.reader.notes[f"variables of type {kind}, values read as text"] += 1

    def values(self, el: ET.Element) -> tuple[tuple[str, str], ...]:
        out = []
        for vv in el.findall("VariableValue"):
            ref = vv.find("VariableRef")
            if ref is None:
                raise self.reader.error(el, "has a <VariableValue> without <VariableRef>")
            name = self.variables.get(guid_key(self.reader.guid(ref, "targetGUID")))
            if name is None:
                raise self.reader.error(ref, "names no declared <Variable>")
            value = next((child for child in vv if child.tag != "VariableRef"), None)
            for used in (vv, ref, value):
                if used is not None:
                    self.reader.use(used)
            out.append((name, "" if value is None else (value.text or "")))
        return tuple(out)

    def raw_text(self, el: ET.Element) -> str | None:
        """The source's text as stored, or None when it lies outside the archive."""
        content = el.find("PlainTextContent")
        if content is not None:
            return self.reader.use(content).text or ""
        path = el.get("plainTextPath")
        if path is None and el.get("richTextPath") is None:
            raise self.reader.error(el, "has neither PlainTextContent nor plainTextPath")
        if path is None or not path.startswith("internal://"):
            # Rich text only, or relative:// / absolute:// (not ours to open): counted as lost.
            return None
        member = self.members.get("sources/" + path.removeprefix("internal://").lower())
        if member is None:
            raise self.reader.error(el, f"has plainTextPath {path!r}, but the archive's "
                                    f"sources/ folder has no such file")
        try:
            return self.archive.read(member).decode("utf-8-sig")   # NVivo writes a BOM
        except UnicodeDecodeError as exc:
            raise self.reader.error(el, f"text {member.filename} is not UTF-8 ({exc})") from None

    def read_source(self, el: ET.Element, taken: set[str]) -> tuple[Source, list[Coding]] | None:
        guid = self.reader.guid(el)
        raw = self.raw_text(el)
        if raw is None:
            return None
        self.reader.use(el)
        name = base = el.get("name") or guid
        n = 1
        while name in taken:   # codings refer to sources by name, so names must be unique
            n += 1
            name = f"{base} ({n})"
        if name != base:
            self.reader.notes["text sources renamed because their names repeat"] += 1
        self.sources[guid_key(guid)] = name
        if el.get("richTextPath"):
            self.reader.notes["rich-text copies of text sources (richTextPath) discarded; "
                              "the plain text is used"] += 1
        positions = _Positions(raw, self.utf16)
        if positions.astral:
            self.reader.notes["text sources with positions converted from UTF-16 units to "
                              "code points"] += 1
        if positions.dropped:
            self.reader.notes["text sources with CRLF newlines turned into \\n (positions "
                              "adjusted)"] += 1
        codings = [c for sel in el.findall("PlainTextSelection")
                   for c in self.read_selection(sel, name, positions)]
        own = guid if guid_key(guid) != guid_key(stable_guid("source", name)) else ""
        return Source(name, positions.text, own, self.values(el)), codings

    def position(self, sel: ET.Element, attr: str, positions: _Positions) -> int:
        value = self.reader.attr(sel, attr)
        try:
            index = positions.index(int(value))
        except ValueError:
            index = None
        if index is None:
            raise self.reader.error(sel, f"has {attr}={value!r}, which is not a position in "
                                    f"its source's text (0..{positions.limit})")
        return index

    def read_selection(self, sel: ET.Element, source: str, positions: _Positions
                       ) -> list[Coding]:
        start = self.position(sel, "startPosition", positions)
        end = self.position(sel, "endPosition", positions)
        if start > end:
            raise self.reader.error(sel, "ends before it starts")
        out = []
        for coding in sel.findall("Coding"):
            ref = coding.find("CodeRef")
            if ref is None:
                raise self.reader.error(coding, "lacks a <CodeRef>")
            code_id = self.codes.get(guid_key(self.reader.guid(ref, "targetGUID")))
            if code_id is None:
                raise self.reader.error(ref, "names no code in the project's codebook")
            # The coding's own user, else the selection's; a user not in <Users> stays a GUID.
            user = coding.get("creatingUser") or sel.get("creatingUser") or ""
            coder = self.users.get(guid_key(user), user.strip()) if user else ""
            out.append(Coding(source, start, end, code_id, coder))
            for used in (sel, coding, ref):
                self.reader.use(used)
        return out

    def read_cases(self) -> tuple[Case, ...]:
        cases = []
        for case in self.root.findall("Cases/Case"):
            guid = self.reader.guid(self.reader.use(case))
            refs = []
            for ref in case.findall("SourceRef"):
                name = self.sources.get(guid_key(self.reader.guid(ref, "targetGUID")))
                if name is not None:   # a link to a source we dropped is counted as a loss
                    self.reader.use(ref)
                    refs.append(name)
            cases.append(Case(case.get("name") or guid, self.values(case), tuple(refs)))
        return tuple(cases)


def import_qdpx(data: bytes, path: str, *, offsets: str = "auto"
                ) -> tuple[Project, list[str]]:
    """Read a .qdpx from another tool: (the project, what was discarded or converted).

    `offsets` says how the file counts positions: "codepoints" (the standard), "utf16"
    (NVivo), or "auto" (UTF-16 when the project's origin names NVivo, else code points).
    The second value lists every element kind not carried over (notes, sets, links, graphs,
    non-text sources, ...) with counts, as ``"3 × <Note> discarded (memos)"``, and the
    conversions made (UTF-16 positions, CRLF newlines).
    """
    job = _Import(data, path, offsets)
    users = job.read_users()
    name = job.reader.attr(job.root, "name")
    book = job.read_codebook(name)
    job.read_variables()
    sources: list[Source] = []
    codings: list[Coding] = []
    taken: set[str] = set()
    for el in job.root.findall("Sources/TextSource"):
        found = job.read_source(el, taken)
        if found is not None:
            sources.append(found[0])
            taken.add(found[0].name)
            codings += found[1]
    order = {s.name: i for i, s in enumerate(sources)}
    codings.sort(key=lambda c: (order[c.source], c.start, c.end, c.code_id, c.coder))
    project = Project(name, book, tuple(sources), job.read_cases(), tuple(codings), users)
    return project, job.reader.losses(job.root)
