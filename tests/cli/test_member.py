"""A full member-check round through the response sheet, on the fixture project: prepare,
fill (agree, disagree, revise, withdraw), ingest, re-analyse; a bad sheet changes nothing."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli.main import cli

P = "O1_Principal#1_5.3"


def _qda(root: Path, *args: str):
    return CliRunner().invoke(cli, [*args, "-p", str(root)])


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def prepared(fixture_project: Path, tmp_path_factory) -> Path:
    root = shutil.copytree(fixture_project, tmp_path_factory.mktemp("mc") / "p")
    (root / "codebooks" / "interpretations").mkdir()
    (root / "codebooks" / "interpretations" / "O1.yml").write_text(
        "code:funding: >-\n  Funding is ending and nobody knows what comes next; a problem "
        "the principal cannot solve alone.\n", encoding="utf-8")
    out = _qda(root, "member-check", "prepare", "--site", "O1")
    assert out.exit_code == 0, out.output
    assert "O1: round 1" in out.output
    return root


def _round(root: Path) -> Path:
    return root / "codebooks" / "member_checks" / "O1" / "round-1"


def test_prepare_writes_the_round_and_never_another_sites_data(prepared: Path) -> None:
    folder = _round(prepared)
    assert sorted(p.name for p in folder.iterdir()) == [
        "items.csv", "packet.docx", "packet.html", "packet.md", "sheet.csv", "sheet.xlsx"]
    items = pd.read_csv(folder / "items.csv", keep_default_na=False)
    assert set(items["site"]) == {"O1"}
    assert not items["citation_id"].str.startswith("O2").any()
    interp = items[(items["kind"] == "interpretation") & (items["theme_id"] == "code:funding")]
    assert interp["source"].tolist() == ["researcher"]
    assert interp["text"].iloc[0].startswith("Funding is ending")
    packet = (folder / "packet.md").read_text(encoding="utf-8")
    assert "Rosa Delgado" not in packet and "Rosa" not in packet   # the principal's name
    assert "O2_" not in packet and "Élodie" not in packet
    assert all(f"[{i}]" in packet or f"Item {i}" in packet for i in items["item_id"])


def _fill(root: Path, rows: dict[str, dict]) -> Path:
    sheet = pd.read_csv(_round(root) / "sheet.csv", keep_default_na=False, dtype=str)
    for item, answer in rows.items():
        for col, value in answer.items():
            sheet.loc[sheet["item_id"] == item, col] = value
    path = root / "filled.csv"
    sheet.to_csv(path, index=False)
    return path


def _ids(root: Path) -> dict[str, str]:
    items = pd.read_csv(_round(root) / "items.csv", keep_default_na=False)
    funding = items[items["theme_id"] == "code:funding"]
    by_kind = funding.groupby("kind")["item_id"].first()
    return {"theme": by_kind["theme"], "interpretation": by_kind["interpretation"],
            "quote": funding.loc[(funding["kind"] == "quote")
                                 & (funding["citation_id"] == P), "item_id"].iloc[0],
            "other": items.loc[items["theme_id"] != "code:funding", "item_id"].iloc[0]}


def test_a_bad_sheet_is_refused_whole_and_changes_nothing(prepared: Path) -> None:
    ids = _ids(prepared)
    before = _snapshot(prepared / "codebooks")
    bad = _fill(prepared, {
        ids["theme"]: {"response": "agree", "respondent": "group"},
        ids["interpretation"]: {"response": "revise", "respondent": "group"},
        ids["quote"]: {"response": "withdraw", "respondent": "O1_Teacher#1_5.4"},
        ids["other"]: {"response": "maybe", "respondent": "group"}})
    out = _qda(prepared, "member-check", "ingest", str(bad))
    assert out.exit_code == 1
    assert "3 problem(s) in the sheet; nothing was stored" in out.output
    assert "filled.csv:3: error: revise needs the revised text" in out.output
    assert "only the person quoted" in out.output and "'maybe' is not one of" in out.output
    broken = prepared / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    unreadable = _qda(prepared, "member-check", "ingest", str(broken))
    assert unreadable.exit_code == 1 and unreadable.exception.__class__ is SystemExit
    assert "cannot read the sheet (not a readable XLSX workbook" in unreadable.output
    wrong_site = _qda(prepared, "member-check", "ingest", str(bad), "--site", "O2")
    assert wrong_site.exit_code == 1 and "belongs to site O1, not O2" in wrong_site.output
    assert _snapshot(prepared / "codebooks") == before


def test_a_full_round_is_applied_on_the_next_analysis(prepared: Path) -> None:
    ids = _ids(prepared)
    withdrawn = pd.read_csv(_round(prepared) / "items.csv", keep_default_na=False).set_index(
        "item_id").loc[ids["quote"]]
    good = _fill(prepared, {
        ids["theme"]: {"response": "agree", "respondent": "group"},
        ids["interpretation"]: {"response": "revise", "respondent": P,
                                "revised_text": "Funding continues in a smaller form.",
                                "comment": "we found some money"},
        ids["quote"]: {"response": "withdraw", "respondent": P},
        ids["other"]: {"response": "disagree", "respondent": "O1_Teacher#1_5.4",
                       "comment": "not how I see it"}})
    out = _qda(prepared, "member-check", "ingest", str(good))
    assert out.exit_code == 0, out.output
    assert "4 answers" in out.output
    again = _qda(prepared, "member-check", "ingest", str(good))
    assert again.exit_code == 1 and "ingested already" in again.output
    assert _qda(prepared, "analyze", "-q").exit_code == 0
    outputs = prepared / "outputs"
    case = (outputs / "cases" / "O1.md").read_text(encoding="utf-8")
    assert "revised in member checking (round 1" in case
    assert "Funding continues in a smaller form." in case
    assert "Before member checking (researcher): Funding is ending" in case
    assert "disagreed with" in case and "not how I see it" in case
    pre = (outputs / "cases" / "pre_member_check" / "O1.md").read_text(encoding="utf-8")
    assert "Funding is ending" in pre and "Funding continues" not in pre
    # the withdrawn quote is quoted nowhere any more, not even before member checking
    segment = withdrawn["segment_id"]
    text = pd.read_parquet(outputs / "transcripts.parquet").set_index("citation_id").at[
        P, "text"][int(withdrawn["start_char"]):int(withdrawn["end_char"])]
    documents = [p for p in outputs.rglob("*") if p.suffix in (".md", ".html", ".csv")]
    assert len(documents) > 5
    assert [p.name for p in documents if text in p.read_text(encoding="utf-8-sig")] == []
    quoted = pd.read_parquet(outputs / "case_quotes.parquet")
    assert segment not in set(quoted["segment_id"])
    cats = pd.read_parquet(outputs / "categories.parquet")
    assert not cats["representative_segments"].map(lambda s: segment in list(s)).any()
    packet = pd.read_parquet(outputs / "packet_items.parquet")
    assert segment not in set(packet["segment_id"])
    # the next round of O1 is round 2; O2 has had none yet
    assert packet.groupby("site")["round"].max().to_dict() == {"O1": 2, "O2": 1}
    audit = pd.read_parquet(outputs / "member_check_audit.parquet")
    assert sorted(audit["change"]) == ["contested", "kept", "removed", "softened"]
    report = (outputs / "member_check_report.md").read_text(encoding="utf-8")
    assert "| O1 | 3 | 1 | 1 | 0 |" in report   # critical answered, softened, removed, contested
    assert "In all, 2 critical statement(s) were softened or removed." in report


def test_validate_checks_interpretations_and_the_redaction_list(tmp_path: Path) -> None:
    from tests.fixtures import copy_project

    root = copy_project(tmp_path / "p")
    (root / "codebooks" / "interpretations").mkdir()
    (root / "codebooks" / "interpretations" / "O1.yml").write_text(
        "code:funding: ok\ncode:collaboration: ''\n", encoding="utf-8")
    (root / "corpus" / "redact.csv").write_text("term,placeholder,rule\nAlder,,redact\n",
                                                encoding="utf-8")
    out = _qda(root, "validate")
    assert out.exit_code == 1
    assert "codebooks/interpretations/O1.yml:2: error: code:collaboration: the " \
           "interpretation must be a non-empty text" in out.output
    assert "corpus/redact.csv:2: error:" in out.output
