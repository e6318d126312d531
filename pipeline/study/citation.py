"""Citation IDs such as ``O1_Principal#1_5.14``: parse, format and resolve to a date.

Site ``O1``, role ``Principal`` (optionally with a subtype: ``Superintendent-SpecialEducation``),
the first interview with that role at that site (``#1``), on month 5, day 14. The year is not
part of the ID; it comes from the study's fieldwork phases.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_ID = re.compile(
    r"^(?P<site>[A-Z]{1,3}[1-9][0-9]{0,2})"
    r"_(?P<role>[A-Za-z]+)(?:-(?P<subtype>[A-Za-z][A-Za-z0-9]*))?"
    r"#(?P<seq>[1-9][0-9]{0,2})"
    r"_(?P<month>[1-9][0-9]?)\.(?P<day>[1-9][0-9]?)$"
)

EXAMPLE = "O1_Principal#1_5.14"


class CitationError(ValueError):
    """A string is not a well-formed citation ID."""


@dataclass(frozen=True, order=True)
class CitationId:
    site: str
    role: str
    seq: int
    month: int
    day: int
    subtype: str = ""

    def __str__(self) -> str:
        role = f"{self.role}-{self.subtype}" if self.subtype else self.role
        return f"{self.site}_{role}#{self.seq}_{self.month}.{self.day}"

    @property
    def site_number(self) -> int:
        return int(re.sub(r"^[A-Z]+", "", self.site))

    @property
    def site_prefix(self) -> str:
        return re.sub(r"[0-9]+$", "", self.site)


def parse(text: str) -> CitationId:
    """Parse a citation ID; raise `CitationError` with a plain explanation if malformed."""
    m = _ID.fullmatch(text)  # not match: `$` also matches before a final newline
    if not m:
        raise CitationError(_explain(text))
    return CitationId(
        site=m["site"],
        role=m["role"],
        subtype=m["subtype"] or "",
        seq=int(m["seq"]),
        month=int(m["month"]),
        day=int(m["day"]),
    )


def _explain(text: str) -> str:
    """Say which part of a malformed ID is wrong, so the researcher can fix the file name."""
    base = f"malformed citation ID {text!r} (expected SITE_Role#N_M.D, e.g. {EXAMPLE})"
    parts = text.split("_")
    if len(parts) != 3:
        return f"{base}: it needs exactly three parts separated by '_'"
    site, role_seq, date = parts
    if not re.fullmatch(r"[A-Z]{1,3}[1-9][0-9]{0,2}", site):
        return f"{base}: site {site!r} should be letters then a number, e.g. O3"
    if "#" not in role_seq:
        return f"{base}: {role_seq!r} lacks '#N', the interview's sequence number"
    role, _, seq = role_seq.partition("#")
    if not re.fullmatch(r"[A-Za-z]+(?:-[A-Za-z][A-Za-z0-9]*)?", role):
        return f"{base}: role {role!r} should be letters, optionally '-Subtype'"
    if not re.fullmatch(r"[1-9][0-9]{0,2}", seq):
        return f"{base}: sequence {seq!r} should be a number from 1"
    return f"{base}: date {date!r} should be month.day without leading zeros, e.g. 5.14"
