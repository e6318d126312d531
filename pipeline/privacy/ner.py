"""Named-entity recognition for what no list names: people, organisations and places the
trained English model finds in the text that goes out.

An entity is replaced only by its own words that look like a name (capitalised, letters
only), so "the Ministry" keeps its "the", "Carla's" its "'s", and a citation ID or a
number is never touched. Words already covered by a term, a kept term, an e-mail address,
a phone number or a placeholder are not the entity's: "Ruth at the Ministry" loses "Ruth"
and keeps "at the Ministry" when the Ministry is a kept term.

The small English model tags many a capitalised word at the start of a sentence ("Luck,
honestly", "Attendance is good", "Merci"). So an entity of one word is replaced only when
the word is not an ordinary one: not in the English lemma tables or stop words, and not
written in lower case anywhere in the transcripts. A one-word name that is also a word
("Frank", "Young") has to come from the redaction list or a header instead.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.privacy.matcher import Span
from pipeline.privacy.sources import ORGANISATION, PERSON, PLACE, SCHOOL, SCHOOL_WORDS

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

LABELS = {"PERSON": PERSON, "ORG": ORGANISATION, "GPE": PLACE, "LOC": PLACE, "FAC": PLACE}
# Components the entity recogniser does not need (it has its own token-to-vector layer).
NOT_NEEDED = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
_TOKEN = re.compile(r"\S+")
_LEAD = "\"“‘(["
_TAIL = re.compile(r"(?:['’]s)?[\"”’),.;:!?\]]*$")
_NAME_WORD = re.compile(r"^[^\W\d_]+(?:['’\-.][^\W\d_]+)*\.?$")
# Capitalised words that are not names, whatever the model thinks of them on their own.
NOT_NAMES = frozenset("""i i'm i've i'd i'll okay ok yeah yes no um uh mm hmm so and but the
    a an of in on at to for with from by or mr mrs ms dr st interviewer interviewee
    participant speaker principal vice-principal director superintendent teacher teachers
    consultant coordinator coach elder elders madame monsieur sir grade merci alors bon bonne
    oui non voilà pouf d'accord les""".split())
_LOWER_WORD = re.compile(r"(?<![\w'’])[^\W\d_A-Z][^\W\d_]*")


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Ordinary English words: the lemma lookup table's forms and lemmas, and stop words."""
    from spacy.lang.en.stop_words import STOP_WORDS
    from spacy.lookups import load_lookups

    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    return frozenset(table.keys()) | frozenset(table.values()) | frozenset(STOP_WORDS)


def lower_case_words(texts: Iterable[str]) -> frozenset[str]:
    """Words written in lower case somewhere in `texts` (so not only ever names)."""
    return frozenset(w.casefold() for t in texts if isinstance(t, str)
                     for w in _LOWER_WORD.findall(t) if not w[0].isupper())


def entity_spans(doc: Doc, taken: Sequence[Span], ordinary: frozenset[str] = frozenset()
                 ) -> list[Span]:
    """Spans to replace for the entities of one parsed text, outside the `taken` spans;
    an entity of one word in `ordinary` (lower-case) is not replaced."""
    out: list[Span] = []
    for ent in doc.ents:
        placeholder = LABELS.get(ent.label_)
        if placeholder is None:
            continue
        if placeholder == ORGANISATION and SCHOOL_WORDS.search(ent.text):
            placeholder = SCHOOL
        for start, end in _free(ent.start_char, ent.end_char, taken):
            named = _name_part(doc.text, start, end, ordinary)
            if named is not None:
                out.append((*named, placeholder))
    return out


def _free(start: int, end: int, taken: Sequence[Span]) -> list[tuple[int, int]]:
    """The parts of [start, end) that no taken span covers."""
    pieces, at = [], start
    for s, e, _ in sorted(taken):
        if e <= at or s >= end:
            continue
        if s > at:
            pieces.append((at, s))
        at = max(at, e)
    if at < end:
        pieces.append((at, end))
    return pieces


def _name_part(text: str, start: int, end: int, ordinary: frozenset[str]
               ) -> tuple[int, int] | None:
    """From the first to the last name-like word of text[start:end]; None if there is none,
    or if there is only one and it is an ordinary word."""
    words = []
    for m in _TOKEN.finditer(text, start, end):
        token = m.group()
        lead = len(token) - len(token.lstrip(_LEAD))
        core = _TAIL.sub("", token[lead:])
        if core and _NAME_WORD.match(core) and core[0].isupper() \
                and core.casefold() not in NOT_NAMES:
            words.append((m.start() + lead, m.start() + lead + len(core)))
    if not words:
        return None
    if len(words) == 1 and text[words[0][0]:words[0][1]].casefold() in ordinary:
        return None
    return words[0][0], words[-1][1]


def parse(nlp: Language, texts: Iterable[str], batch_size: int = 32) -> Iterator[Doc]:
    """Parsed texts (entities only), in order."""
    disable = [name for name in NOT_NEEDED if name in nlp.pipe_names]
    return nlp.pipe(texts, batch_size=batch_size, disable=disable)
