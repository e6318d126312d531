import pytest

from pipeline.core.inputs import InputFiles, make_source
from pipeline.member import read_interpretations

THEMES = {"code:voice", "code:funding"}


def _files(**texts: str) -> InputFiles:
    return InputFiles("interpretations", tuple(
        make_source(f"codebooks/interpretations/{site}.yml", text.encode())
        for site, text in texts.items()))


def test_texts_by_site_and_theme_with_folded_whitespace() -> None:
    found, problems = read_interpretations(
        _files(O3="code:voice: >-\n  Students lead\n  the inquiry.\n"), {"O3"}, THEMES)
    assert found == {"O3": {"code:voice": "Students lead the inquiry."}}
    assert problems == []


def test_unknown_theme_and_site_warn_with_their_line() -> None:
    found, problems = read_interpretations(
        _files(O3="code:voice: ok\ncode:nope: what\n", O99="code:voice: x\n"), {"O3"}, THEMES)
    assert found == {"O3": {"code:voice": "ok"}}
    assert sorted((p.path.rsplit("/", 1)[-1], p.line, p.is_error) for p in problems) == [
        ("O3.yml", 2, False), ("O99.yml", 1, False)]


@pytest.mark.parametrize("text, line", [("code:voice: ''\n", 1), ("code:voice: [a, b]\n", 1),
                                        ("- a list\n", 1), ("code:voice: 'x\n", 2)])
def test_malformed_files_are_errors_with_a_line(text: str, line: int) -> None:
    found, problems = read_interpretations(_files(O3=text), {"O3"}, THEMES)
    assert found.get("O3", {}) == {}
    assert [(p.is_error, p.line) for p in problems] == [(True, line)]
