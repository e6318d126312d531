"""A small HTML reader for the report's tests (stdlib html.parser): a tree of elements, the
element with each id, and what makes a page invalid (a tag closed out of order, a tag left
open, an id used twice, a block element inside a paragraph)."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
BLOCK = {"address", "blockquote", "details", "div", "dl", "fieldset", "figure", "footer",
         "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p",
         "pre", "section", "table", "ul"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str, cls: str = "") -> list[Node]:
        return [n for n in self.iter() if n.tag == tag and (not cls or cls in n.classes())]

    def ancestor(self, tag: str, cls: str = "") -> Node | None:
        node = self.parent
        while node is not None and not (node.tag == tag and (not cls or cls in node.classes())):
            node = node.parent
        return node


class Document(HTMLParser):
    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.ids: dict[str, Node] = {}
        self.problems: list[str] = []
        self.doctype = ""
        self._at = self.root
        self.feed(source)
        self.close()
        if self._at is not self.root:
            self.problems.append(f"<{self._at.tag}> is never closed")

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self._at)
        if tag in BLOCK and node.ancestor("p") is not None:
            self.problems.append(f"<{tag}> inside <p> (the browser would end the paragraph)")
        self._at.children.append(node)
        if "id" in node.attrs:
            if node.attrs["id"] in self.ids:
                self.problems.append(f"id {node.attrs['id']!r} is used twice")
            self.ids[node.attrs["id"]] = node
        if tag not in VOID:
            self._at = node

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self._at = self._at.parent

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self._at.tag != tag:
            self.problems.append(f"</{tag}> closes <{self._at.tag}>")
            return
        self._at = self._at.parent

    def handle_data(self, data: str) -> None:
        self._at.children.append(data)

    def find_all(self, tag: str, cls: str = "") -> list[Node]:
        return self.root.find_all(tag, cls)

    def text(self) -> str:
        return self.root.text()


def read(path: Path) -> Document:
    return Document(path.read_text(encoding="utf-8"))


def resolve(page: Path, href: str) -> tuple[Path, str]:
    """The file a relative link on `page` points to, and its fragment (decoded)."""
    parts = urlsplit(href)
    target = page if not parts.path else Path(posixpath.normpath(
        posixpath.join(page.parent.as_posix(), unquote(parts.path))))
    return target, unquote(parts.fragment)
