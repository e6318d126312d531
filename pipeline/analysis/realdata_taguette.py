"""Read ``taguette-serdif``: 17 think-aloud sessions coded in Taguette (SERDIF usability study).

Taguette keeps each document as HTML; highlight offsets are UTF-8 byte offsets into the
tag-stripped, entity-decoded text, in which every paragraph is one line. Each line becomes
one or more turns of our format, its text kept verbatim (indentation included):

- ``Moderator:`` from a ``MODERATOR:`` prefix to the end of its paragraph (the prefix stays in
  the text; it also occurs mid-paragraph, after speech or a note);
- ``Task:`` a prompt of the task sheet (``3.a Please explain ...``, ``c.i Data Provenance``),
  wherever it starts a phrase: speech or another prompt may follow in the same paragraph;
- ``Note:`` a transcriber's note: a parenthesis opening a paragraph, a parenthesis describing
  what the participant does (``(The participant reads ...)``) anywhere, and the three
  paragraphs of P6 that say so without one; short glosses inside a sentence (``(joking)``,
  ``(referring to ...)``) stay in the speech they annotate;
- ``P<n>:`` the rest: the participant's think-aloud speech.

Only whitespace at line ends is dropped (with it the no-break space of empty paragraphs). A
character map carries each highlight to the written text, where it is checked.
"""
from __future__ import annotations

import datetime as dt
import html
import re
import sqlite3
from pathlib import Path

from pipeline.analysis.realdata import Interview, Source, SourceCode, SourceSpan

DB = "SERDIF_P2_ThematicAnalysis.sqlite3"
MODERATOR, TASK, NOTE = "Moderator", "Task", "Note"
NOTICE = ("Built from ../shared/realdata/taguette-serdif (navarral/swj2022-usability-paper, "
          "GPL-3.0).\nDo not copy into a project that is not GPL-compatible.")

# The task sheet's prompts as the transcripts give them: for each prompt number, the words most
# sessions share (speech often follows a prompt in its paragraph, so no paragraph is the prompt
# on its own; '4 data sets.' is speech, not prompt 4).
TASK_SHEET = (
    "1 Read the ‘Home’ tab information.",
    "1.a Was the information presented enough for you to get an overall understanding of the "
    "SERDIF framework?",
    "1.b If not, what information would you add?",
    "2 Login with the credentials provided in the invitation email.",
    "3 Submit a query using the input options available in the ‘Query’ tab on the left panel.",
    "3.a Please explain and justify aloud the specific choices that you make.",
    "3.b Are the query input options clear to you?",
    "3.c Would you add any extra information to get a better understanding?",
    "3.d After completing all the inputs, please click the ‘Submit’ button once",
    "4 Explore the ‘Q1’ tab generated after submitting a query.",
    "4.a Read the information provided in the introductory paragraph.",
    "4.b Explore and discuss aloud the usefulness of the information displayed for each of the "
    "three buttons below, in order to understand the event-environmental linked data.",
    "4.c Click the following buttons:",
    "c.i Data Provenance",
    "c.ii Data Lineage",
    "c.iii Full Metadata Exploration",
    "4.d Can you say aloud how many data sets were used for each event in the Data Provenance "
    "table?",
    "4.e Can you identify aloud the data use comment (eg:DataUse), identification risk comment "
    "(eg:IdentificationRisk) and license (dct:license) in the Full Metadata Exploration text?",
    "5 Explore the data table displayed underneath the metadata buttons.",
    "5.a Can you understand all the column headings when hovering over the abbreviations?",
    "5.b Do you understand the meaning of the cell background colors?",
    "5.c Can you hide columns by using the eye icon next to the column heading or by using the "
    "‘Toggle Columns’ button?",
    "5.d After coming to conclusion on the previous questions, discuss aloud whether you found "
    "the data table useful to comprehend the event-environmental linked data?",
    "5.e Say aloud if you would add any feature to the current display",
    "6 Explore the Heat map, Box Plot and Polar Plot tabs.",
    "6.a Select an environmental variable from the inputs provided",
    "6.b Please explain aloud the usefulness and clarity of each plot",
    "6.c Say aloud if you would add any more visualizations to the current ones",
    "7 Submit one more query with different input options from the ones used before.",
    "7.a Answer aloud the following questions:",
    "a.i Which individual event uses the most data sets between Q1 and Q2?",
    "a.ii Do both data sets (Q1 and Q2) have the same license?",
    "a.iii Which of the data tables (Q1 and Q2) seem to have more extreme values (i.e., more "
    "colored cell backgrounds)?",
    "7.b Choose one of the following plots from Heat map, Box Plot and Polar Plot tabs and "
    "compare aloud Q1 and Q2 plots.",
    "7.c Say aloud if you would add any other feature to help you comprehend better the data at "
    "this point",
    "8 Export/download the metadata and data from the first query (Q1)",
    "8.a FAIR data and metadata",
    "8.b Data provenance and Data table as CSV files",
    "8.c Export all data tables at once in the ‘Download All’ tab in the left panel",
    "8.d Say aloud whether such event-environmental linked data and metadata would be useful "
    "and re-usable as input for environmental research",
    "9 Finally, could you summarize verbally your overall experience in completing these tasks "
    "using the SERDIF dashboard?",
)

_FILE = re.compile(r"^P(?P<n>\d+)_GMT(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})\b")
_NOTE_OPEN = re.compile(r"\s*\([^()]*\)\.?")
_NOTE_ACTION = re.compile(r"\((?:[Tt]he participants?|Participant|reads)\b[^()]*\)\.?")
_NOTE_PLAIN = re.compile(r"\s*(?:Then, )?[Tt]he participants? reads\b")
_MOD = "MODERATOR:"


def plain(fragment: str) -> str:
    """Taguette's text of HTML: tags dropped, entities decoded (its README's rule)."""
    return html.unescape(re.sub(r"<[^>]*>", "", fragment))


def read(folder: Path) -> Source:
    """The study as a `Source`: 17 transcripts, 22 flat tags, one span per highlight-tag."""
    con = sqlite3.connect(f"{(folder / DB).resolve().as_uri()}?mode=ro", uri=True)
    try:
        docs = con.execute("select id, name, contents from documents").fetchall()
        tags = con.execute("select path, description from tags order by id").fetchall()
        highlights = con.execute(
            "select h.id, h.document_id, h.start_offset, h.end_offset, h.snippet, t.path "
            "from highlights h left join highlight_tags ht on ht.highlight_id = h.id "
            "left join tags t on t.id = ht.tag_id "
            "order by h.document_id, h.start_offset, h.id, t.id").fetchall()
        project = con.execute("select name from projects").fetchone()[0]
    finally:
        con.close()
    texts = {doc_id: plain(contents) for doc_id, _, contents in docs}
    prompts = prompt_pattern()
    interviews, maps = {}, {}
    for doc_id, name, _ in docs:
        interviews[doc_id], maps[doc_id] = _interview(doc_id, name, texts[doc_id], prompts)
    spans, unplaced = spans_from(highlights, texts, interviews, maps)
    codes = tuple(SourceCode(key=path, name=path, parent=None,
                             definition=" ".join(desc.split()) or path, codable=True)
                  for path, desc in tags)
    ordered = tuple(sorted(interviews.values(), key=lambda i: i.seq))
    return Source(
        study_name="SERDIF dashboard usability study (think-aloud sessions)",
        site_name="SERDIF usability study", interviewer_labels=(MODERATOR, TASK, NOTE),
        participant_labels=tuple(i.participant for i in ordered), interviews=ordered,
        codes=codes, spans=spans, unplaced=unplaced, codebook_name=project,
        codebook_version="codebook_20220303_8", notice=NOTICE)


def _interview(doc_id: int, name: str, text: str, prompts: re.Pattern
               ) -> tuple[Interview, list[int]]:
    m = _FILE.match(name)
    if m is None:
        raise ValueError(f"document {name!r} is not named P<n>_GMT<yyyymmdd>")
    speaker = f"P{int(m['n'])}"
    body, cmap = render(text, speaker, prompts)
    return Interview(seq=int(m["n"]), date=dt.date(int(m["y"]), int(m["m"]), int(m["d"])),
                     participant=speaker, interviewers=MODERATOR,
                     note=f"Taguette document {name} (id {doc_id})", body=body), cmap


def prompt_pattern(prompts: tuple[str, ...] = TASK_SHEET) -> re.Pattern:
    """A prompt wherever it starts a phrase; sessions vary in the final full stop and in
    're-usable' / 'reusable'."""
    alts = sorted((re.escape(p.rstrip(".")).replace(r"re\-usable", "re-?usable")
                   for p in prompts), key=len, reverse=True)
    return re.compile(r"(?<!\S)(?:" + "|".join(alts) + r")(?!\w)\.?")


def _ws_start(s: str, i: int) -> int:
    """Where the whitespace before position i begins (a split keeps it on the right)."""
    while i > 0 and s[i - 1].isspace():
        i -= 1
    return i


def _marks(rest: str, prompts: re.Pattern) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, label) of the prompts and notes in a paragraph."""
    if _NOTE_PLAIN.match(rest):
        return [(0, len(rest), NOTE)]
    found = [(m.start(), m.end(), TASK) for m in prompts.finditer(rest)]
    found += [(m.start(), m.end(), NOTE) for m in _NOTE_ACTION.finditer(rest)]
    opening = _NOTE_OPEN.match(rest)
    if opening:
        found.append((0, opening.end(), NOTE))
    marks, pos = [], 0
    for start, end, label in sorted(found):
        if start >= pos:
            marks.append((start, end, label))
            pos = end
    return marks


def pieces(line: str, prompts: re.Pattern, speaker: str) -> list[tuple[str, int, int]]:
    """(label, start, end) turns that tile a paragraph; [] when it holds no text."""
    if not line.strip():
        return []
    cut = line.find(_MOD)
    rest_end = len(line) if cut < 0 else _ws_start(line, cut)
    rest = line[:rest_end]
    out: list[tuple[str, int, int]] = []
    pos = 0
    for start, end, label in _marks(rest, prompts):
        start = max(_ws_start(rest, start), pos)
        if start > pos:
            out.append((speaker, pos, start))
        out.append((label, start, end))
        pos = end
    if rest[pos:].strip():
        out.append((speaker, pos, rest_end))
    elif out:   # trailing whitespace stays with the last turn (and is dropped on writing)
        out[-1] = (out[-1][0], out[-1][1], rest_end)
    if cut >= 0:
        out.append((MODERATOR, rest_end, len(line)))
    return out


def render(text: str, speaker: str, prompts: re.Pattern) -> tuple[str, list[int]]:
    """Our body text, and for every source character its position in the body (dropped
    whitespace maps to the end of its line)."""
    lines: list[str] = []
    cmap = [0] * (len(text) + 1)
    pos = off = 0
    for line in text.split("\n"):
        for label, a, b in pieces(line, prompts, speaker) or [("", 0, len(line))]:
            kept = line[a:b].rstrip() if label else ""
            prefix = f"{label}: " if label else ""
            for i in range(a, b):
                cmap[off + i] = pos + len(prefix) + min(i - a, len(kept))
            lines.append(prefix + kept)
            pos += len(lines[-1]) + 1
        cmap[off + len(line)] = pos - 1   # the paragraph break: the newline just written
        off += len(line) + 1
    return "\n".join(lines) + "\n", cmap


def _char_at(text: str) -> dict[int, int]:
    """UTF-8 byte offset -> code-point offset, at every character boundary."""
    out, byte = {}, 0
    for i, ch in enumerate(text):
        out[byte] = i
        byte += len(ch.encode("utf-8"))
    out[byte] = len(text)
    return out


def _squash(s: str) -> str:
    return "".join(s.split())


def place(text: str, body: str, cmap: list[int], char_at: dict[int, int], start_b: int,
          end_b: int, labels: re.Pattern) -> tuple[int, int] | str:
    """A highlight's (start, end) in the body, trimmed to its first and last non-space
    characters, or why it cannot be placed."""
    start, end = char_at.get(start_b), char_at.get(end_b)
    if start is None or end is None:
        return "offset inside a UTF-8 character"
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return "highlight holds only whitespace"
    lo, hi = cmap[start], cmap[end - 1] + 1
    if _squash(labels.sub("\n", body[lo:hi])) != _squash(text[start:end]):
        return "written text differs from the highlight"
    return lo, hi


def spans_from(rows: list[tuple], texts: dict[int, str], interviews: dict[int, Interview],
               maps: dict[int, list[int]]
               ) -> tuple[tuple[SourceSpan, ...], tuple[tuple[str, str], ...]]:
    """One span per highlight-tag pair; a highlight without a tag is reported, not coded."""
    spans, unplaced = [], []
    char_at = {doc: _char_at(t) for doc, t in texts.items()}
    for hl_id, doc, start_b, end_b, snippet, tag in rows:
        interview = interviews[doc]
        where = f"highlight {hl_id} ({interview.participant}, {tag or 'no tag'})"
        if tag is None:
            unplaced.append((where, "highlight has no tag"))
            continue
        raw = texts[doc].encode("utf-8")[start_b:end_b].decode("utf-8", "replace")
        if raw != plain(snippet):
            unplaced.append((where, "offsets do not reproduce the snippet"))
            continue
        labels = re.compile(rf"\n(?:{MODERATOR}|{TASK}|{NOTE}|{interview.participant}): ")
        found = place(texts[doc], interview.body, maps[doc], char_at[doc], start_b, end_b,
                      labels)
        if isinstance(found, str):
            unplaced.append((where, found))
            continue
        spans.append(SourceSpan(interview.seq, found[0], found[1], tag))
    return tuple(spans), tuple(unplaced)
