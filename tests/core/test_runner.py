"""The runner on the three-interview fixture project: what runs when, provenance, run.json,
render stages, and per-stage code fingerprints."""
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.core import provenance
from pipeline.core.catalog import Catalog
from pipeline.core.config import Config, load_config
from pipeline.core.errors import InputError, PipelineError
from pipeline.core.lock import LOCK_FILE
from pipeline.core.registry import BY_NAME, STAGES, Stage, upstream
from pipeline.core.runner import Runner, code_hash
from pipeline.render.params import DocumentParams
from tests.fixtures import copy_project

PRINCIPAL = "corpus/transcripts/O1_Principal#1_5.3.txt"


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """The fixture project, not analysed yet."""
    return copy_project(tmp_path / "fresh")


@pytest.fixture
def project(tmp_path: Path, fixture_project: Path) -> Path:
    """A copy of the fixture project as the session analysed it (outputs and cache too)."""
    return Path(shutil.copytree(fixture_project, tmp_path / "project"))


def run(root: Path, *overrides: str, stages=STAGES, force=False):
    cfg = load_config(None, overrides)
    return {r.name: r for r in Runner(Catalog(root, cfg.paths), cfg).run(stages, force)}


def statuses(reports) -> dict[str, str]:
    return {name: r.status for name, r in reports.items()}


def test_runner_alone_produces_the_whole_analysis_and_a_second_run_runs_nothing(
        fresh: Path) -> None:
    project = fresh
    first = run(project)
    assert set(statuses(first).values()) == {"ran"}
    out = project / "outputs"
    assert sorted(p.name for p in (out / "cases").iterdir()) == ["O1.docx", "O1.md",
                                                                "O2.docx", "O2.md"]
    assert (out / "cross_case.md").is_file() and (out / "figures" / "saturation.png").is_file()
    written = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()
               and ".cache" not in p.parts and p.name not in ("run.json", LOCK_FILE)}
    second = run(project)
    assert set(statuses(second).values()) == {"up to date"}
    assert {p: p.stat().st_mtime_ns for p in written} == written


def test_deleted_documents_are_rebuilt(project: Path) -> None:
    shutil.rmtree(project / "outputs" / "cases")
    again = run(project)
    assert [n for n, s in statuses(again).items() if s == "ran"] == ["documents"]
    assert (project / "outputs" / "cases" / "O2.docx").is_file()


def test_an_edited_figure_is_redrawn_and_documents_follow_the_figures(project: Path) -> None:
    (project / "outputs" / "figures" / "saturation.png").write_bytes(b"not a picture")
    again = run(project)
    # the PNG is redrawn identically, so the documents that embed it stay up to date
    assert [n for n, s in statuses(again).items() if s == "ran"] == ["figures"]
    assert (project / "outputs" / "figures" / "saturation.png").read_bytes()[:4] == b"\x89PNG"


def test_a_new_saturation_curve_redraws_figures_and_documents(project: Path) -> None:
    again = run(project, "compare.join_threshold=0.9")
    ran = [n for n, s in statuses(again).items() if s == "ran"]
    assert ran[0] == "compare" and {"figures", "documents"} <= set(ran)
    assert "ingest" not in ran and "code" not in ran


def test_changing_one_transcript_redoes_only_that_transcript(project: Path) -> None:
    path = project / PRINCIPAL
    path.write_text(path.read_text().replace("every week.", "every week [laughs]."))
    again = run(project)
    assert again["ingest"].status == again["segment"].status == "ran"
    assert (again["ingest"].cache_misses, again["ingest"].cache_hits) == (1, 2)
    assert (again["segment"].cache_misses, again["segment"].cache_hits) == (1, 2)


def test_segment_cache_follows_who_is_an_interviewer(project: Path) -> None:
    """The cached segments of a transcript depend on which turns are participant speech,
    which study.toml decides: changing it must not reuse old segments."""
    study = project / "corpus" / "study.toml"
    study.write_text(study.read_text().replace('["Interviewer", "I"]',
                                               '["Interviewer", "I", "Kevin Tran"]'))
    # Kevin is now an interviewer: his interview has no participant speech left
    with pytest.raises(InputError, match="no participant speech"):
        run(project)
    study.write_text(study.read_text().replace(', "Kevin Tran"]', ', "Rosa Delgado"]'))
    with pytest.raises(InputError):
        run(project)
    study.write_text(study.read_text().replace(', "Rosa Delgado"]', "]"))
    assert run(project)["segment"].status == "up to date"


def test_touching_without_change_runs_nothing(project: Path) -> None:
    (project / PRINCIPAL).touch()
    assert set(statuses(run(project)).values()) == {"up to date"}


def test_a_parameter_change_reruns_only_the_stages_it_reaches(project: Path) -> None:
    changed = run(project, "segment.max_words=8")
    assert changed["ingest"].status == "up to date"
    assert changed["segment"].status == "ran"
    assert changed["segment"].rows["segments"] > 10
    assert run(project, "segment.max_words=8")["segment"].status == "up to date"


def test_force_recomputes_without_the_cache(project: Path) -> None:
    forced = run(project, force=True)
    assert set(statuses(forced).values()) == {"ran"}
    assert (forced["ingest"].cache_hits, forced["ingest"].cache_misses) == (0, 3)


def test_removing_a_transcript_reruns(project: Path) -> None:
    (project / "corpus" / "transcripts" / "O1_Teacher#1_5.4.txt").unlink()
    assert run(project)["ingest"].rows["transcripts"] == 2


def test_provenance_is_recorded(project: Path) -> None:
    cat = Catalog(project)
    prov = cat.provenance("segments")
    assert prov["stage"] == "segment"
    assert prov["params"] == {"max_words": 120, "lang": "en", "batch_size": 64}
    assert set(prov["inputs"]) == {"transcripts", "turns", "participants"}
    assert prov["versions"]["spacy"].startswith("3.")
    assert prov["code"] == code_hash(BY_NAME["segment"])
    assert prov["nlp"].startswith("spacy.blank('en') + sentencizer + lemmatizer (spaCy 3.")
    assert "nlp" not in cat.provenance("themes")
    figures = cat.provenance("figures")
    assert figures["stage"] == "figures" and figures["files"] == 6
    log = cat.run_log()
    assert [s["name"] for s in log["stages"]] == [s.name for s in STAGES]
    assert log["stages"][0]["cache_misses"] == 3   # the session's first, cold run


def test_run_json_keeps_every_stage_after_a_single_stage_run(project: Path) -> None:
    run(project, "segment.max_words=8", stages=upstream(["segment"]))
    log = Catalog(project).run_log()
    assert [s["name"] for s in log["stages"]] == [s.name for s in STAGES]
    assert log["last_run"] == ["ingest", "segment"]
    assert log["config"]["segment"]["max_words"] == 8


def test_a_failing_run_leaves_outputs_and_run_json_untouched(project: Path) -> None:
    before = {p.name: p.read_bytes() for p in (project / "outputs").glob("*.*") if p.is_file()}
    (project / PRINCIPAL).write_bytes(b"")
    with pytest.raises(InputError, match="1 error"):
        run(project)
    after = {p.name: p.read_bytes() for p in (project / "outputs").glob("*.*") if p.is_file()}
    assert after == before


def test_output_is_deterministic(fixture_project: Path, fresh: Path) -> None:
    project, other = fixture_project, fresh
    run(other)
    for name in ("transcripts", "segments", "codings", "categories", "case_blocks"):
        assert Catalog(project).load(name).equals(Catalog(other).load(name)), name
    for rel in ("cases/O1.md", "cases/O1.docx", "figures/saturation.png",
                "figures/site_theme_heatmap.svg"):
        assert (project / "outputs" / rel).read_bytes() == \
            (other / "outputs" / rel).read_bytes(), rel


def bad_stage(case_blocks: pd.DataFrame, *, params: DocumentParams):
    return {"something_else": case_blocks}, []


def test_a_stage_must_return_what_it_declares(project: Path) -> None:
    stage = Stage("bad", "tests.core.test_runner:bad_stage",
                  "pipeline.render.params:DocumentParams", ("case_blocks",), ("case_quotes",),
                  ("pipeline.render.params",))
    cfg = load_config(None)
    cfg = Config({**cfg.sections, "bad": DocumentParams()})
    before = (project / "outputs" / "case_quotes.parquet").read_bytes()
    with pytest.raises(PipelineError, match="returned something_else but declares "
                                            "case_quotes"):
        Runner(Catalog(project), cfg).run_stage(stage)
    assert (project / "outputs" / "case_quotes.parquet").read_bytes() == before


# ---- per-stage code fingerprints -------------------------------------------------------
@pytest.fixture
def package_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the package's source that fingerprints are computed from."""
    copy = tmp_path / "pipeline"
    shutil.copytree(provenance.PACKAGE_ROOT, copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(provenance, "PACKAGE_ROOT", copy)
    provenance.source_hash.cache_clear()
    yield copy
    provenance.source_hash.cache_clear()


def _edit(path: Path) -> None:
    path.write_text(path.read_text() + "\n# a comment\n")
    provenance.source_hash.cache_clear()


def test_a_comment_in_the_cli_changes_no_fingerprint(package_copy: Path) -> None:
    before = {s.name: code_hash(s) for s in STAGES}
    for module in package_copy.joinpath("cli").glob("*.py"):
        _edit(module)
    _edit(package_copy / "exchange" / "tables.py")
    _edit(package_copy / "analysis" / "tuning.py")
    assert {s.name: code_hash(s) for s in STAGES} == before


def test_editing_a_stage_changes_its_fingerprint_only(package_copy: Path) -> None:
    before = {s.name: code_hash(s) for s in STAGES}
    _edit(package_copy / "stages" / "themes" / "stage.py")
    after = {s.name: code_hash(s) for s in STAGES}
    assert [n for n in before if before[n] != after[n]] == ["themes"]
    _edit(package_copy / "nlp" / "tfidf.py")
    later = {s.name: code_hash(s) for s in STAGES}
    assert [n for n in after if after[n] != later[n]] == ["code", "represent"]


def test_a_comment_in_the_cli_reruns_no_stage(project: Path, package_copy: Path) -> None:
    _edit(package_copy / "cli" / "exchange.py")
    again = run(project)
    assert set(statuses(again).values()) == {"up to date"}
    assert again["ingest"].cache_misses is None   # not even a transcript re-parsed
    log = json.loads((project / "outputs" / "run.json").read_text())
    assert {s["status"] for s in log["stages"]} == {"up to date"}


def test_warnings_stay_outstanding_while_the_stage_is_up_to_date(project: Path) -> None:
    decisions = project / "codebooks" / "decisions.yml"
    decisions.write_text(decisions.read_text() + "  - reject: X-000000\n")
    first = run(project)["compare"]
    assert first.status == "ran"
    assert [w.line for w in first.warnings] == [6] and "X-000000" in first.warnings[0].message
    again = run(project)["compare"]
    assert again.status == "up to date" and again.warnings == first.warnings
    decisions.write_text(decisions.read_text().replace("  - reject: X-000000\n", ""))
    fixed = run(project)["compare"]
    assert fixed.status == "ran" and fixed.warnings == []


def test_a_site_that_left_the_corpus_leaves_no_case_documents_behind(project: Path) -> None:
    """Its case summary, DOCX and packet once stayed in outputs/ after the site was gone."""
    (project / "corpus" / "transcripts" / "O2_Director#1_5.10.txt").unlink()
    sites = project / "corpus" / "sites.csv"
    sites.write_text("".join(line for line in sites.read_text().splitlines(keepends=True)
                             if not line.startswith("O2,")))
    for coded in (project / "codebooks" / "codings").glob("*.csv"):  # its codings go too
        coded.write_text("".join(line for line in coded.read_text().splitlines(keepends=True)
                                 if "O2_" not in line))
    run(project)
    out = project / "outputs"
    assert sorted(p.name for p in (out / "cases").iterdir()) == ["O1.docx", "O1.md"]
    assert not [p for p in out.rglob("*O2*") if p.is_file()]
