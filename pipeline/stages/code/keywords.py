"""Keyword and pattern matching of codebook codes against segments (spaCy matchers on lemmas)."""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from functools import partial

import numpy as np
import pandas as pd
import spacy
from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher

from pipeline.codebook.model import Codebook
from pipeline.core.cache import Cache, no_cache
from pipeline.core.parallel import SERIAL, Serial, cached_map
from pipeline.nlp.pipelines import fast_nlp

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
                   batch_size: int = 256, cache: Cache = no_cache,
                   executor: Serial = SERIAL) -> pd.DataFrame:
    """One row per (segment, code) with at least one keyword or pattern match: the distinct
    terms matched, and the exclusion keywords that also matched (if any). Matches are
    cached per transcript, keyed by its segments' texts and the codebook's terms, so an
    edited transcript is the only one matched again; the missing transcripts are matched
    on `executor` when that is worth it (`nlp` is the fast pipeline of its language)."""
    if not book.codable:
        return pd.DataFrame(columns=MATCH_COLUMNS)
    salt = _terms_key(book)
    ids = segments["segment_id"].tolist()
    texts = segments["text"].tolist()
    groups = list(segments.groupby("citation_id", sort=False).indices.values()) \
        if "citation_id" in segments else [np.arange(len(segments))]
    items = [([ids[i] for i in g], [texts[i] for i in g]) for g in groups]
    keys = [salt + hashlib.sha256(json.dumps(a + b).encode()).hexdigest() for a, b in items]
    work = partial(match_transcripts, book=book, lang=nlp.lang, batch_size=batch_size)
    per_group = cached_map(cache, keys, items, [sum(map(len, b)) for _, b in items], work,
                           executor, "code: keywords")
    return pd.DataFrame([r for rows in per_group for r in rows], columns=MATCH_COLUMNS)


_MATCHERS: dict[str, tuple] = {}  # per process: the codebook's matchers, by its terms


def match_transcripts(items: list[tuple[list[str], list[str]]], book: Codebook, lang: str,
                      batch_size: int = 256) -> list[list[dict]]:
    """The match rows of each (segment ids, texts) item: what one worker does."""
    nlp = fast_nlp(lang)
    salt = _terms_key(book) + lang
    if salt not in _MATCHERS:
        _MATCHERS.clear()  # one codebook at a time
        _MATCHERS[salt] = (build_matchers(book, nlp),
                           [_requirements(p, nlp) for p in token_patterns(book)])
    matchers, needs = _MATCHERS[salt]
    seg_ids = [i for ids, _ in items for i in ids]
    texts = [t for _, ts in items for t in ts]
    group_of = {i: n for n, (ids, _) in enumerate(items) for i in ids}
    out: list[list[dict]] = [[] for _ in items]
    for r in _match(nlp, seg_ids, texts, matchers, needs, batch_size):
        out[group_of[r["segment_id"]]].append(r)
    return out


def _terms_key(book: Codebook) -> str:
    """What shapes the matches besides the text: every code's terms and patterns."""
    terms = [(c.id, list(c.keywords), list(c.exclude_keywords), list(c.patterns))
             for c in book.codable]
    return hashlib.sha256(json.dumps([terms, spacy.__version__], sort_keys=True,
                                     default=str).encode()).hexdigest()[:16] + "-"


def _match(nlp: Language, seg_ids: list[str], texts: list[str],
           matchers: tuple[PhraseMatcher, Matcher, dict],
           requirements: list[Requirement | None], batch_size: int) -> list[dict]:
    phrases, tokens, labels = matchers
    needs = [r for r in requirements if r is not None]
    always = len(needs) < len(requirements)  # a pattern we cannot pre-check
    rows = []
    # Line breaks (hard-wrapped transcripts) would split phrases into separate tokens.
    docs = nlp.pipe((" ".join(t.split()) for t in texts), batch_size=batch_size,
                    disable=["sentencizer"])
    for seg_id, doc in zip(seg_ids, docs):
        found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        hits = list(phrases(doc)) if len(phrases) else []
        # The token Matcher is slow per word; it runs only on segments holding every word
        # some pattern requires (the result is the same: elsewhere nothing can match).
        if always or (needs and _may_match(doc, needs)):
            hits += tokens(doc)
        for match_id, _, _ in hits:
            code_id, kind, term = labels[match_id]
            found[code_id][kind].add(term)
        for code_id, kinds in found.items():
            if kinds["include"]:
                terms = sorted(kinds["include"])
                rows.append({"segment_id": seg_id, "code_id": code_id, "terms": "; ".join(terms),
                             "n_terms": len(terms),
                             "excluded_by": "; ".join(sorted(kinds["exclude"]))})
    return rows


def token_patterns(book: Codebook) -> list[list[dict]]:
    """Every code's token patterns as the Matcher gets them (LEMMA values lower-cased)."""
    return [[_lower_lemma(t) for t in pattern] for code in book.codable
            for pattern in code.patterns]


Requirement = list[tuple[int, frozenset[int]]]  # (LOWER or LEMMA, allowed string ids)


def _requirements(pattern: list[dict], nlp: Language) -> Requirement | None:
    """The words a token pattern cannot match without: for each token that must occur once
    or more (no OP, or "+") and tests only LOWER or LEMMA for a value or a list (IN), the
    allowed values. None when the pattern holds anything else (then it is always run)."""
    out: Requirement = []
    strings = nlp.vocab.strings
    for token in pattern:
        if token.get("OP") not in (None, "+"):
            continue  # an optional token requires nothing
        tests = {k: v for k, v in token.items() if k != "OP"}
        if not tests or set(tests) - {"LOWER", "LEMMA"}:
            return None
        for attr, value in tests.items():
            if isinstance(value, dict):
                if set(value) != {"IN"} or not isinstance(value["IN"], list):
                    return None
                value = value["IN"]
            values = value if isinstance(value, list) else [value]
            if not all(isinstance(v, str) for v in values):
                return None
            out.append((LOWER if attr == "LOWER" else LEMMA,
                        frozenset(strings.add(v) for v in values)))
    return out


def _may_match(doc, needs: list[Requirement]) -> bool:
    table = doc.to_array([LOWER, LEMMA])
    present = {LOWER: set(table[:, 0].tolist()), LEMMA: set(table[:, 1].tolist())}
    return any(all(present[attr] & allowed for attr, allowed in need) for need in needs)
