"""ingest: corpus files -> transcripts, turns, participants, sites.

Each transcript is parsed on its own (and cached by content hash); then corpus-wide checks run
(duplicate IDs, sequence gaps). Any error stops the stage before anything is written.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from functools import partial
from pathlib import PurePosixPath
from typing import Any

import pandas as pd

from pipeline.core.cache import Cache, no_cache
from pipeline.core.errors import InputError, Problem, error, warning
from pipeline.core.inputs import TRANSCRIPT_SUFFIXES, Corpus
from pipeline.core.parallel import SERIAL, Serial, cached_map
from pipeline.formats.reader import read_transcript
from pipeline.formats.text import count_words
from pipeline.stages.ingest.params import IngestParams
from pipeline.stages.ingest.tables import build_tables
from pipeline.study import citation
from pipeline.study.metadata import Study, load_study
from pipeline.study.names import is_interviewer, label_key, split_people
from pipeline.study.speakers import assign_participants, interviewer_keys

Doc = dict[str, Any]
# The longest text spaCy segments in one piece (its nlp.max_length): a longer turn is a file
# that lost its line breaks or speaker labels, reported here rather than failing in segment.
MAX_TURN_CHARS = 1_000_000


def parse_document(path: str, data: bytes, study: Study, params: IngestParams) -> Doc:
    """Parse and check one transcript. Returns a JSON-friendly dict with its problems."""
    known = {k for k in interviewer_keys(study.interviewer_labels, "")}
    known |= {label.casefold() for label in study.participant_labels}
    read = read_transcript(path, data, known, params.max_label_words)
    # Words counted here, where the transcripts are parsed in parallel and cached, not
    # when the tables are built (one process, every transcript, every run).
    doc: Doc = {"source_path": path, "format": read.fmt, "encoding": read.encoding,
                "text": read.text, "file_dropped": read.dropped, "turns": [],
                "participants": [], "n_words": count_words(read.text)}
    problems = list(read.problems)
    if not read.text:
        doc["problems"] = [list(p.__dict__.values()) for p in problems]
        return doc
    header = read.parsed.header
    cid = _identify(path, header, study, doc, problems)
    if cid is not None:
        _speakers(cid, read, study, doc, problems)
    doc["problems"] = [[p.path, p.line, p.severity, p.message] for p in problems]
    return doc


def _identify(path: str, header: dict, study: Study, doc: Doc, problems: list[Problem]
              ) -> citation.CitationId | None:
    """Citation ID from header (wins) or file stem; check site, role, date against the study."""
    stem = PurePosixPath(path).stem
    head_id, id_line = header.get("id") or header.get("citation id") or ("", 0)
    text_id = head_id or stem
    try:
        cid = citation.parse(text_id)
    except citation.CitationError as exc:
        problems.append(error(path, id_line, str(exc)))
        return None
    if head_id and head_id != stem:
        try:
            citation.parse(stem)
            problems.append(error(path, id_line, f"header ID {head_id} does not match the file "
                                  f"name {stem}; rename the file or fix the header"))
        except citation.CitationError:
            pass  # a non-ID file name is fine when the header carries the ID
    if cid.site not in study.site_codes and study.sites_read:
        known = ", ".join(sorted(study.site_codes, key=lambda c: (len(c), c)))
        problems.append(error(path, id_line, f"site {cid.site} is not in {study.sites_path} "
                              f"(known sites: {known})"))
    if cid.role not in study.roles:
        make = error if study.unknown_role == "error" else warning
        problems.append(make(path, id_line, f"unknown role {cid.role!r}; the study's roles are "
                             f"{', '.join(study.roles)} (see {study.study_path})"))
    named, phase_line = header.get("phase", (None, id_line))
    day, phase, why = study.resolve_date(cid, named or None)
    if day is None and study.phases:  # without phases, study.toml's own error says why
        problems.append(error(path, phase_line if named else id_line, why))
    elif not named and len(study.phases_on(cid)) > 1:
        ids = [p.id for _, p in study.phases_on(cid)]
        problems.append(warning(path, id_line, f"date {cid.month}.{cid.day} falls in phases "
                                f"{', '.join(ids)}; read as {ids[0]}; a 'Phase: <id>' header "
                                f"line says which"))
    _check_header(path, header, cid, day, problems)
    doc.update(citation_id=str(cid), site=cid.site, role=cid.role, role_subtype=cid.subtype,
               seq=cid.seq, interview_date=day.isoformat() if day else None,
               phase=phase.id if phase else None)
    return cid


def _check_header(path: str, header: dict, cid: citation.CitationId, day: dt.date | None,
                  problems: list[Problem]) -> None:
    if "site" in header and header["site"][0] != cid.site:
        problems.append(error(path, header["site"][1], f"header Site {header['site'][0]} does "
                              f"not match the citation ID's site {cid.site}"))
    if "date" in header:
        value, line = header["date"]
        try:
            stated = dt.date.fromisoformat(value)
        except ValueError:
            problems.append(error(path, line, f"header Date {value!r} is not a date like "
                                  f"2016-05-14"))
            return
        if day is not None and stated != day:
            problems.append(error(path, line, f"header Date {value} does not match the "
                                  f"citation ID's date {cid.month}.{cid.day} ({day})"))


def _speakers(cid: citation.CitationId, read, study: Study, doc: Doc,
              problems: list[Problem]) -> None:
    """Classify turns as interviewer or participant and build the participant list."""
    header, path, text = read.parsed.header, doc["source_path"], read.text
    interviewers = interviewer_keys(study.interviewer_labels,
                                    header.get("interviewers", ("", 0))[0])
    turns = read.parsed.turns
    part_labels = [t.speaker for t in turns if not is_interviewer(t.speaker, interviewers)]
    declared = split_people(header.get("participants", ("", 0))[0])
    by_key, notes = assign_participants(str(cid), part_labels, declared,
                                        (cid.role, cid.subtype), study.roles)
    problems.extend(warning(path, header.get("participants", ("", 0))[1], n) for n in notes)
    rows = []
    for number, t in enumerate(turns, 1):
        if t.end_char - t.start_char > MAX_TURN_CHARS:
            problems.append(error(path, t.line, f"turn {number} is {t.end_char - t.start_char:,} "
                                  f"characters long, over the {MAX_TURN_CHARS:,} the segmenter "
                                  f"reads in one piece: has the file lost its line breaks or "
                                  f"speaker labels?"))
        person = by_key.get(label_key(t.speaker))
        body = text[t.start_char:t.end_char]
        rows.append({"turn": number, "speaker": t.speaker, "line": t.line,
                     "speaker_role": "participant" if person else "interviewer",
                     "participant_id": person.participant_id if person else None,
                     "start_char": t.start_char, "end_char": t.end_char,
                     "start_time": t.start_time, "end_time": t.end_time,
                     "n_words": count_words(body)})
    if turns and not any(r["speaker_role"] == "participant" and r["n_words"] for r in rows):
        problems.append(error(path, 0, "no participant speech: every turn is by an interviewer "
                              "(labels: " + ", ".join(sorted({t.speaker for t in turns})) + ")"))
    if turns and all(r["speaker_role"] == "participant" for r in rows):
        problems.append(warning(path, 0, "no interviewer turn: every speaker ("
                                + ", ".join(sorted({t.speaker for t in turns}))
                                + ") counts as a participant; declare the interviewer's label "
                                "in corpus/study.toml interviewer_labels or the header's "
                                "Interviewers line"))
    doc["turns"] = rows
    doc["interviewers"] = "; ".join(sorted({r["speaker"] for r in rows
                                            if r["speaker_role"] == "interviewer"}))
    seen = {p.participant_id: p for p in by_key.values()}
    doc["participants"] = [{"participant_id": p.participant_id, "name": p.name, "role": p.role,
                            "role_subtype": p.role_subtype, "speakers": "; ".join(p.speakers)}
                           for p in sorted(seen.values(), key=lambda p: p.participant_id)]


def check_corpus(docs: list[Doc], study: Study) -> list[Problem]:
    """Checks across transcripts: duplicate IDs, sequence gaps, sites with no interviews."""
    problems: list[Problem] = []
    by_id: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        if d.get("citation_id"):
            by_id[d["citation_id"]].append(d["source_path"])
    for cid, paths in by_id.items():
        for path in paths[1:]:
            problems.append(error(path, 0, f"duplicate citation ID {cid}: also used by "
                                  f"{paths[0]}"))
    seqs: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    for cid, paths in by_id.items():
        c = citation.parse(cid)
        seqs[(c.site, c.role)][c.seq] = paths[0]
    for (site, role), found in sorted(seqs.items()):
        missing = sorted(set(range(1, max(found) + 1)) - set(found))
        if missing:
            after = found[min(s for s in found if s > missing[0])]
            problems.append(warning(after, 0, f"sequence gap: {site} {role} interviews are "
                                    f"numbered {', '.join(map(str, sorted(found)))}; "
                                    f"#{', #'.join(map(str, missing))} missing"))
    problems += undeclared_interviewers(docs)
    used = {d.get("site") for d in docs}
    for code in sorted(study.site_codes - used, key=lambda c: (len(c), c)):
        problems.append(warning(study.sites_path, study.site_lines.get(code, 0),
                                f"site {code} has no transcripts"))
    return problems


def undeclared_interviewers(docs: list[Doc]) -> list[Problem]:
    """A participant label that speaks in most interviews and mostly asks questions is
    probably an interviewer nobody declared; say so (once, at its first turn)."""
    with_turns = [d for d in docs if d.get("turns")]
    seen: dict[str, set[str]] = defaultdict(set)
    asks, total, first = Counter(), Counter(), {}
    for d in with_turns:
        for r in d["turns"]:
            if r["speaker_role"] != "participant":
                continue
            key = label_key(r["speaker"])
            seen[key].add(d["source_path"])
            total[key] += 1
            asks[key] += d["text"][r["start_char"]:r["end_char"]].rstrip().endswith("?")
            first.setdefault(key, (d["source_path"], r["line"], r["speaker"]))
    out = []
    for key, paths in seen.items():
        if len(with_turns) >= 3 and len(paths) > len(with_turns) / 2 \
                and asks[key] > total[key] / 2:
            path, line, label = first[key]
            out.append(warning(path, line, f"speaker '{label}' counts as a participant in "
                               f"{len(paths)} of {len(with_turns)} interviews and {asks[key]} "
                               f"of its {total[key]} turns are questions: an undeclared "
                               f"interviewer? Add it to interviewer_labels in "
                               f"corpus/study.toml or to the header's Interviewers line"))
    return out


def parse_documents(sources: list[tuple[str, bytes]], study: Study, params: IngestParams
                    ) -> list[Doc]:
    """`parse_document` over a chunk of (path, bytes): what one worker does."""
    return [parse_document(path, data, study, params) for path, data in sources]


def collect(corpus: Corpus, params: IngestParams, cache: Cache = no_cache,
            executor: Serial = SERIAL) -> tuple[Study | None, list[Doc], list[Problem]]:
    """Parse every transcript (through the cache, the missing ones on `executor`) and
    gather all problems."""
    study, problems = load_study(corpus.study_bytes, corpus.sites_bytes,
                                 corpus.study_path, corpus.sites_path)
    if study is None:
        return None, [], problems
    problems += [warning(path, 0, why) for path, why in corpus.skipped]
    if not corpus.files:
        problems.append(error(corpus.transcripts_path + "/", 0, "no transcripts to read: "
                              "put the interviews here "
                              f"({', '.join(TRANSCRIPT_SUFFIXES)})"))
    keys = [f"{src.sha256}-{corpus.study_hash}-{params.max_label_words}-{src.path}"
            for src in corpus.files]
    parsed = cached_map(cache, keys, [(src.path, src.data) for src in corpus.files],
                        [len(src.data) for src in corpus.files],
                        partial(parse_documents, study=study, params=params), executor,
                        "ingest")
    docs = []
    for src, doc in zip(corpus.files, parsed):
        docs.append(dict(doc, sha256=src.sha256))
        problems += [Problem(*p) for p in doc["problems"]]
    problems += check_corpus(docs, study)
    return study, docs, sorted(set(problems))


def run(corpus: Corpus, *, params: IngestParams, cache: Cache = no_cache,
        executor: Serial = SERIAL) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Build the ingest tables; raise `InputError` (writing nothing) on any error."""
    study, docs, problems = collect(corpus, params, cache, executor)
    if study is None or any(p.is_error for p in problems):
        raise InputError(problems)
    return build_tables(study, docs), [p for p in problems if not p.is_error]
