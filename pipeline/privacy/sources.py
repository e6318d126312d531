"""What the study's own tables say must be redacted: the people in the transcript headers and
the participants table, the schools, towns and organisations in their headers, and the sites.

Every term here is derived, so it yields to the redaction list: a term the list names is
replaced as the list says, and a term the list keeps is never replaced.

- People: a participant's full name, the name with an initial ("C. Lindqvist") and each part
  of it alone become the role placeholder (``[TEACHER]``); interviewers become
  ``[INTERVIEWER]`` and transcribers ``[TRANSCRIBER]``. A single name part must be
  capitalised in the text (a surname like "Young" is also a word); a part that two people
  with different placeholders share ("Paul") becomes ``[PERSON]``.
- Places: in ``Location:`` headers and participants' role texts, parts naming a school become
  ``[SCHOOL]`` (with the short form: "Dunmore Heights" of "Dunmore Heights Secondary School"),
  the last part of a location is the ``[TOWN]``, named offices, centres and branches are
  ``[ORGANISATION]``, streets ``[PLACE]``.
- Sites: the site's name and its distinctive short form ("Cedar Ridge") become ``[DISTRICT]``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pipeline.formats.turns import HEADER_KEYS
from pipeline.privacy.rules import Term, normal_key
from pipeline.study.names import name_keys, speaker_parts, split_people

if TYPE_CHECKING:
    import pandas as pd

INTERVIEWER, TRANSCRIBER, PERSON, PLACE = "[INTERVIEWER]", "[TRANSCRIBER]", "[PERSON]", "[PLACE]"
SCHOOL, TOWN, ORGANISATION, DISTRICT = "[SCHOOL]", "[TOWN]", "[ORGANISATION]", "[DISTRICT]"
SOURCE = "headers"

# Speaker labels and words that are not anybody's name.
GENERIC = frozenset("""interviewer interviewers interviewee participant participants speaker
    respondent researcher moderator unknown int inter resp mr mrs ms dr prof madame monsieur
    mme father sister elder""".split())
TITLES = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Dr|Prof|Madame|Monsieur|Mme|Father|Sister|Elder)\.?\s+")
_INITIAL = re.compile(r"^[^\W\d_]\.?$")
_HEADER = re.compile(r"^(?P<key>[A-Za-z][A-Za-z ]{0,20}?)[ \t]*:[ \t]*(?P<value>.*)$")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")

SCHOOL_WORDS = re.compile(r"\b(?:School|Secondary|Elementary|Public|Academy|Collegiate|PS|"
                          r"High|École|Ecole|Intermediate)\b")
# A school name's type, after its distinctive part: "Dunmore Heights| Secondary School".
SCHOOL_TAIL = (r"(?:\s+(?:Catholic|Public|Secondary|Elementary|High|Intermediate|District|"
               r"Senior|Junior|Separate))*(?:\s+(?:School|PS|CES|SS|Collegiate(?:\s+Institute)?"
               r"|Academy|Secondary|Elementary|Public|High))")
SCHOOL_HEAD = re.compile(r"^(?:[ÉE]cole\s+(?:(?:élémentaire|secondaire|intermédiaire)\s+)?"
                         r"(?:(?:publique|catholique)\s+)?)", re.IGNORECASE)
BOARD_TAIL = (r"(?:\s+Catholic)?(?:\s+(?:District\s+School\s+Board|School\s+Board|"
              r"District|DSB|CDSB|School\s+District))")
BOARD_HEAD = re.compile(r"^Conseil\s+scolaire\s+(?:(?:de\s+district\s+)?(?:catholique|"
                        r"public)\s+)?(?:(?:de|du|des)\s+)?", re.IGNORECASE)
ORG_WORDS = re.compile(r"\b(?:Centre|Center|Board|DSB|CDSB|Offices?|Branch|Services|"
                       r"Counselling|Counseling|Department|Conseil|Agency|Clinic|Hospital|"
                       r"Foundation|Association|Institute|University|College)\b")
STREET_WORDS = re.compile(r"\b(?:Street|Road|Avenue|Drive|Boulevard|Lane|Crescent|Way|Rue|"
                          r"Chemin|Highway)\b")
CONNECTORS = frozenset("of and the de du des la le l' d' et à on upon".split())


def role_placeholder(role: str) -> str:
    """'VicePrincipal' -> '[VICE-PRINCIPAL]', 'MinistryStaff' -> '[MINISTRY STAFF]',
    'CODELeader' -> '[CODE LEADER]'; an empty role -> '[PERSON]'."""
    words = _CAMEL.findall(str(role or ""))
    if not words:
        return PERSON
    text = " ".join(w.upper() for w in words)
    return "[" + text.replace("VICE PRINCIPAL", "VICE-PRINCIPAL") + "]"


def header(text: str) -> dict[str, str]:
    """The leading 'Key: value' lines of a transcript whose keys are header keys."""
    out: dict[str, str] = {}
    lines = str(text or "").split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    for line in lines[first:]:
        m = _HEADER.match(line.strip())
        if not m or m["key"].strip().casefold() not in HEADER_KEYS:
            break
        out.setdefault(m["key"].strip().casefold(), m["value"].strip())
    return out


def name_terms(name: str, placeholder: str, generic: frozenset[str] = GENERIC) -> list[Term]:
    """A person's name, its initial-and-surname form, and each part alone (capitalised)."""
    name = TITLES.sub("", " ".join(str(name).split())).strip(" ,;:")
    words = [w.strip(",;:()") for w in name.split()]
    words = [w for w in words if w]
    if not words or all(w.casefold().rstrip(".") in generic for w in words):
        return []
    terms = []
    if len(words) > 1:
        terms.append(Term(" ".join(words), placeholder, False, SOURCE))
        if not _INITIAL.match(words[0]):
            terms.append(Term(f"{words[0][0]}. {' '.join(words[1:])}", placeholder, False,
                              SOURCE))
    for word in words:
        if (len(word) > 1 and not _INITIAL.match(word) and word[0].isupper()
                and not any(ch.isdigit() for ch in word) and word.casefold() not in generic):
            terms.append(Term(word, placeholder, True, SOURCE))
    return terms


def people_terms(participants: pd.DataFrame | None, transcripts: pd.DataFrame | None
                 ) -> list[Term]:
    """Participants (by role), interviewers and transcribers, from the tables and headers."""
    roles = {w.casefold() for r in _column(participants, "role") for w in _CAMEL.findall(r)}
    generic = GENERIC | roles
    terms: list[Term] = []
    for row in _rows(participants, ("name", "speakers", "role")):
        placeholder = role_placeholder(row["role"])
        for label in [row["name"], *str(row["speakers"] or "").split(";")]:
            for part in speaker_parts(str(label or "").strip()):
                terms += name_terms(part, placeholder, generic)
    for row in _rows(transcripts, ("citation_id", "text", "interviewers", "role")):
        head = header(row["text"])
        for label in str(row["interviewers"] or "").split(";"):
            terms += name_terms(label.strip(), INTERVIEWER, generic)
        for key, placeholder in (("interviewers", INTERVIEWER), ("transcriber", TRANSCRIBER),
                                 ("transcribed by", TRANSCRIBER)):
            for name, _ in split_people(head.get(key, "")):
                terms += name_terms(name, placeholder, generic)
        for name, _ in split_people(head.get("participants", "")):
            role = _role_of(participants, row["citation_id"], name) or row["role"]
            terms += name_terms(name, role_placeholder(role), generic)
    return merge(terms, PERSON)


def _role_of(participants: pd.DataFrame | None, citation_id: str, name: str) -> str | None:
    """The participants table's role for the person a header names in an interview."""
    keys = name_keys(name)
    for row in _rows(participants, ("citation_id", "name", "role")):
        if row["citation_id"] == citation_id and name_keys(str(row["name"])) & keys:
            return row["role"]
    return None


def place_terms(participants: pd.DataFrame | None, transcripts: pd.DataFrame | None
                ) -> list[Term]:
    """Schools, towns, organisations and streets in headers and participants' role texts."""
    terms: list[Term] = []
    for text in _column(transcripts, "text"):
        head = header(text)
        terms += location_terms(head.get("location", ""))
        for _, role_text in split_people(head.get("participants", "")):
            terms += role_text_terms(role_text)
    for role_text in _column(participants, "role_subtype"):
        terms += role_text_terms(role_text)
    return merge(terms, PLACE)


def site_terms(sites: pd.DataFrame | None) -> list[Term]:
    """Each district's name and its short form ("Cedar Ridge"); policy cases are not places."""
    terms: list[Term] = []
    for row in _rows(sites, ("name", "kind")):
        name = " ".join(str(row["name"] or "").split())
        if not name or str(row["kind"] or "").casefold() == "policy":
            continue
        terms.append(Term(name, DISTRICT, False, SOURCE))
        short = BOARD_HEAD.sub("", re.sub(BOARD_TAIL + "$", "", name)).strip()
        if short and short != name:   # "Bayfield" of "Bayfield Catholic District School Board"
            terms.append(Term(short, DISTRICT, " " not in short, SOURCE))
    return merge(terms, DISTRICT)


def location_terms(location: str) -> list[Term]:
    """'Library workroom, Dunmore Heights Secondary School, Halbrook' -> the school, the town."""
    parts = [p.strip() for p in str(location or "").split(",") if p.strip()]
    terms = []
    for i, part in enumerate(parts):
        if not _proper(part):
            continue
        if SCHOOL_WORDS.search(part):
            terms += school_terms(part)
        elif STREET_WORDS.search(part):
            terms.append(Term(part, PLACE, " " not in part, SOURCE))
        elif ORG_WORDS.search(part):
            terms.append(Term(part, ORGANISATION, False, SOURCE))
        elif i == len(parts) - 1 and i > 0:
            terms.append(Term(part, TOWN, " " not in part, SOURCE))
    return terms


def role_text_terms(role_text: str) -> list[Term]:
    """Schools and organisations named in a role text ('ESL teacher, Linwood Avenue PS and
    Ashgrove PS'); the rest of it (subjects, grades, titles) is not a name."""
    terms = []
    for part in re.split(r"[,;/]", str(role_text or "")):
        part = part.strip()
        if SCHOOL_WORDS.search(part):
            for school in re.split(r"\s+(?:and|&)\s+", part):
                if _proper(school) and SCHOOL_WORDS.search(school):
                    terms += school_terms(school.strip())
        elif _proper(part) and ORG_WORDS.search(part):
            terms.append(Term(part, ORGANISATION, False, SOURCE))
    return terms


def school_terms(name: str) -> list[Term]:
    """A school's full name and its distinctive part ("Holy Family" of "Holy Family Catholic
    School"), when that part is more than a saint's title."""
    terms = [Term(name, SCHOOL, False, SOURCE)]
    short = SCHOOL_HEAD.sub("", re.sub(SCHOOL_TAIL + "$", "", name)).strip()
    if short and short != name and normal_key(short) not in ("st", "ste", "saint", "sainte"):
        terms.append(Term(short, SCHOOL, " " not in short, SOURCE))
    return terms


def _proper(part: str) -> bool:
    """Every word that is not a connector starts with a capital: a name, not 'Board office'."""
    words = [w for w in re.split(r"[\s]+", part) if w]
    content = [w for w in words if w.casefold() not in CONNECTORS]
    return bool(content) and all(w[0].isupper() or w[0].isdigit() or w[:2].casefold()
                                 in ("l'", "d'", "l’", "d’") for w in content)


def merge(terms: Iterable[Term], conflict: str) -> list[Term]:
    """One term per key; a key given different placeholders gets `conflict`. A term is
    capital-only if any source made it so (a single name part stays capital-only)."""
    by_key: dict[str, Term] = {}
    for term in terms:
        old = by_key.get(term.key)
        if old is None:
            by_key[term.key] = term
        else:
            placeholder = old.placeholder if old.placeholder == term.placeholder else conflict
            by_key[term.key] = Term(old.text, placeholder, old.capital or term.capital,
                                    old.source)
    return sorted(by_key.values(), key=lambda t: t.key)


def _column(df: pd.DataFrame | None, name: str) -> list:
    if df is None or name not in df.columns:
        return []
    return ["" if v is None or v != v else v for v in df[name].tolist()]


def _rows(df: pd.DataFrame | None, names: tuple[str, ...]) -> list[dict]:
    columns = {n: _column(df, n) for n in names}
    length = max((len(v) for v in columns.values()), default=0)
    return [{n: (v[i] if i < len(v) else "") for n, v in columns.items()}
            for i in range(length)]
