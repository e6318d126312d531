"""Hostile files at the command line: the user sees the project's own messages (file, line),
never a traceback, and nothing is written from a refused file."""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pipeline.cli.main import cli
from pipeline.codebook.model import Code, Codebook
from pipeline.formats.refi.codebook import export_qdc
from tests.fixtures import GOOD_TRANSCRIPT, TWO_CODES
from tests.hostile import MiB, alias_bomb, zip_bomb

ALIASES = "YAML aliases (*name) are not allowed here"


def files(root: Path) -> set[str]:
    """Every file under root but the run lock (a command holding it creates it empty)."""
    return {str(p.relative_to(root)) for p in root.rglob("*")
            if p.is_file() and p.name != ".lock"}


def test_validate_names_every_yaml_file_that_holds_an_alias_bomb(make_project) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": GOOD_TRANSCRIPT})
    books = root / "codebooks"
    (books / "interpretations").mkdir(parents=True)
    (books / "two.yml").write_text(TWO_CODES)
    bomb = alias_bomb(levels=4)   # were aliases allowed again: a failure, not a memory blowup
    (books / "bomb.yml").write_text("codes:\n- id: x\n  definition: *a3\n" + bomb)
    (books / "decisions.yml").write_text("decisions:\n- accept: *a3\n" + bomb)
    (books / "interpretations" / "O1.yml").write_text("code:x: *a3\n" + bomb)
    result = CliRunner().invoke(cli, ["validate", "-p", str(root)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    for where in ("codebooks/bomb.yml:3", "codebooks/decisions.yml:2",
                  "codebooks/interpretations/O1.yml:1"):
        assert f"{where}: error: {ALIASES}" in result.output, result.output


def test_refi_import_of_a_zip_bomb_is_refused_and_writes_nothing(make_project,
                                                                  tmp_path: Path) -> None:
    root = make_project({"O1_Principal#1_5.14.txt": GOOD_TRANSCRIPT})
    before = files(root)
    bomb = tmp_path / "bomb.qdpx"
    bomb.write_bytes(zip_bomb("project.qde", 800 * MiB))
    result = CliRunner().invoke(cli, ["refi", "import", "-p", str(root), str(bomb)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "bomb.qdpx: project.qde would expand to 800 MiB, over the limit of 200 MiB" \
        in result.output
    assert files(root) == before   # no codebooks/bomb.yml, nothing in codebooks/codings/


def test_refi_import_of_a_file_without_codes_writes_no_empty_codebook(make_project,
                                                                      tmp_path: Path) -> None:
    """It once wrote codebooks/<name>.yml holding no code."""
    root = make_project({"O1_Principal#1_5.14.txt": GOOD_TRANSCRIPT})
    before = files(root)
    qdc = export_qdc(Codebook("x", "", (Code("only", "Only", "The one code."),)))
    empty = tmp_path / "empty.qdc"
    empty.write_bytes(qdc.replace(qdc[qdc.index(b"<Code "):qdc.index(b"</Codes>")], b""))
    result = CliRunner().invoke(cli, ["refi", "import", "-p", str(root), str(empty)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "empty.qdc holds no codes; nothing imported" in result.output
    assert files(root) == before


@pytest.mark.parametrize("body, fragment", [
    (b"document,citation_id\nx\n", None),   # a short row: AttributeError on None once
    (b"document,citation_id\r\"a\",b\rc\rd,e\r", None),   # CR line ends: csv.Error once
    (b"document,citation_id\n\xff\xfe\x00x\n", "not UTF-8"),
    (b"document,citation_id\n\"" + b"x" * (16 * MiB + 1) + b"\"\n", "docs.csv:2: not readable"),
])
def test_the_import_documents_map_is_read_or_a_message(tmp_path: Path, body: bytes,
                                                       fragment: str | None) -> None:
    """`qda import --documents docs.csv`: the map is read, or a message names the file."""
    from pipeline.cli.exchange import _documents

    path = tmp_path / "docs.csv"
    path.write_bytes(body)
    if fragment is None:
        assert all(isinstance(v, str) for v in _documents(path).values())
    else:
        with pytest.raises(click.ClickException, match=re.escape(fragment)):
            _documents(path)


@pytest.mark.parametrize("name", ["two.yml", "decisions.yml"])
def test_a_yaml_file_that_is_not_utf8_is_named(make_project, name: str) -> None:
    """It was `Error: 'utf-8' codec can't decode byte 0xff in position 0`, naming no file."""
    root = make_project({"O1_Principal#1_5.14.txt": GOOD_TRANSCRIPT})
    (root / "codebooks").mkdir()
    (root / "codebooks" / "two.yml").write_text(TWO_CODES)
    (root / "codebooks" / name).write_bytes(TWO_CODES.encode("utf-16"))
    result = CliRunner().invoke(cli, ["validate", "-p", str(root)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"codebooks/{name}:1: error: not UTF-8 text" in result.output
