"""Emerging categories on the shipped demonstration corpus: labels a researcher can read,
categories proposed until decided, and decisions that survive a new interview."""
import re
import shutil
from pathlib import Path

import pandas as pd

from pipeline.core.yamlio import load
from pipeline.stages.compare.labels import FILLERS, study_names
from tests.conftest import analyse

# A fictional interview written for this test (about 430 words), conducted mid-study.
NEW_INTERVIEW = """ID: O5_Teacher#1_5.16
Date: 2016-05-16
Site: O5
Interviewers: Helen Marsh
Participants: Irene Kowalski (Teacher, Grade 3)

Helen Marsh: Thanks for staying after the bell. Could you start with what you teach?
Irene Kowalski: Grade three, going on eleven years. I joined the project team in the second
year, when our principal asked who wanted release time to work on the reading inquiry.
Helen Marsh: What did the release time let you do?
Irene Kowalski: Honestly it was the only time I ever sat with teachers from the other schools
in the family. We looked at student writing together, we argued about what good looks like,
and I came back with three things I still do every morning. None of that happens on a
Friday after school when everybody is exhausted.
Helen Marsh: And the provincial testing, does it come into the project?
Irene Kowalski: It does whether we want it or not. Grade three is an EQAO year, so from
February the test preparation crowds out the inquiry work. The board looks at the scores
first. I understand why, parents read them in the paper, but the students who gained the
most in our inquiry are not the ones whose scores moved.
Helen Marsh: What happens when the funding ends next year?
Irene Kowalski: I worry about that a lot. Without the money there is no release time, and
without release time the meetings stop. A few of us will keep sharing by email, but it will
not be the same. Every project I have seen ends the same way: the grant goes, the binders go
on a shelf, and a new initiative arrives in September with a new name.
Helen Marsh: Is there anything that would keep it going?
Irene Kowalski: If the board protected even two half days a year for teachers to meet across
schools, I think most of it would survive. The principals matter too. Where the principal
leads from the middle and clears the path, teachers carry it. Where the principal waits for
the board to tell them, it fades.
Helen Marsh: Thank you, that is very helpful.
Irene Kowalski: You are welcome. Good luck with the rest of your visits.
"""


def test_no_label_holds_a_name_or_a_filler(shipped_catalog) -> None:
    cats = shipped_catalog.load("categories")
    names = study_names(shipped_catalog.load("participants"),
                        shipped_catalog.load("transcripts"))
    assert {"kevin", "victor", "helen", "marsh"} <= names
    for label in cats["computed_label"]:
        words = set(re.findall(r"[^\W\d_]+", label.lower()))
        assert not words & FILLERS, label
        assert not words & names, label
    assert cats["computed_label"].str.contains(r"\bdatum\b").sum() == 0
    cross = cats[cats["level"] == "cross-site"]
    assert (cross["phrases"].map(len) > 0).mean() > 0.8   # most show phrases as spoken


def test_only_decided_categories_are_anything_but_proposed(shipped_catalog,
                                                            shipped_project: Path) -> None:
    decided = set()
    for d in load((shipped_project / "codebooks" / "decisions.yml").read_text())["decisions"]:
        for action in ("accept", "reject", "promote", "merge"):
            if action in d:
                keys = d[action] if isinstance(d[action], list) else [d[action]]
                decided |= set(keys)
    cats = shipped_catalog.load("categories")
    undecided = cats[~cats["category_id"].isin(decided)]
    assert len(undecided) > 200 and set(undecided["status"]) == {"proposed"}
    themes = shipped_catalog.load("themes")
    assert set(themes.loc[themes["kind"] == "category", "source_id"]) <= decided
    assert shipped_catalog.load("decision_log")["applied"].all()


def test_every_decision_still_applies_after_one_more_interview(shipped_project: Path,
                                                               tmp_path: Path) -> None:
    root = Path(shutil.copytree(shipped_project, tmp_path / "p"))
    (root / "corpus" / "transcripts" / "O5_Teacher#1_5.16.txt").write_text(NEW_INTERVIEW)
    _, catalog = analyse(root)
    log = catalog.load("decision_log")
    assert len(log) == 12
    assert log["applied"].all(), log.loc[~log["applied"], "message"].tolist()
    segs = catalog.load("segment_categories")
    assert segs["citation_id"].eq("O5_Teacher#1_5.16").sum() == 6   # one per answer
    before = pd.read_parquet(shipped_project / "outputs" / "category_keys.parquet")
    after = catalog.load("category_keys")
    kept = set(before["cross_category_id"]) & set(after["cross_category_id"])
    assert len(kept) >= 0.9 * before["cross_category_id"].nunique()
