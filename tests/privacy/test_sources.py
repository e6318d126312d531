"""sources: what the headers, the participants table and the sites say must be redacted."""
import pandas as pd
import pytest

from pipeline.privacy.sources import (
    header,
    location_terms,
    name_terms,
    people_terms,
    role_placeholder,
    role_text_terms,
    site_terms,
)


def by_text(terms) -> dict[str, tuple[str, bool]]:
    return {t.text: (t.placeholder, t.capital) for t in terms}


@pytest.mark.parametrize("role, placeholder", [
    ("Teacher", "[TEACHER]"), ("VicePrincipal", "[VICE-PRINCIPAL]"),
    ("MinistryStaff", "[MINISTRY STAFF]"), ("CODELeader", "[CODE LEADER]"),
    ("Superintendent", "[SUPERINTENDENT]"), ("", "[PERSON]"), (None, "[PERSON]")])
def test_role_placeholders(role, placeholder: str) -> None:
    assert role_placeholder(role) == placeholder


def test_header_reads_the_leading_key_value_lines_only() -> None:
    text = ("\nID: O3_Teacher#1_5.10\nInterviewers: Helen Marsh; Luc Bergeron\n"
            "Location: Library workroom, Dunmore Heights Secondary School, Halbrook\n"
            "Transcriber: J. Whitcombe\n\nInt: Okay.\nNotes: not a header line\n")
    assert header(text) == {"id": "O3_Teacher#1_5.10",
                            "interviewers": "Helen Marsh; Luc Bergeron",
                            "location": "Library workroom, Dunmore Heights Secondary School, "
                                        "Halbrook",
                            "transcriber": "J. Whitcombe"}
    assert header("Int: Okay, we're recording.\nCarla: Fine.") == {}


def test_a_name_gives_its_full_form_its_initial_form_and_its_capitalised_parts() -> None:
    assert by_text(name_terms("Carla Lindqvist", "[TEACHER]")) == {
        "Carla Lindqvist": ("[TEACHER]", False), "C. Lindqvist": ("[TEACHER]", False),
        "Carla": ("[TEACHER]", True), "Lindqvist": ("[TEACHER]", True)}
    # an initial is never a term of its own; titles and generic labels are no names
    assert by_text(name_terms("J. Whitcombe", "[TRANSCRIBER]")) == {
        "J. Whitcombe": ("[TRANSCRIBER]", False), "Whitcombe": ("[TRANSCRIBER]", True)}
    assert by_text(name_terms("Mrs. Hoogstra", "[TEACHER]")) == {
        "Hoogstra": ("[TEACHER]", True)}
    assert name_terms("Interviewer", "[INTERVIEWER]") == []
    assert name_terms("P", "[TEACHER]") == []


PARTICIPANTS = pd.DataFrame({
    "participant_id": ["A/1", "B/1", "B/2", "C/1"],
    "citation_id": ["A", "B", "B", "C"],
    "role": ["Teacher", "VicePrincipal", "Teacher", "Principal"],
    "role_subtype": ["", "", "", "Principal, Linwood Avenue Public School"],
    "name": ["Paul Brennan", "Aisha Karim", "Tom Reilly", "Paul Gerrits"],
    "speakers": ["Paul", "Aisha", "Tom", "P"]})
TRANSCRIPTS = pd.DataFrame({
    "citation_id": ["A", "B", "C"], "role": ["Teacher", "VicePrincipal", "Principal"],
    "interviewers": ["Q", "Interviewer", "Sarah Whitfield"],
    "text": ["ID: A\nInterviewers: Priya Raman\nTranscriber: M. Castonguay\n\nQ: Hi.\n",
             "ID: B\nParticipants: Aisha Karim (Vice-Principal); Tom Reilly (Teacher)\n\nI: x",
             "ID: C\nLocation: Principal's office, Linwood Avenue Public School, Stonebridge"
             "\n\nSarah Whitfield: Hi."]})


def test_people_get_their_roles_interviewers_and_transcribers_theirs() -> None:
    terms = by_text(people_terms(PARTICIPANTS, TRANSCRIPTS))
    assert terms["Paul Brennan"] == ("[TEACHER]", False)
    assert terms["Aisha Karim"] == ("[VICE-PRINCIPAL]", False)
    # in a joint interview each header name takes its own role from the participants table
    assert terms["Tom Reilly"] == ("[TEACHER]", False)
    assert terms["Sarah Whitfield"] == terms["Priya Raman"] == ("[INTERVIEWER]", False)
    assert terms["Castonguay"] == ("[TRANSCRIBER]", True)
    # two people with different roles share "Paul": it becomes [PERSON]
    assert terms["Paul"] == ("[PERSON]", True)
    assert terms["Gerrits"] == ("[PRINCIPAL]", True)
    assert not {"P", "Q", "I", "Interviewer"} & set(terms)


def test_locations_give_schools_with_their_short_forms_and_the_town() -> None:
    assert by_text(location_terms("Library workroom, Dunmore Heights Secondary School, "
                                  "Halbrook")) == {
        "Dunmore Heights Secondary School": ("[SCHOOL]", False),
        "Dunmore Heights": ("[SCHOOL]", False), "Halbrook": ("[TOWN]", True)}
    assert by_text(location_terms("Stonebridge DSB Education Centre, Delamere Street, "
                                  "Stonebridge")) == {
        "Stonebridge DSB Education Centre": ("[ORGANISATION]", False),
        "Delamere Street": ("[PLACE]", False), "Stonebridge": ("[TOWN]", True)}
    # rooms and offices described in lower case name nobody
    assert by_text(location_terms("Board office, Port Kessel")) == {
        "Port Kessel": ("[TOWN]", False)}
    assert by_text(location_terms("Meeting room 2B, Georgian Lakes DSB board office")) == {}
    assert by_text(location_terms("St. Ambrose Catholic School")) == {
        "St. Ambrose Catholic School": ("[SCHOOL]", False), "St. Ambrose": ("[SCHOOL]", False)}


def test_role_texts_give_only_schools_and_organisations() -> None:
    assert by_text(role_text_terms("ESL teacher, Linwood Avenue PS and Ashgrove PS")) == {
        "Linwood Avenue PS": ("[SCHOOL]", False), "Linwood Avenue": ("[SCHOOL]", False),
        "Ashgrove PS": ("[SCHOOL]", False), "Ashgrove": ("[SCHOOL]", True)}
    assert by_text(role_text_terms("Senior Policy Advisor, Policy and Planning Branch")) == {
        "Policy and Planning Branch": ("[ORGANISATION]", False)}
    assert role_text_terms("Student Success Coordinator, Bridge to Nine project lead") == []
    assert role_text_terms("Teacher, Grade 5/6") == []


def test_sites_give_the_name_and_its_short_form_but_not_a_policy_case() -> None:
    sites = pd.DataFrame({
        "site": ["O3", "O4", "O6", "O11"],
        "name": ["Cedar Ridge District School Board", "Conseil scolaire Deux-Rivières",
                 "Huron Plains Catholic District School Board", "Provincial policy case"],
        "kind": ["district", "district", "district", "policy"]})
    assert by_text(site_terms(sites)) == {
        "Cedar Ridge District School Board": ("[DISTRICT]", False),
        "Cedar Ridge": ("[DISTRICT]", False),
        "Conseil scolaire Deux-Rivières": ("[DISTRICT]", False),
        "Deux-Rivières": ("[DISTRICT]", True),
        "Huron Plains Catholic District School Board": ("[DISTRICT]", False),
        "Huron Plains": ("[DISTRICT]", False)}
