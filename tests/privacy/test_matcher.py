"""matcher: terms on word boundaries, longest first; e-mail addresses and phone numbers."""
import pytest

from pipeline.privacy.matcher import EMAIL, PHONE, Matcher, apply_spans
from pipeline.privacy.rules import Term


def redact(text: str, *terms: Term) -> str:
    matcher = Matcher.build(terms)
    return apply_spans(text, matcher.spans(text))


SCHOOLS = (Term("Dunmore Heights", "[SCHOOL]"), Term("Dunmore Heights Secondary School",
                                                     "[SECONDARY]"))


def test_the_longest_term_wins_whatever_the_order_given() -> None:
    text = "Dunmore Heights Secondary School and Dunmore Heights"
    assert redact(text, *SCHOOLS) == "[SECONDARY] and [SCHOOL]"
    assert redact(text, *reversed(SCHOOLS)) == "[SECONDARY] and [SCHOOL]"


def test_any_case_any_spacing_and_a_line_break_between_words() -> None:
    town = Term("Port Kessel", "[TOWN]")
    assert redact("PORT KESSEL, port  kessel, Port\nKessel", town) == "[TOWN], [TOWN], [TOWN]"


def test_only_whole_words() -> None:
    dev = Term("Dev", "[PRINCIPAL]")
    assert redact("Dev said the developers devised Dev's plan", dev) == \
        "[PRINCIPAL] said the developers devised [PRINCIPAL]'s plan"
    assert redact("Halbrookes and Halbrook_2 and xHalbrook", Term("Halbrook", "[TOWN]")) == \
        "Halbrookes and Halbrook_2 and xHalbrook"


@pytest.mark.parametrize("text, expected", [
    ("Carla's class", "[TEACHER]'s class"),
    ("Carla’s class", "[TEACHER]’s class"),
    ("the Lindqvists' house", "the Lindqvists' house"),   # another word: not the surname
])
def test_a_possessive_keeps_its_s(text: str, expected: str) -> None:
    assert redact(text, Term("Carla", "[TEACHER]"), Term("Lindqvist", "[TEACHER]")) == expected


def test_a_capital_only_term_needs_its_capitals_and_ignores_the_rest_of_the_case() -> None:
    young = Term("Young", "[TEACHER]", capital=True)
    assert redact("Young said young people matter; YOUNG agreed", young) == \
        "[TEACHER] said young people matter; [TEACHER] agreed"
    place = Term("Finding Our Place", "[PROJECT]", capital=True)
    assert redact("Finding Our Place is about finding our place", place) == \
        "[PROJECT] is about finding our place"


def test_apostrophes_and_abbreviation_dots_are_flexible_but_initials_keep_their_dot() -> None:
    assert redact("L’Horizon and l'horizon", Term("L'Horizon", "[SCHOOL]")) == \
        "[SCHOOL] and [SCHOOL]"
    assert redact("St Columba, St. Columba", Term("St. Columba", "[SCHOOL]")) == \
        "[SCHOOL], [SCHOOL]"
    # "C. Lindqvist" needs its dot: "a Lindqvist" is not an initial and a surname
    initial = Term("A. Lindqvist", "[TEACHER]")
    assert redact("A. Lindqvist met a Lindqvist", initial) == "[TEACHER] met a Lindqvist"


def test_a_school_takes_its_type_and_a_district_its_board_words() -> None:
    terms = (Term("Eastgate", "[SCHOOL]"), Term("Cedar Ridge", "[DISTRICT]"))
    assert redact("Eastgate Collegiate, Eastgate Public School and Eastgate; the Cedar Ridge "
                  "DSB and Cedar Ridge District School Board", *terms) == \
        "[SCHOOL], [SCHOOL] and [SCHOOL]; the [DISTRICT] and [DISTRICT]"


def test_a_kept_term_protects_its_words_from_shorter_terms() -> None:
    terms = (Term("Jordan", "[CHILD AND YOUTH WORKER]"), Term("Jordan or Lebanon", None))
    assert redact("Jordan drove; a camp in Jordan or Lebanon", *terms) == \
        "[CHILD AND YOUTH WORKER] drove; a camp in Jordan or Lebanon"


def test_placeholders_already_in_the_text_are_left_alone() -> None:
    assert redact("[REDACTED] told [TEACHER] about Teacher", Term("Teacher", "[X]")) == \
        "[REDACTED] told [TEACHER] about [X]"


@pytest.mark.parametrize("text", [
    "carla.lindqvist@cedarridge.on.ca", "j_osei+lfm@mail.example.org", "A.B@x.io"])
def test_email_addresses(text: str) -> None:
    assert redact(f"write to {text}, please") == "write to [EMAIL], please"


def test_an_email_wins_over_the_name_inside_it() -> None:
    assert redact("carla@dunmore.ca or Carla", Term("Carla", "[TEACHER]")) == \
        "[EMAIL] or [TEACHER]"


@pytest.mark.parametrize("text", [
    "705-555-0182", "(705) 555 0182", "(705)555-0182", "+1 705 555 0182", "1-705-555-0182",
    "705.555.0182", "555-0182", "705-555-0182 ext. 23", "705-555-0182 x 4",
    "(705) 555-0182, extension 1234"])
def test_north_american_phone_numbers(text: str) -> None:
    assert redact(f"call {text} today") == "call [PHONE] today"


@pytest.mark.parametrize("text", [
    "2015-2016", "grade 7-8", "about 1,300 students", "forty-six elementary", "2016-05-10",
    "O1_Principal#1_5.14", "00:12:31", "12 345 6789"])
def test_things_that_are_not_phone_numbers(text: str) -> None:
    assert PHONE.search(text) is None and EMAIL.search(text) is None


def test_covers_says_whether_one_term_matches_the_whole_text() -> None:
    matcher = Matcher.build([Term("Huron Plains", "[DISTRICT]")])
    assert matcher.covers("Huron Plains Catholic DSB")
    assert not matcher.covers("Huron Plains Family Services")


def test_quotes_around_a_derived_term_do_not_stop_it_matching() -> None:
    assert redact("We met at The Hub today", Term("‘The Hub’", "[PLACE]")) == \
        "We met at [PLACE] today"
