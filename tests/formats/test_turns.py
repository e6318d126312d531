import pytest

from pipeline.core.errors import Problem
from pipeline.formats.turns import (
    ParsedText,
    header_names,
    label_key,
    looks_like_label,
    parse_timestamp,
    parse_turns,
)

KNOWN = {"interviewer", "i", "q", "p", "r"}
NO_TURNS = ("no speaker turns found; expected lines like 'Name: text', '[00:12:31] Name: text' "
            "or an Otter-style 'Name  12:31' line")
BEFORE_FIRST = ("text before the first speaker turn is ignored; turns should start with a label "
                "like 'Name: text'")


def parse(text: str, known: set[str] = KNOWN) -> ParsedText:
    return parse_turns(text, "t.txt", known)


def spans(text: str, parsed: ParsedText) -> list[tuple[str, int, str]]:
    """(speaker, line, quoted text) for every turn, quoted through the turn's offsets."""
    return [(t.speaker, t.line, text[t.start_char:t.end_char]) for t in parsed.turns]


def once_used(line: int, label: str) -> Problem:
    return Problem("t.txt", line, "warning", f"'{label}:' looks like a speaker label but is used "
                   f"only once and is not a known speaker; read as part of the previous turn")


def test_plain_turns_with_header() -> None:
    text = ("ID: O1_Principal#1_5.14\n"
            "Date: 2016-05-14\n"
            "Interviewers: Helen Marsh\n"
            "\n"
            "Interviewer: Hello there.\n"
            "Rosa Delgado: Hi.\n"
            "Interviewer: Bye.\n"
            "Rosa Delgado: Bye now.\n")
    parsed = parse(text)
    assert parsed.header == {"id": ("O1_Principal#1_5.14", 1), "date": ("2016-05-14", 2),
                             "interviewers": ("Helen Marsh", 3)}
    assert spans(text, parsed) == [("Interviewer", 5, "Hello there."), ("Rosa Delgado", 6, "Hi."),
                                   ("Interviewer", 7, "Bye."), ("Rosa Delgado", 8, "Bye now.")]
    assert [(t.start_char, t.end_char) for t in parsed.turns][:2] == [(81, 93), (108, 111)]
    assert all(t.start_time is None and t.end_time is None for t in parsed.turns)
    assert parsed.problems == []


def test_header_keys_are_case_insensitive_and_first_value_wins() -> None:
    text = "CITATION ID:  O1_Teacher#1_5.3\nSite: O1\nsite: O2\n\nI: Q?\nP: A.\n"
    parsed = parse(text)
    assert parsed.header == {"citation id": ("O1_Teacher#1_5.3", 1), "site": ("O1", 2)}
    assert spans(text, parsed) == [("I", 5, "Q?"), ("P", 6, "A.")]


def test_wrapped_turn_spans_all_its_lines() -> None:
    text = ("Interviewer: Tell me about\n"
            "the school and\n"
            "  the staff.\n"
            "P: It is fine.\n"
            "\n"
            "Really fine.\n")
    parsed = parse(text)
    assert spans(text, parsed) == [
        ("Interviewer", 1, "Tell me about\nthe school and\n  the staff."),
        ("P", 4, "It is fine.\n\nReally fine."),
    ]
    assert parsed.problems == []


def test_label_is_normalised_but_spacing_after_colon_skipped() -> None:
    text = "Rosa   Delgado:    Hi.\nRosa Delgado: Again.\n"
    parsed = parse(text)
    assert spans(text, parsed) == [("Rosa Delgado", 1, "Hi."), ("Rosa Delgado", 2, "Again.")]


def test_timestamped_turns() -> None:
    text = ("[00:12:31] Interviewer: Hello.\n"
            "[00:12:40] Rosa: Hi, nice to\n"
            "meet you.\n"
            "[1:02:15] Interviewer: Ok.\n"
            "[1:02:20.5] Rosa: Yes.\n")
    parsed = parse(text)
    assert spans(text, parsed) == [("Interviewer", 1, "Hello."),
                                   ("Rosa", 2, "Hi, nice to\nmeet you."),
                                   ("Interviewer", 4, "Ok."), ("Rosa", 5, "Yes.")]
    assert [(t.start_time, t.end_time) for t in parsed.turns] == [
        (751.0, 760.0), (760.0, 3735.0), (3735.0, 3740.5), (3740.5, None)]


def test_otter_style_turns() -> None:
    text = ("Helen Marsh  0:05\n"
            "So tell me about the board.\n"
            "\n"
            "Rosa Delgado  1:02:15\n"
            "Well, yes.\n"
            "More on that.\n"
            "\n"
            "Helen Marsh  1:03:00\n")
    parsed = parse(text, set())
    assert spans(text, parsed) == [("Helen Marsh", 1, "So tell me about the board."),
                                   ("Rosa Delgado", 4, "Well, yes.\nMore on that."),
                                   ("Helen Marsh", 8, "")]
    assert [(t.start_time, t.end_time) for t in parsed.turns] == [
        (5.0, 3735.0), (3735.0, 3780.0), (3780.0, None)]
    assert parsed.turns[2].start_char == parsed.turns[2].end_char == len(text) - 1
    assert parsed.problems == []


def test_label_on_its_own_line() -> None:
    text = "Interviewer:\nSo tell me.\nP:\n  Fine, thanks.\nIt works.\n"
    parsed = parse(text)
    assert spans(text, parsed) == [("Interviewer", 1, "So tell me."),
                                   ("P", 3, "Fine, thanks.\nIt works.")]
    assert parsed.turns[1].start_char == text.index("Fine")


def test_empty_turn() -> None:
    text = "Interviewer: Q?\nP:\nInterviewer: Q2?\nP: A.\n"
    parsed = parse(text)
    assert spans(text, parsed) == [("Interviewer", 1, "Q?"), ("P", 2, ""),
                                   ("Interviewer", 3, "Q2?"), ("P", 4, "A.")]
    empty = parsed.turns[1]
    assert empty.start_char == empty.end_char == text.index("P:\n") + 2


def test_once_used_label_inside_a_turn_is_continuation_with_warning() -> None:
    text = "Interviewer: Q?\nP: I said\nNote: this was odd.\nthen more.\nInterviewer: ok\n"
    parsed = parse(text)
    assert spans(text, parsed) == [("Interviewer", 1, "Q?"),
                                   ("P", 2, "I said\nNote: this was odd.\nthen more."),
                                   ("Interviewer", 5, "ok")]
    assert parsed.problems == [once_used(3, "Note")]


def test_label_used_twice_is_a_speaker() -> None:
    text = "Interviewer: Q?\nNote: one.\nInterviewer: Q2?\nNote: two.\n"
    parsed = parse(text)
    assert spans(text, parsed) == [("Interviewer", 1, "Q?"), ("Note", 2, "one."),
                                   ("Interviewer", 3, "Q2?"), ("Note", 4, "two.")]
    assert parsed.problems == []


def test_once_used_labels_from_header_or_known_labels_are_accepted() -> None:
    text = ("Participants: Rosa Delgado (Teacher); Kevin Tran (Teacher)\n"
            "\n"
            "Interviewer: Q?\n"
            "Rosa: A.\n"
            "Researcher: Q2?\n"
            "Tran: B.\n"
            "Kevin Tran: C.\n")
    parsed = parse(text, KNOWN | {"researcher"})
    assert spans(text, parsed) == [("Interviewer", 3, "Q?"), ("Rosa", 4, "A."),
                                   ("Researcher", 5, "Q2?"), ("Tran", 6, "B."),
                                   ("Kevin Tran", 7, "C.")]
    assert parsed.problems == []


def test_known_labels_match_ignoring_case() -> None:
    text = "INTERVIEWER: Q?\nRosa: A.\nRosa: B.\n"
    assert spans(text, parse(text)) == [("INTERVIEWER", 1, "Q?"), ("Rosa", 2, "A."),
                                        ("Rosa", 3, "B.")]


def test_header_name_with_comma_in_role_is_known() -> None:
    text = ("Participants: Rosa Delgado (Teacher), Kevin Tran (Vice-Principal, acting)\n"
            "\n"
            "Interviewer: Q?\n"
            "Rosa: A.\n"
            "Interviewer: Q2?\n"
            "Tran: B.\n")
    parsed = parse(text)
    assert spans(text, parsed) == [("Interviewer", 3, "Q?"), ("Rosa", 4, "A."),
                                   ("Interviewer", 5, "Q2?"), ("Tran", 6, "B.")]
    assert parsed.problems == []


def test_text_before_first_turn_is_warned_about() -> None:
    text = "Transcribed by A. Clerk.\n# Heading\n[music]\n\nInterviewer: Q?\nP: A.\n"
    parsed = parse(text)
    assert spans(text, parsed) == [("Interviewer", 5, "Q?"), ("P", 6, "A.")]
    assert parsed.problems == [Problem("t.txt", 1, "warning", BEFORE_FIRST)]


@pytest.mark.parametrize("text, problems", [
    ("Just some text.\nNo labels.\n", [Problem("t.txt", 1, "warning", BEFORE_FIRST),
                                       Problem("t.txt", 2, "warning", BEFORE_FIRST),
                                       Problem("t.txt", 1, "error", NO_TURNS)]),
    ("ID: O1_Teacher#1_5.3\n\n", [Problem("t.txt", 2, "error", NO_TURNS)]),
    ("", [Problem("t.txt", 0, "error", NO_TURNS)]),
])
def test_no_turns_is_an_error(text: str, problems: list[Problem]) -> None:
    parsed = parse(text)
    assert parsed.turns == []
    assert parsed.problems == problems


@pytest.mark.parametrize("line", [
    "At 3:30 we met.",
    "See http://example.org for details",
    "So the answer was this: we wait.",
    "bottom line: money.",
])
def test_lines_that_are_not_labels_continue_the_turn(line: str) -> None:
    text = f"Interviewer: Q?\nP: Well.\n{line}\n"
    parsed = parse(text)
    assert spans(text, parsed) == [("Interviewer", 1, "Q?"), ("P", 2, f"Well.\n{line}")]
    assert parsed.problems == []


def test_long_label_is_not_a_label() -> None:
    text = "Interviewer: Q?\nP: A.\nOne Two Three Four Five Six: x\n"
    assert spans(text, parse_turns(text, "t.txt", KNOWN, max_label_words=5))[-1] == (
        "P", 2, "A.\nOne Two Three Four Five Six: x")
    assert spans(text, parse_turns(text, "t.txt", KNOWN | {"one two three four five six"},
                                   max_label_words=6))[-1] == ("One Two Three Four Five Six", 3,
                                                               "x")


@pytest.mark.parametrize("ts, seconds", [
    ("0:05", 5.0),
    ("12:31", 751.0),
    ("1:02:15", 3735.0),
    ("00:12:31", 751.0),
    ("00:00:06,500", 6.5),
    ("00:12:31.250", 751.25),
])
def test_parse_timestamp(ts: str, seconds: float) -> None:
    assert parse_timestamp(ts) == seconds


@pytest.mark.parametrize("text", [
    "Interviewer", "P", "Rosa Delgado", "Dr. Smith", "Speaker 1", "O'Brien", "Jean-Luc Picard",
    "Helen Marsh (HM)", "Mary Anne Van Der",
])
def test_looks_like_label(text: str) -> None:
    assert looks_like_label(text, 5)


@pytest.mark.parametrize("text", [
    "So the answer was this", "bottom line", "", "   ", "rosa", "Well, you know",
    "What?", "One Two Three Four Five Six", "(laughs)", "Q1?",
])
def test_does_not_look_like_label(text: str) -> None:
    assert not looks_like_label(text, 5)


def test_looks_like_label_word_limit() -> None:
    assert looks_like_label("A B C", 3)
    assert not looks_like_label("A B C D", 3)


def test_label_key_and_header_names() -> None:
    assert label_key("  INTERVIEWER ") == label_key("Interviewer") == "interviewer"
    assert label_key("Rosa   Delgado") == "rosa delgado"
    header = {"interviewers": ("Helen Marsh", 3),
              "participants": ("Rosa Delgado (Teacher); Kevin Tran (Principal)", 4)}
    assert header_names(header) == {"helen marsh", "helen", "marsh", "rosa delgado", "rosa",
                                    "delgado", "kevin tran", "kevin", "tran"}
    assert header_names({}) == set()


OTTER_EXPORT = """Interview with P04
Mon, 5/2 10:15AM \u2022 45:12

SUMMARY KEYWORDS
school, teachers, release time, board

SPEAKERS
Ann Lee, P04

Ann Lee  00:03
Thanks for coming in. How did it start?

P04 00:41
It started with the grant.
Then the board took it over.

Ann Lee 06:40
And now?

P04  22:00
Now it is ours.
"""


def test_otter_export_preamble_is_skipped_and_one_space_speaker_lines_are_read() -> None:
    parsed = parse(OTTER_EXPORT, set())
    assert spans(OTTER_EXPORT, parsed) == [
        ("Ann Lee", 10, "Thanks for coming in. How did it start?"),
        ("P04", 13, "It started with the grant.\nThen the board took it over."),
        ("Ann Lee", 17, "And now?"),
        ("P04", 20, "Now it is ours.")]
    assert [t.start_time for t in parsed.turns] == [3.0, 41.0, 400.0, 1320.0]
    assert parsed.problems == []   # no warning for the title, keywords or speakers


def test_a_one_space_time_line_used_once_by_an_unknown_label_is_not_a_speaker() -> None:
    text = ("Interviewer: When did you meet?\n"
            "P: We met at the board office.\n"
            "Tuesday 10:30\n"
            "was the first meeting.\n"
            "Interviewer: Thanks.\n")
    parsed = parse(text)
    assert [t.speaker for t in parsed.turns] == ["Interviewer", "P", "Interviewer"]
    assert "Tuesday 10:30\nwas the first meeting." in spans(text, parsed)[1][2]
    assert [p.line for p in parsed.problems] == [3]


def test_speakers_named_only_on_the_otter_speakers_line_are_known() -> None:
    from pipeline.formats.turns import otter_preamble

    lines = OTTER_EXPORT.split("\n")
    speakers, end = otter_preamble(lines, 0)
    assert {"ann lee", "p04"} <= speakers and end == 8
    assert otter_preamble(["Ann: hello", "P: hi"], 0) == (set(), 0)


@pytest.mark.parametrize("label", ["Interviewee 1 & Interviewee 2", "Ana and Bo", "Ana or Bo",
                                   "Interviewee 1 and/or Interviewee 2"])
def test_combined_labels_open_a_turn_even_used_once(label: str) -> None:
    text = (f"Interviewer: Who runs it?\n{label}: We both do, most days.\n"
            "Interviewer: Thanks.\n")
    parsed = parse(text, {"interviewer", "interviewee 1", "interviewee 2", "ana", "bo"})
    assert spans(text, parsed)[1] == (label, 2, "We both do, most days.")
    assert parsed.problems == []


def test_combined_otter_speaker_line() -> None:
    text = "Ann Lee  00:03\nWho runs it?\n\nAna & Bo  00:09\nWe both do.\n"
    assert [t.speaker for t in parse(text, set()).turns] == ["Ann Lee", "Ana & Bo"]


def test_out_of_order_timestamps_are_warned_about_with_their_line() -> None:
    text = ("[00:01:00] Interviewer: First?\n[00:02:30] P: Yes.\n"
            "[00:02:10] Interviewer: Then?\n[00:03:00] P: Done.\n")
    parsed = parse(text)
    assert [(p.line, p.message) for p in parsed.problems] == [
        (3, "timestamp 2:10 is earlier than the previous turn's 2:30 (line 2): turns out of "
            "order, or a mistyped time")]
    assert parsed.turns[1].end_time is None     # no negative duration
