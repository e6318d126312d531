"""Real coded studies (../shared/realdata) written as project folders our pipeline analyses.

The designed values come from the datasets' READMEs: PDPilot has 7 interviews (412 `Dan:` and
413 + 1 `Particpant:` turns), 91 codes (14 grouping codes without segments) and 261 coded
segments; the Taguette project has 17 sessions, 22 tags, 1,930 highlight-tag pairs and one
highlight without a tag, 187 `MODERATOR:` turns and 41 task-sheet prompts in every session.
"""
from __future__ import annotations

import csv
import html
import re
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from pipeline.analysis.realdata import (
    DATASETS,
    BuiltProject,
    SourceCode,
    assign_ids,
    available,
    build_project,
    snake,
)
from pipeline.analysis.realdata_taguette import TASK_SHEET, pieces, prompt_pattern, render
from pipeline.codebook.model import build_codebook
from pipeline.formats.reader import read_transcript
from pipeline.formats.text import normalise
from pipeline.study.names import label_key
from tests.fixtures import REALDATA

PDPILOT, TAGUETTE = DATASETS
LABEL = re.compile(r"\n(?:Moderator|Task|Note|P\d+): ")
TAGUETTE_DB = REALDATA / TAGUETTE / "SERDIF_P2_ThematicAnalysis.sqlite3"


def need(dataset: str) -> Path:
    if not (REALDATA / dataset).is_dir():
        pytest.skip(f"{REALDATA / dataset} is absent")
    return REALDATA / dataset


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    """Build each dataset once per module, into a temporary folder (never the repository)."""
    cache: dict[str, BuiltProject] = {}

    def get(dataset: str) -> BuiltProject:
        need(dataset)
        if dataset not in cache:
            cache[dataset] = build_project(dataset, REALDATA.parent,
                                           tmp_path_factory.mktemp(dataset))
        return cache[dataset]
    return get


def codings(project: BuiltProject) -> list[dict[str, str]]:
    path = project.target / "codebooks" / "codings" / f"{project.dataset}.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def texts(project: BuiltProject) -> dict[str, str]:
    folder = project.target / "corpus" / "transcripts"
    return {p.stem: normalise(p.read_text(encoding="utf-8")) for p in folder.glob("*.txt")}


def speakers(project: BuiltProject, labels: set[str]) -> Counter:
    """Turns per speaker label, as our reader parses the written transcripts."""
    out: Counter = Counter()
    for path in (project.target / "corpus" / "transcripts").glob("*.txt"):
        read = read_transcript(path.name, path.read_bytes(), {label_key(x) for x in labels})
        assert read.problems == []
        out.update(t.speaker for t in read.parsed.turns)
    return out


def squash(s: str) -> str:
    return "".join(s.split())


# --- without the data ----------------------------------------------------------------------

def test_available_lists_only_present_datasets(tmp_path: Path) -> None:
    assert available(tmp_path) == []
    (tmp_path / "realdata" / TAGUETTE).mkdir(parents=True)
    assert available(tmp_path) == [TAGUETTE]
    with pytest.raises(ValueError, match="unknown dataset"):
        build_project("nvivo-oltas", tmp_path, tmp_path / "out")
    with pytest.raises(FileNotFoundError):
        build_project(PDPILOT, tmp_path, tmp_path / "out")


def test_code_ids_are_snake_case_and_unique() -> None:
    assert snake("Don't go in depth on interactions") == "dont_go_in_depth_on_interactions"
    assert snake("Export (meta)data useful") == "export_meta_data_useful"
    assert snake("3D plots") == "code_3d_plots"
    codes = (SourceCode("A", "Ranking", None, "Ranking", False),
             SourceCode("A > Other", "Other", "A", "Other", True),
             SourceCode("B", "Filtering", None, "Filtering", False),
             SourceCode("B > Other", "Other", "B", "Other", True),
             SourceCode("C", "Other", None, "Other", True))
    assert list(assign_ids(codes).values()) == ["ranking", "other", "filtering",
                                                "filtering_other", "other_2"]


def test_a_paragraph_splits_into_turns_without_losing_text() -> None:
    prompts = prompt_pattern()
    line = ("   (The participant reads the task) 4.d Can you say aloud how many data sets were "
            "used for each event in the Data Provenance table? I count 20 (joking). "
            "MODERATOR: Fine.  ")
    got = [(label, line[a:b]) for label, a, b in pieces(line, prompts, "P3")]
    assert [label for label, _ in got] == ["Note", "Task", "P3", "Moderator"]
    assert "".join(part for _, part in got) == line
    assert got[2][1] == " I count 20 (joking)."      # a gloss stays in the speech
    assert pieces("\u00a0", prompts, "P3") == []      # an empty paragraph: a blank line
    assert [p[0] for p in pieces("4 data sets.", prompts, "P3")] == ["P3"]   # speech
    source = "1 Read the ‘Home’ tab information.\n\u00a0\n  Okay MODERATOR: Go on "
    body, cmap = render(source, "P3", prompts)
    assert body == ("Task: 1 Read the ‘Home’ tab information.\n\nP3:   Okay\n"
                    "Moderator:  MODERATOR: Go on\n")
    assert all(body[cmap[i]] == ch for i, ch in enumerate(source) if not ch.isspace())


def test_a_target_with_a_corpus_is_refused(tmp_path: Path) -> None:
    need(PDPILOT)
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "study.toml").write_text("", encoding="utf-8")
    with pytest.raises(FileExistsError):
        build_project(PDPILOT, REALDATA.parent, tmp_path)


# --- PDPilot (MAXQDA) ----------------------------------------------------------------------

def test_pdpilot_counts(built) -> None:
    project = built(PDPILOT)
    assert (project.n_transcripts, project.n_codes, project.n_spans) == (7, 91, 261)
    assert project.unplaced == ()
    assert project.coded_transcripts == tuple(f"S1_Participant#{n}_10.{n}" for n in range(1, 8))
    assert sorted(texts(project)) == sorted(project.coded_transcripts)
    assert speakers(project, {"Dan", "Participant", "Particpant"}) == {
        "Dan": 412, "Participant": 413, "Particpant": 1}


def test_pdpilot_quotes_are_the_researchers_segments(built) -> None:
    project = built(PDPILOT)
    rows, text = codings(project), texts(project)
    with (REALDATA / PDPILOT / "coded-segments.csv").open(encoding="utf-8", newline="") as f:
        source = list(csv.DictReader(f))
    assert len(rows) == len(source) == 261
    for row, seg in zip(rows, source):
        start, end = int(row["start_char"]), int(row["end_char"])
        assert row["quote"] == text[row["citation_id"]][start:end] == seg["segment_text"]
        assert row["citation_id"].startswith(f"S1_Participant#{seg['document'][1:]}_")
        assert row["coder"] == "researcher"
    assert len({r["code_id"] for r in rows}) == 76


def test_pdpilot_codebook_keeps_the_hierarchy(built) -> None:
    project = built(PDPILOT)
    path = project.target / "codebooks" / f"{PDPILOT}.yml"
    book, problems = build_codebook([(str(path), path.read_text(encoding="utf-8"))])
    assert problems == []
    assert len(book.codes) == 91 and len(book.codable) == 77
    assert not any(c.keywords or c.patterns for c in book.codes)
    leaf = book["uses_pdps_but_not_ice_plots"]
    assert book.ancestors(leaf.id) == ["pdp_ice", "explainability_techniques"]
    assert leaf.definition == "Uses PDPs but not ICE plots"   # no memo: the name
    assert book["anonymize"].codable       # its 32 segments exist, but not in the export
    assert not book["pdp_ice"].codable
    assert book["residual_analysis"].definition.startswith("Performing residual analysis")


# --- SERDIF (Taguette) ---------------------------------------------------------------------

def taguette_spans() -> Counter:
    """(participant, tag, text) of every highlight-tag pair, by the README's own rule."""
    con = sqlite3.connect(f"{TAGUETTE_DB.as_uri()}?mode=ro", uri=True)
    rows = con.execute("select d.name, d.contents, h.start_offset, h.end_offset, t.path "
                       "from highlights h join highlight_tags ht on ht.highlight_id = h.id "
                       "join tags t on t.id = ht.tag_id join documents d "
                       "on d.id = h.document_id").fetchall()
    con.close()
    out: Counter = Counter()
    for name, contents, start, end, tag in rows:
        text = html.unescape(re.sub(r"<[^>]*>", "", contents)).encode("utf-8")
        out[(name.split("_")[0], tag, squash(text[start:end].decode("utf-8")))] += 1
    return out


def test_taguette_counts(built) -> None:
    project = built(TAGUETTE)
    assert (project.n_transcripts, project.n_codes, project.n_spans) == (17, 22, 1930)
    assert project.unplaced == (("highlight 1630 (P16, no tag)", "highlight has no tag"),)
    assert "S1_Participant#3_11.25" in project.coded_transcripts
    assert "S1_Participant#14_1.24" in project.coded_transcripts   # January 2022
    study = (project.target / "corpus" / "study.toml").read_text(encoding="utf-8")
    assert "start = 2021-11-18" in study and "end = 2022-01-24" in study
    turns = speakers(project, {"Moderator", "Task", "Note"})
    assert (turns["Moderator"], turns["Task"], turns["Note"]) == (187, 41 * 17, 201)
    assert sum(n for label, n in turns.items() if label.startswith("P")) == 2152


def test_taguette_every_prompt_once_per_session(built) -> None:
    project = built(TAGUETTE)
    prompts = Counter()
    for text in texts(project).values():
        prompts.update(line[6:].split()[0] for line in text.split("\n")
                       if line.startswith("Task: "))
    assert prompts == {p.split()[0]: 17 for p in TASK_SHEET}


def test_taguette_text_is_kept_and_quotes_are_the_highlights(built) -> None:
    project = built(TAGUETTE)
    rows, text = codings(project), texts(project)
    con = sqlite3.connect(f"{TAGUETTE_DB.as_uri()}?mode=ro", uri=True)
    docs = dict(con.execute("select name, contents from documents"))
    con.close()
    for name, contents in docs.items():
        n = int(name.split("_")[0][1:])
        cid = next(c for c in text if c.startswith(f"S1_Participant#{n}_"))
        body = text[cid].split("\n\n", 1)[1]
        source = html.unescape(re.sub(r"<[^>]*>", "", contents))
        assert squash(LABEL.sub("\n", "\n" + body)) == squash(source)
    mapped: Counter = Counter()
    for row in rows:
        start, end = int(row["start_char"]), int(row["end_char"])
        assert row["quote"] == text[row["citation_id"]][start:end]
        seq = row["citation_id"].split("#")[1].split("_")[0]
        mapped[(f"P{seq}", row["code_id"], squash(LABEL.sub("\n", row["quote"])))] += 1
    tag_ids = {code: snake(code) for code in {k[1] for k in taguette_spans()}}
    expected = Counter({(p, tag_ids[tag], t): n for (p, tag, t), n in taguette_spans().items()})
    assert mapped == expected


# --- end to end: our pipeline analyses the built projects ----------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("dataset, n_turns, n_codes_landed",
                         [(PDPILOT, 826, 76), (TAGUETTE, 3237, 22)])
def test_the_pipeline_codes_with_the_researchers_codings(
        tmp_path: Path, dataset: str, n_turns: int, n_codes_landed: int) -> None:
    from pipeline.core.catalog import Catalog
    from pipeline.core.config import load_config
    from pipeline.core.registry import upstream
    from pipeline.core.runner import Runner

    need(dataset)
    project = build_project(dataset, REALDATA.parent, tmp_path)
    cfg = load_config(None)
    catalog = Catalog(tmp_path, cfg.paths)
    reports = Runner(catalog, cfg).run(upstream(["code"]))
    warnings = [w.message for r in reports for w in r.warnings]
    assert len(warnings) == 1 and "have no keywords or patterns" in warnings[0]
    assert len(catalog.load("transcripts")) == project.n_transcripts
    assert len(catalog.load("turns")) == n_turns
    assert len(catalog.load("participants")) == project.n_transcripts
    assert len(catalog.load("human_codings")) == project.n_spans
    human = catalog.load("human_segments")
    assert len(human) > 0 and human["code_id"].nunique() == n_codes_landed
    assert set(human["coder"]) == {"researcher"}
