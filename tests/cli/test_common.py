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
