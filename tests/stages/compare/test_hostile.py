"""Hostile codebooks/decisions.yml: every input gives decisions and problems, never a crash."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.errors import Problem
from pipeline.stages.compare.decisions import ACTIONS, EXTRA, Decision, parse
from tests.hostile import alias_bomb, examples, values, yaml_documents

PATH = "codebooks/decisions.yml"
FIELDS = sorted({k for extra in EXTRA.values() for k in extra} | set(ACTIONS) | {"other"})
plausible = st.one_of(st.text(max_size=8), st.lists(st.text(max_size=8), max_size=3))
decision = st.dictionaries(st.sampled_from(FIELDS), st.one_of(plausible, values), max_size=4)
files = st.fixed_dictionaries({"decisions": st.one_of(st.lists(decision, max_size=4), values)},
                              optional={"other": values})


def check(text: str) -> None:
    found, problems = parse(text, PATH)
    assert all(isinstance(p, Problem) and p.path == PATH for p in problems)
    for d in found:  # what `apply` relies on
        assert isinstance(d, Decision) and d.action in ACTIONS
        assert d.targets and all(isinstance(t, str) and t for t in d.targets)
        assert all(isinstance(v, str) for v in (d.label, d.memo, d.term, d.code_id))
        assert all(isinstance(s, str) for s in d.segments)


@settings(max_examples=examples(200))
@given(yaml_documents(files))
def test_any_decisions_yaml_gives_decisions_or_problems(text: str) -> None:
    check(text)


@pytest.mark.parametrize("text, fragment", [
    ("decisions:\n- accept: x\n  1: y\n  b: z\n", "unknown key(s) 1, b"),
    ("decisions:\n- split: x\n  term: [a, b]\n", "term must be a single word"),
    ("decisions:\n- split: x\n  segments: s1\n", "segments must be a list"),
    ("decisions:\n- accept: []\n", "name category keys"),   # a decision about nothing
])
def test_found_by_hypothesis(text: str, fragment: str) -> None:
    """Inputs that once raised TypeError or were taken as something else."""
    found, problems = parse(text, PATH)
    assert not found and [(p.line, fragment in p.message) for p in problems] == [(2, True)], \
        problems


def test_an_alias_bomb_is_refused_before_it_expands() -> None:
    _, problems = parse("decisions:\n- accept: *a8\n" + alias_bomb(), PATH)
    assert [(p.line, p.message) for p in problems] == [
        (2, "YAML aliases (*name) are not allowed here; write the value out")]
