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

import pandas as pd
import pytest

from pipeline.core.registry import STAGES
from tests.checks import all_quotes, check

P, T, D = "O1_Principal#1_5.3", "O1_Teacher#1_5.4", "O2_Director#1_5.10"


@pytest.fixture(scope="module")
def tables(fixture_catalog) -> dict:
    names = ("transcripts", "turns", "participants", "sites", "segments", "codes", "codings",
             "human_segments", "categories", "themes", "theme_matrix", "case_quotes",
             "suggestions")
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


def test_salience_counts_what_the_researcher_confirmed(tables) -> None:
    """ana coded funding for Rosa (O1) and Élodie (O2), and working together for Élodie:
    the keywords also find funding for Kevin and testing everywhere, but those are
    suggestions and count nowhere."""
    m = tables["theme_matrix"].set_index(["site", "theme_id"])
    assert m.loc[("O1", "code:funding"), ["n_participants", "n_segments"]].tolist() == [1, 1]
    assert m.loc[("O1", "code:funding"), "share_participants"] == 0.5
    assert (m.loc[("O1", "code:funding"), "share_low"],
            m.loc[("O1", "code:funding"), "share_high"]) == (0.0945, 0.9055)
    assert m.loc[("O2", "code:collaboration"), "roles"].tolist() == ["Director"]
    assert not any(theme == "code:testing" for _, theme in m.index)
    assert (m["n_participants_machine_only"][[t.startswith("code:") for _, t in m.index]]
            == 0).all()
    themes = tables["themes"].set_index("theme_id")
    assert themes.loc["code:funding", "n_sites"] == 2
    assert themes.loc["code:testing", "n_participants"] == 0
    assert themes.loc["code:funding", "family"] == "Tensions"


def test_suggestions_stand_apart_with_their_reliability(fixture_project: Path,
                                                       tables) -> None:
    s = tables["suggestions"]
    assert sorted(zip(s["segment_id"], s["code_id"])) == sorted([
        (f"{P}:0002:001", "funding"), (f"{P}:0006:001", "testing"),
        (f"{P}:0008:001", "collaboration"), (f"{T}:0002:001", "collaboration"),
        (f"{T}:0004:001", "funding"), (f"{T}:0007:001", "testing"),
        (f"{D}:0002:001", "testing")])
    assert s["priority"].tolist() == list(range(1, 8))
    # keywords agree with ana on every segment she read (funding twice, collaboration once)
    assert s.set_index("code_id")["reliability"].dropna().eq(1.0).all()
    # with its interval, wherever one could be computed
    both = s.dropna(subset=["reliability_low", "reliability_high"])
    assert ((both["reliability_low"] <= both["reliability"])
            & (both["reliability"] <= both["reliability_high"])).all()
    text = (fixture_project / "outputs" / "suggestions.md").read_text(encoding="utf-8")
    assert text.startswith("# Machine suggestions to review\n\n7 suggestions on 7 segments")


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
        "saturation.alt.txt", "saturation.png", "saturation.svg", "site_theme_heatmap.alt.txt",
        "site_theme_heatmap.png", "site_theme_heatmap.svg"]


def test_every_quote_in_every_output_is_verbatim_at_its_locator(fixture_project: Path,
                                                               tables) -> None:
    found = all_quotes(fixture_project / "outputs", tables)
    assert check(found["markdown"], tables) == check(found["docx"], tables) == \
        len(found["case_quotes"]) > 5
    assert check(found["case_quotes"], tables) and check(found["memos"], tables) >= 10


def test_findings_are_the_same_without_any_automatic_coding(fixture_project: Path,
                                                           tmp_path: Path) -> None:
    """With default settings, every finding rests on confirmed codings: switching machine
    suggestions off changes no theme count and no line of any case summary."""
    from tests.conftest import analyse
    from tests.fixtures import copy_project

    bare = copy_project(tmp_path / "bare")
    _, catalog = analyse(bare, ("code.suggest=false",))
    assert catalog.load("suggestions").empty
    assert catalog.load("codings")["status"].eq("confirmed").all()
    with_machine = fixture_project / "outputs"
    for table in ("theme_matrix", "role_matrix", "themes", "segment_themes"):
        a = pd.read_parquet(with_machine / f"{table}.parquet")
        assert a.equals(catalog.load(table)), table
    for doc in ("cases/O1.md", "cases/O2.md", "cross_case.md"):
        assert (with_machine / doc).read_text() == (bare / "outputs" / doc).read_text(), doc


def test_a_review_round_confirms_some_and_teaches_with_the_rest(tmp_path: Path,
                                                              fixture_project: Path) -> None:
    import shutil

    from click.testing import CliRunner

    from pipeline.cli import cli

    root = shutil.copytree(fixture_project, tmp_path / "p")
    run = CliRunner().invoke
    assert run(cli, ["review", "prepare", "-p", str(root), "--n", "4"]).exit_code == 0
    sheet = pd.read_excel(root / "outputs" / "review" / "round-1.xlsx", dtype=str).fillna("")
    assert len(sheet) == 4 and sheet["decision"].eq("").all()
    accepted, rejected = sheet.iloc[0], sheet.iloc[1]
    sheet.loc[0, "decision"], sheet.loc[1, "decision"] = "accept", "reject"
    bad = sheet.copy()
    bad.loc[2, "decision"] = "perhaps"
    bad.to_csv(tmp_path / "bad.csv", index=False)
    out = run(cli, ["review", "ingest", str(tmp_path / "bad.csv"), "-p", str(root),
                    "--reviewer", "ana"])
    assert out.exit_code == 1 and "bad.csv:4: error: decision 'perhaps'" in out.output
    assert not (root / "codebooks" / "reviews").exists()          # nothing stored
    sheet.to_excel(tmp_path / "filled.xlsx", index=False)
    out = run(cli, ["review", "ingest", str(tmp_path / "filled.xlsx"), "-p", str(root),
                    "--reviewer", "ana"])
    assert out.exit_code == 0, out.output
    assert "1 accepted, 1 rejected" in out.output
    assert run(cli, ["analyze", "-p", str(root), "-q"]).exit_code == 0
    codings = pd.read_parquet(root / "outputs" / "codings.parquet")
    confirmed = codings[codings["source"] == "review:ana"]
    assert confirmed[["segment_id", "code_id", "status"]].values.tolist() == [
        [accepted["segment_id"], accepted["code_id"], "confirmed"]]
    suggestions = pd.read_parquet(root / "outputs" / "suggestions.parquet")
    decided = {(accepted["segment_id"], accepted["code_id"]),
               (rejected["segment_id"], rejected["code_id"])}
    assert not decided & set(zip(suggestions["segment_id"], suggestions["code_id"]))
    assert len(suggestions) == 5      # 7 before, 2 decided: never asked again
    matrix = pd.read_parquet(root / "outputs" / "theme_matrix.parquet")
    site = accepted["site"]
    row = matrix[(matrix["site"] == site) & (matrix["theme_id"] == f"code:{accepted['code_id']}")]
    assert len(row) == 1 and row["n_participants_machine_only"].item() == 0
    # the next sheet is round 2 and holds none of the decided suggestions
    assert run(cli, ["review", "prepare", "-p", str(root)]).exit_code == 0
    again = pd.read_csv(root / "outputs" / "review" / "round-2.csv", dtype=str)
    assert not set(again["item_id"]) & {accepted["item_id"], rejected["item_id"]}
