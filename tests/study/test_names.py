import pytest

from pipeline.study.names import label_key, name_keys, split_people


@pytest.mark.parametrize("label, key", [
    ("INTERVIEWER", "interviewer"), ("  Helen   Marsh ", "helen marsh"), ("Q", "q")])
def test_label_key(label: str, key: str) -> None:
    assert label_key(label) == key


def test_name_keys() -> None:
    assert name_keys("Anne-Marie de la Cruz") == {"anne-marie de la cruz", "anne-marie", "cruz"}
    assert name_keys("") == set()


@pytest.mark.parametrize("value, expected", [
    ("Rosa Delgado (Teacher); Kevin Tran (Teacher)",
     [("Rosa Delgado", "Teacher"), ("Kevin Tran", "Teacher")]),
    ("Rosa Delgado (Teacher), Kevin Tran (Vice-Principal)",
     [("Rosa Delgado", "Teacher"), ("Kevin Tran", "Vice-Principal")]),
    ("Rosa Delgado (Teacher), Kevin Tran (Vice-Principal, acting)",
     [("Rosa Delgado", "Teacher"), ("Kevin Tran", "Vice-Principal, acting")]),
    ("Rosa Delgado (Teacher); Kevin Tran (Principal, Elm PS)",
     [("Rosa Delgado", "Teacher"), ("Kevin Tran", "Principal, Elm PS")]),
    ("  Rosa Delgado ,Kevin Tran  ", [("Rosa Delgado", ""), ("Kevin Tran", "")]),
    ("Jo Park", [("Jo Park", "")]),
    ("Nadia Ferreira (Superintendent of Special Education)",
     [("Nadia Ferreira", "Superintendent of Special Education")]),
    ("Jo Park ( Teacher )", [("Jo Park", "Teacher")]),
    ("", []),
    (" ; ", []),
])
def test_split_people(value: str, expected: list[tuple[str, str]]) -> None:
    assert split_people(value) == expected


def test_split_people_semicolon_inside_role() -> None:
    assert split_people("Rosa Delgado (Teacher; Grade 3); Kevin Tran") == [
        ("Rosa Delgado", "Teacher; Grade 3"), ("Kevin Tran", "")]


def test_speaker_parts_and_numbered_interviewers() -> None:
    from pipeline.study.names import is_interviewer, speaker_parts

    assert speaker_parts("Interviewee 1 & Interviewee 2") == ["Interviewee 1", "Interviewee 2"]
    assert speaker_parts("Interviewee 1 and/or Interviewee 2") == ["Interviewee 1",
                                                                   "Interviewee 2"]
    assert speaker_parts("A or B") == ["A", "B"] and speaker_parts("Rosa") == ["Rosa"]
    assert speaker_parts("and B") == ["and B"]
    keys = {"interviewer", "i"}
    for label in ("Interviewer", "INTERVIEWER 2", "Interviewer #1", "I1", "I 2",
                  "Interviewer 1 & Interviewer 2"):
        assert is_interviewer(label, keys), label
    for label in ("P1", "Participant 2", "Interviewer & Ana", "Ida"):
        assert not is_interviewer(label, keys), label


def test_nested_parentheses_in_a_role_keep_the_person() -> None:
    from pipeline.study.names import split_people

    assert split_people("Ana Silva (Teacher (Grade 3)), Bo Chen (Principal)") == [
        ("Ana Silva", "Teacher (Grade 3)"), ("Bo Chen", "Principal")]
    assert split_people("Rosa Delgado (Teacher; Grade 3); Kevin Tran (Teacher)") == [
        ("Rosa Delgado", "Teacher; Grade 3"), ("Kevin Tran", "Teacher")]
