"""Coded projects of the tools researchers already used: QualCoder, Taguette and MAXQDA.

Each reader returns a neutral `Foreign` project: documents (name and, where the tool keeps it,
its text), codes (a key, a name, the parent's key) and coded spans (document, code, coder, the
coded text, and the tool's own offsets where it has them). `exchange.place` puts the spans on
this project's transcripts.

- QualCoder (``project.qda/data.qda``, SQLite): ``source`` (name, fulltext), ``code_cat``
  (categories, nested by ``supercatid``), ``code_name`` (codes and their category),
  ``code_text`` (``pos0``/``pos1``: Python string offsets into ``fulltext``; ``seltext``;
  ``owner``).
- Taguette (its SQLite database): ``documents`` (name; contents as HTML), ``tags`` (``path``,
  levels joined by ``.``), ``highlights`` (``snippet`` as HTML; offsets count UTF-8 bytes of the
  HTML's text, so the snippet text is what places a highlight), ``highlight_tags``.
- MAXQDA "coded segments" export (XLSX or CSV): one row per segment, ``Document name``,
  ``Code`` (the code path, levels joined by ``\\``) and ``Segment`` (its text).
"""
from __future__ import annotations

import html
import io
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.sheets import read_xlsx


class ForeignError(ValueError):
    """The file is not a project of the tool named."""


@dataclass(frozen=True)
class ForeignCode:
    key: str
    name: str
    parent: str | None


@dataclass(frozen=True)
class ForeignSpan:
    document: str
    code: str           # a ForeignCode key
    coder: str
    text: str           # the coded text as the tool shows it
    start: int | None = None   # the tool's offsets into its own document text, if any
    end: int | None = None


@dataclass(frozen=True)
class Foreign:
    tool: str
    documents: dict[str, str | None]   # name -> the tool's text of it (None: not kept)
    codes: tuple[ForeignCode, ...]
    spans: tuple[ForeignSpan, ...]


def _connect(path: Path) -> sqlite3.Connection:
    if path.is_dir():
        path = path / "data.qda"
    if not path.is_file():
        raise ForeignError(f"{path} does not exist")
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        con.execute("select name from sqlite_master").fetchall()
    except sqlite3.DatabaseError as exc:
        raise ForeignError(f"{path} is not an SQLite database ({exc})") from exc
    return con


def _query(con: sqlite3.Connection, tool: str, sql: str) -> list[tuple]:
    try:
        return con.execute(sql).fetchall()
    except sqlite3.DatabaseError as exc:
        raise ForeignError(f"not a {tool} project: {exc}") from exc


def read_qualcoder(path: Path) -> Foreign:
    """A QualCoder project folder (``*.qda``) or its ``data.qda``."""
    con = _connect(path)
    try:
        sources = _query(con, "QualCoder", "select id, name, fulltext from source")
        cats = _query(con, "QualCoder", "select catid, name, supercatid from code_cat")
        names = _query(con, "QualCoder", "select cid, name, catid from code_name")
        coded = _query(con, "QualCoder", "select cid, fid, seltext, pos0, pos1, owner from "
                                         "code_text order by fid, pos0, cid")
    finally:
        con.close()
    codes = [ForeignCode(f"cat:{c}", n, f"cat:{s}" if s is not None else None)
             for c, n, s in cats]
    codes += [ForeignCode(f"code:{c}", n, f"cat:{k}" if k is not None else None)
              for c, n, k in names]
    doc_name = {i: n for i, n, _ in sources}
    spans = [ForeignSpan(doc_name.get(fid, f"source {fid}"), f"code:{cid}", owner or "qualcoder",
                         text or "", int(p0), int(p1))
             for cid, fid, text, p0, p1, owner in coded]
    return Foreign("QualCoder", {n: t for _, n, t in sources}, tuple(codes), tuple(spans))


def plain(fragment: str) -> str:
    """Text of an HTML fragment: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "", fragment or ""))


def read_taguette(path: Path) -> Foreign:
    """A Taguette SQLite database."""
    con = _connect(path)
    try:
        docs = _query(con, "Taguette", "select id, name from documents")
        tags = _query(con, "Taguette", "select id, path from tags order by id")
        rows = _query(con, "Taguette", "select h.document_id, h.snippet, t.path from highlights h "
                                       "join highlight_tags ht on ht.highlight_id = h.id join "
                                       "tags t on t.id = ht.tag_id order by h.document_id, "
                                       "h.start_offset, h.id, t.id")
    finally:
        con.close()
    paths = [p for _, p in tags]
    codes = [ForeignCode(p, p.rsplit(".", 1)[-1],
                         p.rsplit(".", 1)[0] if "." in p and p.rsplit(".", 1)[0] in paths
                         else None) for p in paths]
    names = {i: n for i, n in docs}
    spans = [ForeignSpan(names.get(d, f"document {d}"), p, "taguette", plain(snippet))
             for d, snippet, p in rows]
    return Foreign("Taguette", {n: None for n in names.values()}, tuple(codes), tuple(spans))


_MAXQDA_COLUMNS = {"document": ("Document name", "Document", "document"),
                   "code": ("Code", "code_path"), "text": ("Segment", "Segment text",
                                                           "segment_text"),
                   "coder": ("Modified by", "Created by", "Author")}


def read_maxqda(path: Path) -> Foreign:
    """A MAXQDA "coded segments" export, XLSX or CSV."""
    import pandas as pd

    if path.suffix.lower() == ".xls":   # the pre-2007 format needs xlrd, which we do not ship
        raise ForeignError(f"{path.name}: an .xls workbook; export the coded segments as "
                           f".xlsx or .csv")
    try:
        table = read_xlsx(path.read_bytes(), dtype=str) if path.suffix.lower() == ".xlsx" \
            else pd.read_csv(io.StringIO(path.read_text(encoding="utf-8-sig")), dtype=str)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise ForeignError(f"cannot read {path.name} as a MAXQDA export ({exc})") from exc
    cols = {}
    for field, names in _MAXQDA_COLUMNS.items():
        cols[field] = next((n for n in names if n in table.columns), None)
    missing = [_MAXQDA_COLUMNS[f][0] for f in ("document", "code", "text") if not cols[f]]
    if missing:
        raise ForeignError(f"{path.name} is not a MAXQDA coded-segments export: no "
                           f"{', '.join(missing)} column")
    table = table.fillna("")
    keys = list(dict.fromkeys(table[cols["code"]]))
    # MAXQDA joins code levels with '\\'; its code-system exports (and some users) with ' > '
    sep = " > " if any(" > " in k for k in keys) else "\\"
    every = set()
    for k in keys:
        parts = k.split(sep)
        every |= {sep.join(parts[:i]) for i in range(1, len(parts) + 1)}
    codes = [ForeignCode(k, k.rsplit(sep, 1)[-1], k.rsplit(sep, 1)[0] if sep in k else None)
             for k in sorted(every, key=lambda k: (k.count(sep), k))]
    spans = [ForeignSpan(r[cols["document"]], r[cols["code"]],
                         (r[cols["coder"]] if cols["coder"] else "") or "maxqda", r[cols["text"]])
             for _, r in table.iterrows()]
    return Foreign("MAXQDA", {d: None for d in table[cols["document"]]}, tuple(codes),
                   tuple(spans))


READERS = {"qualcoder": read_qualcoder, "taguette": read_taguette, "maxqda": read_maxqda}
