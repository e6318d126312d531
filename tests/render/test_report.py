"""report: the browsable HTML report (outputs/report/) on the three-interview fixture project,
read back with the stdlib HTML parser: its pages, every quote's link landing on a passage that
holds the quote verbatim, links that resolve offline, counts that match the tables, the
evidence model (suggestions apart, never evidence), safe file names, escaping, determinism."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.core.inputs import RAW_INPUTS
from pipeline.core.registry import BY_NAME
from pipeline.render.report import build, render_page
from pipeline.render.report_links import Anchors, laminar, nest, slug, turn_spans, unique_slugs
from pipeline.render.report_model import REPORT_INPUTS, Book, ReportData, demonstration_label
from tests.htmldoc import Document, read, resolve

PRINCIPAL, TEACHER, DIRECTOR = "O1_Principal#1_5.3", "O1_Teacher#1_5.4", "O2_Director#1_5.10"
PAGES = {"index.html", "cross_case.html", "themes.html", "matrix.html", "passages.html",
         "categories.html", "saturation.html", "transcripts.html", "suggestions.html",
         "sites/O1.html", "sites/O2.html", "themes/code-funding.html",
         "themes/code-testing.html", "themes/code-collaboration.html",
         "themes/category-X-3ccb8e.html", "themes/category-X-a46c53.html",
         "transcripts/O1_Principal-1_5.3.html", "transcripts/O1_Teacher-1_5.4.html",
         "transcripts/O2_Director-1_5.10.html"}


@pytest.fixture(scope="module")
def report(fixture_project: Path) -> Path:
    return fixture_project / "outputs" / "report"


@pytest.fixture(scope="module")
def docs(report: Path) -> dict[str, Document]:
    return {p.relative_to(report).as_posix(): read(p) for p in sorted(report.rglob("*.html"))}


def _data(catalog, **changes) -> ReportData:
    tables = {name: catalog.read_raw(name) if name in RAW_INPUTS else catalog.load_files(name)
              if catalog.is_file_set(name) else catalog.load(name) for name in REPORT_INPUTS}
    return ReportData(**(tables | changes))


def quote_links(doc: Document) -> list[tuple[str, str]]:
    """(quote text, link) of every quote on a page: blockquotes and rows of passages."""
    out = []
    for link in doc.find_all("a", "cite"):
        holder = link.ancestor("blockquote", "quote") or link.ancestor("tr")
        text = [n for n in holder.iter() if "quote-text" in n.classes()]
        out.append((text[0].text(), link.attrs["href"]))
    return out


def test_the_report_is_a_declared_file_set_with_every_page(fixture_catalog, report) -> None:
    assert "report" in BY_NAME["report"].outputs and BY_NAME["report"].render
    assert BY_NAME["report"].inputs == REPORT_INPUTS
    files = {p.relative_to(report).as_posix() for p in report.rglob("*") if p.is_file()}
    assert files == PAGES | {"assets/report.css", "assets/report.js",
                             "figures/saturation.svg", "figures/site_theme_heatmap.svg"}
    manifest = fixture_catalog.load_files("report")
    assert set(manifest) == {f"report/{f}" for f in files}
    assert fixture_catalog.provenance("report")["stage"] == "report"


def test_every_page_is_well_formed_html(docs) -> None:
    assert set(docs) == PAGES
    for name, doc in docs.items():
        assert doc.doctype.lower() == "doctype html", name
        assert doc.problems == [], name
        assert doc.find_all("html")[0].attrs["lang"] == "en"
        assert doc.find_all("title")[0].text().strip(), name


def test_every_quote_links_to_a_passage_that_holds_it_verbatim(report, docs,
                                                               fixture_catalog) -> None:
    texts = fixture_catalog.load("transcripts").set_index("citation_id")["text"]
    seen = {}
    for name, doc in docs.items():
        for quote, href in quote_links(doc):
            target, anchor = resolve(report / name, href)
            page = docs[target.relative_to(report).as_posix()]
            assert target.parent.name == "transcripts" and anchor in page.ids, (name, href)
            element = page.ids[anchor]
            assert quote in element.text(), (name, href)           # the highlighted passage
            turn = element.ancestor("div", "turn")
            assert turn is not None and quote in turn.text()       # and its turn
            cid = page.find_all("h1")[0].text()
            assert quote in texts[cid]
            seen.setdefault(name, []).append(href)
    # the designed quotes: four per site page (a coded one, machine category ones)
    assert len(seen["sites/O1.html"]) == 4 and len(seen["sites/O2.html"]) == 4
    assert len(seen["passages.html"]) == 10 and len(seen["suggestions.html"]) == 7
    assert "transcripts/O1_Principal-1_5.3.html#s4-1" in {h.removeprefix("../")
                                                         for h in seen["sites/O1.html"]}


def test_links_resolve_offline(report, docs) -> None:
    for name, doc in docs.items():
        for node in doc.root.iter():
            ref = node.attrs.get("href") or node.attrs.get("src")
            if ref is None or node.tag not in ("a", "link", "script", "img"):
                continue
            if ref == "data:,":               # the empty icon: no request for favicon.ico
                continue
            assert "://" not in ref and not ref.startswith("//"), (name, ref)
            target, anchor = resolve(report / name, ref)
            assert target.is_file() and target.is_relative_to(report), (name, ref)
            if anchor and target.suffix == ".html":
                assert anchor in read(target).ids, (name, ref)


def test_the_counts_match_the_tables(docs) -> None:
    counts = {n.attrs["data-count"]: int(n.text().split()[0])
              for n in docs["index.html"].root.iter() if "data-count" in n.attrs}
    # three interviews, one participant each, ten segments; ana's three codings are the
    # only confirmed ones (codebooks/codings/ana.csv); the rest is the machine's
    assert counts == {
        "sites": 2, "transcripts": 3, "participants": 3, "segments": 10,
        "read_segments": 3, "codings": 22, "themes": 5, "confirmed_codings": 3,
        "suggested_codings": 19, "confirmed_coded_segments": 3, "suggested_coded_segments": 10,
        "confirmed_theme_links": 3, "machine_theme_links": 5, "suggestions": 7,
        "categories": 5, "categories_accepted": 2, "categories_promoted": 0,
        "categories_proposed": 3, "categories_rejected": 0}


def test_the_overview_says_the_report_is_confidential(docs) -> None:
    privacy = docs["index.html"].ids["privacy"].text()
    assert "confidential interview text; do not share" in privacy
    assert "member-check packets" in privacy
    for doc in docs.values():
        assert "Do not share it" in doc.find_all("footer")[0].text()


def test_the_suggestions_page_says_they_are_not_evidence(docs) -> None:
    page = docs["suggestions.html"]
    assert "machine suggestions, not evidence" in page.ids["not-evidence"].text()
    assert len(page.ids["suggestions"].find_all("tr")) == 1 + 7
    # the teacher's funding passage is only a suggestion: the theme does not count it
    funding = docs["themes/code-funding.html"]
    assert [a.text() for a in funding.ids["by-whom"].find_all("a")] == [PRINCIPAL, DIRECTOR]
    assert "confirmed codings only" in funding.ids["kind-note"].text()
    assert "machine comparison" in docs["themes/category-X-a46c53.html"].ids["kind-note"].text()


def test_a_theme_page_says_where_and_by_whom(docs) -> None:
    page = docs["themes/category-X-a46c53.html"]
    rows = [[td.text() for td in tr.find_all("td")] for tr in page.ids["where"].find_all("tr")]
    assert [(r[0].split()[0], r[1]) for r in rows[1:]] == [("O1", "2 of 2"), ("O2", "1 of 1")]
    assert [a.text() for a in page.ids["by-whom"].find_all("a")] == [PRINCIPAL, TEACHER,
                                                                     DIRECTOR]


def test_the_matrix_is_sortable_and_shows_the_heatmap(docs) -> None:
    page = docs["matrix.html"]
    table = page.ids["matrix"]
    assert "sortable" in table.classes() and len(table.find_all("button")) == 2 + 2
    funding = [tr for tr in table.find_all("tr") if "Funding ends" in tr.text()][0]
    assert [td.attrs["data-sort"] for td in funding.find_all("td")[2:]] == ["0.5000", "1.0000"]
    image = page.find_all("img")[0]
    assert image.attrs["src"] == "figures/site_theme_heatmap.svg" and len(image.attrs["alt"]) > 40


def test_demonstration_data_is_labelled_on_every_page(fixture_catalog) -> None:
    assert demonstration_label("fixture study", fixture_catalog.load("codings")) == ""
    book = Book(_data(fixture_catalog), demonstration="yes")
    for path, data in build(book).items():
        if path.endswith(".html"):
            assert 'id="demo-label"' in data.decode(), path
    demo = pd.DataFrame({"status": ["confirmed"], "coder": ["demo-a"]})
    assert "demonstration codings" in demonstration_label("A study", demo)
    shipped = "Leading from the Middle: Consortium site visits (fictional teaching corpus)"
    assert demonstration_label(shipped, demo.iloc[:0]).startswith("Demonstration data")
    assert demonstration_label(shipped, demo, mode="no") == ""


def test_the_same_tables_give_the_same_bytes(fixture_catalog, report) -> None:
    first, second = (build(Book(_data(fixture_catalog))) for _ in range(2))
    assert first == second
    assert first["report/index.html"] == (report / "index.html").read_bytes()


def test_everything_shown_is_escaped(fixture_catalog) -> None:
    study = "<script>alert('x')</script> & co"
    book = Book(_data(fixture_catalog))
    book.study = study
    page = render_page(book, "sites/x.html", "site.html", {"title": study, "blocks": [],
                                                           "interviews": []}).decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;x&#39;)" in page
    assert '<link rel="stylesheet" href="../assets/report.css">' in page
    assert str(nest("a<b>&c", 0, 7, [])) == "a&lt;b&gt;&amp;c"


def test_file_names_are_safe_and_unique() -> None:
    assert slug("O1_Principal#1_5.14") == "O1_Principal-1_5.14"
    assert slug("O3_Superintendent-SpecialEducation#1_5.9") == \
        "O3_Superintendent-SpecialEducation-1_5.9"
    assert slug("code:tension/eqao") == "code-tension-eqao" and slug("../..") == "x"
    names = unique_slugs(["a#b", "a-b", "A-B", "c"])
    assert len(set(names.values())) == 4 and {v.lower() for v in names.values()} == {
        "a-b", "a-b-2", "a-b-3", "c"}


def test_crossing_quotes_get_elements_that_nest() -> None:
    assert laminar([(0, 10), (5, 15), (20, 30)]) == [(0, 10, 0, 10), (0, 15, 5, 15),
                                                     (20, 30, 20, 30)]
    assert laminar([(2, 4), (0, 10)]) == [(0, 10, 0, 10), (2, 4, 2, 4)]


def test_overlapping_quotes_each_have_an_anchor_holding_them() -> None:
    text = "P: one 🙂 two three four five six.\n"
    segs = pd.DataFrame({"segment_id": ["c:2:1"], "citation_id": ["c"], "turn": [2],
                         "seg_in_turn": [1], "start_char": [3], "end_char": [len(text) - 1]})
    turns = pd.DataFrame({"citation_id": ["c"], "turn": [2], "start_char": [3],
                          "end_char": [len(text) - 1]})
    anchors = Anchors(segs, turns, {"c": "c"})
    first, second = text.index("one 🙂 two three"), text.index("three four")
    a = anchors.cite("c", first, first + len("one 🙂 two three"), "c:2:1")
    b = anchors.cite("c", second, second + len("three four"))
    assert anchors.cite("c", 3, len(text) - 1) == "transcripts/c.html#s2-1"
    html = str(nest(text, 3, len(text) - 1, turn_spans(text, segs.to_dict("records"),
                                                       anchors)))
    doc = Document(html)
    assert doc.problems == []
    assert doc.ids[a.split("#")[1]].text() == "one 🙂 two three"
    wide = doc.ids[b.split("#")[1]]
    assert "three four" in wide.text() and "wide" in wide.classes()
    i, j = map(int, wide.attrs["data-mark"].split("-"))
    units = wide.text().encode("utf-16-le")            # the script counts UTF-16 units
    assert units[2 * i:2 * j].decode("utf-16-le") == "three four"
    assert doc.ids["s2-1"].text() == text[3:-1]


def test_an_excerpt_links_to_its_own_words_even_when_excerpts_cross(fixture_catalog) -> None:
    blocks = fixture_catalog.load("case_blocks")
    text = fixture_catalog.load("transcripts").set_index("citation_id")["text"][PRINCIPAL]
    whole = "The funding ends in June and the budget for next year is not there."
    at = text.index(whole)
    cut = {12: "The funding ends in June", 24: "June and the budget"}   # they cross
    for order, words in cut.items():
        row = (blocks["doc"] == "O1") & (blocks["order"] == order)
        assert blocks.loc[row, "text"].item() == whole
        start = at + whole.index(words)
        blocks.loc[row, ["text", "start_char", "end_char"]] = [words, start, start + len(words)]
    files = build(Book(_data(fixture_catalog, case_blocks=blocks)))
    site = Document(files["report/sites/O1.html"].decode())
    links = dict(quote_links(site))
    page = Document(files["report/transcripts/O1_Principal-1_5.3.html"].decode())
    assert page.problems == []
    for words in cut.values():
        target = links[words].split("#")[1]
        assert target.startswith("q") and words in page.ids[target].text()
        assert page.ids[target].ancestor("span", "seg").attrs["id"] == "s4-1"
    crossing = page.ids[links["June and the budget"].split("#")[1]]
    assert "wide" in crossing.classes() and crossing.text() == "The funding ends in June " \
        "and the budget"
    assert page.ids[links["The funding ends in June"].split("#")[1]].text() == cut[12]


def test_a_withdrawn_quote_is_shown_nowhere(fixture_catalog) -> None:
    import csv
    import io
    import json

    from pipeline.core.inputs import InputFiles, make_source
    from pipeline.member import ITEM_COLUMNS

    quote = "The funding ends in June and the budget for next year is not there."
    start = fixture_catalog.load("transcripts").set_index("citation_id").at[
        PRINCIPAL, "text"].index(quote)
    items = io.StringIO()
    writer = csv.DictWriter(items, ITEM_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow({"item_id": "O1-R1-Q01", "site": "O1", "round": 1, "order": 1,
                     "kind": "quote", "theme_id": "code:funding", "theme": "Funding ends",
                     "text": quote, "citation_id": PRINCIPAL, "locator": f"{PRINCIPAL} ¶4",
                     "segment_id": f"{PRINCIPAL}:0004:001", "start_char": start,
                     "end_char": start + len(quote), "participant_id": f"{PRINCIPAL}/1",
                     "role": "Principal", "source": "themes", "critical": "false",
                     "critical_words": ""})
    answer = {"item_id": "O1-R1-Q01", "site": "O1", "round": 1, "response": "withdraw",
              "comment": "", "revised_text": "", "respondent": PRINCIPAL,
              "recorded": "2016-06-01T10:00:00+00:00", "via": "session"}
    base = "codebooks/member_checks/O1/round-1/"
    rounds = InputFiles("member_checks", (
        make_source(base + "items.csv", items.getvalue().encode()),
        make_source(base + "session/0001-O1-R1-Q01.json", json.dumps(answer).encode())))
    files = build(Book(_data(fixture_catalog, member_checks=rounds)))
    shown = [p for p, data in files.items() if p.endswith(".html") and quote in data.decode()]
    assert shown == []
    page = Document(files["report/transcripts/O1_Principal-1_5.3.html"].decode())
    assert page.problems == [] and "withdrawn by its speaker" in page.ids["p4"].text()
    assert "s4-1" in page.ids and "EQAO scores" in page.ids["p6"].text()   # the rest stays


def test_the_suggestions_page_lists_the_first_ones_and_says_how_many_more(
        fixture_catalog) -> None:
    from pipeline.render.params import ReportParams

    files = build(Book(_data(fixture_catalog)), ReportParams(max_suggestions=3))
    page = Document(files["report/suggestions.html"].decode())
    rows = page.ids["suggestions"].find_all("tr")[1:]
    assert [r.find_all("td")[0].text() for r in rows] == ["1", "2", "3"]
    counts = {n.attrs["data-count"]: n.text() for n in page.root.iter() if "data-count" in
              n.attrs}
    assert counts == {"suggestions": "7", "shown": "3"}
