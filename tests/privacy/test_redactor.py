"""Redactor (without the entity recogniser): the list, the headers and the sites together."""
import numpy as np
import pandas as pd

from pipeline.privacy import Redactor, read_redaction_list

LIST = read_redaction_list(b"""# test list
term,placeholder,rule,match
Ruth Adeyemi,[TEACHER],redact,
Ruth,[TEACHER],redact,
Eastgate,[SCHOOL],redact,
Frank,[PERSON],redact,capital
Toronto,,keep,
Ministry of Education,,keep,
Lindqvist,[PERSON],redact,
""", "corpus/redact.csv")

PARTICIPANTS = pd.DataFrame({
    "participant_id": ["O3_Teacher#1_5.10/1", "O10_Teacher#1_5.31/1", "O9_Teacher#1_5.27/1"],
    "citation_id": ["O3_Teacher#1_5.10", "O10_Teacher#1_5.31", "O9_Teacher#1_5.27"],
    "site": ["O3", "O10", "O9"], "role": ["Teacher", "Teacher", "MinistryStaff"],
    "role_subtype": ["Teacher, English; school literacy lead, Dunmore Heights Secondary School",
                     "", ""],
    "name": ["Carla Lindqvist", "Greg Holloway", "Pat Young"],
    "speakers": ["Carla", "Greg Holloway", "P"]})
TRANSCRIPTS = pd.DataFrame({
    "citation_id": ["O3_Teacher#1_5.10", "O10_Teacher#1_5.31", "O9_Teacher#1_5.27"],
    "site": ["O3", "O10", "O9"], "role": ["Teacher", "Teacher", "MinistryStaff"],
    "interviewers": ["Int", "INTERVIEWER", "Q"],
    "text": ["ID: O3_Teacher#1_5.10\nInterviewers: Helen Marsh; Luc Bergeron\n"
             "Participants: Carla Lindqvist (Teacher, English)\n"
             "Location: Library workroom, Dunmore Heights Secondary School, Halbrook\n"
             "Transcriber: J. Whitcombe\n\nInt: Okay.\nCarla: Fine.\n",
             "INTERVIEWER: Thanks, Greg.\nGreg Holloway: Sure. Greg Holloway. I teach math.\n",
             "ID: O9_Teacher#1_5.27\nLocation: Ministry of Education offices, Toronto\n\nQ: Hi"]})
SITES = pd.DataFrame({"site": ["O3", "O11"],
                      "name": ["Cedar Ridge District School Board", "Provincial policy case"],
                      "kind": ["district", "policy"]})


def redactor() -> Redactor:
    return Redactor.build(LIST, PARTICIPANTS, TRANSCRIPTS, SITES, ner=False)


def test_a_participant_introducing_themselves_is_redacted() -> None:
    assert redactor().redact("Sure. Greg Holloway. I teach math here at Eastgate.") == \
        "Sure. [TEACHER]. I teach math here at [SCHOOL]."


def test_names_from_headers_become_their_roles_with_possessives_kept() -> None:
    r = redactor()
    assert r.redact("Carla's class at Dunmore Heights in Halbrook; ask Helen or Luc "
                    "Bergeron, or J. Whitcombe.") == \
        "[TEACHER]'s class at [SCHOOL] in [TOWN]; ask [INTERVIEWER] or [INTERVIEWER], or " \
        "[TRANSCRIBER]."
    assert r.redact("the Cedar Ridge board") == "the [DISTRICT] board"


def test_a_name_part_that_is_a_word_is_replaced_only_when_capitalised() -> None:
    assert redactor().redact("Young said young people trust Pat; to be frank, Frank agreed") \
        == "[MINISTRY STAFF] said young people trust [MINISTRY STAFF]; to be frank, [PERSON] " \
           "agreed"


def test_the_list_wins_over_the_headers_and_kept_terms_are_never_replaced() -> None:
    r = redactor()
    # the header would make Lindqvist [TEACHER]; the list says [PERSON]
    assert r.redact("Lindqvist") == "[PERSON]" and r.placeholder("Lindqvist") == "[PERSON]"
    assert r.placeholder("Carla") == "[TEACHER]"
    # the header's town is Toronto, which the list keeps
    assert r.redact("the Ministry of Education in Toronto") == \
        "the Ministry of Education in Toronto"
    assert "Toronto" not in r.terms() and "Toronto" in r.kept()


def test_terms_lists_every_name_and_place_it_always_replaces() -> None:
    terms = redactor().terms()
    for expected in ("Carla Lindqvist", "C. Lindqvist", "Carla", "Greg Holloway", "Holloway",
                     "Helen Marsh", "Marsh", "J. Whitcombe", "Whitcombe", "Dunmore Heights",
                     "Dunmore Heights Secondary School", "Halbrook", "Cedar Ridge",
                     "Cedar Ridge District School Board", "Ruth Adeyemi", "Eastgate"):
        assert expected in terms, expected
    assert not {"Provincial policy case", "Int", "INTERVIEWER", "Q", "P", "Teacher"} & \
        set(terms)
    assert terms == sorted(terms, key=str.casefold)


def test_e_mail_addresses_and_phone_numbers() -> None:
    assert redactor().redact("Ruth: ruth.adeyemi@eastgate.ca or (705) 555-0182 ext. 4") == \
        "[TEACHER]: [EMAIL] or [PHONE]"


def test_redaction_is_deterministic_and_batching_changes_nothing() -> None:
    texts = ["Carla and Greg", None, "", "Ruth Adeyemi at Eastgate", "nothing here"]
    first = redactor().redact_many(texts)
    assert first == ["[TEACHER] and [TEACHER]", None, "", "[TEACHER] at [SCHOOL]",
                     "nothing here"]
    assert redactor().redact_many(texts) == first
    assert [redactor().redact(t) if isinstance(t, str) else t for t in texts] == first


def test_redact_frame_redacts_text_and_text_lists_in_a_copy() -> None:
    df = pd.DataFrame({"segment_id": ["s1", "s2"], "text": ["Carla said", "Greg said"],
                       "quotes": [["Ruth at Eastgate"], np.array(["Greg"], dtype=object)],
                       "n_words": [2, 2], "score": [0.5, np.nan]})
    out = redactor().redact_frame(df)
    assert out["text"].tolist() == ["[TEACHER] said", "[TEACHER] said"]
    assert out["quotes"].tolist() == [["[TEACHER] at [SCHOOL]"], ["[TEACHER]"]]
    assert out["n_words"].tolist() == [2, 2] and out["n_words"].dtype == df["n_words"].dtype
    assert df["text"].tolist() == ["Carla said", "Greg said"]   # the input is untouched
    only = redactor().redact_frame(df, ["quotes"])
    assert only["text"].tolist() == ["Carla said", "Greg said"]
    assert only["quotes"].tolist()[0] == ["[TEACHER] at [SCHOOL]"]


def test_redact_frame_keeps_pandas_string_columns_as_strings() -> None:
    df = pd.DataFrame({"name": pd.array(["Carla Lindqvist", None], dtype="string")})
    out = redactor().redact_frame(df)
    assert str(out["name"].dtype) == "string"
    assert out["name"].iloc[0] == "[TEACHER]" and pd.isna(out["name"].iloc[1])


def test_without_tables_only_the_list_and_the_patterns_apply() -> None:
    r = Redactor.build(LIST, None, None, None, ner=False)
    assert r.redact("Carla at Eastgate, 705-555-0182") == "Carla at [SCHOOL], [PHONE]"
