"""Sentences of a turn that keep transcribers' notes whole.

spaCy's sentencizer ends a sentence after its full stop *and any punctuation that follows*,
so in "a long time. [laughs] The Ministry" the opening bracket stays with the first sentence
and the note is cut in two; a full stop inside a note ("[inaudible; likely "yes." twice]")
starts a sentence inside it. A segment window that ended there quoted "...a long time. [" and
the next began "laughs] The Ministry" (about one long-turn segment in ten on the benchmark
corpus). Here an opening bracket goes with the sentence it opens, and no sentence starts
inside a bracketed note.
"""
from __future__ import annotations

import re

import numpy as np
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span

PAIRS = {"[": "]", "(": ")", "{": "}"}
CLOSERS = {v: k for k, v in PAIRS.items()}
# A bracket pair longer than this is not a note (a stray bracket, or a bracketed passage):
# boundaries inside it stay, so a long turn can still be split into windows.
MAX_NOTE_TOKENS = 50
_BRACKET = re.compile(r"[\[\](){}]")


def _brackets(doc: Doc, text: str | None = None) -> list[tuple[int, str]]:
    """(token index, bracket) of every token that is one bracket, found in the text (`text`:
    the doc's text when the caller has it; `doc.text` joins every token again). Token
    objects are avoided: a Python loop over them cost as much as spaCy's tokenizer."""
    out = []
    for m in _BRACKET.finditer(doc.text if text is None else text):
        span = doc.char_span(m.start(), m.end())  # None unless the bracket is a token
        if span is not None and len(span) == 1:
            out.append((span.start, m.group()))
    return out


def _notes(brackets: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """(opening, closing) token indices of each short matched pair."""
    open_at: dict[str, list[int]] = {k: [] for k in PAIRS}
    notes = []
    for i, ch in brackets:
        if ch in PAIRS:
            open_at[ch].append(i)
        elif open_at[CLOSERS[ch]]:
            start = open_at[CLOSERS[ch]].pop()
            if i - start <= MAX_NOTE_TOKENS:
                notes.append((start, i))
    return notes


def _inside(n_tokens: int, notes: list[tuple[int, int]]) -> np.ndarray:
    inside = np.zeros(n_tokens, dtype=bool)
    for a, b in notes:
        inside[a + 1:b + 1] = True
    return inside


def inside_notes(doc: Doc) -> list[bool]:
    """Per token: whether it lies after the opening bracket of a short matched pair, up to
    and including its closing bracket (where no sentence may start)."""
    return _inside(len(doc), _notes(_brackets(doc))).tolist()


def sentences(doc: Doc, text: str | None = None) -> list[Span]:
    """The doc's sentences, with each opening bracket moved to the sentence it opens and no
    boundary inside a note. Together they still cover the doc, in order. `text`: the text
    the doc was made from, when the caller has it (faster than `doc.text`)."""
    if not len(doc):
        return []
    brackets = _brackets(doc, text)
    if not brackets:
        return list(doc.sents)
    openers = {i for i, ch in brackets if ch in PAIRS}
    blocked = _inside(len(doc), _notes(brackets))
    # The sentencizer's boundaries, read as an array rather than as Span objects.
    found = np.flatnonzero(doc.to_array([SENT_START]).ravel() == 1).tolist()
    starts = []
    for s in found:
        while s - 1 in openers:  # "time. [" + "laughs]": the "[" goes on
            s -= 1
        if s == 0 or not blocked[s]:
            starts.append(s)
    starts = sorted(set(starts) | {0})
    if starts == found:  # nothing moved: spaCy's own spans
        return list(doc.sents)
    return [doc[a:b] for a, b in zip(starts, [*starts[1:], len(doc)]) if a < b]
