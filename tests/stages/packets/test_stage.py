"""Packets: confirmed findings only, one site's data only, every name redacted."""
from __future__ import annotations

import re
from pathlib import Path

import docx
import pandas as pd

from pipeline.stages.packets import PacketParams
from pipeline.stages.packets.stage import (
    chosen_themes,
    confirmed_quotes,
    descriptions,
    packet_doc,
    quote_note,
    site_items,
)
from tests.checks import names_in, shipped_keep, shipped_names

THEMES = pd.DataFrame({
    "theme_id": ["code:a", "code:b", "category:X-1", "category:X-2"],
    "label": ["A", "B", "Cat one", "Cat two"], "kind": ["code", "code", "category", "category"],
    "description": ["about a", "", "first voiced in O2_P#1_5.2", ""],
    "family": ["LfM tensions", "x", "", ""],
    "source_id": ["a", "b", "X-1", "X-2"]})
CATEGORIES = pd.DataFrame({"category_id": ["X-1", "X-2"], "status": ["accepted", "proposed"],
                           "decision_memo": [None, "a memo"]})


def _case_themes() -> pd.DataFrame:
    return pd.DataFrame({
        "site": ["O1"] * 4 + ["O2"], "theme_id": ["code:a", "code:b", "category:X-1",
                                               "category:X-2", "code:a"],
        "label": ["A", "B", "Cat one", "Cat two", "A"],
        "kind": ["code", "code", "category", "category", "code"], "order": [0, 1, 2, 3, 0],
        "interpretation": ["Ia", "Ib", "Ic", "Id", "Ia2"],
        "interpretation_source": ["researcher", "generated", "generated", "generated",
                                  "generated"]})


def _quotes() -> pd.DataFrame:
    rows = [("O1", "code:a", "s1", "support", "O1_T#1_5.1"),
            ("O1", "code:a", "s2", "discrepant", "O1_T#1_5.1"),
            ("O1", "code:b", "s3", "support", "O1_T#1_5.1"),      # machine only
            ("O1", "category:X-1", "s4", "support", "O1_T#1_5.1"),
            ("O2", "code:a", "s5", "support", "O2_P#1_5.2")]
    return pd.DataFrame([{"doc": site, "site": site, "theme_id": t, "segment_id": s,
                          "kind": k, "citation_id": c, "quote": f"quote {s}",
                          "locator": f"{c} ¶1", "start_char": 0, "end_char": 7,
                          "participant_id": c + "/1", "role": "Teacher"}
                         for site, t, s, k, c in rows])


SEGMENT_THEMES = pd.DataFrame({
    "segment_id": ["s1", "s2", "s3", "s4", "s5"],
    "theme_id": ["code:a", "code:a", "code:b", "category:X-1", "code:a"],
    "confirmed": [True, True, False, False, True]})


def test_only_confirmed_quotes_and_decided_categories_go_into_a_packet() -> None:
    quotes = confirmed_quotes(_quotes(), SEGMENT_THEMES, THEMES)
    assert sorted(quotes["segment_id"]) == ["s1", "s2", "s4", "s5"]
    rows = chosen_themes(_case_themes(), quotes, THEMES, CATEGORIES, PacketParams())
    assert rows[["site", "theme_id"]].values.tolist() == [
        ["O1", "code:a"], ["O1", "category:X-1"], ["O2", "code:a"]]


def test_a_category_is_described_by_the_teams_memo_alone() -> None:
    # its generated description names another site's interview: never in a packet
    assert descriptions(THEMES, CATEGORIES).to_dict() == {
        "code:a": "about a", "code:b": "", "category:X-1": "", "category:X-2": "a memo"}


def test_items_come_in_packet_order_with_critical_flags() -> None:
    quotes = confirmed_quotes(_quotes(), SEGMENT_THEMES, THEMES)
    rows = chosen_themes(_case_themes(), quotes, THEMES, CATEGORIES, PacketParams())
    items = site_items("O1", 2, rows[rows["site"] == "O1"], quotes[quotes["site"] == "O1"],
                       descriptions(THEMES, CATEGORIES), {"s4"}, {"code:a"}, 4)
    assert [(i["item_id"], i["kind"], i["critical"]) for i in items] == [
        ("O1-R2-T01", "theme", True), ("O1-R2-I01", "interpretation", True),
        ("O1-R2-Q01", "quote", True), ("O1-R2-Q02", "quote", True),
        ("O1-R2-T02", "theme", False), ("O1-R2-I02", "interpretation", False),
        ("O1-R2-Q03", "quote", True)]           # s4 is tension-coded elsewhere
    assert items[0]["text"] == "A: about a" and items[4]["text"] == "Cat one"
    assert [i["source"] for i in items if i["kind"] == "quote"] == [
        "support", "discrepant", "support"]
    assert {i["site"] for i in items} == {"O1"}


def test_a_quote_flagged_automatically_is_not_called_qualifying_to_participants() -> None:
    """The case summary offers a quote as discrepant on a word such as "but": no researcher
    judged that, so the packet says only what the team coded."""
    def item(segment_id: str, source: str, theme_id: str = "code:b") -> dict:
        return {"source": source, "segment_id": segment_id, "theme_id": theme_id}
    tense, tension = {"s9"}, {"code:a"}
    assert quote_note(item("s1", "support"), tense, tension) == "supporting quote"
    assert quote_note(item("s1", "discrepant"), tense, tension) == \
        "another quote coded to this theme"
    assert quote_note(item("s9", "discrepant"), tense, tension) == \
        "another quote coded to this theme, which the team also coded as a tension"
    assert quote_note(item("s1", "discrepant", "category:X-1"), tense, tension) == \
        "another quote in this category"
    # a tension theme's own quote is not "also" a tension
    assert quote_note(item("s9", "discrepant", "code:a"), tense, tension) == \
        "another quote coded to this theme"
    quotes = confirmed_quotes(_quotes(), SEGMENT_THEMES, THEMES)
    rows = chosen_themes(_case_themes(), quotes, THEMES, CATEGORIES, PacketParams())
    items = pd.DataFrame(site_items("O1", 1, rows[rows["site"] == "O1"],
                                    quotes[quotes["site"] == "O1"],
                                    descriptions(THEMES, CATEGORIES), set(), set(), 4))
    notes = [b["note"] for b in packet_doc("O1", 1, items).blocks if b["note"]]
    assert notes == ["Item O1-R1-Q01: Teacher, supporting quote",
                     "Item O1-R1-Q02: Teacher, another quote coded to this theme",
                     "Item O1-R1-Q03: Teacher, supporting quote"]
    assert not any("qualif" in n for n in notes)


# ------------------------------------------------------------------ the shipped corpus (slow)
def test_no_name_of_the_shipped_corpus_is_in_any_packet(shipped_project: Path,
                                                        shipped_catalog) -> None:
    names = shipped_names(shipped_catalog)
    assert len(names) > 100
    folder = shipped_project / "outputs" / "member_check"
    packets = sorted(folder.glob("*/packet.*")) + sorted(folder.glob("*/sheet.csv"))
    assert len(packets) >= 3 * 4
    items = shipped_catalog.load("packet_items")
    texts = {p: p.read_text(encoding="utf-8-sig") if p.suffix != ".docx" else
             "\n".join(para.text for para in docx.Document(str(p)).paragraphs)
             for p in packets}
    assert all(len(t) > 500 for t in texts.values())
    texts |= {Path(f"items:{i}"): t for i, t in zip(items["item_id"], items["text"])}
    # A single word only as a name (capitalised: "to be frank" is no Frank); a full name in
    # any case.
    assert names_in(texts, names, shipped_keep(shipped_catalog)) == []


def test_no_packet_holds_another_sites_segment(shipped_project: Path, shipped_catalog) -> None:
    items = shipped_catalog.load("packet_items")
    segments = shipped_catalog.load("segments").set_index("segment_id")["site"]
    quotes = items[items["kind"] == "quote"]
    assert len(quotes) > 20
    for packet in (shipped_project / "outputs" / "member_check").glob("*/packet.md"):
        site = packet.parent.name
        assert set(re.findall(r"\b(O\d+)_[A-Z]", packet.read_text(encoding="utf-8"))) == {
            site}
    assert (quotes["segment_id"].map(segments) == quotes["site"]).all()
    assert (quotes["citation_id"].str.split("_").str[0] == quotes["site"]).all()
    for site, part in items.groupby("site"):
        assert part["item_id"].str.startswith(f"{site}-R").all()
        # no other site's interview is named anywhere in the packet's texts
        named = {m for t in part["text"] for m in re.findall(r"\b(O\d+)_[A-Z]", t)}
        assert named <= {site}, (site, named)
