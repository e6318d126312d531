from pathlib import Path

from click.testing import CliRunner

from pipeline.cli.common import print_problems
from pipeline.cli.output import print_summary
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



def test_repeated_warnings_are_grouped_by_kind_so_others_still_show() -> None:
    from pipeline.cli.output import grouped, warning_kind
    from pipeline.core.errors import warning

    otter = [warning(f"corpus/transcripts/P{i:02}.txt", 1,
                     f"line 'SUMMARY KEYWORDS {i}' is not a speaker turn") for i in range(30)]
    rare = warning("corpus/transcripts/P07.txt", 40, "no interviewer turn in this interview")
    shown, notes = grouped([*otter, rare])
    assert warning_kind(otter[0]) == "line … is not a speaker turn"
    assert rare in shown and len(shown) == 4
    assert notes == ["... and 27 more like: line … is not a speaker turn"]
    many = [warning("a.txt", i, f"kind {chr(65 + i % 26)}{chr(65 + i // 26)}")
            for i in range(60)]
    shown, notes = grouped(many, per_kind=3, most=20)
    assert len(shown) == 20 and notes == ["... and 40 more warnings (`qda validate` lists "
                                          "them all)"]
