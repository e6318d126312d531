"""A tiny document model (headings, paragraphs, bullets, quotes, images, tables) that case
summaries and member-check packets are built in, so Markdown, DOCX and HTML are rendered from
the same content."""
from __future__ import annotations

import json
import math

QUOTE_COLUMNS = ["doc", "citation_id", "locator", "segment_id", "start_char", "end_char",
                 "quote", "note", "theme_id", "kind", "participant_id", "role", "site"]
BLOCK_COLUMNS = ["doc", "order", "kind", "level", "text", "citation_id", "locator",
                 "segment_id", "start_char", "end_char", "note"]


def plural(n: int, word: str) -> str:
    """'1 segment', '3 segments'."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def kappa_text(kappa: float, low: float = float("nan"), high: float = float("nan")) -> str:
    """'κ 0.36 (95% interval 0.14 to 0.50)': a code's measured reliability with its interval
    (a bare κ when none could be computed), or 'not measured'."""
    if math.isnan(kappa):
        return "not measured"
    if math.isnan(low) or math.isnan(high):
        return f"κ {kappa:.2f}"
    return f"κ {kappa:.2f} (95% interval {low:.2f} to {high:.2f})"


class Doc:
    def __init__(self, name: str):
        self.name = name
        self.blocks: list[dict] = []
        self.quotes: list[dict] = []  # every quote, with its theme and speaker, for balance
        self.used: set[str] = set()   # segments quoted so far
        self.themes: list[dict] = []  # each theme shown, with its interpretation

    def _add(self, kind: str, text: str, level: int = 0, **cite) -> None:
        self.blocks.append({"doc": self.name, "order": len(self.blocks), "kind": kind,
                            "level": level, "text": text,
                            "citation_id": cite.get("citation_id", ""),
                            "locator": cite.get("locator", ""),
                            "segment_id": cite.get("segment_id", ""),
                            "start_char": cite.get("start_char", -1),
                            "end_char": cite.get("end_char", -1),
                            "note": cite.get("note", "")})

    def heading(self, text: str, level: int) -> None:
        self._add("heading", text, level)

    def paragraph(self, text: str) -> None:
        self._add("paragraph", text)

    def bullet(self, text: str) -> None:
        self._add("bullet", text)

    def image(self, figure: str, caption: str) -> None:
        """A figure by name (the figures stage draws it; the documents stage links it)."""
        self._add("image", caption, citation_id="", locator=figure)

    def table(self, rows: list[list[str]]) -> None:
        self._add("table", json.dumps(rows, ensure_ascii=False))

    def quote(self, text: str, *, citation_id: str, locator: str, segment_id: str,
              start_char: int, end_char: int, note: str = "", **about) -> None:
        """A verbatim quote: `text` is transcript[start_char:end_char] of `citation_id`;
        `note` says where its evidence comes from (coder, method, or why it is discrepant)."""
        self._add("quote", text, citation_id=citation_id, locator=locator,
                  segment_id=segment_id, start_char=start_char, end_char=end_char, note=note)
        self.used.add(segment_id)
        self.quotes.append({"doc": self.name, "citation_id": citation_id, "locator": locator,
                            "segment_id": segment_id, "start_char": start_char,
                            "end_char": end_char, "quote": text, "note": note, **about})
