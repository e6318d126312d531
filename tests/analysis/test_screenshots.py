"""The report's screenshots (pipeline/analysis/screenshots.py and `qda screenshots`): which
pages, small palette PNGs of 1280 x 900, written through the catalog with a manifest; a clear
message when there is no report yet."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from pipeline.analysis.screenshots import HEIGHT, WIDTH, pages, shrink
from pipeline.cli.main import cli
from tests.browser import need_browser


def test_the_pages_are_the_overview_a_site_and_a_transcript_it_quotes(
        fixture_project: Path) -> None:
    report = fixture_project / "outputs" / "report"
    assert pages(report, "O1") == [
        ("report-overview", "index.html", ""),
        ("report-site", "sites/O1.html", "main h2:nth-of-type(2)"),
        ("report-transcript", "transcripts/O1_Principal-1_5.3.html#s4-1", "")]
    assert pages(report, "O9")[1][1] == "sites/O1.html"      # no such site: the first one


def test_a_screenshot_keeps_its_size_and_loses_colours() -> None:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    image.putdata([(x % 256, (x // 5) % 256, 128) for x in range(WIDTH * HEIGHT)])
    raw = io.BytesIO()
    image.save(raw, format="PNG")
    with Image.open(io.BytesIO(shrink(raw.getvalue(), colours=64))) as small:
        assert small.size == (WIDTH, HEIGHT) and len(small.getcolors(WIDTH * HEIGHT)) <= 64


def test_without_a_report_the_command_says_what_to_do(make_project) -> None:
    root = make_project({})
    out = CliRunner().invoke(cli, ["screenshots", "-p", str(root)])
    assert out.exit_code == 1 and "run `qda analyze` first" in out.output
    assert "Traceback" not in out.output and not (root / "docs").exists()


@pytest.mark.slow
def test_screenshots_of_the_fixture_report(tmp_path: Path, fixture_project: Path) -> None:
    need_browser()
    root = Path(shutil.copytree(fixture_project, tmp_path / "p"))
    out = CliRunner().invoke(cli, ["screenshots", "-p", str(root), "--site", "O2"])
    assert out.exit_code == 0, out.output
    shots = sorted((root / "docs" / "screenshots").iterdir())
    assert [p.name for p in shots] == ["report-overview.png", "report-site.png",
                                       "report-transcript.png"]
    for shot in shots:
        with Image.open(shot) as image:
            assert image.size == (WIDTH, HEIGHT) and shot.stat().st_size < 200_000
    assert (root / "outputs" / ".manifests" / "screenshots.json").is_file()
