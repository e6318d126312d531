"""Real coded studies as project folders: their transcripts, codebook and researcher's codings.

``../shared/realdata/`` holds studies coded by their own researchers in other tools (a MAXQDA
export, a Taguette database). `build_project` writes one of them in this project's input
formats (``corpus/``, ``codebooks/<dataset>.yml``, ``codebooks/codings/<dataset>.csv``), so that
``qda analyze`` reads it like any study and the researcher's codings serve as human codings.

The readers (`realdata_maxqda`, `realdata_taguette`) return a neutral `Source`; this module
writes it. Every coded span is placed by offsets into the text written here and checked
against it (the ``quote`` column is that slice), so the pipeline's own check cannot fail.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pipeline.codebook.model import Code, Codebook
from pipeline.codebook.writer import codings_csv, to_yaml
from pipeline.formats.text import normalise

DATASETS = ("pdpilot-maxqda", "taguette-serdif")
SITE = "S1"
ROLE = "Participant"
CODER = "researcher"   # both studies have one coder, whose name the sources do not give


@dataclass(frozen=True)
class Interview:
    """One transcript: its ID parts, header facts and body text (our turn format)."""
    seq: int
    date: dt.date
    participant: str
    interviewers: str
    note: str
    body: str


@dataclass(frozen=True)
class SourceCode:
    """A code of the researcher's codebook, keyed by its path in the source tool."""
    key: str
    name: str
    parent: str | None
    definition: str
    codable: bool


@dataclass(frozen=True)
class SourceSpan:
    """A coded span: interview `seq`, code points into that interview's body, code key."""
    seq: int
    start: int
    end: int
    code: str


@dataclass(frozen=True)
class Source:
    """What a reader gives: the study, its interviews, codebook and codings."""
    study_name: str
    site_name: str
    interviewer_labels: tuple[str, ...]
    participant_labels: tuple[str, ...]
    interviews: tuple[Interview, ...]
    codes: tuple[SourceCode, ...]
    spans: tuple[SourceSpan, ...]
    unplaced: tuple[tuple[str, str], ...]   # (which span, why it could not be placed)
    codebook_name: str
    codebook_version: str
    notice: str   # provenance and licence, written at the top of generated files


@dataclass(frozen=True)
class BuiltProject:
    """What `build_project` wrote."""
    dataset: str
    target: Path
    n_transcripts: int
    n_codes: int
    n_spans: int
    unplaced: tuple[tuple[str, str], ...]
    coded_transcripts: tuple[str, ...]   # transcripts the researcher coded in full


def available(shared: Path) -> list[str]:
    """The datasets present under ``shared/realdata``."""
    return [d for d in DATASETS if (Path(shared) / "realdata" / d).is_dir()]


def read_source(dataset: str, shared: Path) -> Source:
    """Read one dataset with its reader (imported here: the readers import this module)."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
    folder = Path(shared) / "realdata" / dataset
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is missing")
    if dataset == "pdpilot-maxqda":
        from pipeline.analysis import realdata_maxqda
        return realdata_maxqda.read(folder)
    from pipeline.analysis import realdata_taguette
    return realdata_taguette.read(folder)


def build_project(dataset: str, shared: Path, target: Path) -> BuiltProject:
    """Write `dataset` as a project folder under `target` (which must hold no corpus yet)."""
    target = Path(target)
    for sub in ("corpus", "codebooks"):
        if (target / sub).exists() and any((target / sub).iterdir()):
            raise FileExistsError(f"{target / sub} is not empty; build into a fresh folder")
    src = read_source(dataset, shared)
    ids = citation_ids(src.interviews)
    texts: dict[int, str] = {}
    (target / "corpus" / "transcripts").mkdir(parents=True, exist_ok=True)
    (target / "codebooks" / "codings").mkdir(parents=True, exist_ok=True)
    (target / "corpus" / "study.toml").write_text(study_toml(src), encoding="utf-8")
    (target / "corpus" / "sites.csv").write_text(sites_csv(src), encoding="utf-8")
    for interview in src.interviews:
        cid = ids[interview.seq]
        texts[interview.seq] = transcript_text(cid, interview)
        path = target / "corpus" / "transcripts" / f"{cid}.txt"
        path.write_text(texts[interview.seq], encoding="utf-8")
    code_ids = assign_ids(src.codes)
    book = Codebook(src.codebook_name, src.codebook_version, tuple(
        Code(id=code_ids[c.key], label=c.name, definition=c.definition,
             parent=code_ids[c.parent] if c.parent else None, codable=c.codable)
        for c in src.codes))
    (target / "codebooks" / f"{dataset}.yml").write_text(to_yaml(book, src.notice),
                                                          encoding="utf-8")
    shifts = {i.seq: len(texts[i.seq]) - len(i.body) for i in src.interviews}  # the header
    rows = coding_rows(src.spans, ids, texts, shifts, code_ids)
    (target / "codebooks" / "codings" / f"{dataset}.csv").write_text(codings_csv(rows),
                                                                      encoding="utf-8")
    return BuiltProject(dataset=dataset, target=target, n_transcripts=len(src.interviews),
                        n_codes=len(src.codes), n_spans=len(rows), unplaced=src.unplaced,
                        coded_transcripts=tuple(ids[i.seq] for i in src.interviews))


def citation_ids(interviews: tuple[Interview, ...]) -> dict[int, str]:
    """``S1_Participant#<seq>_<month>.<day>`` for every interview; sequence numbers unique."""
    seqs = [i.seq for i in interviews]
    if len(set(seqs)) != len(seqs):
        raise ValueError(f"duplicate sequence numbers among {sorted(seqs)}")
    return {i.seq: f"{SITE}_{ROLE}#{i.seq}_{i.date.month}.{i.date.day}" for i in interviews}


def transcript_text(cid: str, interview: Interview) -> str:
    """Header block, a blank line, then the body; already in normalised form."""
    header = (f"ID: {cid}\nDate: {interview.date.isoformat()}\nSite: {SITE}\n"
              f"Interviewers: {interview.interviewers}\nParticipants: {interview.participant}\n"
              f"Notes: {interview.note}\n\n")
    text = header + interview.body
    if normalise(text) != text:   # offsets are into this text, so it must not change on read
        raise ValueError(f"{cid}: the text would change when normalised")
    return text


def phases(dates: list[dt.date]) -> list[tuple[int, dt.date, dt.date]]:
    """One fieldwork phase per calendar year, from its first to its last interview."""
    years = sorted({d.year for d in dates})
    return [(y, min(d for d in dates if d.year == y), max(d for d in dates if d.year == y))
            for y in years]


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)   # a JSON string is a TOML basic string


def study_toml(src: Source) -> str:
    lines = [*(f"# {line}" for line in src.notice.splitlines()), "[study]",
             f"name = {_toml(src.study_name)}", f'id_prefix = "{SITE[0]}"',
             "alphabetical_site_numbers = false", 'unknown_role = "error"', ""]
    for year, start, end in phases([i.date for i in src.interviews]):
        lines += ["[[phases]]", f'id = "fieldwork_{year}"',
                  f"label = {_toml(f'{src.study_name}, {year}')}", f"year = {year}",
                  f"start = {start.isoformat()}", f"end = {end.isoformat()}", ""]
    lines += ["[roles]", f'vocabulary = ["{ROLE}"]', "", "[speakers]",
              f"interviewer_labels = [{', '.join(map(_toml, src.interviewer_labels))}]",
              f"participant_labels = [{', '.join(map(_toml, src.participant_labels))}]"]
    return "\n".join(lines) + "\n"


def sites_csv(src: Source) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([("code", "name", "kind"), (SITE, src.site_name, "study")])
    return out.getvalue()


def snake(name: str) -> str:
    """'Don't go in depth on interactions' -> 'dont_go_in_depth_on_interactions'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "_", re.sub(r"['’]", "", ascii_name.lower())).strip("_")
    return words if re.match(r"[a-z]", words) else f"code_{words}".rstrip("_")


def assign_ids(codes: tuple[SourceCode, ...]) -> dict[str, str]:
    """Code key -> unique snake_case id from its name; a clash takes its parent's id first,
    then a number, so ids stay readable."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for code in codes:
        base = snake(code.name)
        if base in used and code.parent:
            base = f"{ids[code.parent]}_{base}"
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}_{n}", n + 1
        ids[code.key] = candidate
        used.add(candidate)
    return ids


def coding_rows(spans: tuple[SourceSpan, ...], ids: dict[int, str], texts: dict[int, str],
                shifts: dict[int, int], code_ids: dict[str, str]) -> list[dict[str, str]]:
    """One CSV row per span, offsets into the written text, with the slice as its quote."""
    rows = []
    for span in spans:
        start, end = span.start + shifts[span.seq], span.end + shifts[span.seq]
        rows.append({"citation_id": ids[span.seq], "start_char": str(start),
                     "end_char": str(end), "code_id": code_ids[span.code], "coder": CODER,
                     "quote": texts[span.seq][start:end]})
    return rows


