"""Keyword and pattern matching of codebook codes against segments (spaCy matchers on lemmas)."""
from __future__ import annotations

from collections import defaultdict

import pandas as pd
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher

from pipeline.codebook.model import Codebook

MATCH_COLUMNS = ["segment_id", "code_id", "terms", "n_terms", "excluded_by"]


def build_matchers(book: Codebook, nlp: Language) -> tuple[PhraseMatcher, Matcher, dict]:
    """One PhraseMatcher (keywords and exclusion keywords, on lemmas) and one Matcher (token
    patterns). Match ids map back to (code_id, kind, term)."""
    phrases = PhraseMatcher(nlp.vocab, attr="LEMMA")
    tokens = Matcher(nlp.vocab, validate=True)
    labels: dict[int, tuple[str, str, str]] = {}
    for code in book.codable:
        for kind, terms in (("include", code.keywords), ("exclude", code.exclude_keywords)):
            for term in terms:
                key = f"{code.id}|{kind}|{term}"
                labels[nlp.vocab.strings.add(key)] = (code.id, kind, term)
                phrases.add(key, [nlp(term)])
        for i, pattern in enumerate(code.patterns, 1):
            key = f"{code.id}|include|pattern {i}"
            labels[nlp.vocab.strings.add(key)] = (code.id, "include", f"pattern {i}")
            tokens.add(key, [[_lower_lemma(t) for t in pattern]])
    return phrases, tokens, labels


def _lower_lemma(token: dict) -> dict:
    """Lemmas are stored lower-case, so LEMMA values in patterns are compared in lower case."""
    out = dict(token)
    value = out.get("LEMMA")
    if isinstance(value, str):
        out["LEMMA"] = value.lower()
    elif isinstance(value, dict):
        out["LEMMA"] = {k: [v.lower() for v in vs] if isinstance(vs, list) else vs
                        for k, vs in value.items()}
    return out


def match_segments(segments: pd.DataFrame, book: Codebook, nlp: Language,
                   batch_size: int = 256) -> pd.DataFrame:
    """One row per (segment, code) with at least one keyword or pattern match: the distinct
    terms matched, and the exclusion keywords that also matched (if any)."""
    if not book.codable:
        return pd.DataFrame(columns=MATCH_COLUMNS)
    phrases, tokens, labels = build_matchers(book, nlp)
    rows = []
    active = [m for m in (phrases, tokens) if len(m)]  # spaCy warns on an empty matcher
    # Line breaks (hard-wrapped transcripts) would split phrases into separate tokens.
    texts = [" ".join(t.split()) for t in segments["text"]]
    docs = nlp.pipe(texts, batch_size=batch_size, disable=["sentencizer"])
    for seg_id, doc in zip(segments["segment_id"], docs):
        found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for match_id, _, _ in [m for matcher in active for m in matcher(doc)]:
            code_id, kind, term = labels[match_id]
            found[code_id][kind].add(term)
        for code_id, kinds in found.items():
            if kinds["include"]:
                terms = sorted(kinds["include"])
                rows.append({"segment_id": seg_id, "code_id": code_id, "terms": "; ".join(terms),
                             "n_terms": len(terms),
                             "excluded_by": "; ".join(sorted(kinds["exclude"]))})
    return pd.DataFrame(rows, columns=MATCH_COLUMNS)
