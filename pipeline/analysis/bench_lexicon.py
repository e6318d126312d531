"""Words for the benchmark corpus that the shipped transcripts do not have: generated people,
towns and schools, and a Zipf-distributed lexicon of domain words.

Real interview corpora keep meeting new words as they grow (Heaps' law: distinct words grow as
about n^0.5-0.6 of n words), mostly names and rare domain terms. Recombined shipped sentences
alone would stop at their ~3,700 distinct words, so the generator draws domain words from a
lexicon whose ranks follow a Zipf law: frequent ones recur, and new ones keep appearing at a
decaying rate. Everything here is a pure function of a `random.Random`, so the corpus is
reproducible from its seed.
"""
from __future__ import annotations

import hashlib
import math
import random

FIRST_NAMES = (
    "Aaron Abigail Adele Aiden Alana Albert Alexis Alice Amara Amir Andrea Angus Anika Arjun "
    "Audrey Beatrice Benoit Bernadette Blake Brenda Brian Bridget Caleb Camille Carmen Cecile "
    "Chantal Chloe Colin Craig Dana Darius Deborah Declan Denise Derek Diane Dmitri Elaine "
    "Elena Elliot Emeka Esther Farah Fiona Floyd Gavin Genevieve Gillian Glen Hamid Hannah "
    "Harvey Hazel Ingrid Irene Isaac Ivan Jacqueline Jamal Janet Jasmine Jerome Joanne Jonah "
    "Josephine Julien Kamala Keith Kendra Kiran Lana Laurent Leah Leon Linnea Lorna Lucas "
    "Malcolm Mandeep Marcel Marisol Martha Maureen Megan Mohammed Monique Nadia Neil Nina "
    "Noah Norma Omar Owen Pamela Patrice Quentin Rachel Rajesh Reid Renee Rhonda Rosalind "
    "Roxanne Russell Samir Sandra Shauna Simone Stuart Sunita Tara Theo Trevor Ursula Valerie "
    "Vikram Walter Wendy Xavier Yasmin Yvette Zachary Zainab").split()
LAST_NAMES = (
    "Abernathy Achterberg Adeyemi Ahmadi Ashworth Balogun Beaulieu Bellamy Bertrand Bhatt "
    "Blackwood Bouchard Brennan Calloway Carmichael Chaudhry Cheng Cormier Costa Cunningham "
    "Dalgleish Desjardins Dhillon Dombrowski Duquette Eriksen Esposito Fairweather Fitzgerald "
    "Fontaine Fraser Gagnon Garibaldi Gauthier Goldberg Grewal Halvorsen Hargreaves Hendricks "
    "Holloway Ibrahim Iyer Jablonski Jansen Kaczmarek Kapoor Kowalczyk Lachance Lafleur "
    "Langille Larocque Lindqvist Lockhart MacAulay MacLeod Malhotra Marchetti Mathieson "
    "McCallum McKinnon Mendoza Moreau Nakamura Nguyen Novak Obi Okonkwo Olsen Ouellette "
    "Papadopoulos Paquette Pereira Petrov Pinsonneault Quinlan Rahman Ramirez Robichaud "
    "Rosenberg Sabourin Sandhu Schaefer Sheridan Sinclair Sokolov Stewart Szabo Tanaka "
    "Thibodeau Tremblay Underhill Vaillancourt Vandermeer Vasquez Wainwright Whitcombe "
    "Wojcik Yamamoto Yilmaz Zielinski").split()
_TOWN_FIRST = (
    "Ash Aspen Bear Beaver Birch Black Cedar Clear Cold Copper Crane Crow Deer Eagle Elk Fern "
    "Fox Granite Grey Hawk Hazel Heron Iron Juniper Kettle Larch Loon Maple Marten Mill Moose "
    "Oak Otter Pine Poplar Raven Red Sandy Silver Spruce Stone Swan Tamarack Thorn Trout "
    "White Willow Wolf").split()
_TOWN_LAST = ("ton", "field", "brook", "dale", "ville", "ford", "wood", "bridge", "port",
              "mouth", "haven", " Falls", " Lake", " Narrows", " Point", " Harbour", " Mills",
              " Landing", " Bay", " Creek", " Corners", " Ridge", " Rapids", " Crossing")
_SAINTS = ("St. Agnes", "St. Bernard", "St. Brigid", "St. Clement", "St. Dominic",
           "St. Gregory", "St. Jude", "St. Kateri", "St. Monica", "St. Patrick", "St. Raphael",
           "St. Teresa", "Holy Cross", "Our Lady of Grace", "Sacred Heart")
_SCHOOL_KINDS = ("Public School", "Elementary School", "Secondary School", "Central School",
                 "Intermediate School", "Collegiate")

# Pseudo-words: onset + vowel (+ coda) syllables and an English derivational ending, so the
# domain words look like words to the tokenizer (lowercase, alphabetic) but are new to it.
_ONSETS = ("b", "br", "c", "cl", "d", "dr", "f", "fl", "g", "gr", "h", "k", "l", "m", "n",
           "p", "pl", "pr", "qu", "r", "s", "sc", "st", "t", "tr", "v", "w", "z")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ou")
_CODAS = ("", "", "l", "m", "n", "r", "s", "st", "nd", "rt")
_ENDINGS = ("ation", "ing", "ment", "ity", "al", "ive", "ology", "ship", "ism", "er", "ance",
            "ure", "ics", "", "", "")

# Zipf law of the lexicon: rank r has probability ~ r^(-1/BETA), so distinct domain words grow
# as about n^BETA. RANK_SCALE sets how many ranks are common from the start. Tuned by
# simulation: 3% of tokens give ~8,000 domain words at 2M words and ~18,000 at 8M.
BETA = 0.6
RANK_SCALE = 100.0


def zipf_rank(rng: random.Random) -> int:
    """A lexicon rank from a discrete Pareto (Zipf) law with Heaps exponent BETA."""
    u = 1.0 - rng.random()  # (0, 1]
    return int(RANK_SCALE * u ** (-1.0 / (1.0 / BETA - 1.0)))


def domain_word(rank: int) -> str:
    """The lexicon's word of a rank: the same word for the same rank in every run."""
    digest = hashlib.blake2b(rank.to_bytes(8, "little"), digest_size=16).digest()
    syllables = 2 + digest[0] % 2
    word = "".join(_ONSETS[digest[1 + 3 * k] % len(_ONSETS)]
                   + _VOWELS[digest[2 + 3 * k] % len(_VOWELS)]
                   + _CODAS[digest[3 + 3 * k] % len(_CODAS)] for k in range(syllables))
    return word + _ENDINGS[digest[10] % len(_ENDINGS)]


def person(rng: random.Random) -> tuple[str, str]:
    """(first, last) name; last names drawn Zipf-like so families recur across interviews."""
    first = FIRST_NAMES[_skewed(rng, len(FIRST_NAMES))]
    return first, LAST_NAMES[_skewed(rng, len(LAST_NAMES))]


def town(rng: random.Random) -> str:
    return (_TOWN_FIRST[_skewed(rng, len(_TOWN_FIRST))]
            + _TOWN_LAST[_skewed(rng, len(_TOWN_LAST))])


def school(rng: random.Random, kind: str = "") -> str:
    """A school name; `kind` keeps the source's ending ('Public School') when it had one."""
    if rng.random() < 0.2:
        stem = _SAINTS[rng.randrange(len(_SAINTS))]
        return f"{stem} {kind or 'Catholic School'}"
    stem = town(rng) if rng.random() < 0.7 else LAST_NAMES[rng.randrange(len(LAST_NAMES))]
    return f"{stem} {kind or _SCHOOL_KINDS[rng.randrange(len(_SCHOOL_KINDS))]}"


def _skewed(rng: random.Random, n: int) -> int:
    """An index in range(n), low indexes more often (a gentle Zipf law), as names are."""
    return min(n - 1, int(n * (math.exp(rng.random() * math.log(n + 1)) - 1) / n))
