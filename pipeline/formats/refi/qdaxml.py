"""REFI-QDA XML shared by codebooks (.qdc) and projects (.qdpx): namespaces, GUIDs, safe
text, serialising, a reader that tracks what a foreign file held that we could not use, and
validation against the schemas shipped in ``xsd/``."""
from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.codebook.model import Code

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
XSD_DIR = Path(__file__).with_name("xsd")
ORIGIN = f"qda-pipeline {__version__}"
# Fixed, so that exporting the same codebook twice gives the same GUIDs (uuid5 of the code id)
# and another tool's edits can be matched to our codes on the way back.
GUID_NAMESPACE = uuid.UUID("4ee00e25-f7db-5137-9244-627392a76bd0")
_GUID = re.compile(r"^\{?[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\}?$")
# Characters XML 1.0 cannot carry at all; a label pasted from a PDF can contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


# Far deeper than any code hierarchy (the XML adds 3 levels to it), and far from Python's
# recursion limit, which the walks over codes and unread elements would otherwise reach.
MAX_DEPTH = 100


class RefiError(ValueError):
    """A foreign REFI-QDA file we cannot read; the message names the file and the element."""


def code_guid(code: Code) -> str:
    """The code's REFI GUID: the one it came with, or a stable uuid5 of its id."""
    return code.guid or derived_guid(code.id)


def derived_guid(code_id: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, code_id))


def stable_guid(kind: str, key: str) -> str:
    """A deterministic GUID for a non-code object ("user", "source", ...).

    The kind prefix keeps these apart from code GUIDs (code ids cannot contain ':').
    """
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{key}"))


def guid_key(guid: str) -> str:
    """GUIDs compare case-insensitively and with or without braces."""
    return guid.strip().strip("{}").lower()


def xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)


def to_bytes(root: ET.Element, ns: str) -> bytes:
    """Serialise a tree of unqualified tags as one default namespace, indented for diffs.

    The namespace goes in as a plain ``xmlns`` attribute: ElementTree's `default_namespace`
    rejects unqualified attributes, and `register_namespace` would change global state.
    """
    root.attrib = {"xmlns": ns, **root.attrib}
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# ---------------------------------------------------------------------------- reading


# Why an element we skip matters, for the list of losses an importer must report (spec §7).
_WHY = {
    "Set": "sets of codes or sources", "Note": "memos",
    "NoteRef": "references to notes", "Link": "links between objects",
    "Graph": "graphs (network views)", "PictureSource": "picture sources",
    "PDFSource": "PDF sources", "AudioSource": "audio sources", "VideoSource": "video sources",
    "Description": "descriptions", "Coding": "codings of a whole source, without a selection",
    "CodeRef": "codes attached to cases", "SelectionRef": "selections attached to cases",
    "PlainTextSelection": "selections without codings",
    "TextSource": "text sources without plain text in the archive, with their codings",
    "SourceRef": "links from cases to sources that were not imported",
}
# Containers whose own presence means nothing; only what they hold is counted.
_WRAPPERS = {"Users", "CodeBook", "Codes", "Variables", "Cases", "Sources", "Notes", "Links",
             "Sets", "Graphs"}


class RefiReader:
    """State for reading one foreign file: its name for errors, what was used, what was lost."""

    def __init__(self, path: str):
        self.path = path
        self.used: set[int] = set()
        self.notes: Counter[str] = Counter()

    def parse(self, data: bytes) -> ET.Element:
        """Parse XML and drop namespaces: tools disagree on them, and tags are unambiguous.
        (expat refuses entity bombs and external entities by itself.)"""
        try:
            root = ET.fromstring(data)
        except (ET.ParseError, LookupError, ValueError) as exc:  # LookupError: encoding='x'
            raise RefiError(f"{self.path}: not well-formed XML ({exc})") from None
        # Code trees and the element walks over them recurse: bound the depth first.
        stack = [(root, 1)]
        while stack:
            el, depth = stack.pop()
            if depth > MAX_DEPTH:
                raise RefiError(f"{self.path}: elements nested more than {MAX_DEPTH} deep "
                                f"(at <{el.tag}>)")
            if isinstance(el.tag, str):
                el.tag = el.tag.rpartition("}")[2]
            stack.extend((child, depth + 1) for child in el)
        return root

    def error(self, el: ET.Element, message: str) -> RefiError:
        for key in ("guid", "name", "targetGUID"):
            if el.get(key):
                return RefiError(f"{self.path}: <{el.tag} {key}={el.get(key)}> {message}")
        return RefiError(f"{self.path}: <{el.tag}> {message}")

    def use(self, el: ET.Element) -> ET.Element:
        self.used.add(id(el))
        return el

    def attr(self, el: ET.Element, name: str) -> str:
        value = el.get(name)
        if value is None:
            raise self.error(el, f"lacks the required attribute {name!r}")
        return value

    def guid(self, el: ET.Element, name: str = "guid") -> str:
        value = self.attr(el, name).strip()
        if not _GUID.match(value):
            raise self.error(el, f"has {name}={value!r}, which is not a GUID")
        return value

    def text(self, el: ET.Element, child: str) -> str:
        """The text of an optional child element, marked as used."""
        found = el.find(child)
        return "" if found is None else (self.use(found).text or "")

    def losses(self, root: ET.Element) -> list[str]:
        """Every element kind we did not read, with counts, plus notes added on the way."""
        counts = Counter(self.notes)
        self._count_unread(root, counts)
        return [f"{n} × {what}" for what, n in sorted(counts.items())]

    def _count_unread(self, el: ET.Element, counts: Counter[str]) -> None:
        for child in el:
            if id(child) in self.used or child.tag in _WRAPPERS:
                self._count_unread(child, counts)
            elif child.tag == "Description" and not (child.text or "").strip():
                continue   # an empty description carries nothing (NVivo writes many)
            else:
                counts[f"<{child.tag}> discarded ({_WHY.get(child.tag, 'not supported')})"] += 1



# ------------------------------------------------------------------------- validation


@lru_cache(maxsize=4)
def _schema(location: str) -> Any:
    import xmlschema  # slow to import; only validation needs it

    return xmlschema.XMLSchema(location)


def validate(xml: bytes, schema: str) -> list[str]:
    """Problems of `xml` against a schema, one readable line each; [] when valid.

    `schema` is a file name in ``xsd/`` beside this module ("Codebook.xsd", "Project-mrt2019.xsd")
    or a path.
    """
    location = XSD_DIR / schema if (XSD_DIR / schema).is_file() else Path(schema)
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        return [f"not well-formed XML: {exc}"]
    problems = []
    for err in _schema(str(location)).iter_errors(root):
        reason = " ".join(str(err.reason or err.message).split())
        problems.append(f"{err.path or '/'}: {reason}")
    return problems
