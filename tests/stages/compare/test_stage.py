"""The compare stage on a small designed corpus whose themes are known."""
from pathlib import Path

import pandas as pd
import pytest

from pipeline.core.catalog import Catalog
from pipeline.core.config import load_config
from pipeline.core.errors import InputError
from pipeline.core.inputs import DecisionsInput, KeyHistory
from pipeline.core.registry import upstream
from pipeline.core.runner import Runner
from pipeline.stages.compare.stage import CompareParams, _parents, interview_order, run

# Two clearly separable themes, voiced at two sites by several people.
MONEY = ["The grant money ended in June and the budget for release time is gone.",
         "Without the grant money the release time budget ends and the project stops.",
         "When the budget money ended we lost release time for the project grant."]
TESTS = ["EQAO test scores dropped and the provincial test pressure on students grew.",
         "Provincial EQAO testing drives everything; test scores decide what students do.",
         "Students feel the EQAO test pressure and the provincial test scores fell."]


def interview(cid: str, answers: list[str]) -> str:
    lines = [f"ID: {cid}", ""]
    for i, a in enumerate(answers, 1):
        lines += [f"I: Question {i}?", f"P: {a}"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def project(make_project) -> Path:
    return make_project({
        "O1_Principal#1_5.2.txt": interview("O1_Principal#1_5.2", [MONEY[0], TESTS[0]]),
        "O1_Teacher#1_5.3.txt": interview("O1_Teacher#1_5.3", [TESTS[1], MONEY[1]]),
        "O2_Principal#1_5.4.txt": interview("O2_Principal#1_5.4", [MONEY[2], TESTS[2]]),
    })


def analyse(root: Path, *overrides: str) -> dict[str, pd.DataFrame]:
    cfg = load_config(None, ["represent.n_components=2", "represent.min_df=1",
                             "represent.max_df=1.0", *overrides])
    catalog = Catalog(root, cfg.paths)
    Runner(catalog, cfg).run(upstream(["compare"]))
    return {n: catalog.load(n) for n in ("segments", "categories", "segment_categories",
                                         "saturation", "decision_log")}


def test_known_themes_are_recovered_within_and_across_sites(project: Path) -> None:
    t = analyse(project)
    seg = t["segments"].set_index("segment_id")["text"]
    members = t["segment_categories"].assign(text=lambda d: d["segment_id"].map(seg))
    by_cross = members.groupby("cross_category_id")["text"].apply(set).tolist()
    assert sorted(map(sorted, by_cross)) == sorted([sorted(MONEY), sorted(TESTS)])
    cats = t["categories"].set_index("category_id")
    cross = cats[cats["level"] == "cross-site"]
    assert set(cross["n_sites"]) == {2} and set(cross["n_participants"]) == {3}
    assert cross["site"].isna().all()
    site = cats[cats["level"] == "site"]
    assert sorted(site["site"]) == ["O1", "O1", "O2", "O2"]
    assert set(site["parent_id"]) == set(cross.index)
    money = cross[cross["top_terms"].apply(lambda ts: "money" in ts)].iloc[0]
    assert money["first_citation_id"] == "O1_Principal#1_5.2"
    assert money["first_locator"] == "O1_Principal#1_5.2 ¶2"
    assert len(money["representative_segments"]) == 3
    # a suggestion until a researcher decides
    assert money["status"] == "proposed" and not money["minor"]
    assert "money" in money["label"] and set(money["phrases"]) <= {
        "grant money", "money", "release time", "budget", "budget money", "project grant",
        "release time budget", "project"}


def test_keys_are_stable_and_saturation_counts_first_appearances(project: Path) -> None:
    first = analyse(project)["categories"]
    sat = analyse(project, "compare.max_passes=5")["saturation"]
    again = analyse(project)["categories"]
    assert first["category_id"].tolist() == again["category_id"].tolist()
    overall = sat[sat["scope"] == "overall"]
    assert overall["citation_id"].tolist() == ["O1_Principal#1_5.2", "O1_Teacher#1_5.3",
                                               "O2_Principal#1_5.4"]
    assert overall["new_categories"].tolist() == [2, 0, 0]
    o2 = sat[sat["scope"] == "O2"]
    assert o2["new_categories"].tolist() == [2]


def test_decisions_apply_by_key_and_unknown_keys_are_reported(project: Path) -> None:
    cats = analyse(project)["categories"]
    cross = cats[cats["level"] == "cross-site"].set_index("category_id")
    money = cross.index[cross["top_terms"].apply(lambda ts: "money" in ts)][0]
    tests = cross.index[cross["top_terms"].apply(lambda ts: "eqao" in ts)][0]
    (project / "codebooks").mkdir(exist_ok=True)
    (project / "codebooks" / "decisions.yml").write_text(
        "decisions:\n"
        f"  - rename: {money}\n    label: When the money ends\n"
        f"  - promote: {tests}\n    code_id: testing_pressure\n"
        "  - reject: X-000000\n")
    t = analyse(project)
    cats = t["categories"].set_index("category_id")
    assert cats.loc[money, "label"] == "When the money ends"
    assert cats.loc[money, "computed_label"] != "When the money ends"
    assert (cats.loc[tests, "status"], cats.loc[tests, "promoted_code"]) == (
        "promoted", "testing_pressure")
    log = t["decision_log"]
    assert log["applied"].tolist() == [True, True, False]
    assert log.iloc[2]["line"] == 6 and "X-000000" in log.iloc[2]["message"]


def test_malformed_decisions_stop_the_stage() -> None:
    with pytest.raises(InputError, match="needs exactly one of"):
        run(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
            DecisionsInput("codebooks/decisions.yml", "decisions:\n  - label: x\n"),
            KeyHistory(None), params=CompareParams())


def test_interview_order_is_date_then_corpus_order() -> None:
    t = pd.DataFrame({"citation_id": ["O1_A#1_5.9", "O2_A#1_5.3", "O1_B#1_5.3"],
                      "site": ["O1", "O2", "O1"],
                      "interview_date": pd.to_datetime(["2016-05-09", "2016-05-03",
                                                        "2016-05-03"]).date})
    assert interview_order(t)["citation_id"].tolist() == ["O2_A#1_5.3", "O1_B#1_5.3",
                                                          "O1_A#1_5.9"]


EARLIER = """ID: O2_Teacher#1_5.2
Participants: Dana Roy (Teacher)

I: What do the tests do?
Dana Roy: The EQAO test scores drive the school plan, and the provincial test pressure
lands on my students.
I: And the money?
Dana Roy: The small budget after the grant is the engine; when the grant money goes,
the budget goes too.
I: Thanks.
Dana Roy: Yeah.
"""


def test_decisions_keep_applying_when_an_earlier_interview_is_added(tmp_path: Path) -> None:
    from tests.conftest import analyse as analyse_all
    from tests.fixtures import copy_project

    root = copy_project(tmp_path / "p")
    _, catalog = analyse_all(root)
    before = catalog.load("categories").set_index("category_id")
    assert catalog.load("decision_log")["applied"].all()
    # The new interview was conducted first: it anchors the categories it joins.
    (root / "corpus" / "transcripts" / "O2_Teacher#1_5.2.txt").write_text(EARLIER)
    _, catalog = analyse_all(root)
    log = catalog.load("decision_log")
    assert log["applied"].all(), log["message"].tolist()
    after = catalog.load("categories").set_index("category_id")
    for key in ("X-a46c53", "X-3ccb8e"):
        assert after.loc[key, "status"] == "accepted"
        assert after.loc[key, "n_participants"] >= before.loc[key, "n_participants"]
    assert after.loc["X-3ccb8e", "label"] == "Budget after the grant"
    # The backchannel is kept, flagged, not compared.
    seg = catalog.load("segment_categories").merge(catalog.load("segments")[
        ["segment_id", "text"]], on="segment_id")
    yeah = seg[seg["text"] == "Yeah."].iloc[0]
    assert not yeah["compared"] and yeah["left_out"] == "fewer than 3 content words"
    assert pd.isna(yeah["cross_category_id"])


@pytest.mark.slow
def test_without_the_key_history_a_clean_run_would_have_renamed_them(tmp_path: Path) -> None:
    """The control for the test above: the earlier interview does move the fresh keys, so
    it is the history that keeps them."""
    from tests.conftest import analyse as analyse_all
    from tests.fixtures import copy_project

    root = copy_project(tmp_path / "p")
    (root / "corpus" / "transcripts" / "O2_Teacher#1_5.2.txt").write_text(EARLIER)
    _, catalog = analyse_all(root)
    assert not catalog.load("decision_log")["applied"].all()


def test_parents_are_the_plain_most_common_cross_category_first_key_on_ties() -> None:
    members = pd.DataFrame({
        "category_id":       ["a", "a", "a", "b", "b", "c", "c", "c", "c", None],
        "cross_category_id": ["X", "Y", "Y", "Z", "W", "X", None, None, "X", "X"]})
    plain = (members.groupby("category_id")["cross_category_id"]
             .agg(lambda s: s.value_counts().sort_index().idxmax()))
    assert _parents(members).sort_index().to_dict() == plain.to_dict() == {
        "a": "Y", "b": "W", "c": "X"}
