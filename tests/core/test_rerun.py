"""A re-run after a settings change equals a clean run: the cache keys cover every input.

The change used: dropping the interviewer label "I" from study.toml, so that one interview's
questions count as a participant's speech. That reshapes turns and segments without
touching a transcript, which is how stale segments once
came from the cache ("35 from cache", 900 segments where a clean run made 920), and the
reverse change crashed with ``KeyError: nan``.

The one state a run carries on purpose is the previous run's category keys
(outputs/category_keys.parquet, a declared input of compare), so that decisions keep
naming the same categories. A re-run therefore equals a clean run given the same keys.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.core.registry import STAGES
from pipeline.core.schemas import FILE_SETS
from tests.conftest import analyse

TABLES = [o for s in STAGES for o in s.outputs if o not in FILE_SETS]
UPSTREAM = [o for s in STAGES[:STAGES.index(next(s for s in STAGES if s.name == "compare"))]
            for o in s.outputs if o not in FILE_SETS]
LABELS = 'interviewer_labels = ["Interviewer", "I"]'
NO_I = 'interviewer_labels = ["Interviewer"]'


def _relabel(root: Path, new: str) -> None:
    study = root / "corpus" / "study.toml"
    text = study.read_text()
    assert LABELS in text or NO_I in text
    study.write_text(text.replace(NO_I, LABELS).replace(LABELS, new))


def _tables(catalog, names):
    return {n: catalog.load(n) for n in names}


def _differing(a: dict, b: dict) -> list[str]:
    return [n for n in a if not a[n].equals(b[n])]


@pytest.mark.slow
def test_a_relabelled_speaker_re_runs_like_a_clean_run(tmp_path: Path,
                                                       fixture_project: Path) -> None:
    first = shutil.copytree(fixture_project, tmp_path / "rerun")
    _, cat = analyse(first)
    before = _tables(cat, TABLES)
    keys_before = tmp_path / "keys.parquet"
    shutil.copy(first / "outputs" / "category_keys.parquet", keys_before)

    _relabel(first, NO_I)
    log, cat = analyse(first)
    assert {s.name: s.status for s in log}["segment"] == "ran"
    rerun = _tables(cat, TABLES)
    assert len(rerun["segments"]) > len(before["segments"])  # the questions are speech now

    clean = shutil.copytree(fixture_project, tmp_path / "clean", ignore=_no_outputs)
    _relabel(clean, NO_I)
    (clean / "outputs").mkdir(exist_ok=True)
    shutil.copy(keys_before, clean / "outputs" / "category_keys.parquet")  # same key history
    _, clean_cat = analyse(clean)
    diff = _differing(rerun, _tables(clean_cat, TABLES))
    assert diff == []
    assert {s.status for s in analyse(first)[0]} == {"up to date"}

    _relabel(first, LABELS)  # the reverse change once crashed with KeyError: nan
    _, cat = analyse(first)
    back = _tables(cat, UPSTREAM)
    assert _differing(back, {n: before[n] for n in UPSTREAM}) == []


def _no_outputs(folder: str, names: list[str]) -> list[str]:
    return ["outputs"] if Path(folder).name != "outputs" and "outputs" in names else []
