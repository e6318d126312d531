import pytest

from pipeline.study.speakers import (
    Participant,
    assign_participants,
    interviewer_keys,
    match_role,
)

VOCABULARY = ("Director", "Superintendent", "Principal", "VicePrincipal", "Teacher",
              "Consultant", "Coordinator", "Coach", "MinistryStaff", "CODELeader")


@pytest.mark.parametrize("text, expected", [
    ("Vice-Principal", ("VicePrincipal", "")),
    ("vice principal", ("VicePrincipal", "")),
    ("Principal", ("Principal", "")),
    ("  teacher ", ("Teacher", "")),
    ("CODE Leader", ("CODELeader", "")),
    ("Ministry staff", ("MinistryStaff", "")),
    ("Superintendent of Special Education",
     ("Superintendent", "Superintendent of Special Education")),
    ("Teacher (Grade 3)", ("Teacher", "Teacher (Grade 3)")),
    ("Mental Health Consultant", ("Consultant", "Mental Health Consultant")),
    ("Acting Vice-Principal", ("VicePrincipal", "Acting Vice-Principal")),
    ("Head Coach", ("Coach", "Head Coach")),
    ("Secretary", None),
    ("", None),
])
def test_match_role(text: str, expected: tuple[str, str] | None) -> None:
    assert match_role(text, VOCABULARY) == expected


def test_interviewer_keys() -> None:
    keys = interviewer_keys(("Interviewer", "I", "Helen Marsh"),
                            "Daniel Okafor; Priya Raman (Lead)")
    assert keys == {"interviewer", "i", "helen marsh", "daniel okafor", "daniel", "okafor",
                    "priya raman", "priya", "raman"}
    assert interviewer_keys(("INTERVIEWER", "Q"), "") == {"interviewer", "q"}


def test_lone_participant_takes_generic_label_and_the_id_role() -> None:
    by_key, notes = assign_participants(
        "O1_Principal#1_5.14", ["P", "Rosa Delgado", "P", "ROSA"],
        [("Rosa Delgado", "Teacher")], ("Principal", ""), VOCABULARY)
    rosa = Participant("O1_Principal#1_5.14/1", "Rosa Delgado", "Principal", "Teacher",
                       ["P", "Rosa Delgado", "ROSA"])
    assert by_key == {"p": rosa, "rosa delgado": rosa, "rosa": rosa}
    assert by_key["p"] is by_key["rosa"]
    assert notes == []


def test_lone_participant_keeps_the_id_subtype() -> None:
    by_key, notes = assign_participants(
        "O3_Superintendent-SpecialEducation#1_5.9", ["P"],
        [("Nadia Ferreira", "Superintendent of Special Education")],
        ("Superintendent", "SpecialEducation"), VOCABULARY)
    assert by_key == {"p": Participant("O3_Superintendent-SpecialEducation#1_5.9/1",
                                       "Nadia Ferreira", "Superintendent", "SpecialEducation",
                                       ["P"])}
    assert notes == []


def test_two_participants_matched_by_name_with_their_own_roles() -> None:
    by_key, notes = assign_participants(
        "O8_VicePrincipal#1_5.25", ["Aisha", "TOM", "Aisha", "Osei"],
        [("Aisha Osei", "Vice-Principal"), ("Tom Byrne", "Mental Health Consultant")],
        ("VicePrincipal", ""), VOCABULARY)
    aisha = Participant("O8_VicePrincipal#1_5.25/1", "Aisha Osei", "VicePrincipal", "",
                        ["Aisha", "Osei"])
    tom = Participant("O8_VicePrincipal#1_5.25/2", "Tom Byrne", "Consultant",
                      "Mental Health Consultant", ["TOM"])
    assert by_key == {"aisha": aisha, "osei": aisha, "tom": tom}
    assert notes == []


def test_declared_role_outside_vocabulary_falls_back_to_id_role() -> None:
    by_key, _ = assign_participants(
        "O2_Teacher#1_5.5", ["Rosa", "Kevin"],
        [("Rosa Delgado", "Teacher"), ("Kevin Tran", "Librarian")], ("Teacher", ""), VOCABULARY)
    assert (by_key["kevin"].role, by_key["kevin"].role_subtype) == ("Teacher", "")


def test_undeclared_extra_speaker_becomes_a_participant_with_a_note() -> None:
    by_key, notes = assign_participants(
        "O2_Teacher#1_5.5", ["Rosa", "Kevin", "Sam", "Sam"],
        [("Rosa Delgado", "Teacher"), ("Kevin Tran", "Teacher")], ("Teacher", ""), VOCABULARY)
    assert by_key["sam"] == Participant("O2_Teacher#1_5.5/3", "Sam", "Teacher", "", ["Sam"])
    assert [p.participant_id for p in by_key.values()] == [
        "O2_Teacher#1_5.5/1", "O2_Teacher#1_5.5/2", "O2_Teacher#1_5.5/3"]
    assert notes == ["speaker 'Sam' is not among the participants named in the header; counted "
                     "as another participant"]


def test_no_declared_participants_each_label_is_a_participant_without_notes() -> None:
    by_key, notes = assign_participants(
        "O1_Teacher#1_5.3", ["P", "R", "P"], [], ("Teacher", "Grade3"), VOCABULARY)
    assert by_key == {"p": Participant("O1_Teacher#1_5.3/1", "P", "Teacher", "Grade3", ["P"]),
                      "r": Participant("O1_Teacher#1_5.3/2", "R", "Teacher", "Grade3", ["R"])}
    assert notes == []
