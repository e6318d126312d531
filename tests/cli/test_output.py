from pathlib import Path

from click.testing import CliRunner

from pipeline.cli.output import print_problems, print_summary
from pipeline.core.catalog import Catalog
from pipeline.core.errors import error, warning
from pipeline.core.runner import StageReport


def capture(func, *args, **kwargs) -> str:
    import click

    @click.command()
    def cmd() -> None:
        func(*args, **kwargs)
    return CliRunner().invoke(cmd).output


def test_problems_are_sorted_by_file_and_line() -> None:
    out = capture(print_problems, [warning("b.txt", 2, "w"), error("a.txt", 9, "e")])
    assert out.splitlines() == ["a.txt:9: error: e", "b.txt:2: warning: w"]


def test_summary_counts_stages_and_cache(tmp_path: Path) -> None:
    reports = [StageReport("ingest", "ran", 1.25, {"transcripts": 35}, 0, 35, "x",
                           [warning("a", 1, "w")]),
               StageReport("segment", "up to date", rows={"segments": 900})]
    out = capture(print_summary, reports, Catalog(tmp_path, {}), 2.0)
    assert "a:1: warning: w" in out
    assert "35 transcripts; 35 processed, 0 from cache" in out
    assert "1 stage(s) ran, 1 up to date, 1 warning(s)" in out


def test_coding_quality_table_puts_pooled_last() -> None:
    import pandas as pd

    from pipeline.cli.output import coding_quality_markdown
    rows = []
    for comp, kappa in (("auto:pattern+similarity", 0.5), ("auto:model (cross-validated)", 0.3),
                        ("human:a vs human:b", 0.9)):
        for code in ("(all codes)", "funding"):
            rows.append({"comparison": comp, "code_id": code, "n_reference": 4,
                         "precision": 0.75, "recall": 0.5, "kappa": kappa})
    text = coding_quality_markdown(pd.DataFrame(rows))
    lines = text.splitlines()
    assert lines[2] == "| funding | 4 | 0.75 / 0.50 / 0.50 | 0.30 | 0.90 |"
    assert lines[3].startswith("| (all codes) |")
    assert "No human codings" in coding_quality_markdown(pd.DataFrame())
