"""Redaction with the trained model's named entities (skipped when it is not installed)."""
import pandas as pd
import pytest

from pipeline.privacy import RedactionList, Redactor, read_redaction_list

KEEP = read_redaction_list(b"""term,placeholder,rule
EQAO,,keep
Ministry of Education,,keep
Ministry,,keep
Consortium,,keep
CODE,,keep
Ontario,,keep
Toronto,,keep
Leading from the Middle,,keep
Thornbury,[PERSON],redact
""", "corpus/redact.csv")


@pytest.fixture(scope="module")
def trained():
    from pipeline.nlp.pipelines import trained_nlp

    try:
        trained_nlp()
    except OSError as exc:
        pytest.skip(f"the trained English model is not installed: {exc}")


@pytest.fixture(scope="module")
def redactor(trained) -> Redactor:
    transcripts = pd.DataFrame({"text": ["luck played its part; the messy years"]})
    return Redactor.build(KEEP, None, transcripts, None, ner=True)


@pytest.fixture(scope="module")
def bare(trained) -> Redactor:
    return Redactor.build(RedactionList(), None, None, None, ner=True)


def test_people_organisations_schools_and_places_no_list_names(redactor) -> None:
    assert redactor.redact("I talked to Margaret Delacourt about it yesterday.") == \
        "I talked to [PERSON] about it yesterday."
    assert redactor.redact("We went to Westvale Secondary School for the meeting.") == \
        "We went to [SCHOOL] for the meeting."
    assert redactor.redact("She used to work at Harrowgate Family Services before that.") \
        == "She used to work at [ORGANISATION] before that."
    assert redactor.redact("Margaret Delacourt's office is in Kelsington.") == \
        "[PERSON]'s office is in [PLACE]."


def test_kept_terms_survive_what_the_model_would_replace(redactor, bare) -> None:
    text = "The EQAO results came out and the Ministry of Education in Toronto was pleased."
    assert redactor.redact(text) == text
    # ...which the model alone would have replaced
    assert bare.redact(text) == "The [ORGANISATION] results came out and the [ORGANISATION] " \
                                "in [PLACE] was pleased."
    text = "The Consortium met in Toronto, and CODE ran Leading from the Middle for Ontario."
    assert redactor.redact(text) == text


def test_an_entity_loses_only_its_words_outside_kept_terms(redactor) -> None:
    assert redactor.redact("Ruth at the Ministry of Education said no.") == \
        "[PERSON] at the Ministry of Education said no."


def test_a_listed_term_is_not_redacted_twice(redactor) -> None:
    # the list replaces "Thornbury"; the model's PERSON entity keeps only "Margaret"
    assert redactor.redact("I talked to Margaret Thornbury yesterday.") == \
        "I talked to [PERSON] [PERSON] yesterday."


def test_one_ordinary_word_the_model_tags_is_not_a_name(redactor) -> None:
    # the model tags "Attendance" and "Messy" as people; both are ordinary words
    assert redactor.redact("Luck, honestly. Attendance is good. Messy.") == \
        "Luck, honestly. Attendance is good. Messy."


def test_identifiers_and_placeholders_are_never_entities(redactor) -> None:
    text = "O1_Principal#1_5.14 ¶12 and [REDACTED] and [TEACHER] said so."
    assert redactor.redact(text) == text


def test_entities_are_deterministic_and_batched_like_single_texts(redactor) -> None:
    texts = ["I talked to Margaret Delacourt.", "No names here.", None,
             "We went to Westvale Secondary School."]
    batched = redactor.redact_many(texts)
    assert batched == [redactor.redact(t) if t else t for t in texts]
    assert redactor.redact_many(texts) == batched


def test_provenance_names_the_model_and_the_list(redactor) -> None:
    prov = redactor.provenance()
    assert prov["redaction_list"] == "corpus/redact.csv"
    assert prov["terms"] == 1 and prov["kept"] == 8
    assert "core_web_sm" in prov["ner"] and "ner" in prov["ner"]
