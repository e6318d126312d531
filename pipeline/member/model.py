"""What a member-check round is made of: the items a site's participants were shown (themes,
interpretations, quotes) and the responses they gave, one row each.

A round lives in ``codebooks/member_checks/<site>/round-<n>/``:

- ``items.csv``: the items as shown (already redacted), with what each points at;
- ``packet.md``, ``packet.docx``, ``packet.html``, ``sheet.xlsx``, ``sheet.csv``: the packet
  and the blank response sheet handed out;
- ``session/<nnnn>-<item>.json``: responses recorded at the meeting, one file each, as given;
- ``sheets/<name>.csv``: filled sheets, as checked and stored by ``qda member-check ingest``.

Nothing in a round is ever rewritten: a changed answer is a new response, and the latest
response of a respondent to an item is the one that counts.
"""
from __future__ import annotations

import re

KINDS = ("theme", "interpretation", "quote")
RESPONSES = ("agree", "disagree", "revise", "withdraw")
# What each kind of item may be answered with: a quote is verbatim, so it can be agreed
# with, disputed or withdrawn by the person who said it, but not rewritten.
ALLOWED = {"theme": ("agree", "disagree", "revise"),
           "interpretation": ("agree", "disagree", "revise"),
           "quote": ("agree", "disagree", "withdraw")}

ITEM_COLUMNS = ["item_id", "site", "round", "order", "kind", "theme_id", "theme", "text",
                "citation_id", "locator", "segment_id", "start_char", "end_char",
                "participant_id", "role", "source", "critical", "critical_words"]
SHEET_COLUMNS = ["item_id", "site", "round", "kind", "theme", "text", "response", "comment",
                 "revised_text", "respondent"]
RESPONSE_COLUMNS = ["item_id", "site", "round", "response", "comment", "revised_text",
                    "respondent", "recorded", "via"]

ROUND_DIR = re.compile(r"^round-(\d+)$")
ITEMS_FILE = "items.csv"
SESSION_DIR = "session"
SHEETS_DIR = "sheets"


def item_id(site: str, round_no: int, kind: str, n: int) -> str:
    """'O3-R1-T02': site, round, kind (T theme, I interpretation, Q quote), number."""
    return f"{site}-R{round_no}-{kind[0].upper()}{n:02d}"


def round_folder(site: str, round_no: int) -> str:
    """The round's folder, relative to codebooks/member_checks/."""
    return f"{site}/round-{round_no}"


def parse_location(rel: str) -> tuple[str, int, str] | None:
    """(site, round, rest) of a path relative to codebooks/member_checks/, or None."""
    parts = rel.split("/")
    if len(parts) < 3:
        return None
    match = ROUND_DIR.match(parts[1])
    return (parts[0], int(match.group(1)), "/".join(parts[2:])) if match else None


# Words that mark a statement as critical of what it describes: problems, pressure, doubt,
# loss. A lexical signal, not a judgement: the report shows the statements themselves.
_CRITICAL = re.compile(
    r"\b(not|no|never|nobody|nothing|can['’]?t|cannot|don['’]?t|doesn['’]?t|didn['’]?t|"
    r"won['’]?t|isn['’]?t|wasn['’]?t|aren['’]?t|but|however|although|problem\w*|"
    r"pressure\w*|tension\w*|struggl\w*|fail\w*|lack\w*|concern\w*|worr\w*|frustrat\w*|"
    r"burden\w*|cut|cuts|austerity|unfair\w*|fight\w*|conflict\w*|resist\w*|sceptic\w*|"
    r"skeptic\w*|doubt\w*|risk\w*|threat\w*|ending|ends|lost|lose|loss|gap\w*|barrier\w*|"
    r"difficult\w*|hard|annoy\w*|nightmare|top-down|imposed|compliance|blame\w*|critic\w*|"
    r"weak\w*|limit\w*|exhaust\w*|overload\w*|tokenis\w*|tokeniz\w*)\b", re.IGNORECASE)


def critical_words(text: str) -> list[str]:
    """The critical markers in `text`, lower-cased, in order."""
    return [m.group(0).lower() for m in _CRITICAL.finditer(text or "")]
