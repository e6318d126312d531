"""What the stored responses change: withdrawn quotes, revised interpretations, proposed
theme wordings and disagreements, per site and theme. The latest answer of a respondent to
an item counts; rounds are applied in order."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.member.responses import Rounds

WITHDRAWN_COLUMNS = ["item_id", "site", "round", "citation_id", "segment_id", "start_char",
                     "end_char", "respondent"]


@dataclass
class Applied:
    """The member checks' effect, keyed by (site, theme_id)."""
    answers: pd.DataFrame                      # each counted answer joined with its item
    withdrawn: pd.DataFrame                    # quotes their speaker withdrew
    revisions: dict[tuple[str, str], dict] = field(default_factory=dict)
    wordings: dict[tuple[str, str], list[dict]] = field(default_factory=dict)
    disagreements: dict[tuple[str, str], list[dict]] = field(default_factory=dict)

    @property
    def sites(self) -> set[str]:
        return set(self.answers["site"])

    def withdrawn_segments(self) -> set[str]:
        return set(self.withdrawn["segment_id"])

    def blocked(self, segments: pd.DataFrame) -> frozenset[str]:
        """Segments (segment_id, citation_id, start_char, end_char) overlapping a withdrawn
        quote, and the withdrawn quotes' own segments."""
        w = self.withdrawn
        if w.empty:
            return frozenset()
        pairs = segments[["segment_id", "citation_id", "start_char", "end_char"]].merge(
            w[["citation_id", "start_char", "end_char"]], on="citation_id",
            suffixes=("", "_w"))
        hit = pairs[(pairs["start_char"] < pairs["end_char_w"])
                    & (pairs["end_char"] > pairs["start_char_w"])]
        return frozenset(hit["segment_id"]) | frozenset(w["segment_id"])

    def is_withdrawn(self, citation_id: str, start: int, end: int) -> bool:
        """Whether a passage overlaps a withdrawn quote."""
        w = self.withdrawn[self.withdrawn["citation_id"] == citation_id]
        return bool(((w["start_char"] < end) & (w["end_char"] > start)).any())


def counted(rounds: Rounds) -> pd.DataFrame:
    """Each respondent's latest answer to each item, joined with the item."""
    rs = rounds.responses
    if rs.empty:
        return rs.assign(**{c: pd.Series(dtype=object) for c in rounds.items.columns
                            if c not in rs})
    latest = rs.drop_duplicates(["item_id", "respondent"], keep="last")
    items = rounds.items.drop(columns=["site", "round"])
    return latest.merge(items, on="item_id", how="inner").sort_values(
        ["site", "round", "order", "recorded"], kind="stable").reset_index(drop=True)


def effective(rounds: Rounds) -> Applied:
    answers = counted(rounds)
    withdrawn = answers[answers["response"] == "withdraw"]
    applied = Applied(answers, withdrawn[WITHDRAWN_COLUMNS].reset_index(drop=True))
    for row in answers.to_dict("records"):
        key = (row["site"], row["theme_id"])
        if row["response"] == "revise" and row["kind"] == "interpretation":
            # A later revision replaces an earlier one; the first text shown stays the
            # original.
            first = applied.revisions.get(key, {}).get("original", row["text"])
            applied.revisions[key] = {"text": row["revised_text"], "original": first,
                                      "round": row["round"], "respondent": row["respondent"],
                                      "item_id": row["item_id"], "comment": row["comment"]}
        elif row["response"] == "revise":
            applied.wordings.setdefault(key, []).append(row)
        elif row["response"] == "disagree":
            applied.disagreements.setdefault(key, []).append(row)
    return applied
