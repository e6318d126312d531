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
