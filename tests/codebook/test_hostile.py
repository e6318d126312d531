"""Hostile codebook YAML: every input gives codes and problems (file, line), never a crash."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.codebook.model import (
    CODE_KEYS,
    Code,
    CodebookError,
    Example,
    build_codebook,
    load_codebook,
)
from pipeline.core.errors import Problem
from tests.hostile import alias_bomb, examples, identifiers, values, yaml_documents

PATH = "codebooks/hostile.yml"
# A code: mostly its own keys with values of any type, sometimes plausible ones.
plausible = {"id": identifiers, "parent": identifiers, "definition": st.text(max_size=20),
             "color": st.sampled_from(["#aa0000", "#abc", "red"]),
             "keywords": st.lists(st.text(max_size=8), max_size=3),
             "patterns": st.lists(st.lists(st.dictionaries(
                 st.sampled_from(["LEMMA", "LOWER", "OP", "POS", "TEXT", "bad"]),
                 st.one_of(st.text(max_size=5), st.integers(), values), max_size=2),
                 max_size=3), max_size=2)}
codes = st.dictionaries(st.sampled_from(sorted(CODE_KEYS) + ["other"]), st.one_of(values, *[
    s for s in plausible.values()]), max_size=8)
codebooks = st.fixed_dictionaries(
    {"codes": st.one_of(st.lists(codes, max_size=4), values)},
    optional={"codebook": values, "extra": values})


def check_codes(codes: tuple[Code, ...] | list[Code]) -> None:
    """What the rest of the pipeline relies on: every field of the type it declares."""
    for c in codes:
        assert isinstance(c.id, str) and isinstance(c.label, str)
        assert isinstance(c.definition, str) and isinstance(c.memo, str)
        assert c.parent is None or isinstance(c.parent, str)
        assert all(isinstance(e, Example) and isinstance(e.text, str)
                   and isinstance(e.source, str) for e in c.examples)
        assert all(isinstance(k, str) for k in c.keywords + c.exclude_keywords)
        assert all(isinstance(t, dict) for p in c.patterns for t in p)
        assert isinstance(c.codable, bool)


def check(text: str) -> None:
    book, problems = build_codebook([(PATH, text)])
    assert all(isinstance(p, Problem) and p.path == PATH for p in problems)
    check_codes(book.codes)
    try:
        load_codebook([(PATH, text)])
    except CodebookError as exc:
        assert exc.problems


@settings(max_examples=examples(200))
@given(yaml_documents(codebooks))
def test_any_codebook_yaml_gives_codes_or_problems(text: str) -> None:
    check(text)


@settings(max_examples=examples(60))
@given(yaml_documents(values))
def test_any_yaml_at_all_gives_codes_or_problems(text: str) -> None:
    check(text)


@pytest.mark.parametrize("text, line, fragment", [
    ("codes:\n- id: a\n  definition: x\n  examples: 5\n", 4, "examples must be a list"),
    ("codes:\n- id: a\n  definition: x\n  patterns: 5\n", 4, "patterns must be a list"),
    ("codes:\n- id: a\n  definition: x\n  parent: [b]\n", 4, "parent must be a code id"),
    ("codes:\n- id: a\n  definition: x\n  [1]: y\n", 4, "a key must be a plain value"),
    ("codes:\n- id: a\n  definition: !!timestamp 2001-13-45\n", 3, "invalid value"),
    ("codes:\n- id: a\n  definition: x\n  memo: \x00\n", 4, "is not allowed"),
    ("codes:\n- " + "[" * 60 + "]" * 60 + "\n", 2, "nested more than"),
])
def test_found_by_hypothesis(text: str, line: int, fragment: str) -> None:
    """Inputs that once raised TypeError, ValueError, ReaderError or RecursionError."""
    _, problems = build_codebook([(PATH, text)])
    assert [(p.line, fragment in p.message) for p in problems] == [(line, True)], problems


def test_an_alias_bomb_is_refused_before_it_expands() -> None:
    # Four levels, not nine: were aliases allowed again, str() of the definition would walk
    # 9**9 strings; 9**4 fails this test instead of exhausting memory.
    text = "codes:\n- id: a\n  definition: x\n  memo: *a3\n" + alias_bomb(levels=4)
    _, problems = build_codebook([(PATH, text)])
    assert [p.line for p in problems] == [4]
    assert "YAML aliases (*name) are not allowed here" in problems[0].message
