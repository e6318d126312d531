import pytest

from pipeline.core.errors import InputError, Problem, error, warning


def test_problem_prints_file_line_severity() -> None:
    assert str(error("corpus/a.txt", 12, "bad")) == "corpus/a.txt:12: error: bad"
    assert str(warning("corpus/a.txt", 0, "odd")) == "corpus/a.txt: warning: odd"


def test_input_error_lists_only_errors_sorted() -> None:
    exc = InputError([error("b.txt", 3, "second"), warning("a.txt", 1, "meh"),
                      error("a.txt", 9, "first")])
    text = str(exc)
    assert text.startswith("2 error(s)")
    assert text.index("a.txt:9") < text.index("b.txt:3")
    assert "meh" not in text
    assert [p.path for p in exc.problems] == ["a.txt", "a.txt", "b.txt"]


@pytest.mark.parametrize("severity, is_error", [("error", True), ("warning", False)])
def test_is_error(severity: str, is_error: bool) -> None:
    assert Problem("x", 1, severity, "m").is_error is is_error
