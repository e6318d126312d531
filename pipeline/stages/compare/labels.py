"""Readable labels for emerging categories: key phrases a researcher would recognise.

A label is made of noun phrases (noun chunks of the trained English model, read from the
segments nearest the category's centroid) ranked by class-based TF-IDF across categories.
Three kinds of word never label a category:

- discourse fillers and backchannels ("like", "kind", "yeah", "bye", "thank"), and the French
  function words of bilingual interviews (spaCy's French stop words);
- names of people and places: the study's participant and interviewer names, words the
  tagger marks as proper nouns, and words the transcripts nearly always capitalise
  mid-sentence (Kestrel, Thunder Bay, Kevin);
- anything that is not a word (numbers, marker remnants).
Without the trained model, or when a category yields no phrase, its distinctive content
lemmas stand in, filtered the same way.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from pipeline.core.cache import Cache, cached_many, no_cache
from pipeline.nlp.pipelines import NOISE, fast_nlp, trained_nlp

# Words that carry the talk rather than its topic. spaCy's English stop words are already
# out of the lemmas; these are the ones it keeps.
ENGLISH_FILLERS = frozenset("""
    like kind sort know mean think guess say tell ask go get got want thing stuff lot lots
    really actually basically literally pretty good great fine nice bye goodbye thank thanks
    welcome sorry yes yeah yep yup okay ok right sure oh ah uh um hmm mhm well maybe probably
    definitely absolutely honestly course little bit way till luck hello hi cool wow gonna
    wanna gotta gon na wan ta stuff anyway alright whatever totally exactly agree true
    question answer interview talk speak start end pleasure appreciate glad happy
""".split())


def _french_stop_words() -> frozenset[str]:
    """spaCy's French stop words, read from their module's file: importing the package
    `spacy.lang.fr` builds its tokenizer exceptions, which takes seconds."""
    import importlib.util

    import spacy

    path = Path(spacy.__file__).parent / "lang" / "fr" / "stop_words.py"
    spec = importlib.util.spec_from_file_location("_fr_stop_words", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)


# French stop words that are English words too stay usable.
_FRENCH = frozenset(w for w in _french_stop_words() if "'" not in w) - {
    "certain", "different", "possible", "possibles", "relative", "stop", "tend", "sent",
    "semblable", "notable", "tente", "retour", "divers"}
FILLERS = (ENGLISH_FILLERS | _FRENCH | NOISE
           | {"merci", "bonne", "bonjour", "oui", "voilà", "ça"})

_WORD = re.compile(r"^[^\W\d_]{2,}$")
_TOKEN = re.compile(r"[^\W\d_]+")
# A word that starts the text or follows a sentence end: its capital says nothing.
_INITIAL = re.compile(r"(?:^|[.!?:;\"“”])\s*([^\W\d_]+)")
# ...unless the full stop ends a title before a name.
_AFTER_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|Ste|Mme|Mlle|Fr|Sr|Prof)\.\s*([^\W\d_]+)")
# The same two, led by characters the regular expression engine scans for quickly (an
# anchor first makes it try every position): the start of the text and the word boundary
# before a title are checked apart, by `_initial_words` and `_after_titles`.
_START = re.compile(r"\s*([^\W\d_]+)")
_AFTER_END = re.compile(r"[.!?:;\"“”]\s*([^\W\d_]+)")
_TITLED = re.compile(r"(?:Mr|Mrs|Ms|Dr|St|Ste|Mme|Mlle|Fr|Sr|Prof)\.\s*([^\W\d_]+)")


def study_names(participants: pd.DataFrame, transcripts: pd.DataFrame) -> frozenset[str]:
    """Lower-case words of every participant's name and speaker label and every interviewer
    label, less the generic words used as labels (Interviewer, P, Teacher)."""
    roles = {w.lower() for r in participants.get("role", ()) for w in _TOKEN.findall(str(r))}
    generic = {"interviewer", "interviewee", "participant", "speaker", "int", "moderator",
               "respondent", "unknown"} | roles
    strings: list[str] = []
    for col in ("name", "speakers"):
        strings += [str(v) for v in participants.get(col, ()) if isinstance(v, str)]
    strings += [str(v) for v in transcripts.get("interviewers", ()) if isinstance(v, str)]
    words = {w.lower() for s in strings for w in _TOKEN.findall(s)}
    return frozenset(w for w in words if len(w) > 1 and w not in generic)


def capitalised_words(texts: Iterable[str], share: float = 0.8) -> frozenset[str]:
    """Words written with a capital in at least `share` of their occurrences that do not
    start a sentence: proper nouns (people, places, organisations). "I" is not one.

    Counted with whole-text regular expressions, then once per distinct spelling rather
    than once per word: this reads every segment on every run of the stage."""
    total: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    text = ".\n".join(texts)   # each text starts a sentence, as on its own
    for found, sign in ((_TOKEN.findall(text), 1), (_initial_words(text), -1),
                        (_after_titles(text), 1)):
        for word, n in Counter(found).items():
            key = word.lower()
            total[key] += sign * n
            if word[0].isupper() and not word.isupper():
                upper[key] += sign * n
    return frozenset(w for w, n in total.items()
                     if n > 0 and len(w) > 1 and upper[w] >= share * n)


def _initial_words(text: str) -> list[str]:
    """_INITIAL.findall(text): the word at the start, then those after a sentence end."""
    first = _START.match(text)
    if first is None:
        return _AFTER_END.findall(text)
    return [first.group(1), *_AFTER_END.findall(text, first.end())]


def _after_titles(text: str) -> list[str]:
    """_AFTER_TITLE.findall(text): a title inside a word (no boundary before it) does not
    count, and the search goes on from its next character."""
    found: list[str] = []
    pos = 0
    while (m := _TITLED.search(text, pos)) is not None:
        before = text[m.start() - 1] if m.start() else " "
        if before.isalnum() or before == "_":
            pos = m.start() + 1
            continue
        found.append(m.group(1))
        pos = m.end()
    return found


def usable(term: str, banned: frozenset[str]) -> bool:
    """Whether a (possibly multi-word) term may appear in a label."""
    words = term.split()
    return bool(words) and all(_WORD.match(w) and w.lower() not in FILLERS
                               and w.lower() not in banned for w in words)


def _phrase(chunk, lemma: Callable[[str], str]) -> tuple | None:
    """(key, surface) of a noun chunk: determiners, pronouns, numbers and stop words dropped,
    head noun lemmatised; None for a chunk naming someone or something, or a filler. (The
    study's own names are filtered later, by `key_phrases`, so parses can be cached.)"""
    toks = [t for t in chunk if not (t.is_stop or t.is_punct or t.like_num
                                     or t.pos_ in ("DET", "PRON", "NUM", "PART", "X"))]
    if not toks or toks[-1].pos_ != "NOUN" or any(t.pos_ == "PROPN" for t in toks):
        return None
    toks = toks[-3:]
    words = [t.lower_ for t in toks]
    key = " ".join(words[:-1] + [lemma(words[-1])])
    if not usable(key, frozenset()) or not all(_WORD.match(w) for w in words):
        return None
    return key, " ".join(t.text for t in toks)


def key_phrases(texts: list[str], banned: frozenset[str], cache: Cache = no_cache
                ) -> list[list[tuple[str, str]]]:
    """Noun phrases of each text, as (key, surface) pairs. Texts are parsed in batches and
    cached by content; names are filtered afterwards, so the cache does not depend on the
    study's names."""
    nlp = trained_nlp()
    # The same lookup lemmas as the segments' (the trained model's rule lemmatiser needs
    # the parse it would not get here).
    lemma = fast_nlp("en").get_pipe("lemmatizer").lookup
    unique = list(dict.fromkeys(texts))

    def parse(positions: list[int]) -> list[list[list[str]]]:
        # NER and the rule lemmatiser are not needed: proper nouns come from the tagger.
        off = [p for p in ("ner", "lemmatizer") if p in nlp.pipe_names]
        docs = nlp.pipe((unique[i] for i in positions), batch_size=64, disable=off)
        return [[list(p) for c in doc.noun_chunks
                 if (p := _phrase(c, lemma)) is not None] for doc in docs]

    model = f"{nlp.meta.get('name')}-{nlp.meta.get('version')}"
    values = cached_many(cache, [f"phrases-{model}-{t}" for t in unique], parse)
    parsed = dict(zip(unique, values))
    return [[(k, s) for k, s in parsed[t] if usable(k, banned)] for t in texts]
