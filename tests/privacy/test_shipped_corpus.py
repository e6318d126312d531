"""The shipped corpus and its redaction list: after redaction no name from any transcript
header, the participants table, study.toml's interviewers or sites.csv survives, and no term
corpus/redact.csv redacts, in the speech of any interview or in the whole transcripts.

The names to look for are read here from the raw files, not from the redactor, so a name the
redactor does not know about is a failure. A single name part is looked for with its capital
(a lower-case "frank" or "rose" is a word, not a name); so is a list term marked capital.
Kept terms are taken out of the redacted text first: some keep a name-like word where it is
not a name ("Karen families", "Jordan or Lebanon").
"""
from __future__ import annotations

import csv
import io
import re
import tomllib

import pytest

from pipeline.core.catalog import Catalog
from pipeline.privacy import Redactor, read_redaction_list
from pipeline.stages.ingest import IngestParams, run
from tests.fixtures import ROOT

CORPUS = ROOT / "corpus"
HEADER_LINE = re.compile(r"^(Interviewers|Participants|Transcriber|Location):\s*(.+)$", re.M)
SCHOOLISH = re.compile(r"\b(School|Secondary|Elementary|Public|Collegiate|PS)\b")
NOT_NAMES = {"Interviewer", "Int", "INTERVIEWER", "I", "Q", "P", "R", "Coordinator"}


@pytest.fixture(scope="module")
def tables():
    return run(Catalog(ROOT, {}).read_corpus(), params=IngestParams())[0]


@pytest.fixture(scope="module")
def rules():
    return read_redaction_list((CORPUS / "redact.csv").read_bytes(), "corpus/redact.csv")


def pattern(term: str, capital: bool) -> re.Pattern:
    words = []
    for word in term.split():
        body = re.escape(word).replace("'", "['’]")
        words.append(body[0] + f"(?i:{body[1:]})" if capital and word[0].isupper()
                     else f"(?i:{body})")
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


def header_names(tables) -> dict[str, bool]:
    """name -> capital-only, from the headers' people and places and the participants."""
    names: dict[str, bool] = {}

    def person(full: str) -> None:
        full = re.sub(r"^(Mrs?|Ms|Dr)\.\s+", "", full.strip())
        words = full.split()
        if len(words) > 1:
            names[full] = False
        for word in words:
            if len(word.rstrip(".")) > 1 and word not in NOT_NAMES:
                names[word] = True

    for text in tables["transcripts"]["text"]:
        for key, value in HEADER_LINE.findall(text):
            if key == "Location":
                parts = [p.strip() for p in value.split(",")]
                names.update({p: False for p in parts if SCHOOLISH.search(p)})
                if len(parts) > 1 and parts[-1][0].isupper():   # the town
                    names[parts[-1]] = " " not in parts[-1]
            else:   # people; what is in parentheses is their role
                for entry in re.sub(r"\([^()]*\)", "", value).split(";"):
                    person(entry)
    for column in ("name", "speakers"):
        for value in tables["participants"][column]:
            for entry in str(value).split(";"):
                if entry.strip() not in NOT_NAMES:
                    person(entry)
    study = tomllib.loads((CORPUS / "study.toml").read_text(encoding="utf-8"))
    for label in study["speakers"]["interviewer_labels"]:
        if " " in label:
            person(label)
    return names


def site_names() -> dict[str, bool]:
    names = {}
    for row in csv.DictReader(io.StringIO((CORPUS / "sites.csv").read_text("utf-8"))):
        if row["kind"] == "policy":
            continue
        names[row["name"]] = False
        short = re.sub(r"( Catholic)? District School Board$|^Conseil scolaire ", "",
                       row["name"])
        names[short] = " " not in short
    return names


def survivors(redactor: Redactor, rules, texts: list[str], tables) -> dict[str, int]:
    """Each expected name still in the redacted texts, with how often."""
    joined = "\n\n".join(redactor.redact_many(texts))
    kept = [pattern(t.text, t.capital) for t in rules.keep]
    expected = header_names(tables) | site_names() | {
        t.text: t.capital for t in rules.redact}
    expected = {n: c for n, c in expected.items() if n not in redactor.kept()}
    words = {w.casefold() for w in re.findall(r"\w+", joined)}
    found = {}
    for name, capital in expected.items():
        first = re.match(r"\w+", name)
        if first and first.group().casefold() not in words:
            continue   # its first word is nowhere: no need for the slower search
        hits = [m for m in pattern(name, capital).finditer(joined)
                if not _inside_kept(joined, m, kept)]
        if hits:
            found[name] = len(hits)
    return found


def _inside_kept(text: str, hit: re.Match, kept: list[re.Pattern]) -> bool:
    """Whether a kept term's match covers the hit (looked for around it only)."""
    at = max(0, hit.start() - 80)
    window = text[at:hit.end() + 80]
    return any(k.start() + at <= hit.start() and hit.end() <= k.end() + at
               for regex in kept for k in regex.finditer(window))


def test_the_expected_names_are_read_from_the_raw_files(tables, rules) -> None:
    """The check below looks for what it should (a check that looks for nothing passes)."""
    names = header_names(tables)
    for name in ("Carla Lindqvist", "Carla", "Lindqvist", "Helen Marsh", "Whitcombe",
                 "Dunmore Heights Secondary School", "Halbrook", "Greg Holloway", "NATHALIE",
                 "Daniel Okafor", "Larkhaven"):
        assert name in names, name
    assert {"Cedar Ridge", "Cedar Ridge District School Board", "Deux-Rivières"} <= \
        set(site_names())
    assert len(rules.redact) > 200 and {"Ruth Adeyemi", "Eastgate", "Racines"} <= \
        {t.text for t in rules.redact}
    assert {"EQAO", "Ministry", "Consortium", "CODE", "Ontario", "OSSLT"} <= \
        {t.text for t in rules.keep}


def test_no_name_survives_in_any_turn_or_transcript(tables, rules) -> None:
    redactor = Redactor.build(rules, tables["participants"], tables["transcripts"],
                              tables["sites"], ner=False)
    turns = tables["turns"]["text"].tolist()
    transcripts = tables["transcripts"]["text"].tolist()
    assert len(turns) > 1000 and len(transcripts) == 35 and len(redactor.terms()) > 400
    assert survivors(redactor, rules, turns + transcripts, tables) == {}
    # and the redaction did something: the interviews are full of names
    assert sum(t.count("[TEACHER]") for t in redactor.redact_many(turns)) > 50


def test_a_participant_introducing_themselves_is_redacted(tables, rules) -> None:
    redactor = Redactor.build(rules, tables["participants"], tables["transcripts"],
                              tables["sites"], ner=False)
    turns = tables["turns"]
    intro = turns[turns["text"].str.startswith("Sure. Greg Holloway.")]["text"].iloc[0]
    assert redactor.redact(intro).startswith("Sure. [TEACHER]. I teach math here at "
                                             "[SCHOOL],")


@pytest.mark.slow
def test_with_named_entities_the_study_vocabulary_survives_and_no_name(tables, rules) -> None:
    from pipeline.nlp.pipelines import trained_nlp

    try:
        trained_nlp()
    except OSError as exc:
        pytest.skip(f"the trained English model is not installed: {exc}")
    redactor = Redactor.build(rules, tables["participants"], tables["transcripts"],
                              tables["sites"], ner=True)
    texts = tables["turns"]["text"].tolist()
    assert survivors(redactor, rules, texts, tables) == {}
    placeholder = re.compile(r"\[[A-Z][A-Z0-9 '\-]*\]")   # "[CODE LEADER]" is no CODE
    redacted = [placeholder.sub(" ", t) for t in redactor.redact_many(texts)]
    texts = [placeholder.sub(" ", t) for t in texts]
    for term in ("EQAO", "Consortium", "Ministry", "CODE", "Ontario", "Toronto",
                 "Achieving Excellence", "First Nations", "SERT", "IEP"):
        word = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)")
        assert sum(len(word.findall(t)) for t in redacted) == \
            sum(len(word.findall(t)) for t in texts) > 0, term
