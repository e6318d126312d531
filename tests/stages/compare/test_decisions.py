"""decisions: parsing codebooks/decisions.yml and applying it to category membership."""
from __future__ import annotations

import pandas as pd
import pytest

from pipeline.core.errors import Problem
from pipeline.stages.compare.decisions import Decision, Overrides, apply, parse

PATH = "codebooks/decisions.yml"

VALID = """\
decisions:
  - rename: O1-aaaaaa
    label: Testing pressure
    memo: renamed after the team meeting
  - merge: [X-111111, X-222222]
    label: Funding
  - split: O2-bbbbbb
    term: Budget
    label: Budget cuts
  - split: X-333333
    segments: [s1, s2]
  - reject: O3-cccccc
    memo: artefact
  - promote: X-444444
    code_id: student_voice
    label: Student voice
"""


# ---------------------------------------------------------------- parse

def test_parse_every_action() -> None:
    decisions, problems = parse(VALID, PATH)
    assert problems == []
    assert decisions == [
        Decision("rename", ("O1-aaaaaa",), 2, label="Testing pressure",
                 memo="renamed after the team meeting"),
        Decision("merge", ("X-111111", "X-222222"), 5, label="Funding"),
        Decision("split", ("O2-bbbbbb",), 7, label="Budget cuts", term="Budget"),
        Decision("split", ("X-333333",), 10, segments=("s1", "s2")),
        Decision("reject", ("O3-cccccc",), 12, memo="artefact"),
        Decision("promote", ("X-444444",), 14, label="Student voice",
                 code_id="student_voice"),
    ]


@pytest.mark.parametrize("text", ["", "  \n", "decisions: []\n"])
def test_parse_empty_file_or_list(text: str) -> None:
    assert parse(text, PATH) == ([], [])


MALFORMED = """\
decisions:
  - label: no action here
  - rename: A
    reject: A
  - rename: A
    colour: red
  - merge: X-1
  - merge: [X-1]
  - split: A
    term: eqao
    segments: [s1]
  - split: A
  - promote: X-2
    code_id: Not-Snake
  - promote: X-3
  - rename: [A, '']
  - reject: 7
  - rename: OK-1
    label: Fine
"""

ACTIONS_MSG = "needs exactly one of accept, rename, merge, split, reject, promote"
KEYS_MSG = "name category keys (merge needs two or more)"


def test_parse_reports_each_malformed_item_with_its_line() -> None:
    decisions, problems = parse(MALFORMED, PATH)
    assert [(p.line, p.severity, p.message) for p in problems] == [
        (2, "error", f"decision 1 {ACTIONS_MSG}"),                            # no action
        (3, "error", f"decision 2 {ACTIONS_MSG}"),                            # two actions
        (5, "error", "rename: unknown key(s) colour (allowed: label, memo)"),
        (7, "error", f"merge: {KEYS_MSG}"),                                   # one key
        (8, "error", f"merge: {KEYS_MSG}"),                                   # list of one
        (9, "error", "split: give either term or segments"),                  # both
        (12, "error", "split: give either term or segments"),                 # neither
        (13, "error", "promote: code_id must be a snake_case code id"),       # bad code_id
        (15, "error", "promote: code_id must be a snake_case code id"),       # no code_id
        (16, "error", f"rename: {KEYS_MSG}"),                                 # empty key
        (17, "error", f"reject: {KEYS_MSG}"),                                 # not a string
    ]
    assert all(p.path == PATH for p in problems)
    # the good item after the bad ones is still parsed
    assert decisions == [Decision("rename", ("OK-1",), 18, label="Fine")]


@pytest.mark.parametrize("item, message", [
    ("reject: A\n    label: x", "reject: unknown key(s) label (allowed: memo)"),
    ("merge: [A, B]\n    term: x", "merge: unknown key(s) term (allowed: label, memo)"),
    ("promote: A\n    code_id: ok\n    segments: [s1]",
     "promote: unknown key(s) segments (allowed: code_id, label, memo)"),
    ("split: A\n    term: ''", "split: give either term or segments"),
    ("split: A\n    segments: []", "split: give either term or segments"),
    ("promote: A\n    code_id: 1abc", "promote: code_id must be a snake_case code id"),
])
def test_parse_item_errors(item: str, message: str) -> None:
    decisions, problems = parse(f"decisions:\n  - reject: OK\n  - {item}\n", PATH)
    assert decisions == [Decision("reject", ("OK",), 2)]
    assert problems == [Problem(PATH, 3, "error", message)]


@pytest.mark.parametrize("text", [
    "decisions: {rename: A}\n",
    "decisions:\n",
    "decisions: some text\n",
    "- rename: A\n",
    "rename: A\n",
])
def test_parse_needs_a_top_level_decisions_list(text: str) -> None:
    assert parse(text, PATH) == ([], [Problem(
        PATH, 1, "error", "decisions.yml needs a top-level 'decisions:' list")])


def test_parse_reports_invalid_yaml_with_its_line() -> None:
    decisions, problems = parse("decisions:\n  - rename: A\n    rename: B\n", PATH)
    assert decisions == []
    assert problems == [Problem(PATH, 3, "error",
                                "duplicate key 'rename' (first on line 2)")]


def test_parse_scalar_item_error_has_its_line() -> None:
    _, problems = parse("decisions:\n  - reject: OK\n  - rename O1-abc\n", PATH)
    assert [(p.line, p.message) for p in problems] == [(3, f"decision 2 {ACTIONS_MSG}")]


def test_parse_split_with_a_single_segment_id() -> None:
    decisions, problems = parse("decisions:\n  - split: A\n    segments: s2\n", PATH)
    assert problems or decisions[0].segments == ("s2",)


def test_parse_empty_label_is_not_the_string_none() -> None:
    decisions, problems = parse("decisions:\n  - rename: A\n    label:\n", PATH)
    assert problems or decisions[0].label == ""


# ---------------------------------------------------------------- apply

def members() -> pd.DataFrame:
    return pd.DataFrame({
        "segment_id": ["s1", "s2", "s3", "s4", "s5", "s6"],
        "category_id": ["O1-a", "O1-a", "O1-b", "O2-a", "O2-b", "O1-a"],
        "cross_category_id": ["X-1", "X-1", "X-2", "X-1", "X-2", "X-1"],
        "site": ["O1", "O1", "O1", "O2", "O2", "O1"],
        "lemmas": ["test score eqao", "budget cut", "budget fund", "eqao test", "fund grant",
                   "testing co_teaching"],
    })


SITE = members()["category_id"].tolist()
CROSS = members()["cross_category_id"].tolist()


def run(*decisions: Decision):
    return apply(list(decisions), members(), PATH, lemma=str.lower)


def test_apply_nothing_changes_nothing() -> None:
    out, over, log, problems = run()
    pd.testing.assert_frame_equal(out, members())
    assert over == Overrides()
    assert log.empty and list(log.columns) == ["line", "action", "categories", "applied",
                                               "message"]
    assert problems == []


def test_rename_sets_label_and_memo() -> None:
    out, over, log, problems = run(Decision("rename", ("O1-a",), 3, label="Testing",
                                            memo="why"))
    pd.testing.assert_frame_equal(out, members())
    assert over == Overrides(label={"O1-a": "Testing"}, memo={"O1-a": "why"})
    assert problems == []
    assert log.to_dict("records") == [{"line": 3, "action": "rename", "categories": "O1-a",
                                       "applied": True, "message": "applied"}]


@pytest.mark.parametrize("decision, expected", [
    (Decision("reject", ("O1-b",), 2, memo="small talk"),
     Overrides(status={"O1-b": "rejected"}, memo={"O1-b": "small talk"})),
    (Decision("reject", ("X-2",), 2), Overrides(status={"X-2": "rejected"})),
    (Decision("promote", ("X-1",), 2, label="Testing", code_id="eqao_pressure"),
     Overrides(label={"X-1": "Testing"}, status={"X-1": "promoted"},
               code_id={"X-1": "eqao_pressure"})),
    (Decision("rename", ("X-2",), 2, label="Money"), Overrides(label={"X-2": "Money"})),
])
def test_reject_promote_rename_set_overrides(decision: Decision,
                                             expected: Overrides) -> None:
    out, over, log, problems = run(decision)
    pd.testing.assert_frame_equal(out, members())
    assert over == expected
    assert problems == [] and log["applied"].tolist() == [True]


def test_merge_site_categories_moves_segments_into_the_first_key() -> None:
    out, over, log, problems = run(Decision("merge", ("O1-a", "O1-b"), 4, label="Tests+money"))
    assert out["category_id"].tolist() == ["O1-a", "O1-a", "O1-a", "O2-a", "O2-b", "O1-a"]
    assert out["cross_category_id"].tolist() == CROSS
    assert over.label == {"O1-a": "Tests+money"}
    assert problems == []
    assert log.to_dict("records") == [{"line": 4, "action": "merge",
                                       "categories": "O1-a, O1-b", "applied": True,
                                       "message": "applied"}]


def test_merge_cross_site_categories_moves_segments_into_the_first_key() -> None:
    out, over, _, problems = run(Decision("merge", ("X-2", "X-1"), 4))
    assert out["cross_category_id"].tolist() == ["X-2"] * 6
    assert out["category_id"].tolist() == SITE
    assert problems == []


def test_merging_site_categories_of_different_sites_is_refused() -> None:
    out, over, log, problems = run(Decision("merge", ("O1-a", "O2-a"), 6, label="x"))
    pd.testing.assert_frame_equal(out, members())
    assert over == Overrides()
    message = "merges categories of different sites; merge their cross-site categories"
    assert problems == [Problem(PATH, 6, "warning", f"merge: {message}")]
    assert log.to_dict("records") == [{"line": 6, "action": "merge",
                                       "categories": "O1-a, O2-a", "applied": False,
                                       "message": message}]


def test_mixing_site_and_cross_site_keys_is_refused() -> None:
    out, _, log, problems = run(Decision("merge", ("O1-a", "X-2"), 6))
    pd.testing.assert_frame_equal(out, members())
    assert problems == [Problem(PATH, 6, "warning",
                                "merge: mixes site and cross-site categories; not applied")]
    assert log["applied"].tolist() == [False]


@pytest.mark.parametrize("target, term, col, expected", [
    ("O1-a", "Budget", "category_id",
     ["O1-a", "O1-a.budget", "O1-b", "O2-a", "O2-b", "O1-a"]),
    # whole tokens only: "testing" (s6) does not match "test"
    ("O1-a", "test", "category_id",
     ["O1-a.test", "O1-a", "O1-b", "O2-a", "O2-b", "O1-a"]),
    ("O1-a", "Co_Teaching", "category_id",
     ["O1-a", "O1-a", "O1-b", "O2-a", "O2-b", "O1-a.co-teaching"]),
    ("X-1", "EQAO", "cross_category_id",
     ["X-1.eqao", "X-1", "X-2", "X-1.eqao", "X-2", "X-1"]),
])
def test_split_by_term(target: str, term: str, col: str, expected: list[str]) -> None:
    out, over, log, problems = run(Decision("split", (target,), 9, label="Part", term=term))
    assert out[col].tolist() == expected
    other = "cross_category_id" if col == "category_id" else "category_id"
    assert out[other].tolist() == members()[other].tolist()
    new = next(k for k in expected if "." in k)
    assert over.label == {new: "Part"}          # the label goes to the new category
    assert problems == [] and log["applied"].tolist() == [True]


@pytest.mark.parametrize("term, lemma, key", [
    ("budgets", lambda w: w.lower().rstrip("s"), "O1-a.budgets"),
    ("Budget!", lambda w: w.lower().strip("!"), "O1-a.budget"),   # slug: no trailing "-"
    ("¡Budget!", lambda w: w.lower().strip("¡!"), "O1-a.budget"),
    ("€€", lambda w: "budget", "O1-a.part"),                      # nothing left to slug
])
def test_split_by_term_uses_the_lemma_function_and_slugs_the_term(term: str, lemma,
                                                                  key: str) -> None:
    decision = Decision("split", ("O1-a",), 9, term=term)
    out, _, _, problems = apply([decision], members(), PATH, lemma=lemma)
    assert problems == []
    assert out["category_id"].tolist() == ["O1-a", key, "O1-b", "O2-a", "O2-b", "O1-a"]


@pytest.mark.parametrize("target, segments, col, expected", [
    ("O1-a", ("s2", "s6", "s3"), "category_id",      # s3 is outside O1-a: ignored
     ["O1-a", "O1-a.7", "O1-b", "O2-a", "O2-b", "O1-a.7"]),
    ("X-1", ("s4",), "cross_category_id",
     ["X-1", "X-1", "X-2", "X-1.7", "X-2", "X-1"]),
])
def test_split_by_segments_uses_the_line_in_the_key(target: str, segments: tuple[str, ...],
                                                    col: str, expected: list[str]) -> None:
    out, _, log, problems = run(Decision("split", (target,), 7, segments=segments))
    assert out[col].tolist() == expected
    assert problems == [] and log["applied"].tolist() == [True]


NOTHING = "split selects no segment of the category; not applied"
EVERYTHING = "split would move every segment; not applied"


@pytest.mark.parametrize("decision, why", [
    (Decision("split", ("O1-a",), 5, label="x", term="grant"), NOTHING),
    (Decision("split", ("O1-a",), 5, label="x", term="cut score"), NOTHING),  # not one token
    (Decision("split", ("O1-a",), 5, label="x", segments=("s3", "s4")), NOTHING),
    (Decision("split", ("O1-a",), 5, label="x", segments=("s1", "s2", "s6")), EVERYTHING),
    (Decision("split", ("O2-a",), 5, label="x", term="eqao"), EVERYTHING),
    (Decision("split", ("X-2",), 5, label="x", term="fund"), EVERYTHING),
])
def test_split_selecting_nothing_or_everything_is_refused(decision: Decision,
                                                          why: str) -> None:
    out, over, log, problems = run(decision)
    pd.testing.assert_frame_equal(out, members())
    assert over == Overrides()                  # not even the label is set
    assert problems == [Problem(PATH, 5, "warning", f"split: {why}")]
    assert log.to_dict("records") == [{"line": 5, "action": "split",
                                       "categories": decision.targets[0], "applied": False,
                                       "message": why}]


def unknown(keys: str) -> str:
    return (f"names category {keys}, which this run did not produce (see "
            f"outputs/categories.parquet for current keys); not applied")


@pytest.mark.parametrize("decision, keys", [
    (Decision("rename", ("O9-zzzzzz",), 4, label="x"), "O9-zzzzzz"),
    (Decision("merge", ("X-1", "X-9", "X-8"), 4), "X-9, X-8"),
    (Decision("split", ("O1-x",), 4, term="eqao"), "O1-x"),
    (Decision("promote", ("X-7",), 4, code_id="abc"), "X-7"),
])
def test_unknown_key_is_warned_with_its_line_and_logged_not_applied(decision: Decision,
                                                                    keys: str) -> None:
    out, over, log, problems = run(decision)
    pd.testing.assert_frame_equal(out, members())
    assert over == Overrides()
    assert problems == [Problem(PATH, 4, "warning", f"{decision.action}: {unknown(keys)}")]
    assert log.to_dict("records") == [{"line": 4, "action": decision.action,
                                       "categories": ", ".join(decision.targets),
                                       "applied": False, "message": unknown(keys)}]


def test_decisions_apply_in_file_order_rename_after_split() -> None:
    out, over, log, problems = run(
        Decision("split", ("O1-a",), 2, term="budget"),
        Decision("rename", ("O1-a.budget",), 5, label="Budget cuts"),
    )
    assert problems == []
    assert out["category_id"].tolist() == ["O1-a", "O1-a.budget", "O1-b", "O2-a", "O2-b",
                                           "O1-a"]
    assert over.label == {"O1-a.budget": "Budget cuts"}
    assert log["applied"].tolist() == [True, True]


def test_decisions_apply_in_file_order_rename_before_split_finds_no_key() -> None:
    out, over, log, problems = run(
        Decision("rename", ("O1-a.budget",), 2, label="Budget cuts"),
        Decision("split", ("O1-a",), 5, term="budget"),
    )
    assert problems == [Problem(PATH, 2, "warning", f"rename: {unknown('O1-a.budget')}")]
    assert over.label == {}
    assert out["category_id"].tolist()[1] == "O1-a.budget"
    assert log[["line", "applied"]].to_dict("records") == [
        {"line": 2, "applied": False}, {"line": 5, "applied": True}]


def test_a_merged_away_key_no_longer_exists() -> None:
    out, over, log, problems = run(
        Decision("merge", ("X-1", "X-2"), 2),
        Decision("reject", ("X-2",), 4),
        Decision("rename", ("X-1",), 6, label="Everything"),
    )
    assert out["cross_category_id"].tolist() == ["X-1"] * 6
    assert problems == [Problem(PATH, 4, "warning", f"reject: {unknown('X-2')}")]
    assert over == Overrides(label={"X-1": "Everything"})
    assert log["applied"].tolist() == [True, False, True]


def test_apply_does_not_modify_its_input() -> None:
    frame = members()
    apply([Decision("merge", ("X-1", "X-2"), 2), Decision("split", ("O1-a",), 3, term="cut")],
          frame, PATH, lemma=str.lower)
    pd.testing.assert_frame_equal(frame, members())


def test_parse_then_apply() -> None:
    text = """\
decisions:
  - split: X-1
    term: EQAO
    label: EQAO named
  - merge: [O1-a, O1-b]
  - promote: X-1.eqao
    code_id: eqao_named
  - reject: O3-zzzzzz
"""
    decisions, problems = parse(text, PATH)
    assert problems == []
    out, over, log, found = apply(decisions, members(), PATH, lemma=str.lower)
    assert out["cross_category_id"].tolist() == ["X-1.eqao", "X-1", "X-2", "X-1.eqao", "X-2",
                                                 "X-1"]
    assert out["category_id"].tolist() == ["O1-a", "O1-a", "O1-a", "O2-a", "O2-b", "O1-a"]
    assert over == Overrides(label={"X-1.eqao": "EQAO named"},
                             status={"X-1.eqao": "promoted"},
                             code_id={"X-1.eqao": "eqao_named"})
    assert found == [Problem(PATH, 8, "warning", f"reject: {unknown('O3-zzzzzz')}")]
    assert log[["line", "action", "applied"]].to_dict("records") == [
        {"line": 2, "action": "split", "applied": True},
        {"line": 5, "action": "merge", "applied": True},
        {"line": 6, "action": "promote", "applied": True},
        {"line": 8, "action": "reject", "applied": False},
    ]


@pytest.mark.parametrize("item, message", [
    ("rename: A", "rename: rename needs a label"),
    ("split: A\n    term: two words", "split: term must be a single word"),
    ("split: A\n    segments: [1, 2]", "split: segments must be a list of segment ids"),
])
def test_parse_field_checks(item: str, message: str) -> None:
    _, problems = parse(f"decisions:\n  - {item}\n", PATH)
    assert [(p.line, p.message[:len(message)]) for p in problems] == [(2, message)]


def test_parse_accept_takes_one_key_or_a_list() -> None:
    decisions, problems = parse("decisions:\n  - accept: X-1\n    label: Money\n"
                                "  - accept: [X-1, X-2]\n", PATH)
    assert problems == []
    assert [(d.action, d.targets, d.label) for d in decisions] == [
        ("accept", ("X-1",), "Money"), ("accept", ("X-1", "X-2"), "")]


def test_accept_and_reject_set_the_status_of_every_key_named() -> None:
    _, over, log, problems = run(Decision("accept", ("X-1", "X-2"), 2),
                                 Decision("reject", ("O1-a", "O1-b"), 3))
    assert over.status == {"X-1": "accepted", "X-2": "accepted", "O1-a": "rejected",
                           "O1-b": "rejected"}
    assert log["applied"].tolist() == [True, True] and problems == []


def test_a_decision_on_an_absorbed_key_applies_to_the_category_that_holds_it_now() -> None:
    out, over, log, problems = apply([Decision("accept", ("X-9",), 4, label="Money")],
                                     members(), PATH, absorbed={"X-9": "X-2"})
    assert over.status == {"X-2": "accepted"} and over.label == {"X-2": "Money"}
    assert log.iloc[0]["applied"] and "X-9 is now part of X-2" in log.iloc[0]["message"]
    assert [(p.line, p.severity) for p in problems] == [(4, "warning")]
    assert "X-9 is now part of X-2" in problems[0].message
