"""Write a benchmark interview in one of the formats the pipeline reads (pipeline/formats/).

Styles, as transcripts arrive in practice (the shipped corpus has each):
- ``text``: a header block and ``Interviewer:`` / ``Full Name:`` lines;
- ``stamped``: the same with ``[hh:mm:ss] Name:`` labels (a transcription service's export);
- ``short``: ``I:`` / ``P:`` labels, the person declared in the header;
- ``otter``: Otter.ai's export: title, SUMMARY KEYWORDS, SPEAKERS, then ``Name  m:ss`` lines;
- ``vtt``: WebVTT captions with ``<v Name>`` voice tags, the ID in a NOTE;
- ``srt``: SRT captions, ``NAME:`` in capitals on a turn's first cue (no header);
- ``docx``: Word, one paragraph per header line and per turn, the label in bold.
"""
from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

EXTENSIONS = {"text": ".txt", "stamped": ".txt", "short": ".txt", "otter": ".txt",
              "vtt": ".vtt", "srt": ".srt", "docx": ".docx"}
# Words a caption cue holds, and seconds a word takes to say (about 150 words a minute).
CUE_WORDS, SECONDS_PER_WORD = 11, 0.4
# A caption cue that opens with 'Words: ' could be read as a speaker label: kept in the cue before.
_LABEL_LIKE = re.compile(r"^[^\W\d_][\w.'’\- ]{0,40}?:\s")
_FIXED_TIME = (2016, 5, 1, 0, 0, 0)  # DOCX zip entries: the same bytes on every run
_FIXED_DATE = dt.datetime(2016, 5, 1, tzinfo=dt.UTC)


@dataclass
class Turn:
    speaker: str          # the person's full name
    interviewer: bool
    text: str
    start: float          # seconds from the start of the recording
    end: float = 0.0


@dataclass
class Dialogue:
    citation_id: str
    date: str             # ISO date
    site: str
    participant: str      # full name
    role_text: str        # 'Principal, Foxton Public School'
    interviewers: list[str]
    location: str
    transcriber: str
    turns: list[Turn] = field(default_factory=list)

    @property
    def first_name(self) -> str:
        return self.participant.split()[0]

    def header(self) -> list[str]:
        minutes = max(1, round(self.turns[-1].end / 60)) if self.turns else 1
        return [f"ID: {self.citation_id}", f"Date: {self.date}", f"Site: {self.site}",
                f"Interviewers: {'; '.join(self.interviewers)}",
                f"Participants: {self.participant} ({self.role_text})",
                f"Location: {self.location}", f"Duration: {minutes} min",
                f"Transcriber: {self.transcriber}"]


def render(dialogue: Dialogue, style: str) -> bytes:
    """The file's bytes for a style (see the module's docstring)."""
    if style == "docx":
        return _docx(dialogue)
    writer = {"text": _text, "stamped": _stamped, "short": _short, "otter": _otter,
              "vtt": _vtt, "srt": _srt}[style]
    return ("\n".join(writer(dialogue)) + "\n").encode("utf-8")


def _text(d: Dialogue) -> Iterator[str]:
    yield from [*d.header(), ""]
    for t in d.turns:
        yield f"{'Interviewer' if t.interviewer else t.speaker}: {t.text}"


def _stamped(d: Dialogue) -> Iterator[str]:
    yield from [*d.header(), ""]
    for t in d.turns:
        yield f"[{_clock(t.start)}] {t.speaker}: {t.text}"


def _short(d: Dialogue) -> Iterator[str]:
    yield from [*d.header(), ""]
    for t in d.turns:
        yield f"{'I' if t.interviewer else 'P'}: {t.text}"
        yield ""


def _otter(d: Dialogue) -> Iterator[str]:
    month, day = d.citation_id.rsplit("_", 1)[1].split(".")
    when = f"{_MONTHS[int(month)]} {day}, {d.date[:4]}, 9:{len(d.turns) % 60:02d}AM"
    yield from [d.citation_id, when, "", "SUMMARY KEYWORDS", _keywords(d), "", "SPEAKERS",
                ", ".join([*d.interviewers, d.participant]), ""]
    for t in d.turns:
        yield from [f"{t.speaker}  {_otter_clock(t.start)}", t.text, ""]


_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
           "Dec")


def _keywords(d: Dialogue) -> str:
    """Otter's summary keywords: the longest words of the first answers."""
    words = {w.strip(".,?!\"").lower() for t in d.turns[:6] if not t.interviewer
             for w in t.text.split()}
    return ", ".join(sorted((w for w in words if w.isalpha()), key=lambda w: (-len(w), w))[:8])


def _cues(d: Dialogue) -> Iterator[tuple[Turn, int, float, float, str]]:
    """(turn, cue number in the turn, start, end, text) for every caption cue."""
    for t in d.turns:
        words = t.text.split()
        chunks: list[list[str]] = []
        for i in range(0, len(words), CUE_WORDS):
            chunk = words[i:i + CUE_WORDS]
            if chunks and _LABEL_LIKE.match(" ".join(chunk)):
                chunks[-1].extend(chunk)
            else:
                chunks.append(chunk)
        start = t.start
        for k, chunk in enumerate(chunks):
            end = start + len(chunk) * SECONDS_PER_WORD
            yield t, k, start, end, " ".join(chunk)
            start = end + 0.15


def _wrap(text: str) -> str:
    """A cue's text on two lines, as caption files have it."""
    words = text.split()
    half = (len(words) + 1) // 2
    return " ".join(words[:half]) + ("\n" + " ".join(words[half:]) if words[half:] else "")


def _vtt(d: Dialogue) -> Iterator[str]:
    yield from ["WEBVTT", "", "NOTE", f"ID: {d.citation_id}", ""]
    for n, (t, _, start, end, text) in enumerate(_cues(d), 1):
        body = _wrap(html.escape(text, quote=False))
        yield from [str(n), f"{_stamp(start)} --> {_stamp(end)}",
                    f"<v {t.speaker}>{body}</v>", ""]


def _srt(d: Dialogue) -> Iterator[str]:
    for n, (t, k, start, end, text) in enumerate(_cues(d), 1):
        label = (t.speaker if t.interviewer else d.first_name).upper()
        body = f"{label}: {text}" if k == 0 else text
        yield from [str(n), f"{_stamp(start, ',')} --> {_stamp(end, ',')}", _wrap(body), ""]


def _docx(d: Dialogue) -> bytes:
    import docx  # python-docx: imported only when a DOCX is written

    document = docx.Document()
    props = document.core_properties
    props.title, props.author, props.last_modified_by = d.citation_id, "", ""
    props.created = props.modified = props.last_printed = _FIXED_DATE
    props.revision = 1
    for line in [*d.header(), ""]:
        document.add_paragraph(line)
    for t in d.turns:
        p = document.add_paragraph()
        p.add_run(f"{t.speaker if t.interviewer else d.first_name}:").bold = True
        _add_text(p.add_run(), " " + t.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _add_text(run: Any, text: str) -> None:
    """A run's text as one w:t element: python-docx's setter walks it character by character
    (for tabs and breaks, which speech has none of) and takes most of the corpus's time."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement("w:t")
    element.text = text
    element.set(qn("xml:space"), "preserve")
    run._r.append(element)


def _fixed_zip(data: bytes) -> bytes:
    """The same DOCX with every zip entry dated alike: python-docx stamps the current time."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, _FIXED_TIME), src.read(info.filename),
                         zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _otter_clock(seconds: float) -> str:
    s = int(seconds)
    h, m = divmod(s // 60, 60)
    return f"{h}:{m:02d}:{s % 60:02d}" if h else f"{m}:{s % 60:02d}"


def _stamp(seconds: float, sep: str = ".") -> str:
    millis = int(round(seconds * 1000))
    h, rest = divmod(millis, 3_600_000)
    m, rest = divmod(rest, 60_000)
    return f"{h:02d}:{m:02d}:{rest // 1000:02d}{sep}{rest % 1000:03d}"
