from pipeline.core.inputs import InputFiles
from pipeline.stages.checks import CheckParams, run
from pipeline.stages.checks.stage import change_of
from tests.member.helpers import round_files


def test_changes_by_kind_of_answer() -> None:
    crit = {"text": "There is pressure and the funding is ending.", "critical": True}
    assert change_of(crit | {"response": "agree"}) == (crit["text"], "kept")
    assert change_of(crit | {"response": "disagree"}) == (crit["text"], "contested")
    assert change_of(crit | {"response": "withdraw"}) == ("", "removed")
    assert change_of(crit | {"response": "revise", "revised_text": "Funding continues."}) == (
        "Funding continues.", "softened")
    assert change_of(crit | {"response": "revise", "revised_text":
                             "There is pressure, a real problem, and the funding is ending."}
                     ) [1] == "reworded"
    plain = {"text": "Students lead.", "critical": False}
    assert change_of(plain | {"response": "revise", "revised_text": "Pupils lead."})[1] == \
        "reworded"


def test_a_full_round_gives_the_audit_the_drift_and_the_report() -> None:
    out, problems = run(round_files([
        ("O3-R1-T01", "agree", "", "group", ""),
        ("O3-R1-I01", "revise", "Testing shapes how time is spent.", "O3_Principal#1_5.10/1",
         "too negative"),
        ("O3-R1-Q01", "withdraw", "", "O3_Teacher#1_5.10/1", ""),
        ("O3-R1-Q02", "disagree", "", "O3_Teacher#1_5.10/1", "not what happens")]),
        params=CheckParams())
    assert problems == []
    audit = out["member_check_audit"]
    assert audit[["item_id", "change", "critical"]].values.tolist() == [
        ["O3-R1-T01", "kept", False], ["O3-R1-I01", "softened", True],
        ["O3-R1-Q01", "removed", True], ["O3-R1-Q02", "contested", True]]
    assert audit.loc[1, "after"] == "Testing shapes how time is spent."
    report = out["member_check_report"]["member_check_report.md"].decode()
    assert "| O3 | 3 | 1 | 1 | 1 |" in report          # answered, softened, removed, contested
    assert "In all, 2 critical statement(s) were softened or removed." in report
    assert "4 of 4 items answered, 4 answers." in report
    assert "| 1 | 1 | 1 | 1 | 3 |" in report            # agree disagree revise withdraw, people
    assert "  - before: Testing pressure crowds out inquiry" in report
    assert "  - after: Testing shapes how time is spent." in report
    assert "  - after: withdrawn; quoted in no output" in report


def test_without_rounds_the_report_says_so() -> None:
    out, _ = run(InputFiles("member_checks"), params=CheckParams())
    assert out["member_check_audit"].empty
    assert "No member-check round has been prepared yet" in \
        out["member_check_report"]["member_check_report.md"].decode()
