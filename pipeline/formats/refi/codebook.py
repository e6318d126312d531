"""REFI-QDA codebook exchange (.qdc): write our codebooks for other QDA tools, read theirs.

A .qdc is one XML document, ``<CodeBook><Codes><Code .../></Codes></CodeBook>`` in the
namespace ``urn:QDA-XML:codebook:1.0`` (``xsd/Codebook.xsd`` beside this module). The standard has
room for a code's name, colour, codability and one free-text ``Description``; everything else
a team codebook says (criteria, examples, our snake_case id) travels inside that description
in a labelled layout that people can read in NVivo or ATLAS.ti and that `import_qdc` parses
back, so a round trip keeps ids, criteria and examples.

`add_codes` and `read_codes` are shared with the project files (.qdpx), which embed the same
code tree; the XML plumbing both use is in `qdaxml`.
"""
from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.codebook.model import Code, Codebook, Example
from pipeline.formats.refi.qdaxml import (
    CODEBOOK_NS,
    ORIGIN,
    RefiError,
    RefiReader,
    code_guid,
    derived_guid,
    guid_key,
    to_bytes,
    xml_text,
)

_RGB = re.compile(r"^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# One labelled line of our description layout (see `describe`).
_LABELLED = re.compile(r"^(?:(Use when|Do not use when|Code id)|Example(?: \(([^()]*)\))?):"
                       r"[ \t]*(.*)$")
_FIELDS = {"Use when": "include", "Do not use when": "exclude", "Code id": "id"}
# Letters NFKD does not decompose into ASCII, so that ids stay readable.
_ASCII = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "œ": "oe",
                        "þ": "th", "ı": "i"})


def slug(name: str) -> str:
    """A snake_case id from a code name in any language: 'Oltás típusa' -> 'oltas_tipusa'."""
    ascii_ = unicodedata.normalize("NFKD", name.lower().translate(_ASCII))
    ascii_ = ascii_.encode("ascii", "ignore").decode("ascii")
    out = re.sub(r"[^a-z0-9]+", "_", ascii_).strip("_")[:60].rstrip("_")
    if not out:
        return "code"
    return out if out[0].isalpha() else f"code_{out}"


# ----------------------------------------------------------------------- descriptions


def describe(code: Code) -> str:
    """The Description of a code: its definition, then one labelled line per criterion."""
    lines = []
    if code.include:
        lines.append(f"Use when: {code.include}")
    if code.exclude:
        lines.append(f"Do not use when: {code.exclude}")
    for ex in code.examples:
        # A source with parentheses could not be parsed back out of "Example (...)".
        plain = not ex.source or "(" in ex.source or ")" in ex.source
        lines.append(f"Example: {ex.text}" if plain else f"Example ({ex.source}): {ex.text}")
    lines.append(f"Code id: {code.id}")
    return "\n\n".join(p for p in (code.definition, "\n".join(lines)) if p)


def parse_description(text: str) -> dict[str, Any]:
    """Split a Description back into definition, include, exclude, examples and id.

    Text before the first labelled line is the definition; unlabelled lines after one
    continue it. A description from another tool usually has no labels at all, so all of it
    becomes the definition.
    """
    parts: dict[str, list[str]] = {"definition": [], "include": [], "exclude": [], "id": []}
    examples: list[tuple[str, list[str]]] = []
    current = parts["definition"]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        match = _LABELLED.match(line.strip())
        if match is None:
            current.append(line)
        elif match.group(1):
            current = parts[_FIELDS[match.group(1)]]
            current.append(match.group(3))
        else:
            examples.append((match.group(2) or "", [match.group(3)]))
            current = examples[-1][1]
    out: dict[str, Any] = {k: "\n".join(v).strip() for k, v in parts.items()}
    out["examples"] = tuple(Example("\n".join(t).strip(), s.strip()) for s, t in examples)
    return out


# ---------------------------------------------------------------------------- writing


def add_codes(parent: ET.Element, book: Codebook) -> None:
    """Append ``<Codes>`` with the book's tree (nested by `parent`, siblings in book order)."""
    if not book.codes:
        raise ValueError("REFI-QDA needs at least one code in a codebook")
    children: dict[str | None, list[Code]] = {}
    for code in book.codes:
        if code.parent is not None and code.parent not in book:
            raise ValueError(f"code {code.id}: parent {code.parent!r} is not in the codebook")
        children.setdefault(code.parent, []).append(code)
    guids = Counter(guid_key(code_guid(c)) for c in book.codes)
    if guids.most_common(1)[0][1] > 1:
        raise ValueError(f"codes share a GUID: {guids.most_common(1)[0][0]}")
    codes_el = ET.SubElement(parent, "Codes")
    written = _add_children(codes_el, None, children)
    if written != len(book.codes):
        # Codes on a parent cycle are never reached from a root; refuse rather than drop them.
        raise ValueError("codebook has a parent cycle; run `qda codebook check`")


def _add_children(el: ET.Element, parent: str | None,
                  children: dict[str | None, list[Code]]) -> int:
    written = 0
    for code in children.get(parent, []):
        if code.color is not None and not _RGB.match(code.color):
            raise ValueError(f"code {code.id}: color {code.color!r} is not #RRGGBB")
        attrs = {"guid": code_guid(code), "name": xml_text(code.label),
                 "isCodable": "true" if code.codable else "false"}
        if code.color:
            attrs["color"] = code.color
        code_el = ET.SubElement(el, "Code", attrs)
        ET.SubElement(code_el, "Description").text = xml_text(describe(code))
        written += 1 + _add_children(code_el, code.id, children)
    return written


def export_qdc(book: Codebook) -> bytes:
    """The codebook as a REFI-QDA .qdc document (validates against Codebook.xsd)."""
    root = ET.Element("CodeBook", {"origin": ORIGIN})
    add_codes(root, book)
    # No <Sets>: an empty one is invalid (Set has minOccurs 1), and we have no code sets.
    return to_bytes(root, CODEBOOK_NS)


@dataclass
class _Found:
    el: ET.Element
    guid: str
    name: str
    parent: str | None          # guid_key of the enclosing code
    fields: dict[str, Any]      # parse_description of its Description
    codable: bool
    color: str | None


def read_codes(codes_el: ET.Element, reader: RefiReader) -> tuple[list[Code], dict[str, str]]:
    """The codes under a ``<Codes>`` element, in document order, and a GUID-key -> id map."""
    found: list[_Found] = []
    _collect(reader.use(codes_el), None, reader, found)
    seen: set[str] = set()
    for f in found:
        if guid_key(f.guid) in seen:
            raise reader.error(f.el, "appears twice (GUIDs must be unique)")
        seen.add(guid_key(f.guid))
    ids = _assign_ids(found)
    by_key = {guid_key(f.guid): i for f, i in zip(found, ids)}
    codes = []
    for f, code_id in zip(found, ids):
        # Keep the GUID only when it says more than our own derivation from the id would.
        guid = "" if guid_key(f.guid) == derived_guid(code_id) else f.guid
        codes.append(Code(
            id=code_id, label=f.name, definition=f.fields["definition"],
            parent=by_key[f.parent] if f.parent else None, include=f.fields["include"],
            exclude=f.fields["exclude"], examples=f.fields["examples"], color=f.color,
            codable=f.codable, guid=guid, path=reader.path))
    return codes, by_key


def _collect(parent_el: ET.Element, parent: str | None, reader: RefiReader,
             out: list[_Found]) -> None:
    for el in parent_el.findall("Code"):
        reader.use(el)
        guid, name = reader.guid(el), reader.attr(el, "name")
        found = _Found(el, guid, name, parent, parse_description(reader.text(el, "Description")),
                       _codable(el, reader), _color(el, reader))
        out.append(found)
        _collect(el, guid_key(guid), reader, out)


def _codable(el: ET.Element, reader: RefiReader) -> bool:
    # isCodable is required by the schema, but a missing one is harmless: default to codable.
    value = (el.get("isCodable") or "true").strip().lower()
    if value not in ("true", "false", "1", "0"):
        raise reader.error(el, f"has isCodable={value!r}; expected true or false")
    return value in ("true", "1")


def _color(el: ET.Element, reader: RefiReader) -> str | None:
    value = (el.get("color") or "").strip()
    if not value:
        return None
    if not _RGB.match(value):
        reader.notes["colour not in #RRGGBB form, dropped"] += 1
        return None
    # Our codebooks use #RRGGBB only; the standard also allows #RGB.
    return value if len(value) == 7 else "#" + "".join(ch * 2 for ch in value[1:])


def _assign_ids(found: list[_Found]) -> list[str]:
    """Ids written by us ("Code id:" line) win; others are derived from names, made unique."""
    taken: set[str] = set()
    ids: list[str | None] = []
    for f in found:
        declared = f.fields["id"]
        ok = bool(_ID.match(declared)) and declared not in taken
        ids.append(declared if ok else None)
        taken.update([declared] if ok else [])
    out = []
    for f, code_id in zip(found, ids):
        if code_id is None:
            base = code_id = slug(f.name)
            n = 1
            while code_id in taken:
                n += 1
                code_id = f"{base}_{n}"
            taken.add(code_id)
        out.append(code_id)
    return out


def import_qdc(data: bytes, path: str, losses: list[str] | None = None) -> Codebook:
    """Read a .qdc codebook from another tool.

    Ids are snake_case forms of the names (made unique), or the ids our own export recorded;
    the original name is the label and the foreign GUID is kept in `Code.guid`. Pass a list
    as `losses` to learn what was dropped (e.g. code sets).
    """
    reader = RefiReader(path)
    root = reader.parse(data)
    if root.tag != "CodeBook":
        raise RefiError(f"{path}: root element is <{root.tag}>, not <CodeBook>")
    codes_el = root.find("Codes")
    if codes_el is None:
        raise reader.error(root, "has no <Codes>")
    codes, _ = read_codes(codes_el, reader)
    if losses is not None:
        losses.extend(reader.losses(root))
    return Codebook(Path(path).stem, "", tuple(codes), (path,))
