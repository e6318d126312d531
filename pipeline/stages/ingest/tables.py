"""Turn parsed transcript documents into the ingest stage's tidy tables."""
from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.formats.text import count_words
from pipeline.study.metadata import Study

Doc = dict[str, Any]


def _site_order(study: Study) -> dict[str, int]:
    return {s["code"]: i for i, s in enumerate(study.sites)}


def build_tables(study: Study, docs: list[Doc]) -> dict[str, pd.DataFrame]:
    order = _site_order(study)
    docs = sorted(docs, key=lambda d: (order.get(d["site"], 10**6), d["role"], d["seq"],
                                       d["citation_id"]))
    turns = _turns(docs)
    participants = _participants(docs, turns)
    transcripts = _transcripts(docs, turns, participants)
    return {"transcripts": transcripts, "turns": turns, "participants": participants,
            "sites": _sites(study, transcripts, participants)}


def _transcripts(docs: list[Doc], turns: pd.DataFrame, participants: pd.DataFrame
                 ) -> pd.DataFrame:
    spoken = (turns[turns["speaker_role"] == "participant"]
              .groupby("citation_id")["n_words"].sum())
    people = participants.groupby("citation_id").size()
    rows = []
    for d in docs:
        cid = d["citation_id"]
        rows.append({
            "citation_id": cid, "site": d["site"], "role": d["role"],
            "role_subtype": d["role_subtype"], "seq": d["seq"],
            "interview_date": pd.Timestamp(d["interview_date"]).date(), "phase": d["phase"],
            "source_path": d["source_path"], "format": d["format"], "encoding": d["encoding"],
            "n_words": d["n_words"] if "n_words" in d else count_words(d["text"]),
            "n_participant_words": int(spoken.get(cid, 0)),
            "n_turns": len(d["turns"]),
            "n_participants": int(people.get(cid, 0)),
            "interviewers": d["interviewers"], "sha256": d["sha256"], "text": d["text"],
            "file_dropped": d.get("file_dropped"),
        })
    return pd.DataFrame(rows)


def _turns(docs: list[Doc]) -> pd.DataFrame:
    rows = []
    for d in docs:
        for t in d["turns"]:
            rows.append({"citation_id": d["citation_id"], **t,
                         "text": d["text"][t["start_char"]:t["end_char"]]})
    return pd.DataFrame(rows, columns=[
        "citation_id", "turn", "speaker", "speaker_role", "participant_id", "line",
        "start_char", "end_char", "start_time", "end_time", "n_words", "text"])


def _participants(docs: list[Doc], turns: pd.DataFrame) -> pd.DataFrame:
    stats = (turns[turns["speaker_role"] == "participant"]
             .groupby("participant_id").agg(n_turns=("turn", "size"), n_words=("n_words", "sum")))
    rows = []
    for d in docs:
        for p in d["participants"]:
            pid = p["participant_id"]
            n_turns = int(stats.loc[pid, "n_turns"]) if pid in stats.index else 0
            n_words = int(stats.loc[pid, "n_words"]) if pid in stats.index else 0
            rows.append({**p, "citation_id": d["citation_id"], "site": d["site"],
                         "n_turns": n_turns, "n_words": n_words})
    return pd.DataFrame(rows, columns=[
        "participant_id", "citation_id", "site", "role", "role_subtype", "name", "speakers",
        "n_turns", "n_words"])


def _sites(study: Study, transcripts: pd.DataFrame, participants: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for s in study.sites:
        code = s["code"]
        attrs = {k: v for k, v in s.items() if k not in ("code",)}
        rows.append({"site": code, **attrs,
                     "n_transcripts": int((transcripts["site"] == code).sum()),
                     "n_participants": int((participants["site"] == code).sum())})
    return pd.DataFrame(rows)
