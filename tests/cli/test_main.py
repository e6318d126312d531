from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli.main import cli
from pipeline.core.registry import STAGES
from tests.fixtures import GOOD_TRANSCRIPT as GOOD
from tests.fixtures import seeded_files

GOOD_TRANSCRIPT = GOOD

COMMANDS = [[name] for name in cli.commands] + [
    [name, sub] for name, group in cli.commands.items() if hasattr(group, "commands")
    for sub in group.commands]


@pytest.mark.parametrize("args", [[]] + COMMANDS)
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_everywhere(args: list[str], flag: str) -> None:
    result = CliRunner().invoke(cli, args + [flag])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_validate_lists_problems_exits_1_and_writes_nothing(make_project) -> None:
    root = make_project(seeded_files())
    result = CliRunner().invoke(cli, ["validate", "--project", str(root)])
    assert result.exit_code == 1
    assert "corpus/transcripts/O1_Director#1_2.30.txt: error: impossible date 2.30" in \
        result.output
    assert "corpus/transcripts/O1_Principal#1_5.5.txt:2: error: header Date" in result.output
    assert "13 error(s), 4 warning(s)" in result.output
    assert not (root / "outputs").exists()


def test_validate_clean_corpus_exits_0(make_project) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": GOOD})
    result = CliRunner().invoke(cli, ["validate", "-p", str(root)])
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output
    strict = CliRunner().invoke(cli, ["validate", "-p", str(root), "--strict"])
    assert strict.exit_code == 1  # sites without transcripts are warnings


def test_analyze_with_bad_input_fails_cleanly(make_project) -> None:
    root = make_project(seeded_files())
    result = CliRunner().invoke(cli, ["analyze", "-p", str(root)])
    assert result.exit_code == 1
    assert "13 error(s) in the input; nothing was written" in result.output
    assert not list((root / "outputs").glob("*.parquet")) if (root / "outputs").exists() else True


def test_analyze_then_status(make_project) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": GOOD})
    first = CliRunner().invoke(cli, ["analyze", "-p", str(root)])
    assert first.exit_code == 0, first.output
    assert f"{len(STAGES)} stage(s) ran, 0 up to date" in first.output
    assert "1 transcripts" in first.output and "2 segments" in first.output
    second = CliRunner().invoke(cli, ["analyze", "-p", str(root), "-q"])
    assert f"0 stage(s) ran, {len(STAGES)} up to date" in second.output
    status = CliRunner().invoke(cli, ["status", "-p", str(root)])
    assert "ingest           up to date" in status.output
    assert "segment          up to date" in status.output


def test_set_override_and_bad_override(make_project) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": GOOD})
    ok = CliRunner().invoke(cli, ["segment", "-p", str(root), "--set", "segment.max_words=5"])
    assert ok.exit_code == 0, ok.output
    bad = CliRunner().invoke(cli, ["analyze", "-p", str(root), "--set", "segment.nope=1"])
    assert bad.exit_code == 1
    assert "unknown key(s) nope in [segment]" in bad.output


@pytest.mark.parametrize("override, message", [
    ("segment.max_words=abc", "Error: --set: segment.max_words must be an integer (got 'abc')"),
    ("segment.max_words=-5", "Error: --set: segment.max_words must be between 1 and 10000 "
                             "(got -5)"),
    ("compare.join_threshold=7", "Error: --set: compare.join_threshold must be between 0.0 "
                                 "and 1.0 (got 7)"),
])
def test_bad_values_are_refused_before_anything_runs(tmp_path: Path, override: str,
                                                     message: str) -> None:
    result = CliRunner().invoke(cli, ["analyze", "-p", str(tmp_path), "--set", override])
    assert result.exit_code == 1
    assert result.output.strip() == message
    assert not (tmp_path / "outputs").exists()


def test_config_show_prints_a_valid_commented_config(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["config", "show", "-p", str(tmp_path), "--set",
                                      "cases.min_share=0.25"])
    assert result.exit_code == 0
    assert "[cases]\n" in result.output and "min_share = 0.25\n" in result.output
    (tmp_path / "analysis.cfg").write_text(result.output)
    again = CliRunner().invoke(cli, ["config", "show", "-p", str(tmp_path)])
    assert again.output == result.output


def test_a_single_stage_command_runs_once_and_keeps_run_json_whole(
        tmp_path: Path, fixture_project: Path) -> None:
    import json
    import shutil

    root = Path(shutil.copytree(fixture_project, tmp_path / "p"))
    result = CliRunner().invoke(cli, ["cases", "-p", str(root), "--force"])
    assert result.exit_code == 0, result.output
    summary = dict(line.split()[:2] for line in result.output.splitlines()
                   if line.startswith("  "))
    # one run: every stage up to cases and what is drawn from it, once; only the forced one
    # ran (its tables came out the same, so the documents drawn from them stay up to date);
    # the member-check stages after cases are not part of it
    ran = [s.name for s in STAGES if s.name not in ("packets", "checks", "packet_documents")]
    assert summary == {name: "ran" if name == "cases" else "up" for name in ran}
    log = json.loads((root / "outputs" / "run.json").read_text())
    assert [s["name"] for s in log["stages"]] == [s.name for s in STAGES]
    assert log["last_run"] == ran
    assert [s["status"] for s in log["stages"] if s["name"] in ran].count("ran") == 1


def test_status_before_any_run(tmp_path: Path, make_project) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": GOOD})
    result = CliRunner().invoke(cli, ["status", "-p", str(root)])
    assert result.exit_code == 0
    assert "ingest           not run" in result.output
    assert "segment          not run (inputs missing)" in result.output


def test_codebook_check_and_show(make_project) -> None:
    from tests.fixtures import FULL_CODEBOOK as GOOD
    root = make_project({"O1_Principal#1_5.14.txt": GOOD_TRANSCRIPT})
    (root / "codebooks").mkdir()
    (root / "codebooks" / "t.yml").write_text(GOOD)
    ok = CliRunner().invoke(cli, ["codebook", "check", "-p", str(root)])
    assert ok.exit_code == 0 and "3 code(s) (2 codable): 0 problem(s)" in ok.output
    shown = CliRunner().invoke(cli, ["codebook", "show", "-p", str(root), "-d"])
    assert shown.output.splitlines()[:4] == ["family  A family [family]",
                                             "    Groups the others.", "  funding  Funding",
                                             "      Money for the project and what happens "
                                             "when it ends."]
    (root / "codebooks" / "t.yml").write_text(GOOD.replace("color: \"#aa0000\"", "colour: x"))
    bad = CliRunner().invoke(cli, ["codebook", "check", "-p", str(root)])
    assert bad.exit_code == 1
    assert "codebooks/t.yml:24: error: code funding: unknown key 'colour'" in bad.output


def test_a_decision_on_a_missing_key_stays_outstanding_in_status_and_later_runs(
        make_project) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": GOOD})
    (root / "codebooks").mkdir(exist_ok=True)
    (root / "codebooks" / "decisions.yml").write_text("decisions:\n  - accept: X-abcdef\n")
    first = CliRunner().invoke(cli, ["analyze", "-p", str(root)])
    assert first.exit_code == 0, first.output
    assert "codebooks/decisions.yml:2: warning: accept: names category X-abcdef" in first.output
    again = CliRunner().invoke(cli, ["analyze", "-p", str(root)])
    assert "X-abcdef" in again.output
    assert "still outstanding from earlier runs" in again.output
    status = CliRunner().invoke(cli, ["status", "-p", str(root)])
    assert "Outstanding warnings from the last runs (" in status.output
    assert "decisions.yml:2: warning: accept: names category X-abcdef" in status.output
    assert "Emerging categories:" in status.output and "proposed" in status.output


def test_validate_checks_codebooks_codings_and_decisions_too(make_project) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": GOOD})
    (root / "codebooks" / "codings").mkdir(parents=True, exist_ok=True)
    (root / "codebooks" / "broken.yml").write_text("codes:\n  - id: Bad Id\n")
    (root / "codebooks" / "codings" / "team.csv").write_text(
        "citation_id,quote,code_id,coder\nO9_Teacher#1_5.3,Hello,x,ana\n")
    (root / "codebooks" / "decisions.yml").write_text("decisions:\n  - label: x\n")
    result = CliRunner().invoke(cli, ["validate", "-p", str(root)])
    assert result.exit_code == 1
    out = result.output
    assert "codebooks/decisions.yml:2: error: decision 1 needs exactly one of" in out
    assert "codebooks/broken.yml" in out
    assert "codebooks/codings/team.csv:2: error: unknown citation_id 'O9_Teacher#1_5.3'" in out
    assert not (root / "outputs").exists()
