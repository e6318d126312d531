import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.study.citation import CitationError, CitationId, parse

ids = st.builds(
    CitationId,
    site=st.builds(lambda p, n: f"{p}{n}", st.sampled_from(["O", "P", "ON"]),
                   st.integers(1, 999)),
    role=st.from_regex(r"[A-Z][A-Za-z]{0,15}", fullmatch=True),
    seq=st.integers(1, 999),
    month=st.integers(1, 12),
    day=st.integers(1, 31),
    subtype=st.one_of(st.just(""), st.from_regex(r"[A-Z][A-Za-z0-9]{0,12}", fullmatch=True)),
)


@given(ids)
def test_format_then_parse_round_trips(cid: CitationId) -> None:
    assert parse(str(cid)) == cid


@given(ids)
def test_parse_then_format_round_trips(cid: CitationId) -> None:
    text = str(cid)
    assert str(parse(text)) == text


@pytest.mark.parametrize("text, expected", [
    ("O1_Principal#1_5.14", CitationId("O1", "Principal", 1, 5, 14)),
    ("O10_Teacher#2_5.31", CitationId("O10", "Teacher", 2, 5, 31)),
    ("O3_Superintendent-SpecialEducation#1_5.9",
     CitationId("O3", "Superintendent", 1, 5, 9, "SpecialEducation")),
])
def test_parse_examples(text: str, expected: CitationId) -> None:
    assert parse(text) == expected


def test_site_number_and_prefix() -> None:
    cid = parse("O10_Teacher#2_5.31")
    assert (cid.site_prefix, cid.site_number) == ("O", 10)


@pytest.mark.parametrize("text, fragment", [
    ("O1_Principal_5.14", "lacks '#N'"),
    ("O1-Principal#1_5.14", "exactly three parts"),
    ("o1_Principal#1_5.14", "site 'o1'"),
    ("O1_Principal1_5.14", "lacks '#N'"),
    ("O1_Princ!pal#1_5.14", "role"),
    ("O1_Principal#0_5.14", "sequence '0'"),
    ("O1_Principal#1_05.14", "month.day"),
    ("O1_Principal#1_5-14", "month.day"),
])
def test_malformed_ids_are_explained(text: str, fragment: str) -> None:
    with pytest.raises(CitationError, match="malformed citation ID") as info:
        parse(text)
    assert fragment in str(info.value)
