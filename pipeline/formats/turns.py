"""Split normalised transcript text into a header and speaker turns.

Recognised turn labels (design.md §3.2):
- ``Name: text`` and ``[00:12:31] Name: text``; a turn may wrap over several lines;
- Otter-style exports: a line ``Speaker Name  12:31`` followed by the turn's text. With a
  single space (``P04 22:00``, often after hand de-identification) the line is a speaker line
  only when the label is known or used at least twice. Otter's preamble (title and date,
  ``SUMMARY KEYWORDS`` with its list, ``SPEAKERS`` with the names) is skipped without a
  warning, and the names on its ``SPEAKERS`` line count as known speakers.

A ``Word:`` at the start of a line is only a speaker label if the label is known (an interviewer
or participant label, or a name in the header) or is used at least twice; otherwise it is read
as part of the previous turn and a warning says so.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.core.errors import Problem, error, warning
from pipeline.study.names import is_interviewer, label_key, name_keys, speaker_parts, split_people

HEADER_KEYS = {
    "id", "citation id", "date", "site", "district", "interviewers", "participants",
    "location", "duration", "transcriber", "transcribed by", "notes", "phase", "recording",
}
_HEADER = re.compile(r"^(?P<key>[A-Za-z][A-Za-z ]{0,20}?)[ \t]*:[ \t]*(?P<value>.*)$")
_OTTER = re.compile(r"^(?P<speaker>\S(?:.*\S)?)(?P<gap>[ \t]+)(?P<ts>(?:\d{1,2}:)?\d{1,2}:\d{2})$")
OTTER_SECTIONS = ("SUMMARY KEYWORDS", "KEYWORDS", "SPEAKERS")
_STAMP = re.compile(r"^\[(?P<ts>(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)\][ \t]*(?P<rest>.*)$")
_LABEL = re.compile(r"^(?P<speaker>[^:\[\]]{1,60}?)[ \t]*:(?:[ \t]+(?P<text>.*))?$")
_LABEL_WORD = re.compile(r"^[\w(][\w.'’()\-]*$")


@dataclass
class RawTurn:
    speaker: str
    line: int
    start_char: int
    end_char: int
    start_time: float | None = None
    end_time: float | None = None


@dataclass
class ParsedText:
    header: dict[str, tuple[str, int]] = field(default_factory=dict)
    turns: list[RawTurn] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def parse_timestamp(ts: str) -> float:
    """'12:31' -> 751.0; '1:02:15' -> 3735.0; '00:00:06,500' -> 6.5."""
    parts = ts.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def _clock(seconds: float) -> str:
    h, rest = divmod(int(seconds), 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


def looks_like_label(text: str, max_words: int) -> bool:
    words = text.split()
    if not 1 <= len(words) <= max_words * 2 + 1 or not words[0][0].isupper():
        return False
    parts = speaker_parts(text)
    if len(parts) == 1 and len(words) > max_words:
        return False
    return all(0 < len(p.split()) <= max_words and all(
        _LABEL_WORD.match(w) and (w[0].isupper() or w[0].isdigit() or w[0] == "(")
        for w in p.split()) for p in parts)


def header_names(header: dict[str, tuple[str, int]]) -> set[str]:
    """Label keys for the people the header names (full names, first and last names)."""
    names: set[str] = set()
    for key in ("interviewers", "participants"):
        for name, _ in split_people(header.get(key, ("", 0))[0]):
            names |= name_keys(name)
    return names


def parse_turns(text: str, path: str, known_labels: set[str], max_label_words: int = 5
                ) -> ParsedText:
    """Parse a header block and speaker turns from normalised text."""
    out = ParsedText()
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    body_from = _read_header(lines, out)
    speakers, preamble_end = otter_preamble(lines, body_from)
    known = set(known_labels) | header_names(out.header) | speakers
    candidates = {}  # line index -> (speaker, content column or None for otter, timestamp)
    sure = set()     # Otter lines with two spaces before the time: speaker lines for certain
    for i in range(preamble_end, len(lines)):
        found = _match_label(lines[i], max_label_words)
        if found:
            candidates[i] = found[:3]
            if found[3]:
                sure.add(i)
    counts = Counter(label_key(c[0]) for c in candidates.values())
    accepted = {i: c for i, c in candidates.items()
                # known, or a numbered or combined form of known labels ('Interviewer 2')
                if i in sure or counts[label_key(c[0])] > 1 or is_interviewer(c[0], known)}
    _collect_turns(lines, starts, preamble_end, candidates, accepted, path, out)
    for turn, nxt in zip(out.turns, out.turns[1:]):
        if turn.start_time is not None and nxt.start_time is not None:
            if nxt.start_time < turn.start_time:
                out.problems.append(warning(path, nxt.line, (
                    f"timestamp {_clock(nxt.start_time)} is earlier than the previous turn's "
                    f"{_clock(turn.start_time)} (line {turn.line}): turns out of order, or a "
                    f"mistyped time")))
            else:
                turn.end_time = nxt.start_time
    if not out.turns:
        out.problems.append(error(path, body_from + 1 if body_from < len(lines) else 0,
                                  "no speaker turns found; expected lines like 'Name: text', "
                                  "'[00:12:31] Name: text' or an Otter-style 'Name  12:31' line"))
    return out


def _collect_turns(lines: list[str], starts: list[int], body_from: int, candidates: dict,
                   accepted: dict, path: str, out: ParsedText) -> None:
    """Walk the body: accepted labels open turns, other lines continue the current one."""
    current: RawTurn | None = None
    for i in range(body_from, len(lines)):
        line = lines[i]
        cand = accepted.get(i) if current is not None else candidates.get(i)
        if i in candidates and cand is None:
            out.problems.append(warning(
                path, i + 1, f"'{candidates[i][0]}:' looks like a speaker label but is used "
                f"only once and is not a known speaker; read as part of the previous turn"))
        if cand is not None:
            speaker, col, ts = cand
            if current is not None:
                out.turns.append(current)
            pos = starts[i] + (len(line) if col is None else col)
            current = RawTurn(speaker=" ".join(speaker.split()), line=i + 1, start_char=pos,
                              end_char=pos, start_time=parse_timestamp(ts) if ts else None)
            if col is not None and line[col:].strip():
                current.end_char = starts[i] + len(line)
        elif not line.strip():
            continue
        elif current is None:
            if not line.lstrip().startswith(("#", "[")):
                out.problems.append(warning(
                    path, i + 1, "text before the first speaker turn is ignored; turns should "
                    "start with a label like 'Name: text'"))
        else:
            if current.end_char == current.start_char:  # first content line of this turn
                current.start_char = starts[i] + (len(line) - len(line.lstrip()))
            current.end_char = starts[i] + len(line)
    if current is not None:
        out.turns.append(current)


def otter_preamble(lines: list[str], start: int) -> tuple[set[str], int]:
    """Otter's preamble before the first turn (title, date, SUMMARY KEYWORDS, SPEAKERS): the
    label keys of the names on its SPEAKERS line, and the line index after it. No preamble:
    (set(), start)."""
    end, speakers = start, set()
    for i in range(start, min(len(lines), start + 40)):
        line = lines[i].strip()
        if line in OTTER_SECTIONS:
            nxt = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
            if nxt is None:
                return speakers, len(lines)
            if line == "SPEAKERS":
                for name in lines[nxt].split(","):
                    if name.strip():
                        speakers |= name_keys(name.strip()) | {label_key(name.strip())}
            end = nxt + 1
        elif _match_label(lines[i], 5):
            break
    return speakers, end


def _read_header(lines: list[str], out: ParsedText) -> int:
    """Consume a leading block of 'Key: value' lines with known keys; return the body's start."""
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    while i < len(lines):
        m = _HEADER.match(lines[i].strip())
        if not m or m["key"].strip().casefold() not in HEADER_KEYS:
            break
        out.header.setdefault(m["key"].strip().casefold(), (m["value"].strip(), i + 1))
        i += 1
    return i


def _match_label(line: str, max_words: int
                 ) -> tuple[str, int | None, str | None, bool] | None:
    """(speaker, column where the turn's text starts or None for Otter, timestamp, whether
    the line is a speaker line for certain) or None."""
    m = _OTTER.match(line)
    if m and looks_like_label(m["speaker"], max_words):
        return m["speaker"], None, m["ts"], len(m["gap"]) > 1
    offset, ts, rest = 0, None, line
    s = _STAMP.match(line)
    if s:
        ts, rest = s["ts"], s["rest"]
        offset = s.start("rest")
    m = _LABEL.match(rest)
    if not m or not looks_like_label(m["speaker"], max_words):
        return None
    col = offset + (m.start("text") if m["text"] is not None else len(rest))
    return m["speaker"], col, ts, False
