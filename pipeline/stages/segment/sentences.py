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

from spacy.tokens import Doc, Span

PAIRS = {"[": "]", "(": ")", "{": "}"}
CLOSERS = {v: k for k, v in PAIRS.items()}
# A bracket pair longer than this is not a note (a stray bracket, or a bracketed passage):
# boundaries inside it stay, so a long turn can still be split into windows.
MAX_NOTE_TOKENS = 50


def inside_notes(doc: Doc) -> list[bool]:
    """Per token: whether it lies after the opening bracket of a short matched pair, up to
    and including its closing bracket (where no sentence may start)."""
    inside = [False] * len(doc)
    open_at: dict[str, list[int]] = {k: [] for k in PAIRS}
    for tok in doc:
        if tok.text in PAIRS:
            open_at[tok.text].append(tok.i)
        elif tok.text in CLOSERS and open_at[CLOSERS[tok.text]]:
            start = open_at[CLOSERS[tok.text]].pop()
            if tok.i - start <= MAX_NOTE_TOKENS:
                inside[start + 1:tok.i + 1] = [True] * (tok.i - start)
    return inside


def sentences(doc: Doc) -> list[Span]:
    """The doc's sentences, with each opening bracket moved to the sentence it opens and no
    boundary inside a note. Together they still cover the doc, in order."""
    if not len(doc):
        return []
    inside = inside_notes(doc)
    starts = []
    for sent in doc.sents:
        s = sent.start
        while s > 0 and doc[s - 1].text in PAIRS:  # "time. [" + "laughs]": "[" goes on
            s -= 1
        if s == 0 or not inside[s]:
            starts.append(s)
    starts = sorted(set(starts) | {0})
    return [doc[a:b] for a, b in zip(starts, [*starts[1:], len(doc)]) if a < b]
