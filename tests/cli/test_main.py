from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli.main import cli
from pipeline.core.registry import STAGES
from tests.fixtures import GOOD_TRANSCRIPT as GOOD
from tests.fixtures import seeded_files

GOOD_TRANSCRIPT = GOOD

COMMANDS = [[name] for name in cli.commands] + [
    ["codebook", sub] for sub in cli.commands["codebook"].commands] + [
    ["refi", sub] for sub in cli.commands["refi"].commands]


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
    assert "ingest    up to date" in status.output
    assert "segment   up to date" in status.output


def test_set_override_and_bad_override(make_project) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": GOOD})
    ok = CliRunner().invoke(cli, ["segment", "-p", str(root), "--set", "segment.max_words=5"])
    assert ok.exit_code == 0, ok.output
    bad = CliRunner().invoke(cli, ["analyze", "-p", str(root), "--set", "segment.nope=1"])
    assert bad.exit_code == 1
    assert "unknown key(s) nope in [segment]" in bad.output


def test_status_before_any_run(tmp_path: Path, make_project) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": GOOD})
    result = CliRunner().invoke(cli, ["status", "-p", str(root)])
    assert result.exit_code == 0
    assert "ingest    not run" in result.output
    assert "segment   not run (inputs missing)" in result.output


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
