import pytest

from pipeline.codebook.model import CodebookError, build_codebook, load_codebook
from tests.fixtures import FULL_CODEBOOK as GOOD


def test_good_codebook() -> None:
    book = load_codebook([("codebooks/t.yml", GOOD)])
    assert book.ids == ["family", "funding", "testing"]
    assert [c.id for c in book.codable] == ["funding", "testing"]
    funding = book["funding"]
    assert funding.label == "Funding"
    assert funding.examples[0].source == "O1_Director#1_5.2 ¶4"
    assert funding.examples[1].text == "plain string example"
    assert funding.keywords == ("funding", "run out of money")
    assert funding.patterns == (({"LEMMA": "fund"}, {"LEMMA": "end"}),)
    assert funding.line == 10 and funding.path == "codebooks/t.yml"
    assert book["testing"].label == "testing"
    assert book.code_path("funding") == "family/funding"
    assert [c.id for c in book.children("family")] == ["funding", "testing"]
    assert "Money for the project" in funding.profile()
    assert book.name == "Test codebook" and book.version == "2"


# Each seeded error: (replace this, with that) -> (line, fragment)
SEEDED = [
    (("  - id: testing", "  - id: funding"), (25, "code funding: duplicate id (first defined "
                                              "in codebooks/t.yml line 10)")),
    (("parent: family\n    definition: Prov", "parent: famly\n    definition: Prov"),
     (25, "code testing: unknown parent 'famly'")),
    (("definition: Provincial testing.", "definition: ''"),
     (27, "code testing: empty definition")),
    (("[{LEMMA: fund}, {LEMMA: end}]", "[{LEMA: fund}]"), (22, "pattern 1 is not a valid")),
    (("color: \"#aa0000\"", "colour: red"), (24, "unknown key 'colour'")),
    (("color: \"#aa0000\"", "color: red"), (24, "color 'red' must look like #1f77b4")),
    (("  - id: testing", "  - id: Testing"), (25, "id 'Testing' must be snake_case")),
    (("keywords: [funding, run out of money]", "keywords: [funding, '']"),
     (20, "keywords must be a list of non-empty phrases")),
]


@pytest.mark.parametrize("change, expected", SEEDED)
def test_each_seeded_error_names_file_code_and_line(change, expected) -> None:
    text = GOOD.replace(*change)
    assert text != GOOD
    _, problems = build_codebook([("codebooks/t.yml", text)])
    line, fragment = expected
    hits = [p for p in problems if fragment in p.message]
    assert hits, problems
    assert (hits[0].path, hits[0].line) == ("codebooks/t.yml", line)


def test_cycles_are_reported_once() -> None:
    text = GOOD.replace("    parent: family\n    label: Funding", "    parent: testing\n"
                        "    label: Funding").replace("parent: family\n    definition: Prov",
                                                     "parent: funding\n    definition: Prov")
    _, problems = build_codebook([("t.yml", text)])
    cycles = [p for p in problems if "parent cycle" in p.message]
    assert len(cycles) == 1
    assert "funding -> testing -> funding" in cycles[0].message


def test_ids_unique_across_files() -> None:
    other = "codes:\n  - id: funding\n    definition: again\n"
    _, problems = build_codebook([("a.yml", GOOD), ("b.yml", other)])
    assert [(p.path, p.line) for p in problems] == [("b.yml", 2)]


@pytest.mark.parametrize("text, fragment", [
    ("codes: 3\n", "a codebook is a mapping with a 'codes:' list"),
    ("codes: [\n", "invalid YAML"),
    ("code:\n  - id: x\n", "'codes:' list"),
])
def test_not_a_codebook(text: str, fragment: str) -> None:
    _, problems = build_codebook([("x.yml", text)])
    assert fragment in problems[0].message


def test_load_codebook_raises_with_every_problem() -> None:
    text = GOOD.replace("color: \"#aa0000\"", "colour: red").replace("Provincial testing.", "''")
    with pytest.raises(CodebookError) as info:
        load_codebook([("t.yml", text)])
    assert len(info.value.problems) == 2
