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
        sents = [s for s in doc.sents if any(not tok.is_punct and not tok.is_space for tok in s)]
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


def run(transcripts: pd.DataFrame, turns: pd.DataFrame, participants: pd.DataFrame, *,
        params: SegmentParams, cache: Cache = no_cache, executor: Serial = SERIAL
        ) -> tuple[dict[str, pd.DataFrame], list]:
    part_role = {p.participant_id: (p.role, p.role_subtype)
                 for p in participants.itertuples(index=False)}
    by_doc = {cid: g for cid, g in turns.groupby("citation_id", sort=False)}
    key_base = f"{params.max_words}-{params.lang}-{spacy.__version__}"
    rows, keys, items, own_turns = [], [], [], []
    for tr in transcripts.itertuples(index=False):
        doc_turns = by_doc.get(tr.citation_id, turns.iloc[0:0])
        spoken = doc_turns[(doc_turns["speaker_role"] == "participant")
                           & (doc_turns["n_words"] > 0)]
        spans = spoken[["turn", "start_char", "end_char"]].to_dict("records")
        # The key names everything the result depends on: the text, the parameters, and
        # which turns are participant speech (that follows study.toml, not the file).
        turns_key = hashlib.sha256(json.dumps(spans).encode()).hexdigest()[:16]
        keys.append(f"{tr.sha256}-{key_base}-{turns_key}")
        items.append((tr.text, spans))
        own_turns.append(doc_turns)
    segmented = cached_map(cache, keys, items, [len(text) for text, _ in items],
                           partial(segment_transcripts, params=params), executor, "segment")
    for tr, doc_turns, segs in zip(transcripts.itertuples(index=False), own_turns, segmented):
        rows.extend(_describe(tr, doc_turns, segs, part_role))
    cols = ["segment_id", "citation_id", "site", "role", "role_subtype", "participant_id",
            "speaker", "turn", "seg_in_turn", "start_char", "end_char", "text", "n_words",
            "lemmas", "start_time", "end_time", "locator", "question", "interview_date",
            "phase"]
    return {"segments": pd.DataFrame(rows, columns=cols)}, []


def _describe(tr, doc_turns: pd.DataFrame, segs: list[dict], part_role: dict) -> list[dict]:
    """Attach IDs, speaker, role, locator and the preceding question to raw segments."""
    info, last_q = {}, None
    for row in doc_turns.itertuples(index=False):
        if row.speaker_role == "interviewer" and row.n_words:
            last_q = row.text
        info[row.turn] = (row, last_q)
    out = []
    for s in segs:
        turn, question = info[s["turn"]]
        role, subtype = part_role[turn.participant_id]
        out.append({
            "segment_id": f"{tr.citation_id}:{s['turn']:04d}:{s['seg_in_turn']:03d}",
            "citation_id": tr.citation_id, "site": tr.site, "role": role,
            "role_subtype": subtype, "participant_id": turn.participant_id,
            "speaker": turn.speaker, **s,
            "text": tr.text[s["start_char"]:s["end_char"]],
            "start_time": turn.start_time, "end_time": turn.end_time,
            "locator": f"{tr.citation_id} ¶{s['turn']}", "question": question,
            "interview_date": tr.interview_date, "phase": tr.phase,
        })
    return out
