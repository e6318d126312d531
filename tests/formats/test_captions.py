import pytest

from pipeline.formats.captions import CaptionError, Rendered, render

VTT = """WEBVTT

NOTE
ID: O2_Principal#1_5.5
Recorded on Zoom

1
00:00:01.200 --> 00:00:03.123
<v Sarah Whitfield>Okay, we're recording.</v>

2
00:00:03.323 --> 00:00:06.400
<v Sarah Whitfield>Thanks for
meeting with us.</v>

3
00:00:07.490 --> 00:00:10.951
<v Teresa Mancini>You're welcome.</v>

4
00:00:11.151 --> 00:00:13.074
<v Teresa Mancini>It's been raining
since Sunday.</v>

5
01:02:03.456 --> 01:02:05.000
<v Sarah Whitfield>Great.</v>
"""

VTT_TEXT = (
    "ID: O2_Principal#1_5.5\n"
    "\n"
    "[00:00:01.200] Sarah Whitfield: Okay, we're recording. Thanks for meeting with us.\n"
    "\n"
    "[00:00:07.490] Teresa Mancini: You're welcome. It's been raining since Sunday.\n"
    "\n"
    "[01:02:03.456] Sarah Whitfield: Great.\n"
)

SRT = """1
00:00:01,000 --> 00:00:04,846
LUC BERGERON: Okay, that's recording. Merci,
Nathalie, for staying.

2
00:00:05,796 --> 00:00:09,642
NATHALIE: Pas de problème. The
bus is gone,

3
00:00:09,792 --> 00:00:12,485
it's quiet. [laughs]

4
00:00:13,435 --> 00:00:17,281
LUC BERGERON: So first, tell me.
"""

SRT_TEXT = (
    "[00:00:01.000] LUC BERGERON: Okay, that's recording. Merci, Nathalie, for staying.\n"
    "\n"
    "[00:00:05.796] NATHALIE: Pas de problème. The bus is gone, it's quiet. [laughs]\n"
    "\n"
    "[00:00:13.435] LUC BERGERON: So first, tell me.\n"
)


def test_render_vtt_voice_tags() -> None:
    assert render(VTT, "vtt") == Rendered(
        VTT_TEXT, frozenset({"Sarah Whitfield", "Teresa Mancini"}), (6.4, 13.074, 3725.0))


def test_render_vtt_without_note_has_no_header() -> None:
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann Lee>Hi.</v>\n"
    assert render(vtt, "vtt").text == "[00:00:01.000] Ann Lee: Hi.\n"


def test_render_vtt_name_prefix_and_continuation() -> None:
    vtt = ("WEBVTT\n\n"
           "00:00:01.000 --> 00:00:02.000\nINTERVIEWER: Hello.\n\n"
           "00:00:02.500 --> 00:00:04.000\nANN LEE: Hi,\n\n"
           "00:00:04.000 --> 00:00:05.500\nthanks.\n")
    rendered = render(vtt, "vtt")
    assert rendered.text == ("[00:00:01.000] INTERVIEWER: Hello.\n\n"
                             "[00:00:02.500] ANN LEE: Hi, thanks.\n")
    assert rendered.end_times == (2.0, 5.5)


def test_render_srt_name_prefixes() -> None:
    assert render(SRT, "srt") == Rendered(
        SRT_TEXT, frozenset({"LUC BERGERON", "NATHALIE"}), (4.846, 12.485, 17.281))


def test_render_srt_lower_case_prefix_is_not_a_speaker() -> None:
    srt = ("1\n00:00:01,000 --> 00:00:02,000\nANN: The plan\n\n"
           "2\n00:00:02,000 --> 00:00:03,000\nso: it works.\n")
    assert render(srt, "srt").text == "[00:00:01.000] ANN: The plan so: it works.\n"


def test_render_srt_sentence_with_colon_continues_the_turn() -> None:
    srt = ("1\n00:00:01,000 --> 00:00:04,000\nLUC: What matters most?\n\n"
           "2\n00:00:05,000 --> 00:00:08,000\nNATHALIE: Three things, really.\n\n"
           "3\n00:00:09,000 --> 00:00:12,000\nThe answer is simple: time and trust.\n")
    rendered = render(srt, "srt")
    assert rendered.speakers == frozenset({"LUC", "NATHALIE"})
    assert rendered.text == ("[00:00:01.000] LUC: What matters most?\n\n"
                             "[00:00:05.000] NATHALIE: Three things, really. "
                             "The answer is simple: time and trust.\n")


def test_malformed_srt_raises() -> None:
    bad = "1\n00:00:01,000 -> 00:00:04,000\nhello\n"
    with pytest.raises(CaptionError, match=r"^malformed SRT near line \d+: expected a cue "
                                           r"number, a '00:00:01,000 --> 00:00:04,000' line "
                                           r"and text$"):
        render(bad, "srt")


def test_malformed_srt_names_the_line_where_the_bad_cue_starts() -> None:
    bad = ("1\n00:00:01,000 --> 00:00:02,000\nA: one\n\n"
           "2\n00:00:03,000 -> 00:00:04,000\ntwo\n\n"         # lines 5-7
           "3\n00:00:05,000 --> 00:00:06,000\nthree\n")
    with pytest.raises(CaptionError, match="near line 5:"):
        render(bad, "srt")


@pytest.mark.parametrize("bad", ["not a vtt\n", "1\n00:00:01,000 --> 00:00:02,000\nANN: hi\n", ""])
def test_malformed_vtt_raises(bad: str) -> None:
    with pytest.raises(CaptionError, match="^malformed WebVTT file: "):
        render(bad, "vtt")


@pytest.mark.parametrize("text, kind, message", [
    ("WEBVTT\n\n", "vtt", "the VTT file has no captions"),
    ("", "srt", "the SRT file has no captions"),
    ("1\n00:00:01,000 --> 00:00:02,000\n \n\n", "srt", "the SRT file has no captions"),
])
def test_no_captions_raises(text: str, kind: str, message: str) -> None:
    with pytest.raises(CaptionError) as info:
        render(text, kind)
    assert str(info.value) == message


@pytest.mark.parametrize("text, kind", [
    ("WEBVTT\n\n00:01:02.500 --> 00:01:04.000\nhello there\n", "vtt"),
    ("1\n00:01:02,500 --> 00:01:04,000\nhello there\n", "srt"),
])
def test_cue_without_speaker_and_nothing_to_continue_raises(text: str, kind: str) -> None:
    with pytest.raises(CaptionError) as info:
        render(text, kind)
    assert str(info.value) == ("cue at 00:01:02.500 has no speaker (no <v Name> tag or 'NAME: ' "
                               "prefix) and no earlier cue to continue")


VTT_NOTES = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Ann>Hello <inaudible> there &amp; welcome &lt;again&gt;

00:00:05,000 --> 00:00:08,000
<v Interviewee 1 & Interviewee 2>We both <shows notebook> agree.
"""


def test_vtt_notes_entities_comma_timings_and_combined_voices_are_read() -> None:
    out = render(VTT_NOTES, "vtt")
    assert out.text == ("[00:00:01.000] Ann: Hello [inaudible] there & welcome <again>\n\n"
                        "[00:00:05.000] Interviewee 1 & Interviewee 2: We both "
                        "[shows notebook] agree.\n")
    assert out.speakers == {"Ann", "Interviewee 1 & Interviewee 2"}


@pytest.mark.parametrize("timing", ["00:00:05.000 -> 00:00:08.000",
                                    "00:00:05.000 —> 00:00:08.000",
                                    "00:00:05.000 00:00:08.000"])
def test_a_malformed_cue_timing_is_an_error_with_its_line(timing: str) -> None:
    with pytest.raises(CaptionError) as info:
        render(VTT_NOTES.replace("00:00:05,000 --> 00:00:08,000", timing), "vtt")
    assert info.value.line == 6 and "is malformed" in str(info.value)
