from pipeline.codebook.model import load_codebook
from pipeline.codebook.writer import to_yaml
from tests.fixtures import FULL_CODEBOOK as GOOD


def test_yaml_round_trip_keeps_every_field() -> None:
    book = load_codebook([("t.yml", GOOD)])
    text = to_yaml(book, note="Imported from x.qdc")
    assert text.startswith("# Imported from x.qdc\n")
    again = load_codebook([("t.yml", text)])
    strip = [c.__class__(**{**c.__dict__, "line": 0}) for c in book.codes]
    strip_again = [c.__class__(**{**c.__dict__, "line": 0}) for c in again.codes]
    assert strip_again == strip


def test_missing_definition_gets_a_placeholder_that_validates() -> None:
    from pipeline.codebook.model import Code, Codebook
    book = Codebook("imported", "", (Code("x", "X", ""),))
    again = load_codebook([("t.yml", to_yaml(book))])
    assert again["x"].definition == "(no definition in the imported codebook)"
