"""Finding what to replace: e-mail addresses, phone numbers and the redaction terms, as spans.

At each word, the terms starting with that word are tried longest first, so the longest
term wins ("Dunmore Heights Secondary School" before "Dunmore Heights") and a kept term
protects the words it covers. A term matches on word boundaries only, whatever its case
(or, for capital-only terms, with its capitals in place), with any run of spaces or a line
break between its words, a straight or curly apostrophe, and the dot after an abbreviation
such as "St." optional. A school name takes its type with it ("Eastgate" also covers
"Eastgate Collegiate"), a district name its "DSB".
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.privacy.rules import Term
from pipeline.privacy.sources import BOARD_TAIL, DISTRICT, SCHOOL, SCHOOL_TAIL

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# North American numbers: 705-555-0182, (705) 555 0182, +1 705 555 0182, 555-0182, ext. 23.
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}"
    r"|\d{3}[.-]\d{4})(?:\s*,?\s*(?:ext\.?|extension|x)\s*\d{1,6})?(?![\w-])", re.IGNORECASE)
# Placeholders already in a text (ours, or a transcriber's [REDACTED]) are left alone.
BRACKETED = re.compile(r"\[[A-Z][A-Z0-9 '\-]*\]")

EDGES = " \"'“”‘’()[]{}<>«»,;:"
Span = tuple[int, int, str | None]   # start, end, replacement (None: keep as written)


def _word(word: str, capital: bool) -> str:
    """One word of a term as a pattern."""
    parts = []
    for i, ch in enumerate(word):
        if ch in "'’":
            parts.append("['’]")
        elif ch in "-‐‑":
            parts.append("[-‐‑]")
        elif ch == "." and i == len(word) - 1 and i >= 2:
            parts.append(r"\.?")   # "St." / "St"; an initial's dot ("J.") stays required
        else:
            parts.append(re.escape(ch))
    if capital and word[:1].isupper():
        return parts[0] + "(?i:" + "".join(parts[1:]) + ")"
    return "(?i:" + "".join(parts) + ")"


def term_pattern(term: Term) -> str:
    """The regular expression for one term, without its boundaries. Quotes and brackets
    around a term (a header's "‘The Hub’") are not part of it: terms start at a word."""
    text = term.text.strip(EDGES)
    body = r"\s+".join(_word(w, term.capital) for w in text.split())
    if term.placeholder == SCHOOL:
        body += f"(?i:{SCHOOL_TAIL})?"
    elif term.placeholder == DISTRICT:
        body += f"(?i:{BOARD_TAIL})?"
    return body


_WORD = re.compile(r"(?<!\w)[^\W_]+")


def first_word(text: str) -> str:
    """The index key of a term or a word in the text: its first run of letters or digits."""
    m = re.search(r"[^\W_]+", text)
    return m.group().casefold() if m else ""


@dataclass(frozen=True)
class Matcher:
    """The terms indexed by their first word, each with its own pattern, longest first.

    Scanning the words of a text and trying only the terms that start with that word is
    much faster than one alternation of hundreds of terms (which the regex engine tries
    one by one at every position)."""
    index: dict[str, tuple[tuple[re.Pattern, str | None], ...]]

    @classmethod
    def build(cls, terms: Iterable[Term]) -> Matcher:
        ordered = sorted(terms, key=lambda t: (-len(t.text), t.key, t.text))
        index: dict[str, list[tuple[re.Pattern, str | None]]] = {}
        for term in ordered:
            pattern = re.compile(rf"(?:{term_pattern(term)})(?!\w)")
            index.setdefault(first_word(term.text), []).append((pattern, term.placeholder))
        return cls({k: tuple(v) for k, v in index.items()})

    def term_spans(self, text: str) -> list[Span]:
        """Leftmost, then longest, non-overlapping term matches."""
        found: list[Span] = []
        at = 0
        for word in _WORD.finditer(text):
            if word.start() < at:
                continue
            for pattern, placeholder in self.index.get(word.group().casefold(), ()):
                m = pattern.match(text, word.start())
                if m:
                    found.append((m.start(), m.end(), placeholder))
                    at = m.end()
                    break
        return found

    def covers(self, text: str) -> bool:
        """Whether one term matches the whole of `text`."""
        return [(s, e) for s, e, _ in self.term_spans(text)] == [(0, len(text))]

    def spans(self, text: str) -> list[Span]:
        """Spans of e-mail addresses, phone numbers, placeholders already there, and terms."""
        found: list[Span] = []
        for regex, replacement in ((EMAIL, "[EMAIL]"), (PHONE, "[PHONE]"), (BRACKETED, None)):
            found += [(m.start(), m.end(), replacement) for m in regex.finditer(text)]
        return merge_spans(merge_spans([], found), self.term_spans(text))


def merge_spans(chosen: Sequence[Span], candidates: Iterable[Span]) -> list[Span]:
    """`chosen` plus each candidate (in order) that overlaps nothing already chosen."""
    out = sorted(chosen)
    for span in candidates:
        if span[0] < span[1] and not any(s < span[1] and span[0] < e for s, e, _ in out):
            out.append(span)
            out.sort()
    return out


def apply_spans(text: str, spans: Iterable[Span]) -> str:
    """The text with each span's replacement written over it (None keeps the words)."""
    pieces, at = [], 0
    for start, end, replacement in sorted(spans):
        if replacement is None:
            continue
        pieces += [text[at:start], replacement]
        at = end
    pieces.append(text[at:])
    return "".join(pieces)
