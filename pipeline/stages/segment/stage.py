"""segment: participant turns -> segments of whole sentences (at most ~120 words).

A turn of up to `max_words` words is one segment; a longer turn is split into windows of whole
sentences of roughly equal size that never cross the turn. Offsets point into the normalised
transcript text, so ``text == transcript[start_char:end_char]`` always holds.
"""
from __future__ import annotations

import hashlib
import json
import math
from functools import partial

import pandas as pd
import spacy

from pipeline.core.cache import Cache, no_cache
from pipeline.core.parallel import SERIAL, Serial, cached_map
from pipeline.nlp.pipelines import content_lemmas, fast_nlp
from pipeline.stages.segment.params import SegmentParams
from pipeline.stages.segment.sentences import sentences


def windows(sent_words: list[int], max_words: int) -> list[tuple[int, int]]:
    """Group consecutive sentences into windows of about equal size, each <= max_words
    unless one sentence alone is longer. Returns (first, last_exclusive) sentence indices."""
    total = sum(sent_words)
    n = max(1, math.ceil(total / max_words))
    target = total / n
    out, first, acc = [], 0, 0
    for i, words in enumerate(sent_words):
        if i > first and acc + words > max_words:
            out.append((first, i))
            first, acc = i, 0
        acc += words
        if acc >= target and len(out) < n - 1 and i + 1 < len(sent_words):
            out.append((first, i + 1))
            first, acc = i + 1, 0
    if first < len(sent_words):
        out.append((first, len(sent_words)))
    return out


def segment_transcript(text: str, turns: list[dict], nlp, params: SegmentParams) -> list[dict]:
    """Segments for one transcript's participant turns (dicts with turn, start/end_char...)."""
    out = []
    lookup = nlp.get_pipe("lemmatizer").lookup
    # Only content words need lemmas, so they are looked up here and the pipe is not run.
    docs = nlp.pipe((text[t["start_char"]:t["end_char"]] for t in turns),
                    batch_size=params.batch_size, disable=["lemmatizer"])
    for t, doc in zip(turns, docs):
        # Sentences that keep transcribers' notes whole (`sentences`), without empty ones.
        sents = [s for s in sentences(doc, text[t["start_char"]:t["end_char"]])
                 if any(not tok.is_punct and not tok.is_space for tok in s)]
        words = [sum(1 for tok in s if not tok.is_punct and not tok.is_space) for s in sents]
        for k, (a, b) in enumerate(windows(words, params.max_words), 1):
            span = doc[sents[a].start:sents[b - 1].end]
            out.append({"turn": t["turn"], "seg_in_turn": k,
                        "start_char": t["start_char"] + span.start_char,
                        "end_char": t["start_char"] + span.end_char,
                        "n_words": sum(words[a:b]), "lemmas": content_lemmas(span, lookup)})
    return out


def segment_transcripts(items: list[tuple[str, list[dict]]], params: SegmentParams
                        ) -> list[list[dict]]:
    """`segment_transcript` over a chunk of (text, turns): what one worker does."""
    nlp = fast_nlp(params.lang)
    return [segment_transcript(text, turns, nlp, params) for text, turns in items]


TURN_COLUMNS = ["citation_id", "speaker_role", "n_words", "turn", "start_char", "end_char",
                "text", "participant_id", "speaker", "start_time", "end_time"]
SEGMENT_COLUMNS = ["segment_id", "citation_id", "site", "role", "role_subtype",
                   "participant_id", "speaker", "turn", "seg_in_turn", "start_char", "end_char",
                   "text", "n_words", "lemmas", "start_time", "end_time", "locator", "question",
                   "interview_date", "phase"]


def run(transcripts: pd.DataFrame, turns: pd.DataFrame, participants: pd.DataFrame, *,
        params: SegmentParams, cache: Cache = no_cache, executor: Serial = SERIAL
        ) -> tuple[dict[str, pd.DataFrame], list]:
    part_role = {p.participant_id: (p.role, p.role_subtype)
                 for p in participants.itertuples(index=False)}
    # Turns as plain lists, grouped once: on every run (also when every transcript comes
    # from the cache) a DataFrame filter per transcript took a second on the benchmark.
    cols = {c: turns[c].tolist() for c in TURN_COLUMNS}
    rows_of: dict[str, list[int]] = {}
    for i, cid in enumerate(cols["citation_id"]):
        rows_of.setdefault(cid, []).append(i)
    key_base = f"{params.max_words}-{params.lang}-{spacy.__version__}"
    keys, items = [], []
    for tr in transcripts.itertuples(index=False):
        spans = [{"turn": cols["turn"][i], "start_char": cols["start_char"][i],
                  "end_char": cols["end_char"][i]} for i in rows_of.get(tr.citation_id, ())
                 if cols["speaker_role"][i] == "participant" and cols["n_words"][i] > 0]
        # The key names everything the result depends on: the text, the parameters, and
        # which turns are participant speech (that follows study.toml, not the file).
        turns_key = hashlib.sha256(json.dumps(spans).encode()).hexdigest()[:16]
        keys.append(f"{tr.sha256}-{key_base}-{turns_key}")
        items.append((tr.text, spans))
    segmented = cached_map(cache, keys, items, [len(text) for text, _ in items],
                           partial(segment_transcripts, params=params), executor, "segment")
    out: dict[str, list] = {c: [] for c in SEGMENT_COLUMNS}
    for tr, segs in zip(transcripts.itertuples(index=False), segmented):
        _describe(out, tr, cols, rows_of.get(tr.citation_id, []), segs, part_role)
    return {"segments": pd.DataFrame(out, columns=SEGMENT_COLUMNS)}, []


def _describe(out: dict[str, list], tr, turns: dict[str, list], rows: list[int],
              segs: list[dict], part_role: dict) -> None:
    """Attach IDs, speaker, role, locator and the preceding question to raw segments,
    appending to the columns of `out`. `rows`: the transcript's turns in `turns`."""
    at, last_q = {}, None
    for i in rows:
        if turns["speaker_role"][i] == "interviewer" and turns["n_words"][i]:
            last_q = turns["text"][i]
        at[turns["turn"][i]] = (i, last_q)
    add = {c: out[c].append for c in SEGMENT_COLUMNS}
    for s in segs:
        i, question = at[s["turn"]]
        pid = turns["participant_id"][i]
        role, subtype = part_role[pid]
        add["segment_id"](f"{tr.citation_id}:{s['turn']:04d}:{s['seg_in_turn']:03d}")
        add["citation_id"](tr.citation_id)
        add["site"](tr.site)
        add["role"](role)
        add["role_subtype"](subtype)
        add["participant_id"](pid)
        add["speaker"](turns["speaker"][i])
        for c in ("turn", "seg_in_turn", "start_char", "end_char", "n_words", "lemmas"):
            add[c](s[c])
        add["text"](tr.text[s["start_char"]:s["end_char"]])
        add["start_time"](turns["start_time"][i])
        add["end_time"](turns["end_time"][i])
        add["locator"](f"{tr.citation_id} ¶{s['turn']}")
        add["question"](question)
        add["interview_date"](tr.interview_date)
        add["phase"](tr.phase)
