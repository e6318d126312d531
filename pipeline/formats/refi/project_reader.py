"""Reading REFI-QDA projects (.qdpx) from other tools: sources, codes, codings with their
positions (characters or UTF-16 units, as NVivo counts), cases, and what was left out."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from bisect import bisect_left

from pipeline.codebook.model import Codebook
from pipeline.core.archives import ArchiveError, BoundedReader, open_archive
from pipeline.formats.refi.codebook import read_codes
from pipeline.formats.refi.project import Case, Coding, Project, Source
from pipeline.formats.refi.qdaxml import RefiError, RefiReader, guid_key, stable_guid

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")   # two UTF-16 units each


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
            archive = open_archive(data, path)
        except ArchiveError:
            raise RefiError(f"{path}: not a zip archive (a .qdpx is a zip holding project.qde "
                            f"and sources/)") from None
        # Tools disagree on the case of names (NVivo writes "Sources/"), so match case-blind.
        self.members = {info.filename.lower(): info for info in archive.infolist()}
        self.archive = BoundedReader(archive, path)
        if "project.qde" not in self.members:
            raise RefiError(f"{path}: the archive has no project.qde")
        self.root = self.reader.parse(self.read(self.members["project.qde"]))
        if self.root.tag != "Project":
            raise RefiError(f"{path}: project.qde has root <{self.root.tag}>, not <Project>")
        origin = (self.root.get("origin") or "").lower()
        self.utf16 = offsets == "utf16" or (offsets == "auto" and "nvivo" in origin)
        self.users: dict[str, str] = {}       # GUID key -> user name
        self.codes: dict[str, str] = {}       # GUID key -> code id
        self.variables: dict[str, str] = {}   # GUID key -> variable name
        self.sources: dict[str, str] = {}     # GUID key -> source name

    def read(self, member: zipfile.ZipInfo) -> bytes:
        """A member's bytes within the archive limits (core.archives): a bomb is refused."""
        try:
            return self.archive.read(member)
        except ArchiveError as exc:
            raise RefiError(str(exc)) from None

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
            return self.read(member).decode("utf-8-sig")   # NVivo writes a BOM
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
            shown = value if len(value) <= 20 else value[:20] + "..."
            raise self.reader.error(sel, f"has {attr}={shown!r}, which is not a position in "
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
