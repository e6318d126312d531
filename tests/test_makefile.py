"""`make clean` removes what runs generate, and never what researchers wrote."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_clean_removes_outputs_and_killed_runs_temporaries_only(tmp_path: Path) -> None:
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    written = {"outputs/README.md": "kept", "codebooks/lfm.yml": "codes: []",
               "codebooks/notes.tmp": "a researcher's file", "corpus/study.toml": "[study]",
               "corpus/transcripts/.hidden.txt": "I: x"}
    generated = ["outputs/segments.parquet", "outputs/cases/O1.docx", "outputs/project.qdpx",
                 "outputs/exports/turns.csv", "outputs/.segments.parquet.k2j4h5g6.tmp",
                 "codebooks/.lfm.yml.a1b2c3d4.tmp", "codebooks/codings/.x.qdpx.Zz_09yYq.tmp",
                 "corpus/transcripts/.O1_Principal#1_5.3.txt.abcdefgh.tmp"]
    for rel in [*written, *generated]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(written.get(rel, "interview text"))
    subprocess.run(["make", "-s", "clean"], cwd=tmp_path, check=True, capture_output=True)
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
                  if p.is_file() and p.name != "Makefile")
    assert left == sorted(written)
