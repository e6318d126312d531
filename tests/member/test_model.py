from pipeline.member.model import critical_words, item_id, parse_location, round_folder


def test_item_ids_name_site_round_kind_and_number() -> None:
    assert item_id("O3", 1, "theme", 2) == "O3-R1-T02"
    assert item_id("O11", 12, "quote", 7) == "O11-R12-Q07"
    assert item_id("O3", 1, "interpretation", 10) == "O3-R1-I10"


def test_locations_inside_the_member_checks_folder() -> None:
    assert round_folder("O3", 2) == "O3/round-2"
    assert parse_location("O3/round-2/items.csv") == ("O3", 2, "items.csv")
    assert parse_location("O3/round-2/session/0001-O3-R2-T01.json") == (
        "O3", 2, "session/0001-O3-R2-T01.json")
    assert parse_location("O3/notes.txt") is None
    assert parse_location("O3/round-x/items.csv") is None


def test_critical_words_find_doubt_and_pressure_but_not_praise() -> None:
    assert critical_words("The funding's ending and I can't keep doing it.") == [
        "ending", "can't"]
    assert critical_words("There's pressure, but it works.") == ["pressure", "but"]
    assert critical_words("Students love the inquiry teams.") == []
