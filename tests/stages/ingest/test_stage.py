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
