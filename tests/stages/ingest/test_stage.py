from pathlib import Path

import pytest

from pipeline.core.catalog import Catalog
from pipeline.core.errors import InputError
from pipeline.stages.ingest.stage import IngestParams, collect, parse_document, run
from pipeline.study.metadata import load_study
from tests.fixtures import GOOD_TRANSCRIPT as GOOD
from tests.fixtures import SITES_CSV, STUDY_TOML, seeded_files


def study():
    s, problems = load_study(STUDY_TOML.encode(), SITES_CSV.encode())
    assert problems == []
    return s


def corpus_of(root: Path):
    return Catalog(root, {}).read_corpus()


def test_parse_document_builds_turns_and_participants() -> None:
    doc = parse_document("corpus/transcripts/O1_Principal#1_5.14.txt", GOOD.encode(), study(),
                         IngestParams())
    assert doc["problems"] == []
    assert doc["citation_id"] == "O1_Principal#1_5.14"
    assert doc["interview_date"] == "2016-05-14"
    roles = [t["speaker_role"] for t in doc["turns"]]
    assert roles == ["interviewer", "participant", "interviewer", "participant"]
    second = doc["turns"][1]
    assert doc["text"][second["start_char"]:second["end_char"]] == (
        "It means we stop waiting for the Ministry.\nWe design it together with teachers.")
    assert doc["participants"] == [{"participant_id": "O1_Principal#1_5.14/1", "name": "Ana Silva",
                                    "role": "Principal", "role_subtype": "Principal",
                                    "speakers": "Ana Silva"}]


# One file per problem the foundation issue names; each must be reported with file and line.
SEEDED = {
    "O1_Principal_5.14.txt": ("malformed citation ID", 0, "error"),
    "O1_Teacher#1_5.3.txt": (None, None, None),
    "copy.txt": ("duplicate citation ID O1_Teacher#1_5.3", 0, "error"),
    "O2_Teacher#1_5.4.txt": ("does not match the file name", 1, "error"),
    "O9_Teacher#1_5.4.txt": ("site O9 is not in corpus/sites.csv", 0, "error"),
    "O1_Janitor#1_5.3.txt": ("unknown role 'Janitor'", 0, "error"),
    "O1_Director#1_2.30.txt": ("impossible date 2.30", 0, "error"),
    "O2_Director#1_6.20.txt": ("outside the fieldwork", 0, "error"),
    "O3_Principal#3_5.9.txt": ("sequence gap", 0, "warning"),
    "O3_Teacher#1_5.9.txt": ("the file is empty", 0, "error"),
    "O3_Director#1_5.9.txt": ("binary file", 0, "error"),
    "O3_VicePrincipal#1_5.9.txt": ("not valid UTF-8", 0, "error"),
    "O2_Principal#1_5.4.txt": ("no participant speech", 0, "error"),
    "O2_VicePrincipal#1_5.4.txt": ("no speaker turns found", 1, "error"),
    "O1_Principal#1_5.5.txt": ("header Date 2016-05-06 does not match", 2, "error"),
}
TURNS = "Interviewer: How did it start?\nP: With a meeting in the gym.\n"


def test_every_seeded_problem_is_reported_with_file_and_line(make_project) -> None:
    sites = SITES_CSV.replace("O1,Alder", "O1,Zulu")  # numbering no longer alphabetical
    root = make_project(seeded_files(), sites=sites)
    _, _, problems = collect(corpus_of(root), IngestParams())
    for name, (fragment, line, severity) in SEEDED.items():
        if fragment is None:
            continue
        path = f"corpus/transcripts/{name}"
        hits = [p for p in problems if p.path == path and fragment in p.message]
        assert hits, f"{name}: no problem containing {fragment!r}; got {problems}"
        assert (hits[0].line, hits[0].severity) == (line, severity), hits[0]
    numbering = [p for p in problems if "not alphabetical" in p.message]
    assert numbering and numbering[0].path == "corpus/sites.csv" and numbering[0].line == 2
    assert not any(p.path.endswith("O3_Principal#1_5.9.txt") for p in problems)


def test_run_raises_with_all_errors_and_writes_nothing(make_project) -> None:
    root = make_project(seeded_files())
    with pytest.raises(InputError) as info:
        run(corpus_of(root), params=IngestParams())
    assert len([p for p in info.value.problems if p.is_error]) == 13
    assert not (root / "outputs").exists()


def test_site_without_transcripts_is_a_warning(make_project) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": GOOD})
    tables, warnings = run(corpus_of(root), params=IngestParams())
    assert {(w.line, w.message) for w in warnings} >= {
        (3, "site O2 has no transcripts"), (4, "site O3 has no transcripts")}
    assert tables["transcripts"]["citation_id"].tolist() == ["O1_Principal#1_5.14"]


def test_unknown_role_can_be_a_warning(make_project) -> None:
    lenient = STUDY_TOML.replace('id_prefix = "O"', 'id_prefix = "O"\nunknown_role = "warning"')
    root = make_project({"O1_Janitor#1_5.3.txt": TURNS}, study=lenient)
    tables, warnings = run(corpus_of(root), params=IngestParams())
    assert any("unknown role 'Janitor'" in w.message for w in warnings)
    assert tables["transcripts"]["role"].tolist() == ["Janitor"]


def test_cache_is_used_per_file(make_project) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": GOOD, "O1_Teacher#1_5.3.txt": TURNS})
    calls = []

    def cache(key, compute):
        calls.append(key)
        return compute()
    collect(corpus_of(root), IngestParams(), cache)
    assert len(calls) == 2 and len(set(calls)) == 2


def doc_of(text: str, name: str = "O1_Principal#1_5.14.txt") -> dict:
    return parse_document(f"corpus/transcripts/{name}", text.encode(), study(), IngestParams())


def test_numbered_interviewers_are_interviewers_when_the_plain_label_is_declared() -> None:
    doc = doc_of("ID: O1_Principal#1_5.14\n\n"
                 "Interviewer 1: How did it start?\n"
                 "P: With a meeting in the gym.\n"
                 "Interviewer 2: And then?\n"
                 "P: Then the board came.\n")
    assert [(t["speaker"], t["speaker_role"]) for t in doc["turns"]] == [
        ("Interviewer 1", "interviewer"), ("P", "participant"),
        ("Interviewer 2", "interviewer"), ("P", "participant")]
    assert doc["problems"] == []


def test_a_combined_label_opens_a_turn_counted_as_its_first_speaker_with_a_note() -> None:
    doc = doc_of("ID: O1_Principal#1_5.14\n"
                 "Participants: Ana Silva (Principal); Bo Chen (Teacher)\n\n"
                 "Interviewer: How did it start?\n"
                 "Ana Silva & Bo Chen: Together, with a meeting in the gym.\n"
                 "Interviewer: And then?\n"
                 "Bo Chen: Then the board came.\n")
    turns = [(t["speaker"], t["participant_id"]) for t in doc["turns"]]
    assert turns[1] == ("Ana Silva & Bo Chen", "O1_Principal#1_5.14/1")
    assert turns[3] == ("Bo Chen", "O1_Principal#1_5.14/2")
    joint = doc["text"][doc["turns"][1]["start_char"]:doc["turns"][1]["end_char"]]
    assert joint == "Together, with a meeting in the gym."
    assert [p[3] for p in doc["problems"]] == [
        "speaker 'Ana Silva & Bo Chen' names several people; their joint turns are counted "
        "as Ana Silva's"]


def test_an_interview_without_an_interviewer_turn_is_warned_about() -> None:
    doc = doc_of("ID: O1_Principal#1_5.14\n\nMod: How did it start?\nP: With a meeting.\n"
                 "Mod: And then?\nP: The board came.\n")
    assert {t["speaker_role"] for t in doc["turns"]} == {"participant"}
    assert any(p[3].startswith("no interviewer turn: every speaker (Mod, P) counts as a "
                               "participant") for p in doc["problems"])


def test_a_speaker_in_most_interviews_asking_most_questions_is_flagged(make_project) -> None:
    asking = "ID: {cid}\n\nDana: How did it start?\nP: With a meeting in the gym.\n" \
             "Dana: What changed?\nP: The board came.\n"
    root = make_project({f"{cid}.txt": asking.format(cid=cid) for cid in (
        "O1_Principal#1_5.14", "O1_Teacher#1_5.15", "O2_Teacher#1_5.16")})
    _, _, problems = collect(corpus_of(root), IngestParams())
    flagged = [p for p in problems if "an undeclared interviewer?" in p.message]
    assert len(flagged) == 1 and flagged[0].line == 3
    assert flagged[0].message.startswith("speaker 'Dana' counts as a participant in 3 of 3 "
                                         "interviews and 6 of its 6 turns are questions")


FOLLOW_UP = STUDY_TOML.replace('[roles]', '''[[phases]]
id = "followup"
year = 2016
start = 2016-05-20
end = 2016-06-30

[roles]''')


def overlapping_study():
    s, problems = load_study(FOLLOW_UP.encode(), SITES_CSV.encode())
    assert problems == []
    return s


@pytest.mark.parametrize("phase_line, phase, problem", [
    ("", "p2016", "date 5.24 falls in phases p2016, followup; read as p2016; a 'Phase: <id>' "
                  "header line says which"),
    ("Phase: followup\n", "followup", None),
    ("Phase: p2016\n", "p2016", None),
    ("Phase: round3\n", None, "header Phase 'round3' is not a phase of the study (p2016, "
                              "followup)"),
])
def test_overlapping_phases_are_warned_about_and_a_phase_header_decides(
        phase_line: str, phase: str | None, problem: str | None) -> None:
    text = f"ID: O1_Principal#1_5.24\n{phase_line}\nInterviewer: How?\nP: Like this.\n"
    doc = parse_document("corpus/transcripts/O1_Principal#1_5.24.txt", text.encode(),
                         overlapping_study(), IngestParams())
    assert doc["phase"] == phase
    assert [p[3] for p in doc["problems"]] == ([problem] if problem else [])
    if problem and phase is None:
        assert doc["problems"][0][1] == 2   # the Phase header's line


def test_a_phase_header_outside_its_phase_is_an_error() -> None:
    text = "ID: O1_Principal#1_6.10\nPhase: p2016\n\nInterviewer: How?\nP: Like this.\n"
    doc = parse_document("corpus/transcripts/O1_Principal#1_6.10.txt", text.encode(),
                         overlapping_study(), IngestParams())
    assert [(p[1], p[3]) for p in doc["problems"]] == [
        (2, "date 6.10 is outside phase p2016 (2016-05-02..2016-05-31)")]


def test_a_turn_too_long_to_segment_is_an_error_in_ingest_with_its_line() -> None:
    text = "ID: O1_Principal#1_5.14\n\nInterviewer: Go on?\nP: " + "word " * 210_000 + "\n"
    doc = doc_of(text)
    assert [(p[1], p[2]) for p in doc["problems"]] == [(4, "error")]
    assert doc["problems"][0][3].startswith("turn 2 is 1,049,999 characters long, over the "
                                            "1,000,000")


def test_sites_csv_without_a_column_is_one_error_not_one_per_transcript(make_project) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": GOOD,
                         "O2_Principal#1_5.14.txt": GOOD.replace("O1_", "O2_")
                         .replace("Site: O1", "Site: O2")})
    (root / "corpus" / "sites.csv").write_text("code,name\nO1,Alder\nO2,Birch\n")
    _, _, problems = collect(corpus_of(root), IngestParams())
    errors = [p for p in problems if p.is_error]
    assert [(p.path, p.line) for p in errors] == [("corpus/sites.csv", 1)]
    assert "missing column(s) kind" in errors[0].message


def test_an_empty_corpus_is_an_error_naming_the_folder(make_project) -> None:
    root = make_project({".DS_Store": b"\x00"})
    with pytest.raises(InputError) as caught:
        run(corpus_of(root), params=IngestParams())
    errors = [p for p in caught.value.problems if p.is_error]
    assert [(p.path, p.message.split(":")[0]) for p in errors] == [
        ("corpus/transcripts/", "no transcripts to read")]


def test_without_valid_phases_transcripts_are_not_each_blamed(make_project) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": GOOD},
                        study=STUDY_TOML.replace("start = 2016-05-02", 'start = "2016-05-02"'))
    with pytest.raises(InputError) as caught:
        run(corpus_of(root), params=IngestParams())
    errors = [p for p in caught.value.problems if p.is_error]
    assert [p.path for p in errors] == ["corpus/study.toml"]
