"""Read ``pdpilot-maxqda``: 7 interviews coded in MAXQDA (PDPilot user study).

The cleaned transcripts are already one ``Speaker: text`` turn per line, so they are written
unchanged below our header; the export's code-point offsets then only shift by the header.
The interview dates are not recorded anywhere: P<n> gets the placeholder date October n, 2024
(the PDFs were made on 2024-10-30), so interviews sort in participant order.
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from pipeline.analysis.realdata import Interview, Source, SourceCode, SourceSpan

SEP = " > "
NOTICE = ("Built from ../shared/realdata/pdpilot-maxqda (DanielKerrigan/PDPilotUserStudy, "
          "BSD 3-Clause,\nCopyright (c) 2023, DanielKerrigan; keep its LICENSE with any copy). "
          "Interview dates are\nplaceholders (P<n> on October n, 2024): the study gives none.")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read(folder: Path) -> Source:
    """The study as a `Source`: transcripts, the 3-level code system and 261 coded segments."""
    interviews = tuple(_interview(p) for p in sorted(
        (folder / "transcripts").glob("P*.txt"), key=lambda p: int(p.stem[1:])))
    codes = codes_from(_rows(folder / "code-system.csv"))
    bodies = {i.seq: i.body for i in interviews}
    spans, unplaced = spans_from(_rows(folder / "coded-segments.csv"), bodies,
                                 {c.key for c in codes})
    return Source(
        study_name="PDPilot user study (semi-structured interviews)",
        site_name="PDPilot user study", interviewer_labels=("Dan",),
        # "Particpant:" is the source's own label typo (P5, one turn): known, so it stays a turn
        participant_labels=("Participant", "Particpant"),
        interviews=interviews, codes=codes, spans=spans, unplaced=unplaced,
        codebook_name="PDPilot user study: MAXQDA code system", codebook_version="1",
        notice=NOTICE)


def _interview(path: Path) -> Interview:
    n = int(path.stem[1:])
    return Interview(seq=n, date=dt.date(2024, 10, n), participant=path.stem,
                     interviewers="Dan",
                     note=f"PDPilot user study, transcripts/{path.name}; "
                          f"date unknown, placeholder",
                     body=path.read_text(encoding="utf-8"))


def codes_from(rows: list[dict[str, str]]) -> tuple[SourceCode, ...]:
    """Codes in code-system order. A grouping code (with children) that MAXQDA counts no
    segments for is not codable; `Anonymize` keeps codable: its 32 segments exist in MAXQDA
    but were left out of the export."""
    paths = {r["code_path"] for r in rows}
    parents = {p.rsplit(SEP, 1)[0] for p in paths if SEP in p}
    out = []
    for r in rows:
        path = r["code_path"]
        parent = path.rsplit(SEP, 1)[0] if SEP in path else None
        if parent is not None and parent not in paths:
            raise ValueError(f"code-system.csv: {path!r} has no parent row")
        grouping = path in parents and int(r["frequency"]) == 0
        out.append(SourceCode(key=path, name=r["code"], parent=parent,
                              definition=r["memo"].strip() or r["code"], codable=not grouping))
    return tuple(out)


def spans_from(rows: list[dict[str, str]], bodies: dict[int, str], codes: set[str]
               ) -> tuple[tuple[SourceSpan, ...], tuple[tuple[str, str], ...]]:
    """Each segment at its export offsets, checked against its text; when the offsets do not
    reproduce the text, a unique exact match in the transcript places it instead."""
    spans, unplaced = [], []
    for r in rows:
        where = f"segment {r['segment']} ({r['document']}, {r['code']})"
        seq, text = int(r["document"][1:]), r["segment_text"]
        body = bodies.get(seq)
        if body is None or r["code_path"] not in codes:
            unplaced.append((where, "unknown document" if body is None else "unknown code"))
            continue
        start, end = int(r["transcript_start"]), int(r["transcript_end"])
        if body[start:end] != text:
            found, at = [], body.find(text)
            while at >= 0:
                found.append(at)
                at = body.find(text, at + 1)
            if len(found) != 1:
                unplaced.append((where, f"text found {len(found)} times in the transcript"))
                continue
            start, end = found[0], found[0] + len(text)
        spans.append(SourceSpan(seq, start, end, r["code_path"]))
    return tuple(spans), tuple(unplaced)
