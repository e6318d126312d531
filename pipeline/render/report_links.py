"""Where every cited passage of the report lives: file names that are safe for citation IDs
and theme ids, and anchors in the transcript pages that hold each quote verbatim.

A quote links to ``transcripts/<file>.html#<anchor>``: ``s<turn>-<n>`` when it is a whole
segment, else ``q<start>-<end>`` (offsets into the normalised transcript). Quotes cut from
one segment may overlap without nesting; such a quote's element is widened to cover what it
overlaps (it still holds the quote verbatim) and the page's script marks the exact words.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import Markup, escape

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def slug(text: str) -> str:
    """A file-name-safe form: ``O1_Principal#1_5.14`` -> ``O1_Principal-1_5.14``."""
    return _UNSAFE.sub("-", str(text)).strip("-.") or "x"


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """A slug per name, unique even on a case-insensitive file system (a clash gets -2)."""
    taken: set[str] = set()
    out: dict[str, str] = {}
    for name in sorted(set(names)):
        base = candidate = slug(name)
        n = 2
        while candidate.lower() in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate.lower())
        out[name] = candidate
    return out


# Table rows as plain dicts, for pages that look up thousands of them (kept here, in a
# module the report stage declares, so that editing it re-runs the stage).
def records(df: pd.DataFrame) -> list[dict]:
    """The rows as `df.to_dict("records")` gives them, built column by column: several
    times faster on Arrow-backed strings, which pandas otherwise converts one by one.
    Other extension types (nullable, pd.NA) go through to_dict itself."""
    cols = list(df.columns)
    if not cols or not all(_plain(df[c].dtype) for c in cols):
        return df.to_dict("records")
    return [dict(zip(cols, values)) for values in zip(*(_column(df[c]) for c in cols))]


def _plain(dtype: Any) -> bool:
    return isinstance(dtype, np.dtype) or dtype == "str"


def _column(s: pd.Series) -> list:
    if s.dtype == object:
        return [_native(v) for v in s.tolist()]   # to_dict boxes NumPy scalars
    return s.tolist()


def _native(v: Any) -> Any:
    """A NumPy scalar as the Python value to_dict gives (pandas' maybe_box_native)."""
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    if isinstance(v, np.datetime64):
        return pd.Timestamp(v)
    if isinstance(v, np.timedelta64):
        return pd.Timedelta(v)
    return v


SEGMENT_KEYS = ["segment_id", "citation_id", "turn", "seg_in_turn", "start_char", "end_char"]


@dataclass
class Anchors:
    """Transcript pages and the passages the report cites in them: `cite` gives a link and
    remembers the range, so the transcript pages (rendered last) carry every anchor."""
    segments: pd.DataFrame   # segment_id, citation_id, turn, seg_in_turn, start_char, end_char
    turns: pd.DataFrame      # citation_id, turn, start_char, end_char
    pages: dict[str, str]    # citation_id -> file name stem of its transcript page
    cited: dict[str, set[tuple[int, int]]] = field(default_factory=dict)  # by segment
    whole: set[str] = field(default_factory=set)   # segments cited whole

    def __post_init__(self) -> None:
        # Plain dicts and lists: thousands of look-ups, too many for pandas indexing.
        ordered = self.segments[SEGMENT_KEYS].sort_values(["citation_id", "start_char"])
        self._seg = {r["segment_id"]: r for r in records(ordered)}
        self._starts: dict[str, tuple[list[int], list[str]]] = {}
        for r in self._seg.values():
            starts, ids = self._starts.setdefault(r["citation_id"], ([], []))
            starts.append(int(r["start_char"]))
            ids.append(r["segment_id"])
        self._turns: dict[str, list[tuple[int, int, int]]] = {}
        for t in self.turns[["citation_id", "turn", "start_char", "end_char"]].itertuples(
                index=False):
            self._turns.setdefault(t.citation_id, []).append(
                (int(t.start_char), int(t.end_char), int(t.turn)))

    def page(self, citation_id: str) -> str:
        return f"transcripts/{self.pages[citation_id]}.html"

    def _segment_of(self, citation_id: str, start: int, end: int) -> dict | None:
        starts, ids = self._starts.get(citation_id, ([], []))
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and int(self._seg[ids[i]]["end_char"]) >= end:
            return self._seg[ids[i]]
        return None

    def _turn_of(self, citation_id: str, start: int) -> int | None:
        return next((turn for a, b, turn in self._turns.get(citation_id, [])
                     if a <= start < b), None)

    def cite(self, citation_id: str, start: int, end: int, segment_id: str = "") -> str:
        """The link (relative to the report's root) to the passage [start, end)."""
        if citation_id not in self.pages:
            return ""
        seg = self._seg.get(segment_id)
        if seg is None or seg["citation_id"] != citation_id or not (
                int(seg["start_char"]) <= start and end <= int(seg["end_char"])):
            seg = self._segment_of(citation_id, start, end)
        if seg is None:  # not participant speech: the turn is the nearest anchor
            turn = self._turn_of(citation_id, start)
            return self.page(citation_id) + (f"#p{turn}" if turn is not None else "")
        if (start, end) == (int(seg["start_char"]), int(seg["end_char"])) or start >= end:
            self.whole.add(seg["segment_id"])
            return f"{self.page(citation_id)}#{segment_anchor(seg)}"
        self.cited.setdefault(seg["segment_id"], set()).add((start, end))
        return f"{self.page(citation_id)}#q{start}-{end}"


def segment_anchor(seg: Mapping) -> str:
    return f"s{int(seg['turn'])}-{int(seg['seg_in_turn'])}"


def laminar(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """(start, end) ranges -> (from, to, start, end): element extents that nest or are apart,
    each holding its range; a range that crosses another is widened to cover both."""
    placed: list[tuple[int, int]] = []
    out = []
    for a, b in sorted(set(ranges), key=lambda r: (r[0], -r[1])):
        lo, hi = a, b
        widened = True
        while widened:
            widened = False
            for x, y in placed:
                crosses = x < hi and lo < y and not (x <= lo and hi <= y) \
                    and not (lo <= x and y <= hi)
                if crosses:
                    lo, hi, widened = min(lo, x), max(hi, y), True
        placed.append((lo, hi))
        out.append((lo, hi, a, b))
    return out


def nest(text: str, lo: int, hi: int, spans: list[tuple[int, int, int, str, str]],
         cuts: list[tuple[int, int, str]] = ()) -> Markup:
    """text[lo:hi], escaped, with laminar spans (start, end, rank, open tag, close tag)
    wrapped around their parts (at equal extents the lower rank is the outer element), and
    each cut (start, end, html) shown as its html instead of its text."""
    out: list[str] = []

    def piece(a: int, b: int) -> None:
        for x, y, html in cuts:
            if x < b and a < y:
                if a < x:
                    out.append(str(escape(text[a:x])))
                if a <= x:
                    out.append(html)
                a = min(max(a, y), b)
        if a < b:
            out.append(str(escape(text[a:b])))

    pos, stack = lo, []
    for a, b, _, open_tag, close_tag in sorted(spans, key=lambda s: (s[0], -s[1], s[2])):
        while stack and stack[-1][0] <= a:
            end, close = stack.pop()
            piece(pos, end)
            out.append(close)
            pos = end
        piece(pos, a)
        out.append(open_tag)
        pos = a
        stack.append((b, close_tag))
    while stack:
        end, close = stack.pop()
        piece(pos, end)
        out.append(close)
        pos = end
    piece(pos, hi)
    return Markup("".join(out))


def _units(text: str) -> int:
    """Length in UTF-16 code units: what offsets in the page's script count."""
    return len(text.encode("utf-16-le")) // 2


def turn_spans(text: str, segs: list[dict], anchors: Anchors
               ) -> list[tuple[int, int, int, str, str]]:
    """The elements of one turn: each segment, and inside it each passage cited from it (a
    widened one says in data-mark where, in its own text, the quote lies)."""
    spans = []
    for seg in segs:
        a, b = int(seg["start_char"]), int(seg["end_char"])
        cited = " cited" if seg["segment_id"] in anchors.whole else ""
        spans.append((a, b, 0, f'<span class="seg{cited}" id="{segment_anchor(seg)}">',
                      "</span>"))
        for lo, hi, start, end in laminar(anchors.cited.get(seg["segment_id"], ())):
            mark = ""
            if (lo, hi) != (start, end):
                i = _units(text[lo:start])
                mark = f' data-mark="{i}-{i + _units(text[start:end])}"'
            spans.append((lo, hi, 1, f'<span class="q{" wide" if mark else ""}" '
                          f'id="q{start}-{end}"{mark}>', "</span>"))
    return [s for s in spans if s[0] < s[1]]
