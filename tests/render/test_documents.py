"""documents: case-summary blocks rendered as Markdown and as DOCX."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import matplotlib
import pandas as pd
import pytest
from docx.shared import Inches
from docx.table import Table

from pipeline.core.blocks import Doc
from pipeline.render.documents import quote_lines, to_docx, to_markdown
from tests.fixtures import corpus_stub, no_codings

matplotlib.use("Agg")


def _frame(doc: Doc, shuffle: bool = False) -> pd.DataFrame:
    frame = pd.DataFrame(doc.blocks)
    return frame.iloc[::-1].reset_index(drop=True) if shuffle else frame


def _sample() -> Doc:
    doc = Doc("O1")
    doc.heading("O1: Alder District", 1)
    doc.paragraph("A skeleton.")
    doc.heading("Profile", 2)
    doc.bullet("kind: district")
    doc.bullet("3 interviews")
    doc.heading("Student voice", 3)
    doc.quote("Line one\nline two.", citation_id="O1_Teacher#1_5.2",
              locator="O1_Teacher#1_5.2 ¶4", segment_id="s1", start_char=10, end_char=28)
    doc.paragraph("Discrepant or qualifying evidence:")
    doc.bullet("one point")
    doc.quote("Short.", citation_id="O1_Director#1_5.4", locator="O1_Director#1_5.4 ¶2",
              segment_id="s2", start_char=0, end_char=6)
    doc.image("heat", "Share by site")
    doc.table([["Theme", "Where"], ["A|B", "O1"], ["C", "O2 | O3"]])
    doc.bullet("last point")
    return doc


SAMPLE_MARKDOWN = """\
# O1: Alder District

A skeleton.

## Profile

- kind: district
- 3 interviews

### Student voice

> “Line one
> line two.” (O1_Teacher#1_5.2 ¶4)

Discrepant or qualifying evidence:

- one point

> “Short.” (O1_Director#1_5.4 ¶2)

![Share by site](../figures/heat.png)

| Theme | Where |
|---|---|
| A/B | O1 |
| C | O2 / O3 |

- last point
"""


# ------------------------------------------------------------------------------- Markdown


@pytest.mark.parametrize("shuffle", [False, True])
def test_to_markdown_renders_every_kind_in_order(shuffle: bool) -> None:
    links = {"heat": "../figures/heat.png"}
    assert to_markdown(_frame(_sample(), shuffle), links) == SAMPLE_MARKDOWN


@pytest.mark.parametrize("text, locator, expected", [
    ("Short.", "L ¶1", ["> “Short.” (L ¶1)"]),
    ("One\ntwo\nthree.", "L ¶2", ["> “One", "> two", "> three.” (L ¶2)"]),
    ("One.\n\nTwo.", "L ¶3", ["> “One.", ">", "> Two.” (L ¶3)"]),
])
def test_quote_lines(text: str, locator: str, expected: list[str]) -> None:
    assert quote_lines(text, locator) == expected


@pytest.mark.parametrize("second, expected", [
    (lambda d: d.paragraph("P."), "- a\n- b\n\nP.\n"),
    (lambda d: d.heading("H", 2), "- a\n- b\n\n## H\n"),
    (lambda d: d.quote("Q.", citation_id="c", locator="c ¶1", segment_id="s",
                       start_char=0, end_char=2), "- a\n- b\n\n> “Q.” (c ¶1)\n"),
    (lambda d: d.image("f.png", "Cap"), "- a\n- b\n\n![Cap](f.png)\n"),
    (lambda d: d.table([["x"], ["1"]]), "- a\n- b\n\n| x |\n|---|\n| 1 |\n"),
    (lambda d: d.bullet("c"), "- a\n- b\n- c\n"),
])
def test_a_list_ends_with_a_blank_line(second, expected: str) -> None:
    doc = Doc("X")
    doc.bullet("a")
    doc.bullet("b")
    second(doc)
    assert to_markdown(_frame(doc)) == expected


@pytest.mark.parametrize("level, prefix", [(1, "# "), (2, "## "), (3, "### "), (4, "#### ")])
def test_heading_levels(level: int, prefix: str) -> None:
    doc = Doc("X")
    doc.heading("Title", level)
    doc.paragraph("Text.")
    assert to_markdown(_frame(doc)) == f"{prefix}Title\n\nText.\n"


def test_paragraph_before_a_list_is_separated_by_one_blank_line() -> None:
    doc = Doc("X")
    doc.paragraph("Intro.")
    doc.bullet("a")
    assert to_markdown(_frame(doc)) == "Intro.\n\n- a\n"


def test_table_body_cells_have_pipes_replaced() -> None:
    doc = Doc("X")
    doc.table([["Role", "Quotes"], ["a|b|c", "3"]])
    assert to_markdown(_frame(doc)) == "| Role | Quotes |\n|---|---|\n| a/b/c | 3 |\n"


def test_table_header_cells_have_pipes_replaced_too() -> None:
    doc = Doc("X")
    doc.table([["Role | kind", "Quotes"], ["a", "3"]])
    assert to_markdown(_frame(doc)) == "| Role / kind | Quotes |\n|---|---|\n| a | 3 |\n"


# ----------------------------------------------------------------------------------- DOCX


def _png() -> bytes:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1], [0, 1])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def _open(data: bytes):
    return docx.Document(io.BytesIO(data))


def _content(document) -> list[tuple]:
    out = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            out.append(("table", item.style.name,
                        [[c.text for c in row.cells] for row in item.rows]))
        else:
            out.append((item.style.name, item.text))
    return out


def test_to_docx_contains_every_block_in_order(tmp_path: Path) -> None:
    document = _open(to_docx(_frame(_sample(), shuffle=True), {"heat": _png()}))
    assert _content(document) == [
        ("Heading 1", "O1: Alder District"),
        ("Normal", "A skeleton."),
        ("Heading 2", "Profile"),
        ("List Bullet", "kind: district"),
        ("List Bullet", "3 interviews"),
        ("Heading 3", "Student voice"),
        ("Quote", "“Line one line two.” (O1_Teacher#1_5.2 ¶4)"),  # no hard line break
        ("Normal", "Discrepant or qualifying evidence:"),
        ("List Bullet", "one point"),
        ("Quote", "“Short.” (O1_Director#1_5.4 ¶2)"),
        ("Normal", ""),                      # the picture's paragraph
        ("Caption", "Share by site"),
        ("table", "Table Grid", [["Theme", "Where"], ["A|B", "O1"], ["C", "O2 | O3"]]),
        ("List Bullet", "last point"),
    ]


def test_docx_quote_has_the_locator_in_bold(tmp_path: Path) -> None:
    document = _open(to_docx(_frame(_sample())))
    quotes = [p for p in document.paragraphs if p.style.name == "Quote"]
    assert [[(r.text, bool(r.bold)) for r in p.runs] for p in quotes] == [
        [("“Line one line two.”", False), (" (O1_Teacher#1_5.2 ¶4)", True)],
        [("“Short.”", False), (" (O1_Director#1_5.4 ¶2)", True)],
    ]


def test_docx_table_header_is_bold(tmp_path: Path) -> None:
    document = _open(to_docx(_frame(_sample())))
    assert len(document.tables) == 1
    table = document.tables[0]
    assert [[bool(r.bold) for c in row.cells for r in c.paragraphs[0].runs]
            for row in table.rows] == [[True, True], [False, False], [False, False]]


def test_docx_image_is_embedded_when_the_figure_is_given(tmp_path: Path) -> None:
    document = _open(to_docx(_frame(_sample()), {"heat": _png()}))
    assert len(document.inline_shapes) == 1
    assert document.inline_shapes[0].width == Inches(6)
    assert [p.text for p in document.paragraphs if p.style.name == "Caption"] == [
        "Share by site"]


def test_docx_missing_image_leaves_only_the_caption(tmp_path: Path) -> None:
    document = _open(to_docx(_frame(_sample())))
    assert len(document.inline_shapes) == 0
    content = _content(document)
    at = content.index(("Caption", "Share by site"))
    assert content[at - 1] == ("Quote", "“Short.” (O1_Director#1_5.4 ¶2)")


@pytest.mark.parametrize("level, style", [(1, "Heading 1"), (3, "Heading 3"),
                                          (4, "Heading 4"), (5, "Heading 4"),
                                          (9, "Heading 4")])
def test_docx_heading_levels_stop_at_four(tmp_path: Path, level: int, style: str) -> None:
    doc = Doc("X")
    doc.heading("Title", level)
    assert _content(_open(to_docx(_frame(doc)))) == [(style, "Title")]


def test_quote_notes_follow_the_quote_outside_the_citation() -> None:
    blocks = pd.DataFrame([{"order": 0, "kind": "quote", "level": 0, "text": "We stop.",
                            "locator": "O1_A#1_5.2 ¶3", "note": "coded by marsh"}])
    assert to_markdown(blocks) == "> “We stop.” (O1_A#1_5.2 ¶3)\n<sub>coded by marsh</sub>\n"


def test_docx_bytes_are_reproducible_and_carry_our_author() -> None:
    first, second = to_docx(_frame(_sample()), {"heat": _png()}), to_docx(
        _frame(_sample()), {"heat": _png()})
    assert first == second
    props = _open(first).core_properties
    assert props.author == "qda pipeline" and props.title == "O1: Alder District"
    # python-docx's template said "generated by python-docx", created 2013; a fixed 1980
    # would be as false: there is no date property at all.
    assert props.created is None and props.modified is None
    assert "python-docx" not in (props.comments + props.subject + props.keywords)
    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml")
    assert b"python-docx" not in core and b"dcterms:created" not in core


@pytest.mark.parametrize("text, paragraphs", [
    ("It was the\nmoney, mostly.", ["“It was the money, mostly.", ]),
    ("One  \n  two.\n\nThree\nfour.", ["“One two.", "Three four.”"]),
])
def test_docx_quotes_do_not_break_at_the_transcripts_hard_line_breaks(text: str,
                                                                      paragraphs) -> None:
    doc = Doc("O1")
    doc.quote(text, citation_id="c", locator="c ¶1", segment_id="s", start_char=0,
              end_char=len(text))
    quotes = [p.text for p in _open(to_docx(_frame(doc))).paragraphs
              if p.style.name == "Quote"]
    expected = paragraphs[:-1] + [paragraphs[-1].rstrip("”") + "” (c ¶1)"]
    assert quotes == expected


def test_docx_figures_carry_alt_text() -> None:
    document = _open(to_docx(_frame(_sample()), {"heat": _png()},
                             alt={"heat": "Heatmap. Rows: A; B. Columns: O1."}))
    doc_pr = document.inline_shapes[0]._inline.docPr
    assert doc_pr.get("descr") == "Heatmap. Rows: A; B. Columns: O1."
    assert doc_pr.get("title") == "Share by site"
    fallback = _open(to_docx(_frame(_sample()), {"heat": _png()})).inline_shapes[0]
    assert fallback._inline.docPr.get("descr") == "Share by site"  # the caption at least


def test_docx_table_columns_are_sized_from_their_content() -> None:
    """Theme names once wrapped into three lines beside wide number columns."""
    doc = Doc("cross_case")
    doc.table([["Theme", "Sites (of 11)", "Share where voiced", "Where"],
               ["Student well-being, identity and engagement", "7", "79%",
                "O1, O4, O6, O7, O8, O9, O10"]])
    table = _open(to_docx(_frame(doc))).tables[0]
    widths = [table.cell(0, j).width.inches for j in range(4)]
    assert widths[0] == max(widths) and widths[0] > 2.0 and min(widths) >= 0.6
    assert abs(sum(widths) - 6.5) < 0.7


def test_the_render_stage_links_figures_from_each_document_folder() -> None:
    from pipeline.render.documents import run
    from pipeline.render.params import DocumentParams

    site, cross, before = Doc("O1"), Doc("cross_case"), Doc("O1")
    for doc in (site, cross, before):
        doc.image("heat", "Share by site")
    blocks = pd.concat([_frame(site), _frame(cross)], ignore_index=True)
    tables, warnings = run(blocks, _frame(before),
                           {"figures/heat.png": _png(), "figures/heat.svg": b"<svg/>"},
                           corpus_stub(), no_codings(), params=DocumentParams())
    files = tables["case_documents"]
    assert sorted(files) == ["cases/O1.docx", "cases/O1.md", "cases/pre_member_check/O1.docx",
                             "cases/pre_member_check/O1.md", "cross_case.docx",
                             "cross_case.md"]
    assert files["cases/O1.md"] == b"![Share by site](../figures/heat.png)\n"
    assert files["cases/pre_member_check/O1.md"] == \
        b"![Share by site](../../figures/heat.png)\n"
    assert files["cross_case.md"] == b"![Share by site](figures/heat.png)\n"
    assert len(_open(files["cases/O1.docx"]).inline_shapes) == 1 and warnings == []


def test_case_documents_of_demonstration_data_say_so_under_the_title() -> None:
    from pipeline.render.documents import run
    from pipeline.render.params import DocumentParams

    site = Doc("O1")
    site.heading("O1: Alder", 1)
    site.paragraph("First paragraph.")
    codings = pd.DataFrame({"status": ["confirmed"], "coder": ["demo-a"]})
    tables, _ = run(_frame(site), _frame(site).iloc[0:0], {}, corpus_stub("District study"),
                    codings, params=DocumentParams())
    md = tables["case_documents"]["cases/O1.md"].decode()
    lines = [line for line in md.splitlines() if line.strip()]
    assert lines[0] == "# O1: Alder"
    assert lines[1].startswith("Demonstration data: the confirmed codings are demonstration")
    assert lines[2] == "First paragraph."
    docx_text = [p.text for p in _open(tables["case_documents"]["cases/O1.docx"]).paragraphs]
    assert any(t.startswith("Demonstration data") for t in docx_text)
    plain, _ = run(_frame(site), _frame(site).iloc[0:0], {}, corpus_stub("District study"),
                   codings.assign(coder="ana"), params=DocumentParams())
    assert "Demonstration" not in plain["case_documents"]["cases/O1.md"].decode()
