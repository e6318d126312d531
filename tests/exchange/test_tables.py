"""qda export: filtering, pivoting, flattening and the CSV / XLSX / parquet writers."""
from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli.main import cli
from pipeline.core.catalog import Catalog
from pipeline.exchange.tables import (
    CELL_TEXT_MAX,
    TRUNCATED,
    VERBATIM,
    choose_tables,
    flatten,
    natural_key,
    prepare,
    readable,
    select,
    sheet_names,
    summary,
    to_csv_bytes,
    to_parquet_bytes,
    to_xlsx_bytes,
    widen,
)
from tests.fixtures import GOOD_TRANSCRIPT as GOOD

O3_TRANSCRIPT = """ID: O3_Teacher#1_5.16
Date: 2016-05-16
Interviewers: Helen Marsh
Participants: Zoë Lefèvre (Teacher)

Helen Marsh: How did the network start?
Zoë Lefèvre: Our café meetings in Sainte-Thérèse started it, with teachers and the Ministry.
Helen Marsh: And the funding?
Zoë Lefèvre: The funding ended, so the teachers design it together.
"""


def long_matrix() -> pd.DataFrame:
    return pd.DataFrame({
        "site": ["O10", "O2", "O1", "O2"],
        "theme_id": ["code:b", "code:a", "code:b", "code:b"],
        "n_segments": [4, 1, 2, 3],
        "share_participants": [0.5, 0.25, 1.0, 0.75],
    })


# ---------------------------------------------------------------------------- select
def test_select_filters_by_site_and_theme_and_ignores_missing_columns() -> None:
    df = pd.DataFrame({"site": ["O1", "O3", None, "O3"], "theme_id": ["t1", "t1", "t1", "t2"],
                       "n": [1, 2, 3, 4]})
    assert select(df, ["O3"], None)["n"].tolist() == [2, 4]
    assert select(df, None, ["t1"])["n"].tolist() == [1, 2, 3]
    assert select(df, ["O3", "O1"], ["t1"])["n"].tolist() == [1, 2]
    assert select(df, [], []).equals(df)
    assert select(df, None, None).index.tolist() == [0, 1, 2, 3]
    no_theme = df.drop(columns="theme_id")
    assert select(no_theme, ["O1"], ["t2"])["n"].tolist() == [1]   # theme filter ignored
    assert select(df, ["O3"], None).index.tolist() == [0, 1]       # renumbered


def test_choose_tables_defaults_order_and_unknown_names() -> None:
    present = ["turns", "segment_vectors", "extra", "transcripts", "segments"]
    order = ("transcripts", "turns", "segments", "segment_vectors")
    assert choose_tables((), present, order) == ["transcripts", "turns", "segments", "extra"]
    assert choose_tables(("segments", "turns", "segments"), present, order) == [
        "segments", "turns"]
    assert choose_tables(("segment_vectors",), present, order) == ["segment_vectors"]
    with pytest.raises(ValueError) as err:
        choose_tables(("segmnts", "nope"), present, order)
    assert str(err.value) == ("unknown table(s): segmnts, nope (did you mean segments?); "
                              "available: extra, segment_vectors, segments, transcripts, turns")
    with pytest.raises(ValueError, match=r"no tables in outputs/ yet; run `qda analyze`"):
        choose_tables((), [], order)


# ---------------------------------------------------------------------------- widen
def test_widen_sorts_naturally_fills_zero_and_keeps_integers() -> None:
    shares = widen(long_matrix(), "site", "theme_id", "share_participants")
    expected = pd.DataFrame({"site": ["O1", "O2", "O10"], "code:a": [0.0, 0.25, 0.0],
                             "code:b": [1.0, 0.75, 0.5]})
    pd.testing.assert_frame_equal(shares, expected, check_index_type=False)
    assert shares.attrs[VERBATIM] == ["code:a", "code:b"]
    counts = widen(long_matrix(), "site", "theme_id", "n_segments")
    assert counts.to_dict("list") == {"site": ["O1", "O2", "O10"], "code:a": [0, 1, 0],
                                      "code:b": [2, 3, 4]}
    assert counts["code:a"].dtype == "int64"
    # the same rows in another order give the same table
    shuffled = widen(long_matrix().iloc[::-1], "site", "theme_id", "share_participants")
    pd.testing.assert_frame_equal(shuffled, shares, check_index_type=False)


def test_widen_rejects_duplicate_pairs_and_drops_null_keys() -> None:
    doubled = pd.concat([long_matrix(), long_matrix().iloc[:1]])
    with pytest.raises(ValueError, match=r"several rows share one \(site, theme_id\) pair"):
        widen(doubled, "site", "theme_id", "n_segments")
    with_null = pd.concat([long_matrix(), pd.DataFrame(
        {"site": [None], "theme_id": ["code:c"], "n_segments": [9], "share_participants": [1.0]})])
    assert list(widen(with_null, "site", "theme_id", "n_segments").columns) == [
        "site", "code:a", "code:b"]


def test_natural_key_orders_site_codes() -> None:
    assert sorted(["O10", "O2", "O1", "O01", "o3"], key=natural_key) == [
        "O01", "O1", "O2", "o3", "O10"]


def test_prepare_pivots_known_matrices_and_says_what_did_not_apply() -> None:
    tables = {"theme_matrix": long_matrix(),
              "role_matrix": pd.DataFrame({"role": ["Teacher"], "theme_id": ["code:a"]}),
              "turns": pd.DataFrame({"turn": [1, 2]})}
    frames, notes = prepare(tables, ["O2", "O99"], None, wide=True)
    assert frames["theme_matrix"].to_dict("list") == {"site": ["O2"], "code:a": [0.25],
                                                      "code:b": [0.75]}
    assert frames["role_matrix"].to_dict("list") == {"role": ["Teacher"],
                                                     "theme_id": ["code:a"]}
    assert frames["turns"]["turn"].tolist() == [1, 2]
    assert notes == [
        "--site ignored for role_matrix, turns (no site column)",
        "--site O99: no such site in these tables",
        "theme_matrix: wide (site x theme_id, values share_participants)",
        "role_matrix: kept long (--wide needs column(s) share_participants)",
    ]
    _, notes = prepare({"turns": tables["turns"]}, None, ["code:a"], wide=True)
    assert notes == ["--theme ignored for turns (no theme_id column)",
                     "--theme code:a: no such theme_id in these tables",
                     "--wide: no table to pivot (theme_matrix, role_matrix, cooccurrence not "
                     "exported)"]
    assert summary(frames, "csv", "out/") == ("3 table(s) written as csv to out/: theme_matrix "
                                              "1 row (wide), role_matrix 1 row, turns 2 rows.")


# ---------------------------------------------------------------------------- flatten
def mixed() -> pd.DataFrame:
    return pd.DataFrame({
        "site": pd.Series(["O1", None], dtype="str"),
        "terms": [np.array(["école", "funding"]), []],
        "quotes": [("a", None), ["x; y"]],
        "interview_date": [dt.date(2016, 5, 14), None],
        "when": pd.to_datetime(["2016-05-14 10:30", None]),
        "score": [0.5, math.nan],
        "n": [1, 2],
        "flag": [True, False],
        "attrs": [{"b": 1, "a": "ü"}, None],
    })


def test_flatten_joins_lists_writes_iso_dates_and_blanks_nulls() -> None:
    flat = flatten(mixed())
    assert flat.drop(columns="score").to_dict("list") == {
        "site": ["O1", ""],
        "terms": ["école; funding", ""],
        "quotes": ["a; ", "x; y"],
        "interview_date": ["2016-05-14", ""],
        "when": ["2016-05-14T10:30:00", ""],
        "n": [1, 2],
        "flag": [True, False],
        "attrs": ['{"a": "ü", "b": 1}', ""],
    }
    assert flat["score"].tolist()[0] == 0.5 and math.isnan(flat["score"].tolist()[1])
    assert flat["n"].dtype == "int64" and flat["flag"].dtype == bool
    assert mixed()["terms"][0].tolist() == ["école", "funding"]   # the input is untouched


def test_readable_headers_and_sheet_names() -> None:
    assert readable("share_participants") == "Share participants"
    assert readable("theme_id") == "Theme ID"
    assert readable("n_segments") == "N segments"
    assert readable("code_a") == "Code A"
    assert readable("f1") == "F1"
    assert readable("Already Nice") == "Already Nice"
    assert readable("_") == "_"
    long = "a_very_long_table_name_that_goes_on_and_on"
    assert sheet_names([long, long.upper(), "bad:name/[x]", "'quoted'"]) == [
        "a_very_long_table_name_that_goe", "A_VERY_LONG_TABLE_NAME_THAT_G~2", "bad_name__x_",
        "quoted"]
    assert all(len(n) <= 31 for n in sheet_names([long] * 12))
    assert sheet_names([long] * 12)[11] == "a_very_long_table_name_that_~12"


# ---------------------------------------------------------------------------- writers
def test_csv_is_utf8_with_bom_and_exact() -> None:
    data = to_csv_bytes(mixed().drop(columns=["when", "attrs"]))
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == (
        "site,terms,quotes,interview_date,score,n,flag\n"
        "O1,école; funding,a; ,2016-05-14,0.5,1,True\n"
        ",,x; y,,,2,False\n")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    assert back["terms"].tolist() == ["école; funding", ""]
    assert back["n"].tolist() == [1, 2]


def test_parquet_keeps_types() -> None:
    back = pd.read_parquet(io.BytesIO(to_parquet_bytes(mixed().drop(columns="attrs"))))
    assert back["terms"][0].tolist() == ["école", "funding"]
    assert back["interview_date"].tolist()[0] == dt.date(2016, 5, 14)
    assert back["site"].tolist()[0] == "O1" and pd.isna(back["site"].tolist()[1])
    assert back["n"].tolist() == [1, 2] and back["flag"].tolist() == [True, False]


def test_xlsx_sheets_headers_values_and_reproducible_bytes() -> None:
    text = pd.DataFrame({"text": ["=1+1", "#N/A", "bell\x07", "x" * 40_000],
                         "share_participants": [0.5, math.nan, 1.0, 0.0]})
    tables = {"segments": mixed(), "theme_matrix": widen(long_matrix(), "site", "theme_id",
                                                         "share_participants"),
              "texts": text}
    data = to_xlsx_bytes(tables)
    assert data == to_xlsx_bytes(tables)   # no timestamps: the same data, the same file
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["segments", "theme_matrix", "texts"]
    seg = book["segments"]
    rows = [[c.value for c in row] for row in seg.iter_rows()]
    assert rows == [
        ["Site", "Terms", "Quotes", "Interview date", "When", "Score", "N", "Flag", "Attrs"],
        ["O1", "école; funding", "a; ", "2016-05-14", "2016-05-14T10:30:00", 0.5, 1, True,
         '{"a": "ü", "b": 1}'],
        [None, None, "x; y", None, None, None, 2, False, None],   # "" is an empty cell
    ]
    assert all(c.font.b for c in seg[1]) and not seg["A2"].font.b
    assert seg.freeze_panes == "A2" and seg.auto_filter.ref == "A1:I3"
    assert seg.column_dimensions["B"].width == 16.0   # "école; funding" + 2
    assert seg.column_dimensions["G"].width == 8.0    # at least 8
    wide = book["theme_matrix"]
    assert [[c.value for c in row] for row in wide.iter_rows()] == [
        ["Site", "code:a", "code:b"], ["O1", 0, 1], ["O2", 0.25, 0.75], ["O10", 0, 0.5]]
    assert wide.freeze_panes == "B2"
    cells = [c.value for c in book["texts"]["A"]]
    assert cells[:4] == ["Text", "=1+1", "#N/A", "bell"]
    assert [c.data_type for c in book["texts"]["A"][1:3]] == ["s", "s"]
    assert len(cells[4]) == CELL_TEXT_MAX and cells[4].endswith(TRUNCATED)
    assert book["texts"].column_dimensions["A"].width == 60.0
    assert [c.value for c in book["texts"]["B"]] == ["Share participants", 0.5, None, 1, 0]


# ---------------------------------------------------------------------------- command line
@pytest.fixture
def project(make_project) -> Path:
    """Two interviews at O1 and O3, run up to the represent stage.

    `qda represent` rather than `qda analyze`: export works on whatever tables exist, and
    stopping there keeps these tests independent of the later stages' behaviour.
    """
    root = make_project({"O1_Principal#1_5.14.txt": GOOD, "O3_Teacher#1_5.16.txt": O3_TRANSCRIPT})
    result = CliRunner().invoke(cli, ["represent", "-p", str(root), "-q"])
    assert result.exit_code == 0, result.output
    return root


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["export", "-p", str(root), *args])


SITES_CSV = ("site,name,kind,board_type,n_transcripts,n_participants\n"
             "O1,Alder District,district,public,1,1\n"
             "O2,Birch Catholic District,district,Catholic,0,0\n"
             "O3,Cypress District,district,public,1,1\n"
             "O4,Provincial policy case,policy,,0,0\n")


def test_cli_export_csv_every_table_but_internal(project: Path) -> None:
    result = run(project)
    assert result.exit_code == 0, result.output
    assert result.output == (
        "5 table(s) written as csv to outputs/exports/: transcripts 2 rows, turns 8 rows, "
        "participants 2 rows, sites 4 rows, segments 4 rows.\n")
    exports = project / "outputs" / "exports"
    assert sorted(p.name for p in exports.iterdir()) == [
        "participants.csv", "segments.csv", "sites.csv", "transcripts.csv", "turns.csv"]
    assert (exports / "sites.csv").read_bytes() == b"\xef\xbb\xbf" + SITES_CSV.encode()
    segments = pd.read_csv(exports / "segments.csv", encoding="utf-8-sig")
    assert segments["text"].tolist()[2] == ("Our café meetings in Sainte-Thérèse started it, "
                                            "with teachers and the Ministry.")
    assert segments["interview_date"].tolist() == ["2016-05-14"] * 2 + ["2016-05-16"] * 2


def test_cli_export_xlsx_workbook(project: Path) -> None:
    result = run(project, "sites", "participants", "--format", "xlsx")
    assert result.exit_code == 0, result.output
    assert result.output == ("2 table(s) written as xlsx to outputs/exports/tables.xlsx: "
                             "sites 4 rows, participants 2 rows.\n")
    book = openpyxl.load_workbook(project / "outputs" / "exports" / "tables.xlsx")
    assert book.sheetnames == ["sites", "participants"]
    sites = book["sites"]
    assert [c.value for c in sites[1]] == ["Site", "Name", "Kind", "Board type",
                                           "N transcripts", "N participants"]
    assert all(c.font.b for c in sites[1]) and sites.freeze_panes == "A2"
    assert [c.value for c in sites[5]] == ["O4", "Provincial policy case", "policy", None, 0,
                                           0]
    assert [c.value for c in book["participants"]["F"]] == ["Name", "Ana Silva",
                                                            "Zoë Lefèvre"]


def test_cli_export_parquet_with_site_filter(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    result = run(project, "transcripts", "turns", "participants", "--site", "O3",
                 "--format", "parquet", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr == "note: --site ignored for turns (no site column)\n"
    assert result.stdout == (f"3 table(s) written as parquet to {out}/: transcripts 1 row, "
                             f"turns 8 rows, participants 1 row.\n")
    transcripts = pd.read_parquet(out / "transcripts.parquet")
    assert transcripts["citation_id"].tolist() == ["O3_Teacher#1_5.16"]
    assert transcripts["interview_date"].tolist() == [dt.date(2016, 5, 16)]
    assert pd.read_parquet(out / "participants.parquet")["name"].tolist() == ["Zoë Lefèvre"]
    assert len(pd.read_parquet(out / "turns.parquet")) == 8
    assert not (project / "outputs" / "exports").exists()


def test_cli_export_wide_theme_matrix(project: Path) -> None:
    catalog = Catalog(project, {})
    matrix = long_matrix().assign(n_participants=[1, 1, 2, 3], roles=[["Teacher"]] * 4,
                                  share_low=0.1, share_high=0.9, n_participants_once=0,
                                  n_segments_machine_only=0, n_participants_machine_only=0)
    catalog.save("theme_matrix", matrix, {"stage": "test"})
    result = run(project, "theme_matrix", "--wide", "--theme", "code:b")
    assert result.exit_code == 0, result.output
    assert result.stderr == "note: theme_matrix: wide (site x theme_id, values " \
                            "share_participants)\n"
    assert result.stdout == ("1 table(s) written as csv to outputs/exports/: theme_matrix "
                             "3 rows (wide).\n")
    csv = (project / "outputs" / "exports" / "theme_matrix.csv").read_text("utf-8-sig")
    assert csv == "site,code:b\nO1,1.0\nO2,0.75\nO10,0.5\n"
    long = run(project, "theme_matrix", "--format", "parquet")
    assert long.exit_code == 0, long.output
    back = pd.read_parquet(project / "outputs" / "exports" / "theme_matrix.parquet")
    assert back[["site", "theme_id"]].values.tolist() == [
        ["O10", "code:b"], ["O2", "code:a"], ["O1", "code:b"], ["O2", "code:b"]]


def test_cli_export_unknown_table_writes_nothing(project: Path) -> None:
    result = run(project, "sites", "segmnts", "--format", "xlsx")
    assert result.exit_code == 1
    assert result.output == (
        "Error: unknown table(s): segmnts (did you mean segments?); available: participants, "
        "segment_vectors, segments, sites, transcripts, turns\n")
    assert not (project / "outputs" / "exports").exists()


def test_cli_export_qdpx_is_the_refi_project(project: Path, tmp_path: Path) -> None:
    from tests.fixtures import FULL_CODEBOOK as CODEBOOK
    (project / "codebooks").mkdir()
    (project / "codebooks" / "t.yml").write_text(CODEBOOK)
    coded = CliRunner().invoke(cli, ["code", "-p", str(project), "-q"])   # human_codings
    assert coded.exit_code == 0, coded.output
    refi = CliRunner().invoke(cli, ["refi", "export-project", "-p", str(project)])
    assert refi.exit_code == 0, refi.output
    result = run(project, "--format", "qdpx")
    assert result.exit_code == 0, result.output
    exported = project / "outputs" / "exports" / "project.qdpx"
    assert result.output == ("2 sources, 0 codings, 4 cases written to "
                             "outputs/exports/project.qdpx "
                             "(valid against the schema).\n")
    assert exported.read_bytes() == (project / "outputs" / "project.qdpx").read_bytes()
    bad = run(project, "sites", "--format", "qdpx")
    assert bad.exit_code == 2
    assert "--format qdpx exports the whole project: TABLE, --site, --theme and --wide do " \
           "not apply" in bad.output


# ---------------------------------------------------------------------------- redacting
def _redactor():
    from pipeline.privacy import Redactor, read_redaction_list

    rules = read_redaction_list(b"term,placeholder,rule\nRuth Adeyemi,[TEACHER],redact\n"
                                b"Eastgate,[SCHOOL],redact\nEQAO,,keep\n", "corpus/redact.csv")
    participants = pd.DataFrame({"citation_id": ["O3_Teacher#1_5.16"], "role": ["Teacher"],
                                 "name": ["Zoë Lefèvre"], "speakers": ["Zoë Lefèvre"]})
    return Redactor.build(rules, participants, None, None, ner=False)


def test_redact_tables_redacts_text_but_not_identifiers_and_drops_lemmas() -> None:
    from pipeline.exchange.tables import redact_tables

    segments = pd.DataFrame({
        "segment_id": ["O3_Teacher#1_5.16:2:1"], "citation_id": ["O3_Teacher#1_5.16"],
        "site": ["O3"], "role": ["Teacher"], "speaker": ["Zoë Lefèvre"],
        "text": ["Ruth Adeyemi at Eastgate; EQAO again, Zoë"], "lemmas": ["ruth adeyemi"],
        "locator": ["O3_Teacher#1_5.16 ¶2"], "n_words": [6], "top_terms": [["eastgate", "x"]]})
    wide = pd.DataFrame({"site": ["O3"], "code:a": [0.5]})
    wide.attrs[VERBATIM] = ["code:a"]
    out, notes = redact_tables({"segments": segments, "theme_matrix": wide}, _redactor())
    row = out["segments"].iloc[0]
    assert row["text"] == "[TEACHER] at [SCHOOL]; EQAO again, [TEACHER]"
    assert row["speaker"] == "[TEACHER]"
    assert (row["segment_id"], row["citation_id"], row["site"], row["role"], row["locator"],
            row["n_words"]) == ("O3_Teacher#1_5.16:2:1", "O3_Teacher#1_5.16", "O3", "Teacher",
                                "O3_Teacher#1_5.16 ¶2", 6)
    assert "lemmas" not in out["segments"].columns
    assert notes == ["segments: lemmas left out of the redacted export (lower-case words, "
                     "where names cannot be found)"]
    assert out["theme_matrix"].equals(wide) and out["theme_matrix"].attrs == wide.attrs
    assert segments["text"].iloc[0].startswith("Ruth")   # the input is not changed


@pytest.mark.parametrize("name, expected", [
    ("segments.csv", "segments.redacted.csv"), ("tables.xlsx", "tables.redacted.xlsx"),
    ("mine.redacted.xlsx", "mine.redacted.xlsx"), ("README", "README.redacted")])
def test_redacted_file_names_say_so(name: str, expected: str) -> None:
    from pipeline.exchange.tables import redacted_name

    assert redacted_name(name) == expected


def test_unmatched_filter_values_are_found_across_tables() -> None:
    from pipeline.exchange.tables import unmatched

    tables = {"a": pd.DataFrame({"site": ["O1", "O2"]}),
              "b": pd.DataFrame({"theme_id": ["code:x"], "site": ["O3"]}),
              "c": pd.DataFrame({"n": [1]})}
    assert unmatched(tables, ["O3", "O99"], ["code:x", "code:y"]) == [
        "--site O99", "--theme code:y"]
    assert unmatched(tables, None, None) == []
