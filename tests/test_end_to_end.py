"""End to end on the three-interview fixture project (tests/fixtures/project): the whole
analysis, with values known from how the fixture was written.

The fixture: two districts (O1 Alder, O2 Birch), a principal and a teacher at O1 and a
director at O2, each answering about funding, provincial testing and working together; one
file has CRLF newlines and curly apostrophes, one has accented names and hard-wrapped turns.
A codebook with three codes whose keywords appear exactly once per answer, and one coder
(ana) who coded three passages.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.registry import STAGES
from tests.checks import all_quotes, check

P, T, D = "O1_Principal#1_5.3", "O1_Teacher#1_5.4", "O2_Director#1_5.10"


@pytest.fixture(scope="module")
def tables(fixture_catalog) -> dict:
    names = ("transcripts", "turns", "participants", "sites", "segments", "codes", "codings",
             "human_segments", "categories", "themes", "theme_matrix", "case_quotes")
    return {n: fixture_catalog.load(n) for n in names}


def test_every_stage_ran_and_wrote_its_outputs(fixture_catalog) -> None:
    log = fixture_catalog.run_log()
    assert [s["name"] for s in log["stages"]] == [s.name for s in STAGES]
    assert {s["status"] for s in log["stages"]} == {"ran"}
    assert all(fixture_catalog.provenance(o) for s in STAGES for o in s.outputs)


def test_transcripts_turns_and_people(tables) -> None:
    tr = tables["transcripts"].set_index("citation_id")
    assert list(tr.index) == [P, T, D]          # site order, then role and sequence
    assert not tr["text"].str.contains("\r").any()   # the CRLF file is normalised
    assert "I’m not alone" in tr.loc[T, "text"]      # curly apostrophes kept
    assert tables["participants"]["name"].tolist() == ["Rosa Delgado", "Kevin Tran",
                                                       "Élodie Martin"]
    assert tables["sites"][["site", "n_transcripts", "n_participants"]].values.tolist() == [
        ["O1", 2, 2], ["O2", 1, 1]]
    spoken = tables["turns"].groupby("citation_id")["speaker_role"].value_counts()
    assert spoken[(P, "participant")] == 4 and spoken[(T, "interviewer")] == 4


def test_one_segment_per_participant_turn_verbatim(tables) -> None:
    segs = tables["segments"]
    texts = tables["transcripts"].set_index("citation_id")["text"]
    assert segs.groupby("citation_id").size().to_dict() == {P: 4, T: 3, D: 3}
    assert all(texts[s.citation_id][s.start_char:s.end_char] == s.text
               for s in segs.itertuples())
    wrapped = segs[segs["segment_id"] == f"{P}:0006:001"].iloc[0]
    assert wrapped["text"].endswith("crowds out the\ninquiry work we started.")
    assert wrapped["locator"] == f"{P} ¶6"
    assert wrapped["question"] == "What about the provincial tests?"


def test_keywords_code_exactly_the_designed_answers(tables) -> None:
    c = tables["codings"]
    pattern = c[c["source"] == "auto:pattern"]
    assert sorted(zip(pattern["segment_id"], pattern["code_id"])) == sorted([
        (f"{P}:0002:001", "funding"), (f"{P}:0004:001", "funding"),
        (f"{P}:0006:001", "testing"), (f"{P}:0008:001", "collaboration"),
        (f"{T}:0002:001", "collaboration"), (f"{T}:0004:001", "funding"),
        (f"{T}:0007:001", "testing"), (f"{D}:0002:001", "testing"),
        (f"{D}:0004:001", "funding"), (f"{D}:0006:001", "collaboration")])
    assert pattern.set_index("segment_id").loc[f"{P}:0006:001", "evidence"] == \
        "EQAO; test preparation"


def test_human_codings_reach_their_segments(tables) -> None:
    human = tables["human_segments"]
    assert sorted(zip(human["segment_id"], human["code_id"], human["coder"])) == [
        (f"{P}:0004:001", "funding", "ana"), (f"{D}:0004:001", "funding", "ana"),
        (f"{D}:0006:001", "collaboration", "ana")]
    coded = tables["codings"][tables["codings"]["source"] == "human:ana"]
    assert len(coded) == 3
    codes = tables["codes"].set_index("code_id")
    assert codes.loc["funding", "family"] == "Tensions"
    assert not codes.loc["tensions", "codable"]


def test_salience_is_the_share_of_participants(tables) -> None:
    m = tables["theme_matrix"].set_index(["site", "theme_id"])
    assert m.loc[("O1", "code:funding"), "n_participants"] == 2
    assert m.loc[("O1", "code:funding"), "share_participants"] == 1.0
    assert m.loc[("O1", "code:funding"), "n_segments"] == 3
    assert m.loc[("O2", "code:testing"), "roles"].tolist() == ["Director"]
    themes = tables["themes"].set_index("theme_id")
    assert themes.loc["code:funding", "n_sites"] == 2
    assert themes.loc["code:funding", "family"] == "Tensions"


def test_documents_and_figures(fixture_project: Path) -> None:
    out = fixture_project / "outputs"
    assert sorted(p.name for p in (out / "cases").iterdir()) == ["O1.docx", "O1.md",
                                                                "O2.docx", "O2.md"]
    o1 = (out / "cases" / "O1.md").read_text(encoding="utf-8")
    assert o1.startswith("# O1: Alder District\n")
    assert "2 interviews with 2 participants (1 Principal, 1 Teacher)" in o1
    assert "![Share of participants voicing each theme, by site]" \
           "(../figures/site_theme_heatmap.png)" in o1
    cross = (out / "cross_case.md").read_text(encoding="utf-8")
    assert "(figures/saturation.png)" in cross
    assert sorted(p.name for p in (out / "figures").iterdir()) == [
        "saturation.png", "saturation.svg", "site_theme_heatmap.png", "site_theme_heatmap.svg"]


def test_every_quote_in_every_output_is_verbatim_at_its_locator(fixture_project: Path,
                                                               tables) -> None:
    found = all_quotes(fixture_project / "outputs", tables)
    assert check(found["markdown"], tables) == check(found["docx"], tables) == \
        len(found["case_quotes"]) > 5
    assert check(found["case_quotes"], tables) and check(found["memos"], tables) >= 10
