"""Speech for the benchmark corpus: the shipped transcripts' sentences, recombined and perturbed
the way transcribed speech varies, so that no segment text repeats.

Each sentence gets the interview's own names for the shipped corpus's people, schools, towns
and districts, and by chance a filler ("um", "you know"), a false start, a repeated word, a
transcription marker ([inaudible], [crosstalk], a timestamp), other numbers, and domain words
from the Zipf lexicon (`bench_lexicon`). A sentence of four or more words is never written twice
in one corpus: a repeat is perturbed again.
"""
from __future__ import annotations

import csv
import hashlib
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS

from pipeline.analysis import bench_lexicon as lex

# Sentence ends: . ? ! (maybe closed by a quote or bracket) before a capital, quote or bracket.
_SENTENCE_END = re.compile(r"(?:(?<=[.?!])|(?<=[.?!][\"”’)]))\s+(?=[\"“\[(A-Z])")
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Mt|Ste|vs)|\b[A-Z])\.$")
_WORD = re.compile(r"^(?P<pre>[\"“(]*)(?P<word>[a-z]+)(?P<post>[.,;:?!\"”)]*)$")
_DIGITS = re.compile(r"\b\d{1,3}\b")
FILLERS = ("um,", "uh,", "you know,", "I mean,", "like,", "sort of", "kind of", "um, you know,")
MARKERS = ("[inaudible]", "[crosstalk]", "[laughs]", "[pause]", "[inaudible {t}]",
           "[unclear]", "[crosstalk {t}]")
_REPEATABLE = frozenset({"the", "a", "I", "we", "it", "that", "to", "and", "in", "they"})
# Chances per sentence (fillers, false starts, repeats, markers, numbers) and per content
# word (domain words): about what verbatim transcripts of interviews show.
P_FILLER, P_FALSE_START, P_REPEAT, P_MARKER, P_NUMBER, P_DOMAIN = (
    0.3, 0.07, 0.05, 0.05, 0.7, 0.13)
# Placeholders of the redaction list that are not people; the rest (roles, [PERSON]) are.
_PLACES = {"[SCHOOL]": "school", "[TOWN]": "town", "[COMMUNITY]": "town", "[PLACE]": "town",
           "[ORGANISATION]": "", "[PROJECT]": "", "[DISTRICT]": ""}
_SCHOOL_ENDINGS = ("Catholic Secondary School", "Public School", "Catholic School",
                   "Secondary School", "Elementary School", "Collegiate", "PS")
_BOARD = re.compile(r"\s*(?:Catholic\s+)?District School Board$|^Conseil scolaire\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences of a turn; 'Mrs. Hoogstra' and 'J. Ferris' do not end one."""
    out: list[str] = []
    for piece in _SENTENCE_END.split(" ".join(text.split())):
        if out and _ABBREVIATION.search(out[-1]):
            out[-1] += " " + piece
        elif piece:
            out.append(piece)
    return out


@dataclass
class Names:
    """What the shipped corpus names, by kind: person, school, town or site (short name)."""
    kinds: dict[str, str] = field(default_factory=dict)
    surnames: set[str] = field(default_factory=set)  # tokens that end a person's full name
    pattern: re.Pattern | None = None

    def add(self, term: str, kind: str) -> None:
        if kind and term.strip() and term not in self.kinds:
            self.kinds[term] = kind
            if kind == "person" and len(term.split()) > 1:
                self.surnames.add(term.split()[-1])

    def compile(self) -> None:
        terms = sorted(self.kinds, key=len, reverse=True)  # longest first
        self.pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, terms)) + r")(?!\w)")
        self._names_in: dict[str, bool] = {}

    def named(self, text: str) -> bool:
        """Whether the text names anyone or anything (source sentences recur: remembered)."""
        if text not in self._names_in:
            self._names_in[text] = bool(self.pattern and self.pattern.search(text))
        return self._names_in[text]


def shipped_names(redact_csv: Path | None, people: list[str], sites: list[str]) -> Names:
    """Names to substitute: the redaction list's redacted terms, the participants' names,
    and the districts' short names ('Algonquin Shores')."""
    names = Names()
    if redact_csv is not None and redact_csv.exists():
        lines = [ln for ln in redact_csv.read_text(encoding="utf-8").splitlines()
                 if not ln.startswith("#")]
        for row in csv.DictReader(lines):
            if (row.get("rule") or "").strip() == "redact":
                names.add(row["term"].strip(), _PLACES.get(row["placeholder"].strip(), "person"))
    for name in people:
        names.add(name, "person")
    for site in sites:
        short = _BOARD.sub("", site).strip()
        if short and short != site:
            names.add(short, "site")
    names.compile()
    return names


class Substitutes:
    """One interview's consistent substitutes for the shipped names (the same shipped person
    is the same generated person throughout the interview)."""

    def __init__(self, names: Names, rng: random.Random, site_name: str):
        self.names, self.rng, self.site_name = names, rng, site_name
        self.first: dict[str, str] = {}
        self.last: dict[str, str] = {}
        self.places: dict[str, str] = {}
        # The districts the shipped sentences name: the first named is this interview's own,
        # the others other districts (two districts never become one).
        others = sorted({t for t, k in names.kinds.items() if k == "site"} - {site_name})
        rng.shuffle(others)
        self.sites = [site_name, *others] if site_name else others

    def apply(self, text: str) -> str:
        return self.names.pattern.sub(self._replace, text) if self.names.named(text) else text

    def _replace(self, m: re.Match) -> str:
        term = m.group(0)
        kind = self.names.kinds[term]
        if kind == "site":
            return self._site(term)
        if kind == "person":
            return self._person(term)
        if term not in self.places:
            self.places[term] = self._place(term, kind)
        return self.places[term]

    def _site(self, term: str) -> str:
        if term not in self.places:
            used = len([t for t in self.places if self.names.kinds.get(t) == "site"])
            self.places[term] = self.sites[used] if used < len(self.sites) else term
        return self.places[term]

    def _place(self, term: str, kind: str) -> str:
        if kind == "town":
            return lex.town(self.rng)
        ending = next((e for e in _SCHOOL_ENDINGS if term.endswith(" " + e)), "")
        if not ending:  # 'Harbourview' alone: a school's short name
            return lex.town(self.rng)
        stem = term[:-len(ending)].strip()
        if self.names.kinds.get(stem) == "town":  # 'Tilden Lake Public School': its town's
            return f"{self._replace_term(stem)} {ending}"
        return lex.school(self.rng, ending)

    def _replace_term(self, term: str) -> str:
        if term not in self.places:
            self.places[term] = lex.town(self.rng)
        return self.places[term]

    def _person(self, term: str) -> str:
        tokens = term.split()
        if len(tokens) == 1:
            table, pick = ((self.last, 1) if term in self.names.surnames else (self.first, 0))
            return self._token(table, term, pick)
        head = [t if t.endswith(".") else self._token(self.first, t, 0) for t in tokens[:1]]
        return " ".join(head + tokens[1:-1] + [self._token(self.last, tokens[-1], 1)])

    def _token(self, table: dict[str, str], token: str, pick: int) -> str:
        if token not in table:
            table[token] = lex.person(self.rng)[pick]
        return table[token]


@dataclass
class Perturber:
    """Perturbs sentences for one corpus; remembers what it wrote, so nothing repeats."""
    rng: random.Random
    seen: set[bytes] = field(default_factory=set)
    domain_tokens: int = 0

    def sentence(self, text: str, subs: Substitutes, clock: float) -> str:
        base = subs.apply(text)
        out = self._vary(base, clock)
        if len(out.split()) < 4:
            return out
        for _ in range(8):  # a repeat: vary the sentence again
            key = hashlib.blake2b(out.casefold().encode(), digest_size=10).digest()
            if key not in self.seen:
                self.seen.add(key)
                return out
            out = self._vary(base, clock, force=True)
        return out

    def _vary(self, text: str, clock: float, force: bool = False) -> str:
        rng = self.rng
        if rng.random() < P_NUMBER:
            text = _DIGITS.sub(lambda m: str(_near(int(m.group(0)), rng)), text)
        words = [self._domain(w) for w in text.split()]
        if words and (force or rng.random() < P_FILLER):
            _insert(words, rng.randrange(len(words)), FILLERS[rng.randrange(len(FILLERS))])
        if rng.random() < P_REPEAT:
            at = [i for i, w in enumerate(words) if w in _REPEATABLE]
            if at:
                i = at[rng.randrange(len(at))]
                words.insert(i, words[i])
        if len(words) > 3 and rng.random() < P_FALSE_START:
            k = rng.randint(1, 3)
            start = " ".join(words[:k]).rstrip(",.?!")
            words[0] = _lower_first(words[0])
            words.insert(0, start + (" --" if rng.random() < 0.3 else ","))
        if force or rng.random() < P_MARKER:
            marker = MARKERS[rng.randrange(len(MARKERS))].format(t=_clock(clock))
            if rng.random() < 0.3:  # at the end: '[laughs]' after the sentence
                words.append(marker)
            else:
                words.insert(rng.randrange(len(words)) if words else 0, marker)
        return " ".join(words)

    def _domain(self, word: str) -> str:
        m = _WORD.match(word)
        if not m or len(m["word"]) < 5 or m["word"] in STOP_WORDS \
                or self.rng.random() >= P_DOMAIN:
            return word
        self.domain_tokens += 1
        return m["pre"] + lex.domain_word(lex.zipf_rank(self.rng)) + m["post"]


def _insert(words: list[str], at: int, filler: str) -> None:
    """A filler before words[at]; opening the sentence it takes the capital ('Um, we...')."""
    if at == 0:
        words[0] = _lower_first(words[0])
        filler = filler[:1].upper() + filler[1:]
    words.insert(at, filler)


def _near(n: int, rng: random.Random) -> int:
    """Another number of about the same size ('ninety kids' is not 'nine')."""
    return rng.randint(max(1, n - n // 2 - 1), n + n // 2 + 1)


def _lower_first(word: str) -> str:
    """'We' -> 'we' after a false start; names and 'I' keep their capital."""
    return word[:1].lower() + word[1:] if word.casefold() in STOP_WORDS - {"i"} else word


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
