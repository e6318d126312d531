"""Choosing quotes: verbatim excerpts of whole sentences, from different people and roles."""
from __future__ import annotations

import re

import pandas as pd

_SENTENCE = re.compile(r"\S.*?(?:[.!?]+[\"”’)\]]*(?=\s)|$)", re.DOTALL)
CONTRAST = re.compile(r"\b(but|however|although|not sure|i don['’]t think|i do not think|"
                      r"disagree\w*|doesn['’]t|didn['’]t|never|not really|"
                      r"sceptic\w*|skeptic\w*)\b", re.IGNORECASE)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, without surrounding spaces."""
    return [(m.start(), m.start() + len(m.group().rstrip()))
            for m in _SENTENCE.finditer(text)]


def excerpt(text: str, terms: list[str], max_words: int, anchor: str = ""
            ) -> tuple[int, int]:
    """Offsets of a verbatim excerpt: the whole text if short enough, else the sentence that
    contains `anchor` (if given) or mentions the most theme terms, widened with its
    neighbours up to `max_words`."""
    if len(text.split()) <= max_words:
        return 0, len(text)
    spans = sentences(text) or [(0, len(text))]
    lowered = [text[a:b].lower() for a, b in spans]
    terms = [t.lower() for t in terms]
    hits = [(anchor.lower() in s if anchor else 0, sum(t in s for t in terms))
            for s in lowered]
    best = max(range(len(spans)), key=lambda i: (hits[i], -i))
    lo = hi = best

    def words(a: int, b: int) -> int:
        return len(text[spans[a][0]:spans[b][1]].split())
    while True:
        grew = False
        if hi + 1 < len(spans) and words(lo, hi + 1) <= max_words:
            hi, grew = hi + 1, True
        if lo > 0 and words(lo - 1, hi) <= max_words:
            lo, grew = lo - 1, True
        if not grew:
            return spans[lo][0], spans[hi][1]


def rank_candidates(candidates: pd.DataFrame) -> pd.DataFrame:
    """Human-coded segments first, then stronger automatic evidence, then corpus order."""
    return candidates.sort_values(["human", "score", "segment_id"],
                                  ascending=[False, False, True])


def pick_diverse(ranked: pd.DataFrame, n: int, taken_people: set[str]) -> list[dict]:
    """Up to n rows, each from a different participant, preferring roles not yet heard."""
    rows = ranked.to_dict("records")
    chosen: list[dict] = []
    roles: set[str] = set()
    for prefer_new_role in (True, False):
        for r in rows:
            if len(chosen) == n:
                return chosen
            if r["participant_id"] in taken_people or r in chosen:
                continue
            if prefer_new_role and r["role"] in roles:
                continue
            chosen.append(r)
            roles.add(r["role"])
            taken_people = taken_people | {r["participant_id"]}
    return chosen
