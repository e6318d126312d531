"""The benchmark corpus: 222 interviews over the shipped corpus's 11 sites, about 2 million words
of distinct text at scale 1, in the mix of formats the pipeline reads.

It is built from the shipped transcripts' participant *sentences*, recombined into new turns
and perturbed (`bench_speech`), with the shipped interviewer questions between them. The same
seed gives the same bytes. Scale grows the number of interviews per site, not their length:
a larger study interviews more people, while an interview stays about an hour (5,000-13,000
words here, 9,000 on average), so per-transcript costs stay put and what grows is what a
larger corpus makes grow (cross-site comparison, vocabulary). 4x is 888 interviews, still
valid IDs (``#`` up to 999) on the days each site was visited in the shipped study.
"""
from __future__ import annotations

import math
import random
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.analysis import bench_lexicon as lex
from pipeline.analysis.bench_formats import EXTENSIONS, Dialogue, Turn, render
from pipeline.analysis.bench_speech import (
    Names,
    Perturber,
    Substitutes,
    shipped_names,
    split_sentences,
)
from pipeline.formats.text import count_words

SEED = 2016
WORDS_1X = 2_000_000
PER_SITE_1X = (20, 21, 20, 20, 20, 20, 20, 20, 20, 20, 21)  # 222 interviews
# Roles in a district's interviews (one cycle of 20) and in the policy case's.
DISTRICT_ROLES = ("Teacher", "Principal", "Teacher", "Superintendent", "Coordinator", "Teacher",
                  "Principal", "Consultant", "Teacher", "Coach", "VicePrincipal", "Teacher",
                  "Principal", "Superintendent", "Director", "Teacher", "Coach", "Consultant",
                  "Principal", "Coordinator")
POLICY_ROLES = ("MinistryStaff", "MinistryStaff", "CODELeader")
SUBTYPES = {"Superintendent": ("", "Curriculum", "SpecialEducation", "StudentSuccess"),
            "Consultant": ("", "MentalHealth", "Literacy")}
# Formats in one cycle of ten interviews: plain text 40% (three label styles), Otter 20%,
# DOCX 20%, WebVTT 10%, SRT 10%; roughly what a study's transcribers and recorders deliver.
STYLES = ("text", "otter", "docx", "stamped", "vtt", "text", "docx", "srt", "otter", "short")
BACKCHANNELS = ("Mm-hm.", "Right.", "Okay.", "Yeah.", "Mm.", "Sure.", "Interesting.")


@dataclass(frozen=True)
class Planned:
    citation_id: str
    site: str
    role: str
    month: int
    day: int
    style: str
    words: int  # target; the interview ends with the first exchange that reaches it


@dataclass
class Source:
    """What the shipped corpus lends: sentences of participant turns, interviewer questions,
    names to substitute, the interviewer team, and the days each site was visited."""
    answers: list[list[str]]
    questions: list[str]
    names: Names
    team: list[str]
    site_names: dict[str, str]
    days: dict[str, list[tuple[int, int]]]
    policy: set[str] = field(default_factory=set)  # sites whose shipped roles are policy roles
    year: int = 2016


@dataclass
class CorpusInfo:
    scale: float
    seed: int
    interviews: int
    words: int
    styles: dict[str, int]
    domain_tokens: int
    seconds: float
    files: list[str] = field(default_factory=list)  # in generation order

    def as_dict(self) -> dict[str, Any]:
        return {"scale": self.scale, "seed": self.seed, "interviews": self.interviews,
                "words": self.words, "styles": self.styles,
                "domain_tokens": self.domain_tokens, "seconds": round(self.seconds, 2)}


def load_source(project: Path) -> Source:
    """Read the shipped corpus through the ingest stage's reader (no analysis needed)."""
    from pipeline.core.catalog import Catalog
    from pipeline.core.config import load_config
    from pipeline.stages.ingest import IngestParams, collect

    catalog = Catalog(project, load_config(None).paths)
    study, docs, _ = collect(catalog.read_corpus(), IngestParams())
    if study is None or not docs:
        raise ValueError(f"no readable corpus in {catalog.corpus_dir}")
    answers, questions, people, days, roles = [], [], [], {}, {}
    for doc in docs:
        for t in doc.get("turns", []):
            text = " ".join(doc["text"][t["start_char"]:t["end_char"]].split())
            if t["speaker_role"] == "participant" and t["n_words"]:
                answers.append(split_sentences(text))
            elif t["n_words"] > 3:
                questions.append(text)
        people += [p["name"] for p in doc.get("participants", [])]
        if doc.get("interview_date"):
            month, day = int(doc["interview_date"][5:7]), int(doc["interview_date"][8:10])
            days.setdefault(doc["site"], set()).add((month, day))
            roles.setdefault(doc["site"], set()).add(doc["role"])
    sites = _site_names(catalog.corpus_dir / "sites.csv")
    names = shipped_names(catalog.corpus_dir / "redact.csv", people, list(sites.values()))
    team = [label for label in study.interviewer_labels if " " in label]
    short = {code: next((t for t, k in names.kinds.items() if k == "site" and t in name), "")
             for code, name in sites.items()}
    policy = {site for site, used in roles.items() if used <= set(POLICY_ROLES)}
    return Source(answers, questions, names, team, short,
                  {s: sorted(d) for s, d in days.items()}, policy, study.phases[0].year)


def _site_names(sites_csv: Path) -> dict[str, str]:
    import csv

    with sites_csv.open(encoding="utf-8") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f)}


def per_site(scale: float) -> list[int]:
    """Interviews per site at a scale (at least one per site)."""
    return [max(1, math.floor(n * scale + 0.5)) for n in PER_SITE_1X]


def plan(source: Source, scale: float = 1.0, seed: int = SEED) -> list[Planned]:
    """Every interview's ID, format and length, in generation order (round robin over the
    sites, so any prefix of the corpus covers them all)."""
    counts, mean = per_site(scale), WORDS_1X / sum(PER_SITE_1X)
    sites = sorted(source.days, key=lambda s: int(s[1:]))
    seqs: Counter[tuple[str, str]] = Counter()
    out: list[Planned] = []
    for k in range(max(counts)):
        for i, site in enumerate(sites):
            if k >= counts[i]:
                continue
            roles = POLICY_ROLES if site in source.policy else DISTRICT_ROLES
            role = roles[(k + 3 * i) % len(roles)]  # sites start at different roles
            seqs[(site, role)] += 1
            seq = seqs[(site, role)]
            kinds = SUBTYPES.get(role, ("",))
            full = f"{role}-{kinds[seq % len(kinds)]}" if kinds[seq % len(kinds)] else role
            month, day = source.days[site][k % len(source.days[site])]
            # Lengths vary by up to 45% but each pair of a site's interviews averages `mean`,
            # so every scale's total stays within a few percent of its target.
            spread = random.Random(f"{seed}-{site}-{k // 2}").uniform(0.0, 0.45)
            words = round(mean * (1 + (spread if k % 2 == 0 else -spread)))
            out.append(Planned(f"{site}_{full}#{seq}_{month}.{day}", site, role, month, day,
                               STYLES[len(out) % len(STYLES)], words))
    return out


def generate(project: Path, target: Path, scale: float = 1.0, seed: int = SEED,
             source: Source | None = None) -> CorpusInfo:
    """Write the benchmark project (corpus/ with study.toml and sites.csv, codebooks/) under
    `target`, built from the corpus of `project`."""
    start = time.perf_counter()
    source = source or load_source(project)
    folder = target / "corpus" / "transcripts"
    folder.mkdir(parents=True)
    for name in ("study.toml", "sites.csv"):
        shutil.copy(project / "corpus" / name, target / "corpus" / name)
    # The codebook, so coding is measured for real (human codings cite the shipped corpus).
    (target / "codebooks").mkdir()
    for book in (project / "codebooks").glob("*.yml"):
        if book.name != "decisions.yml":
            shutil.copy(book, target / "codebooks" / book.name)
    rng = random.Random(seed)
    perturber = Perturber(rng)
    info = CorpusInfo(scale, seed, 0, 0, {}, 0, 0.0)
    for planned in plan(source, scale, seed):
        dialogue, words = compose(planned, source, perturber, rng)
        name = planned.citation_id + EXTENSIONS[planned.style]
        (folder / name).write_bytes(render(dialogue, planned.style))
        info.interviews += 1
        info.words += words
        info.styles[planned.style] = info.styles.get(planned.style, 0) + 1
        info.files.append(name)
    info.domain_tokens, info.seconds = perturber.domain_tokens, time.perf_counter() - start
    return info


def compose(planned: Planned, source: Source, perturber: Perturber, rng: random.Random
            ) -> tuple[Dialogue, int]:
    """One interview's turns: questions, answers built from sentence runs, back-channels."""
    subs = Substitutes(source.names, rng, source.site_names.get(planned.site, ""))
    first, last = lex.person(rng)
    team = rng.sample(source.team, 2 if rng.random() < 0.4 else 1)
    dialogue = Dialogue(planned.citation_id, f"{source.year}-{planned.month:02d}-"
                        f"{planned.day:02d}", planned.site, f"{first} {last}",
                        _role_text(planned, rng), team, _location(planned, rng),
                        f"{lex.FIRST_NAMES[rng.randrange(len(lex.FIRST_NAMES))][0]}. "
                        f"{lex.LAST_NAMES[rng.randrange(len(lex.LAST_NAMES))]}")
    clock, words = rng.uniform(1.0, 6.0), 0
    while words < planned.words:
        asker = team[0] if len(team) == 1 or rng.random() < 0.7 else team[1]
        question = subs.apply(source.questions[rng.randrange(len(source.questions))])
        clock, n = _add(dialogue, asker, True, question, clock, rng)
        words += n
        for _ in range(2 if rng.random() < 0.2 else 1):
            if dialogue.turns[-1].speaker == dialogue.participant:
                clock, n = _add(dialogue, asker, True, rng.choice(BACKCHANNELS), clock, rng)
                words += n
            clock, n = _add(dialogue, dialogue.participant, False,
                            _answer(source, perturber, subs, rng, clock), clock, rng)
            words += n
    return dialogue, words


def _add(dialogue: Dialogue, speaker: str, interviewer: bool, text: str, clock: float,
         rng: random.Random) -> tuple[float, int]:
    n = count_words(text)
    end = clock + n * 0.4 + rng.uniform(0.2, 1.5)
    dialogue.turns.append(Turn(speaker, interviewer, text, clock, end))
    return end + rng.uniform(0.1, 1.0), n


def _answer(source: Source, perturber: Perturber, subs: Substitutes, rng: random.Random,
            clock: float) -> str:
    """A participant turn: runs of 1-4 consecutive sentences from random shipped turns, as
    many sentences as a random shipped turn has, at least one of four words or more."""
    wanted = len(source.answers[rng.randrange(len(source.answers))])
    sentences: list[str] = []
    while len(sentences) < wanted or not any(len(s.split()) >= 4 for s in sentences):
        turn = source.answers[rng.randrange(len(source.answers))]
        at = rng.randrange(len(turn))
        for text in turn[at:at + rng.randint(1, 4)]:
            sentences.append(perturber.sentence(text, subs, clock + 3 * len(sentences)))
    return " ".join(sentences)


def _role_text(planned: Planned, rng: random.Random) -> str:
    school = lex.school(rng)
    return {"Director": "Director of Education", "Superintendent": "Superintendent",
            "Principal": f"Principal, {school}", "VicePrincipal": f"Vice-Principal, {school}",
            "Teacher": f"Teacher, Grade {rng.randint(1, 12)}, {school}",
            "Consultant": "Program Consultant", "Coordinator": "Well-Being Coordinator",
            "Coach": f"Instructional Coach, {school}",
            "MinistryStaff": "Education Officer, Ministry of Education",
            "CODELeader": "CODE project lead"}.get(planned.role, planned.role)


def _location(planned: Planned, rng: random.Random) -> str:
    if planned.role in ("Director", "Superintendent", "MinistryStaff", "CODELeader"):
        return f"Board office, {lex.town(rng)}"
    return f"{rng.choice(('Library', 'Staff room', 'Principal office'))}, {lex.town(rng)}"
