"""Which segments are left out of comparison, and why.

Backchannels ("Yeah.", "Bye.", "Thank you.") and segments holding nothing but transcribers'
notes (``[inaudible]``, ``[REDACTED; Introduction]``) would otherwise open categories of their
own or blur real ones. They stay in every table, flagged with the reason.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

_NOTES = re.compile(r"\[[^\]]*\]")
_LETTER = re.compile(r"[^\W\d_]")

MARKERS_ONLY = "only transcription markers"
NO_TERMS = "no term it shares with other segments"


def too_short(min_content_words: int) -> str:
    return f"fewer than {min_content_words} content words"


def left_out(segments: pd.DataFrame, X: np.ndarray, min_content_words: int) -> pd.Series:
    """Per segment: '' when it is compared, else why not."""
    speech = segments["text"].str.replace(_NOTES, " ", regex=True)
    markers = ~speech.str.contains(_LETTER)
    n_content = segments["lemmas"].fillna("").str.split().str.len()
    zero = np.linalg.norm(X, axis=1) == 0 if len(X) else np.zeros(0, dtype=bool)
    reason = np.select([markers.to_numpy(), (n_content < min_content_words).to_numpy(), zero],
                       [MARKERS_ONLY, too_short(min_content_words), NO_TERMS], default="")
    return pd.Series(reason, index=segments.index, dtype=object)


def describe_left_out(reasons: pd.Series) -> str:
    """'37 of 900 segments were left out of comparison (30 fewer than 3 content words, ...)'."""
    out = reasons[reasons != ""]
    if out.empty:
        return f"All {len(reasons):,} segments were compared."
    parts = ", ".join(f"{n:,} {why}" for why, n in out.value_counts().sort_index().items())
    return (f"{len(out):,} of {len(reasons):,} segments were left out of comparison "
            f"({parts}); they stay in the tables, flagged.")


def describe_categories(categories: pd.DataFrame, segment_categories: pd.DataFrame
                        ) -> list[str]:
    """What the categories' statuses and the left-out segments come to, in words."""
    cross = categories[categories["level"] == "cross-site"]
    counts = cross["status"].value_counts()
    parts = ", ".join(f"{int(counts[s])} {s}" for s in ("accepted", "promoted", "rejected",
                                                         "proposed") if s in counts)
    lines = [f"{len(cross)} cross-site categories: {parts or 'none'}."]
    waiting = int(((cross["status"] == "proposed") & ~cross["minor"].astype(bool)).sum())
    if waiting:
        lines.append(f"{waiting} proposed categories voiced by several participants await a "
                     f"decision in codebooks/decisions.yml (`accept: KEY` makes one a theme).")
    lines.append(describe_left_out(segment_categories["left_out"].fillna("")))
    return lines
