"""rules: the redaction list's format, and an error naming file and line for each bad row."""
import pytest

from pipeline.core.errors import InputError
from pipeline.core.inputs import InputFiles, make_source
from pipeline.privacy import RedactionList, Term, load_redaction, read_redaction_list

PATH = "corpus/redact.csv"
HEADER = "term,placeholder,rule\n"


def parse(text: str) -> RedactionList:
    return read_redaction_list(text.encode("utf-8"), PATH)


def problems(text: str) -> list[tuple[int, str]]:
    with pytest.raises(InputError) as caught:
        parse(text)
    return [(p.line, p.message) for p in caught.value.problems]


def test_good_rows_with_comments_blank_lines_and_the_optional_match_column() -> None:
    rules = parse("# who is redacted\n"
                  "\n"
                  "term,placeholder,rule,match\n"
                  "# ---- O3\n"
                  "Dunmore Heights,[SCHOOL],redact,\n"
                  "Frank,[PERSON],redact,capital\n"
                  "\"Essential for Some, Good for All\",,keep,\n"
                  "  EQAO , , KEEP ,\n")
    assert rules.path == PATH
    assert rules.redact == (Term("Dunmore Heights", "[SCHOOL]"),
                            Term("Frank", "[PERSON]", capital=True))
    assert rules.keep == (Term("Essential for Some, Good for All", None),
                          Term("EQAO", None))
    assert [t.keep for t in rules.terms] == [False, False, True, True]


def test_a_byte_order_mark_and_windows_line_ends_are_read() -> None:
    rules = read_redaction_list(b"\xef\xbb\xbfterm,placeholder,rule\r\nHalbrook,[TOWN],redact"
                                b"\r\n", PATH)
    assert rules.redact == (Term("Halbrook", "[TOWN]"),)


@pytest.mark.parametrize("data", [b"", b"# only comments\n\n", b"\n"])
def test_an_empty_list_is_no_terms(data: bytes) -> None:
    assert read_redaction_list(data, PATH) == RedactionList(PATH)


@pytest.mark.parametrize("row, message", [
    (",[SCHOOL],redact", "missing term"),
    ("Halbrook,[TOWN],hide", "unknown rule 'hide' for 'Halbrook'; use redact or keep"),
    ("Halbrook,[TOWN],", "missing rule for 'Halbrook'; use redact or keep"),
    ("Halbrook,,redact", "'Halbrook' is redacted but has no placeholder; give one such as "
                         "[PERSON] or [SCHOOL]"),
    ("Halbrook,TOWN,redact", "placeholder 'TOWN' for 'Halbrook' must be capitals in square "
                             "brackets, e.g. [SCHOOL]"),
    ("Halbrook,[town],redact", "placeholder '[town]' for 'Halbrook' must be capitals in "
                               "square brackets, e.g. [SCHOOL]"),
    ("Halbrook,[TOWN,redact", "placeholder '[TOWN' for 'Halbrook' must be capitals in square "
                              "brackets, e.g. [SCHOOL]"),
    ("EQAO,[ORGANISATION],keep", "'EQAO' is kept, so it takes no placeholder (got "
                                 "'[ORGANISATION]')"),
    ("Halbrook,[TOWN],redact,extra", "4 fields but the header has 3 (a term with a comma "
                                     "needs \"quotes\")"),
    ("(Halbrook),[TOWN],redact", "term '(Halbrook)' must start with a letter or a digit"),
])
def test_each_kind_of_bad_row_is_an_error_on_its_line(row: str, message: str) -> None:
    # line 1 is a comment, 2 the header, 3 a good row: the bad row is line 4
    text = "# list\n" + HEADER + "Lakeport,[TOWN],redact\n" + row + "\n"
    assert problems(text) == [(4, message)]


def test_the_error_names_the_file_and_line_and_every_bad_row_is_reported() -> None:
    text = HEADER + "Halbrook,,redact\nLakeport,[TOWN],redact\n,[X],redact\n"
    with pytest.raises(InputError) as caught:
        parse(text)
    assert [str(p) for p in caught.value.problems] == [
        "corpus/redact.csv:2: error: 'Halbrook' is redacted but has no placeholder; give one "
        "such as [PERSON] or [SCHOOL]",
        "corpus/redact.csv:4: error: missing term"]
    assert "2 error(s) in the input" in str(caught.value)


def test_a_term_listed_twice_is_an_error_whatever_its_case_or_dots() -> None:
    text = HEADER + "St. Columba,[SCHOOL],redact\nLakeport,[TOWN],redact\nst columba,,keep\n"
    assert problems(text) == [(4, "'st columba' is already listed on line 2; list each term "
                                  "once")]


@pytest.mark.parametrize("header, message", [
    ("term,placeholder\n", "the header needs the columns term, placeholder, rule; missing "
                           "rule"),
    ("term,placeholder,rule,notes\n", "unknown column(s) notes; the columns are term, "
                                      "placeholder, rule, match"),
])
def test_a_bad_header_is_an_error_on_the_header_line(header: str, message: str) -> None:
    assert problems("# comment\n" + header + "Halbrook,[TOWN],redact\n") == [(2, message)]


def test_an_unknown_match_is_an_error() -> None:
    text = "term,placeholder,rule,match\nFrank,[PERSON],redact,capitals\n"
    assert problems(text) == [(2, "unknown match 'capitals' for 'Frank'; use any or capital")]


def test_text_that_is_not_utf8_is_an_error_for_the_whole_file() -> None:
    with pytest.raises(InputError) as caught:
        read_redaction_list(HEADER.encode() + "Vallée,[TOWN],redact\n".encode("latin-1"), PATH)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == (PATH, 0) and "not UTF-8" in problem.message


def test_load_redaction_reads_the_catalog_input_or_gives_an_empty_list() -> None:
    source = make_source(PATH, (HEADER + "Halbrook,[TOWN],redact\n").encode())
    assert load_redaction(InputFiles("redaction", (source,))).redact == (
        Term("Halbrook", "[TOWN]"),)
    assert load_redaction(InputFiles("redaction")) == RedactionList()
