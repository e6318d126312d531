"""A hostile corpus/redact.csv: a redaction list, or an InputError naming file and line."""
from __future__ import annotations

from hypothesis import given, settings

from pipeline.core.csvio import FIELD_LIMIT
from pipeline.core.errors import InputError
from pipeline.privacy import RedactionList, read_redaction_list
from tests.hostile import csv_text, encoded, examples

PATH = "corpus/redact.csv"


@settings(max_examples=examples(200))
@given(encoded(csv_text(["term", "placeholder", "rule", "match"])))
def test_any_redaction_list_is_read_or_an_input_error(data: bytes) -> None:
    try:
        rules = read_redaction_list(data, PATH)
    except InputError as exc:
        assert exc.problems and all(p.path == PATH for p in exc.problems)
        return
    assert isinstance(rules, RedactionList)
    assert all(t.text and t.text[0].isalnum() for t in rules.terms)


def test_a_term_beyond_the_csv_field_limit_is_an_error_naming_its_line() -> None:
    data = ("term,placeholder,rule\nAna,[PERSON],redact\n\"" + "x" * (FIELD_LIMIT + 1)
            + "\",[PERSON],redact\n").encode()
    try:
        read_redaction_list(data, PATH)
    except InputError as exc:
        assert [(p.line, "longer than 16 MiB" in p.message) for p in exc.problems] == [
            (3, True)]
    else:
        raise AssertionError("read")
