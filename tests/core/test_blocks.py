"""case_blocks: the document model that case summaries are written in."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline.core.blocks import BLOCK_COLUMNS, Doc, kappa_text

NO_CITE = {"citation_id": "", "locator": "", "segment_id": "", "start_char": -1,
           "end_char": -1, "note": ""}


def test_a_new_doc_is_empty() -> None:
    doc = Doc("O1")
    assert doc.name == "O1"
    assert doc.blocks == []
    assert doc.quotes == []
    assert doc.used == set()


def test_blocks_are_recorded_in_order_with_kind_and_level() -> None:
    doc = Doc("O1")
    doc.heading("O1: Alder District", 1)
    doc.paragraph("A skeleton.")
    doc.heading("Profile", 2)
    doc.bullet("kind: district")
    doc.bullet("3 interviews")
    doc.image("../figures/heatmap.png", "Share by site")
    doc.table([["Role", "Quotes"], ["Teacher", "3"]])
    assert [(b["order"], b["kind"], b["level"], b["text"]) for b in doc.blocks] == [
        (0, "heading", 1, "O1: Alder District"),
        (1, "paragraph", 0, "A skeleton."),
        (2, "heading", 2, "Profile"),
        (3, "bullet", 0, "kind: district"),
        (4, "bullet", 0, "3 interviews"),
        (5, "image", 0, "Share by site"),
        (6, "table", 0, '[["Role", "Quotes"], ["Teacher", "3"]]'),
    ]
    assert all(b["doc"] == "O1" for b in doc.blocks)
    assert all(list(b) == BLOCK_COLUMNS for b in doc.blocks)
    assert doc.quotes == []
    assert doc.used == set()


@pytest.mark.parametrize("kind, add", [
    ("heading", lambda d: d.heading("H", 3)),
    ("paragraph", lambda d: d.paragraph("P")),
    ("bullet", lambda d: d.bullet("B")),
    ("table", lambda d: d.table([["a"]])),
])
def test_non_quote_blocks_carry_no_citation(kind: str, add) -> None:
    doc = Doc("X")
    add(doc)
    block = doc.blocks[0]
    assert block["kind"] == kind
    assert {k: block[k] for k in NO_CITE} == NO_CITE


def test_image_keeps_its_path_in_the_locator() -> None:
    doc = Doc("X")
    doc.image("figures/saturation.png", "New categories per interview")
    assert doc.blocks == [{"doc": "X", "order": 0, "kind": "image", "level": 0,
                           "text": "New categories per interview", "citation_id": "",
                           "locator": "figures/saturation.png", "segment_id": "",
                           "start_char": -1, "end_char": -1, "note": ""}]


def test_table_is_stored_as_json_keeping_non_ascii() -> None:
    rows = [["Theme", "Where"], ["Élan | “voice”", "O1, O2"]]
    doc = Doc("X")
    doc.table(rows)
    text = doc.blocks[0]["text"]
    assert text == '[["Theme", "Where"], ["Élan | “voice”", "O1, O2"]]'
    assert json.loads(text) == rows


def test_quote_records_citation_fields_quote_and_used() -> None:
    doc = Doc("O3")
    doc.heading("Theme", 3)
    doc.quote("We stop waiting.", citation_id="O3_Director#1_5.9",
              locator="O3_Director#1_5.9 ¶8", segment_id="O3_Director#1_5.9:0008:001",
              start_char=120, end_char=136, theme_id="code:lfm_initiative", kind="support",
              participant_id="O3_Director#1_5.9/1", role="Director", site="O3")
    assert doc.blocks[1] == {"doc": "O3", "order": 1, "kind": "quote", "level": 0,
                             "text": "We stop waiting.", "citation_id": "O3_Director#1_5.9",
                             "locator": "O3_Director#1_5.9 ¶8",
                             "segment_id": "O3_Director#1_5.9:0008:001", "start_char": 120,
                             "end_char": 136, "note": ""}
    assert doc.quotes == [{"doc": "O3", "citation_id": "O3_Director#1_5.9",
                           "locator": "O3_Director#1_5.9 ¶8",
                           "segment_id": "O3_Director#1_5.9:0008:001", "start_char": 120,
                           "end_char": 136, "quote": "We stop waiting.", "note": "",
                           "theme_id": "code:lfm_initiative", "kind": "support",
                           "participant_id": "O3_Director#1_5.9/1", "role": "Director",
                           "site": "O3"}]
    assert doc.used == {"O3_Director#1_5.9:0008:001"}


def test_quotes_accumulate_and_used_is_a_set() -> None:
    doc = Doc("O1")
    for seg, start in (("s1", 0), ("s2", 50), ("s1", 10)):
        doc.quote(f"text {start}", citation_id="c", locator=f"c ¶{start}", segment_id=seg,
                  start_char=start, end_char=start + 6)
    assert [q["segment_id"] for q in doc.quotes] == ["s1", "s2", "s1"]
    assert [q["quote"] for q in doc.quotes] == ["text 0", "text 50", "text 10"]
    assert [b["order"] for b in doc.blocks] == [0, 1, 2]
    assert doc.used == {"s1", "s2"}
    # without extra fields a quote row has just the citation and the text
    assert list(doc.quotes[0]) == ["doc", "citation_id", "locator", "segment_id",
                                   "start_char", "end_char", "quote", "note"]


def test_blocks_make_a_frame_with_the_block_columns() -> None:
    doc = Doc("O2")
    doc.heading("H", 2)
    doc.quote("Q", citation_id="c", locator="c ¶1", segment_id="s", start_char=3,
              end_char=4)
    frame = pd.DataFrame(doc.blocks)
    assert list(frame.columns) == BLOCK_COLUMNS
    assert frame["start_char"].tolist() == [-1, 3]
    assert frame["end_char"].tolist() == [-1, 4]


def test_a_kappa_is_shown_with_its_interval_when_there_is_one() -> None:
    nan = float("nan")
    assert kappa_text(0.3617, 0.1421, 0.5039) == "κ 0.36 (95% interval 0.14 to 0.50)"
    assert kappa_text(0.36, nan, nan) == "κ 0.36"
    assert kappa_text(nan) == "not measured"
