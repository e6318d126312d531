"""Review decisions about machine suggestions: the suggestion's stable id and the rule every
decided row must meet. The code stage applies stored decisions with it and `qda review
ingest` checks a filled sheet with it, so the two can never disagree."""
from __future__ import annotations

import hashlib
from collections.abc import Container

DECISIONS = ("accept", "reject")


def suggestion_id(segment_id: str, code_id: str) -> str:
    """A stable id for a (segment, code) suggestion, the same in every round."""
    return "s" + hashlib.sha256(f"{segment_id}\0{code_id}".encode()).hexdigest()[:10]


def decision_problem(item_id: str, segment_id: str, code_id: str, decision: str,
                     reviewer: str, segments: Container[str], codes: Container[str]) -> str:
    """What is wrong with one decided row ('' when nothing is)."""
    if decision not in DECISIONS:
        return f"decision {decision!r} is not accept or reject"
    if segment_id not in segments:
        return (f"segment {segment_id!r} is not in this analysis (its transcript changed or "
                f"was removed)")
    if code_id not in codes:
        return f"unknown code_id {code_id!r}"
    if item_id != suggestion_id(segment_id, code_id):
        return f"item_id {item_id!r} does not belong to this segment and code"
    if not reviewer:
        return "no reviewer: fill the reviewer column or pass --reviewer"
    return ""
