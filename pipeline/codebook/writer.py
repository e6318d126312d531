"""Write a codebook as YAML in the format `codebook.py` reads (e.g. after a REFI-QDA import)."""
from __future__ import annotations

import csv
import io

import yaml

from pipeline.codebook.model import Code, Codebook


def _code(code: Code) -> dict:
    out: dict = {"id": code.id, "label": code.label}
    if code.parent:
        out["parent"] = code.parent
    out["definition"] = code.definition or "(no definition in the imported codebook)"
    for key in ("include", "exclude", "memo"):
        if getattr(code, key):
            out[key] = getattr(code, key)
    if code.examples:
        out["examples"] = [{"text": e.text, "source": e.source} if e.source else e.text
                           for e in code.examples]
    for key in ("keywords", "exclude_keywords"):
        if getattr(code, key):
            out[key] = list(getattr(code, key))
    if code.patterns:
        out["patterns"] = [list(p) for p in code.patterns]
    if code.color:
        out["color"] = code.color
    if not code.codable:
        out["codable"] = False
    return out


def to_yaml(book: Codebook, note: str = "") -> str:
    data = {"codebook": {"name": book.name, "version": book.version or "1"},
            "codes": [_code(c) for c in book.codes]}
    head = "".join(f"# {line}\n" for line in note.splitlines())
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=99)


CODING_COLUMNS = ["citation_id", "start_char", "end_char", "code_id", "coder", "quote"]


def codings_csv(rows: list[dict]) -> str:
    """Human codings as codebooks/codings/*.csv holds them (offsets and the quote that checks
    them)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CODING_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
