"""WebVTT and SRT captions: cues become speaker turns with start and end times.

The captions are rendered as plain text, one ``[hh:mm:ss.mmm] Speaker: text`` line per turn
(consecutive cues of one speaker joined), and that rendering is the transcript's normalised
text, so offsets and quotes refer to it.
"""
from __future__ import annotations

import html
import io
import re
from collections import Counter
from dataclasses import dataclass

import srt
import webvtt
from webvtt.errors import MalformedFileError

from pipeline.formats.turns import HEADER_KEYS
from pipeline.study.names import label_key

_HEADER_LINE = re.compile(r"^\s*(?P<key>[A-Za-z ]+):")
_NAMED = re.compile(r"^(?P<speaker>[^\W\d_][\w.'’\- ]{0,40}?):[ \t]+(?P<text>.*)$", re.DOTALL)


class CaptionError(ValueError):
    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.line = line  # 1-based line of the caption file, 0 when it concerns the file


# WebVTT's own cue tags; anything else in angle brackets (<inaudible>, <shows notebook>) is a
# transcriber's note, kept as a bracketed note rather than dropped as an unknown tag.
_NOTE_TAG = re.compile(r"<(?!/?(?:c|i|b|u|v|lang|ruby|rt)\b|/?\d)([^<>\n]+)>")
_TIMING = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{3}\s+(?P<arrow>\S+)\s+"
                     r"(?:\d+:)?\d{1,2}:\d{2}[.,]\d{3}(?:\s.*)?$")
_TIMING_LIKE = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{3}\b")


def prepare_vtt(text: str) -> str:
    """Read WebVTT as transcribers write it: a comma before the milliseconds (the SRT habit)
    is accepted, a timing line with a malformed arrow is an error naming its line (webvtt-py
    would drop the cue and its words silently), and notes in angle brackets are kept."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = _TIMING.match(line)
        if m and m["arrow"] == "-->":
            lines[i] = re.sub(r"(\d{2}),(\d{3})", r"\1.\2", line)
        elif m or _TIMING_LIKE.match(line):
            raise CaptionError(f"cue timing {line.strip()!r} is malformed; expected "
                               f"'00:00:01.000 --> 00:00:04.000' (the cue's words would be "
                               f"lost)", i + 1)
    return _NOTE_TAG.sub(lambda m: f"[{m.group(1).strip()}]", "\n".join(lines))


@dataclass(frozen=True)
class Rendered:
    text: str
    speakers: frozenset[str]
    end_times: tuple[float, ...]


def _seconds(stamp: str) -> float:
    h, m, s = stamp.replace(",", ".").split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def _stamp(seconds: float) -> str:
    millis = int(round(seconds * 1000))
    h, rest = divmod(millis, 3_600_000)
    m, rest = divmod(rest, 60_000)
    return f"{h:02d}:{m:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def render(text: str, kind: str) -> Rendered:
    """Render a caption file's text (already decoded and normalised) as speaker turns."""
    header: list[str] = []
    if kind == "srt":
        try:
            cues = [(sub.content, sub.start.total_seconds(), sub.end.total_seconds(), None)
                    for sub in srt.parse(text)]
        except srt.SRTParseError as exc:
            line = text[:exc.expected_start].count("\n") + 1
            raise CaptionError(f"malformed SRT near line {line}: expected a cue number, a "
                               f"'00:00:01,000 --> 00:00:04,000' line and text") from exc
    else:
        try:
            captions = webvtt.from_buffer(io.StringIO(prepare_vtt(text)))
        except MalformedFileError as exc:
            raise CaptionError(f"malformed WebVTT file: {exc}") from exc
        header = list(getattr(captions, "header_comments", []) or [])
        cues = [(c.text, _seconds(c.start), _seconds(c.end), getattr(c, "voice", None))
                for c in captions]
    named = [_NAMED.match(" ".join(c[0].split())) for c in cues]
    counts = Counter(label_key(m["speaker"]) for m in named if m)
    turns: list[list] = []  # [speaker, start, end, [texts]]
    for (content, start, end, speaker), m in zip(cues, named):
        # Captions escape <, > and & as entities; the transcript holds the characters.
        body = html.unescape(" ".join(content.split()))
        # 'NAME: text' starts a turn when written in capitals (the SRT habit), used more than
        # once, or on the first cue; "The answer is simple: time" continues the turn.
        if not speaker and m and (m["speaker"].isupper() or counts[label_key(m["speaker"])] > 1
                                  or not turns):
            speaker, body = m["speaker"].strip(), m["text"]
        if not body:
            continue
        if speaker is None and turns:
            speaker = turns[-1][0]
        if speaker is None:
            raise CaptionError(f"cue at {_stamp(start)} has no speaker (no <v Name> tag or "
                               f"'NAME: ' prefix) and no earlier cue to continue")
        if turns and turns[-1][0] == speaker:
            turns[-1][2] = end
            turns[-1][3].append(body)
        else:
            turns.append([speaker, start, end, [body]])
    if not turns:
        raise CaptionError(f"the {kind.upper()} file has no captions")
    lines = [line.strip() for block in header for line in block.split("\n")
             if (m := _HEADER_LINE.match(line)) and m["key"].strip().casefold() in HEADER_KEYS]
    out = "\n".join(lines) + ("\n\n" if lines else "")
    out += "\n\n".join(f"[{_stamp(t[1])}] {t[0]}: {' '.join(t[3])}" for t in turns) + "\n"
    return Rendered(out, frozenset(t[0] for t in turns), tuple(t[2] for t in turns))
