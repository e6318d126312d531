import errno
import os
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pipeline.cli.common import project_options
from pipeline.core.catalog import Catalog
from pipeline.core.errors import InputError, PipelineError, error


@click.command()
@project_options
def probe(catalog: Catalog, cfg: dict, quiet: bool) -> None:
    click.echo(f"{catalog.root.name} {cfg['segment'].max_words} {quiet}")


@click.command()
@project_options
def failing(catalog: Catalog, cfg: dict, quiet: bool) -> None:
    raise InputError([error("corpus/x.txt", 3, "bad line")])


def test_options_build_catalog_and_config(tmp_path: Path) -> None:
    (tmp_path / "analysis.cfg").write_text("[segment]\nmax_words = 90\n")
    out = CliRunner().invoke(probe, ["-p", str(tmp_path), "--set", "segment.max_words=80"])
    assert out.output.strip() == f"{tmp_path.name} 80 False"
    out = CliRunner().invoke(probe, ["-p", str(tmp_path), "-q"])
    assert out.output.strip() == f"{tmp_path.name} 90 True"


def test_input_errors_become_a_clean_exit(tmp_path: Path) -> None:
    out = CliRunner().invoke(failing, ["-p", str(tmp_path)])
    assert out.exit_code == 1
    assert "corpus/x.txt:3: error: bad line" in out.output
    assert "1 error(s) in the input; nothing was written" in out.output


def test_write_new_refuses_to_overwrite(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path)
    target = tmp_path / "codebooks" / "mine.yml"
    catalog.write_new(target, b"a")
    with pytest.raises(PipelineError, match="never overwritten"):
        catalog.write_new(target, b"b")
    assert target.read_bytes() == b"a"


@pytest.mark.parametrize("code, hint", [(errno.ENOSPC, "the disk is full"),
                                        (errno.EROFS, "read-only file system"),
                                        (errno.EACCES, "no permission")])
def test_a_failing_disk_is_a_message_and_leaves_the_outputs_as_they_were(
        tmp_path: Path, fixture_project: Path, monkeypatch, code: int, hint: str) -> None:
    from pipeline.cli.main import cli

    root = shutil.copytree(fixture_project, tmp_path / "p")
    before = {p: p.read_bytes() for p in (root / "outputs").rglob("*") if p.is_file()}
    transcript = next((root / "corpus" / "transcripts").glob("*.txt"))
    transcript.write_text(transcript.read_text() + "\nP: One more thing about budgets.\n")

    def full(src, dst):
        raise OSError(code, os.strerror(code), str(dst))

    monkeypatch.setattr(os, "replace", full)
    out = CliRunner().invoke(cli, ["analyze", "-q", "-p", str(root)])
    assert out.exit_code == 1 and "Traceback" not in out.output
    assert f"cannot write or read {root / 'outputs'}" in out.output and hint in out.output
    after = {p: p.read_bytes() for p in (root / "outputs").rglob("*") if p.is_file()}
    assert after == before  # nothing half-written, no temporary file left


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_a_read_only_outputs_folder_is_a_message(tmp_path: Path, fixture_project: Path
                                                 ) -> None:
    from pipeline.cli.main import cli

    root = shutil.copytree(fixture_project, tmp_path / "p")
    for folder in [root / "outputs", *(p for p in (root / "outputs").rglob("*") if p.is_dir())]:
        folder.chmod(0o555)
    try:
        out = CliRunner().invoke(cli, ["analyze", "-q", "--force", "-p", str(root)])
    finally:
        for folder in [root / "outputs", *(root / "outputs").rglob("*")]:
            if folder.is_dir():
                folder.chmod(0o755)
    assert out.exit_code == 1 and "no permission" in out.output
