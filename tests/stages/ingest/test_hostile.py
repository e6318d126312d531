"""A hostile transcript end to end through ingest's per-file parse: the citation ID from its
name or header, the header's checks, speakers and participants. The result is a document, with
problems naming the file; never an exception."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.stages.ingest.stage import IngestParams, parse_document
from pipeline.study.metadata import load_study
from tests.fixtures import SITES_CSV, STUDY_TOML
from tests.hostile import examples, fragments

STUDY, _ = load_study(STUDY_TOML.encode(), SITES_CSV.encode())
NAMES = ["O1_Principal#1_5.14", "O1_Principal#2_5.14", "O2_Teacher#1_6.1", "O9_Janitor#1_13.45",
         "O1_Principal#1_2.30", "O1_Principal-Sub#1_5.14", "notes", "O1_Principal#1_5.14\n"]
HEADER = ["ID: O1_Principal#1_5.14\n", "ID: O2_Teacher#1_5.3\n", "ID: x\n", "Site: O1\n",
          "Site: O9\n", "Date: 2016-05-14\n", "Date: 2016-02-30\n", "Date: soon\n",
          "Phase: p1\n", "Phase: nope\n", "Interviewers: Kim; Lee\n", "Participants: Ana\n",
          "Participants: ;;\n", "\n"]
TURNS = ["Interviewer: Why?\n", "I: Hm.\n", "P: Because.\n", "Ana: Yes, we did.\n",
         "Kim: And?\n", "P2: No.\n", "Speaker 1  0:01\nWords here.\n", "[00:00:05] P: ok\n",
         "\n", "words ", "Dr. Anne-Marie Lavoie: hi\n", "R: " + "word " * 50 + "\n"]
documents = st.builds(lambda h, t: h + t, fragments(HEADER, 5), fragments(TURNS, 12))


@settings(max_examples=examples(200))
@given(st.sampled_from(NAMES), st.sampled_from([".txt", ".md", ".vtt"]), documents)
def test_any_transcript_gives_a_document_and_problems_naming_it(name: str, suffix: str,
                                                               text: str) -> None:
    path = f"corpus/transcripts/{name}{suffix}"
    doc = parse_document(path, text.encode(), STUDY, IngestParams())
    assert all(p[0] == path and p[2] in ("error", "warning") for p in doc["problems"])
    if doc.get("citation_id") and doc["citation_id"] != name:
        # the header's ID wins; a file named by another ID is an error that says so
        assert name in ("notes", "O1_Principal#1_5.14\n") or any(
            "does not match the file name" in p[3] for p in doc["problems"]), doc["problems"]
    for turn in doc["turns"]:
        assert 0 <= turn["start_char"] <= turn["end_char"] <= len(doc["text"])
