"""Read one transcript file of any supported format into normalised text and turns."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from pipeline.core.errors import Problem, error, warning
from pipeline.formats import captions
from pipeline.formats.docx import DocxError, docx_text
from pipeline.formats.text import DecodeError, decode, normalise, normalise_mapped
from pipeline.formats.turns import ParsedText, parse_turns
from pipeline.study.names import label_key

FORMATS = {".txt": "text", ".md": "text", ".vtt": "vtt", ".srt": "srt", ".docx": "docx"}


@dataclass
class ReadResult:
    text: str = ""
    fmt: str = ""
    encoding: str = ""
    parsed: ParsedText = field(default_factory=ParsedText)
    # File offsets normalisation dropped (text formats); None where the transcript's text is
    # a rendering of the file (DOCX, captions), so file offsets do not apply.
    dropped: list[int] | None = None

    @property
    def problems(self) -> list[Problem]:
        return self.parsed.problems


def read_transcript(path: str, data: bytes, known_labels: set[str],
                    max_label_words: int = 5) -> ReadResult:
    """Decode, normalise and parse one file; problems are collected, never raised."""
    fmt = FORMATS.get(PurePosixPath(path).suffix.lower())
    result = ReadResult(fmt=fmt or "")
    if fmt is None:
        result.problems.append(error(path, 0, f"unsupported file type; use one of "
                                     f"{', '.join(sorted(FORMATS))}"))
        return result
    end_times: tuple[float, ...] = ()
    extra: set[str] = set()
    try:
        if fmt == "docx":
            raw, result.encoding = docx_text(data), "docx"
            if not raw.strip():
                raise DecodeError("the document has no text")
        else:
            decoded = decode(data)
            raw, result.encoding = decoded.text, decoded.encoding
            if decoded.note:
                result.problems.append(warning(path, 0, decoded.note))
        if fmt == "text":
            text, result.dropped = normalise_mapped(raw)
        else:
            text = normalise(raw)
        if fmt in ("vtt", "srt"):
            rendered = captions.render(text, fmt)
            text, end_times = rendered.text, rendered.end_times
            extra = {label_key(s) for s in rendered.speakers}
    except (DecodeError, DocxError, captions.CaptionError) as exc:
        result.problems.append(error(path, getattr(exc, "line", 0), str(exc)))
        return result
    result.text = text
    problems = result.problems
    result.parsed = parse_turns(text, path, known_labels | extra, max_label_words)
    result.parsed.problems[:0] = problems
    if end_times and len(end_times) == len(result.parsed.turns):
        for turn, end in zip(result.parsed.turns, end_times):
            turn.end_time = end
    return result
