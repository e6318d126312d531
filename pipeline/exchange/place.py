"""Put another tool's coded spans on this project's transcripts.

A document is matched to a transcript by citation ID (its name, without extension, is the ID,
or contains it). A span is placed by the tool's offsets when they reproduce its coded text in
our transcript (file offsets converted through what normalisation dropped), else by finding
its text, exactly or with any whitespace; several matches are resolved by the tool's offset,
when it has one. Every span that cannot be placed is reported with the reason. Codes go into
their own namespace (``<name>_<code>``), so two codebooks with the same code names cannot
collide, and a span already present (same place, code and coder) is not imported twice.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from pipeline.codebook import Code, Codebook, codings_csv, to_yaml
from pipeline.exchange.foreign import Foreign, ForeignSpan
from pipeline.formats.text import file_to_transcript, find_quote

REPORT_COLUMNS = ["document", "citation_id", "code_id", "coder", "text", "placed", "how"]


@dataclass(frozen=True)
class Placed:
    codebook_yaml: str
    codings_csv: str
    report: pd.DataFrame      # one row per span: where it went, or why not

    def counts(self) -> pd.Series:
        return self.report.groupby("how").size().sort_values(ascending=False)


def _snake(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")
    return words or "code"


def code_ids(foreign: Foreign, namespace: str) -> dict[str, str]:
    """Code key -> `<namespace>_<name>`, unique (a clash takes its parent's name too)."""
    by_key = {c.key: c for c in foreign.codes}
    out: dict[str, str] = {}
    for c in foreign.codes:
        base = f"{namespace}_{_snake(c.name)}"
        if base in out.values() and c.parent in by_key:
            base = f"{namespace}_{_snake(by_key[c.parent].name)}_{_snake(c.name)}"
        ident, n = base, 2
        while ident in out.values():
            ident, n = f"{base}_{n}", n + 1
        out[c.key] = ident
    return out


def match_document(name: str, citation_ids: list[str]) -> str | None:
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name.strip())
    if stem in citation_ids:
        return stem
    inside = [c for c in citation_ids if c in name]
    return max(inside, key=len) if len(inside) >= 1 else None


def place_span(span: ForeignSpan, text: str, dropped: list[int] | None
               ) -> tuple[tuple[int, int] | None, str]:
    """(start, end) in our transcript and how it was placed, or (None, why not)."""
    quote = " ".join(span.text.split())
    if not quote:
        return None, "no coded text"
    if span.start is not None and span.end is not None:
        mapped = (span.start, span.end) if dropped is None else (
            file_to_transcript(span.start, dropped), file_to_transcript(span.end, dropped))
        if " ".join(text[mapped[0]:mapped[1]].split()) == quote:
            return mapped, "placed by its offsets"
    found = find_quote(text, quote)
    if len(found) == 1:
        return found[0], "placed by its text"
    if found and span.start is not None:
        at = span.start if dropped is None else file_to_transcript(span.start, dropped)
        return min(found, key=lambda f: abs(f[0] - at)), "placed by its text and offset"
    return None, ("text not found in the transcript" if not found else
                  f"text found {len(found)} times and no offset to choose")


def place(foreign: Foreign, transcripts: pd.DataFrame, namespace: str,
          present: set[tuple] = frozenset(), documents: dict[str, str] | None = None
          ) -> Placed:
    """Codebook, codings CSV and a report for `foreign` on these transcripts. `documents`
    names the transcript of documents not named by citation ID."""
    ids = code_ids(foreign, namespace)
    texts = dict(zip(transcripts["citation_id"], transcripts["text"]))
    dropped = dict(zip(transcripts["citation_id"], transcripts.get(
        "file_dropped", pd.Series([None] * len(transcripts)))))
    cids = list(texts)
    rows, report, seen = [], [], set(present)
    for span in foreign.spans:
        cid = (documents or {}).get(span.document) or match_document(span.document, cids)
        cid = cid if cid in texts else None
        code = ids.get(span.code)
        entry = {"document": span.document, "citation_id": cid, "code_id": code,
                 "coder": span.coder, "text": " ".join(span.text.split())[:80]}
        if cid is None or code is None:
            why = "no transcript with this document's citation ID" if cid is None else \
                "unknown code"
            report.append(dict(entry, placed=False, how=why))
            continue
        d = dropped.get(cid)
        where, how = place_span(span, texts[cid], None if d is None else [int(o) for o in d])
        key = (cid, *where, code, span.coder) if where else None
        if where and key in seen:
            where, how = None, "already present (same place, code and coder)"
        report.append(dict(entry, placed=where is not None, how=how))
        if where:
            seen.add(key)
            rows.append({"citation_id": cid, "start_char": where[0], "end_char": where[1],
                         "quote": texts[cid][where[0]:where[1]], "code_id": code,
                         "coder": span.coder})
    return Placed(_codebook(foreign, ids, namespace), codings_csv(rows),
                  pd.DataFrame(report, columns=REPORT_COLUMNS))


def _codebook(foreign: Foreign, ids: dict[str, str], namespace: str) -> str:
    parents = {c.parent for c in foreign.codes if c.parent}
    coded = {s.code for s in foreign.spans}
    codes = tuple(Code(id=ids[c.key], label=c.name, definition=c.name,
                       parent=ids.get(c.parent) if c.parent else None,
                       codable=c.key in coded or c.key not in parents)
                  for c in foreign.codes)
    book = Codebook(f"{foreign.tool} codebook ({namespace})", "imported", codes)
    return to_yaml(book, f"Imported from {foreign.tool} by `qda import`; code ids carry the "
                         f"namespace '{namespace}_'. Definitions are the tools' code names: "
                         f"write real ones.")
