import pytest

from pipeline.core.yamlio import LINE, LINES, YamlError, load, strip


def test_mappings_remember_lines() -> None:
    data = load("a: 1\nlist:\n  - id: x\n    v: 2\n  - id: y\n")
    assert data[LINE] == 1
    assert data[LINES] == {"a": 1, "list": 2}
    assert [item[LINE] for item in data["list"]] == [3, 5]
    assert strip(data) == {"a": 1, "list": [{"id": "x", "v": 2}, {"id": "y"}]}


def test_duplicate_keys_are_errors_with_line() -> None:
    with pytest.raises(YamlError, match="duplicate key 'a' \\(first on line 1\\)") as info:
        load("a: 1\nb: 2\na: 3\n")
    assert info.value.line == 3


def test_syntax_error_has_line() -> None:
    with pytest.raises(YamlError) as info:
        load("a: [1, 2\nb: 3\n")
    assert info.value.line >= 2


def test_unsafe_tags_are_refused() -> None:
    with pytest.raises(YamlError):
        load("x: !!python/object/apply:os.system ['echo hi']\n")


def test_sequences_remember_item_lines_even_for_scalars() -> None:
    data = load("items:\n  - a\n  -\n    b: 1\n  - c\n")
    assert data["items"].lines == [2, 4, 5]  # where each item's content starts
    assert strip(data)["items"] == ["a", {"b": 1}, "c"]
