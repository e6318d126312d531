"""What the researcher and the participants said about a site's themes, in its case summary:
the researcher's interpretation (or the generated synthesis standing in for it), and, after
member checking, the revised interpretation with the original beside it, the disagreements,
proposed wordings, and the quotes their speakers withdrew (never quoted again)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.core.blocks import Doc
from pipeline.member.apply import Applied

THEME_COLUMNS = ["site", "theme_id", "label", "kind", "order", "synthesis", "interpretation",
                 "interpretation_source", "original_interpretation", "member_check_round",
                 "n_agree", "n_disagree", "n_revise"]
GENERATED = "generated"
RESEARCHER = "researcher"
REVISED = "member check"


@dataclass
class Voices:
    interpretations: dict[str, dict[str, str]] = field(default_factory=dict)
    applied: Applied | None = None          # None: the case summary before member checking
    blocked: frozenset = frozenset()        # segments overlapping a withdrawn quote

    @classmethod
    def build(cls, interpretations: dict, applied: Applied | None, segments: pd.DataFrame
              ) -> Voices:
        blocked = applied.blocked(segments) if applied is not None else frozenset()
        return cls(interpretations, applied, blocked)

    def before(self) -> Voices:
        """As before member checking, but for withdrawn quotes: a withdrawal withdraws the
        quote from every version."""
        return Voices(self.interpretations, None, self.blocked)

    def interpretation(self, site: str, theme_id: str, synthesis: str) -> dict:
        """The text that stands for the theme at the site, where it came from, and the
        original when member checking revised it."""
        own = self.interpretations.get(site, {}).get(theme_id)
        text, source = (own, RESEARCHER) if own else (synthesis, GENERATED)
        revision = self.applied.revisions.get((site, theme_id)) if self.applied else None
        if revision:
            return {"interpretation": revision["text"], "interpretation_source": REVISED,
                    "original_interpretation": text, "member_check_round": revision["round"],
                    "revision": revision, "original_source": source}
        return {"interpretation": text, "interpretation_source": source,
                "original_interpretation": "", "member_check_round": 0}

    def counts(self, site: str, theme_id: str) -> dict:
        if self.applied is None or self.applied.answers.empty:
            return {"n_agree": 0, "n_disagree": 0, "n_revise": 0}
        a = self.applied.answers
        mine = a[(a["site"] == site) & (a["theme_id"] == theme_id)]["response"]
        return {f"n_{r}": int((mine == r).sum()) for r in ("agree", "disagree", "revise")}


def interpretation_blocks(doc: Doc, row: dict, synthesis: str, voices: Voices) -> None:
    """The interpretation paragraph(s) of a theme, and what member checking said of it."""
    site, theme_id = row["site"], row["theme_id"]
    said = voices.interpretation(site, theme_id, synthesis)
    if said["interpretation_source"] == RESEARCHER:
        doc.paragraph(f"Interpretation (research team): {said['interpretation']}")
    elif said["interpretation_source"] == GENERATED:
        doc.paragraph("Interpretation: none written yet (codebooks/interpretations/"
                      f"{site}.yml); the generated synthesis above stands in for it.")
    else:
        rev = said["revision"]
        doc.paragraph(f"Interpretation, revised in member checking (round {rev['round']}, "
                      f"{rev['respondent']}): {said['interpretation']}")
        doc.paragraph(f"Before member checking ({said['original_source']}): "
                      f"{said['original_interpretation']}")
    _participant_notes(doc, site, theme_id, voices)
    doc.themes.append({"site": site, "theme_id": theme_id, "label": row["label"],
                       "kind": row["kind"], "order": len(doc.themes), "synthesis": synthesis,
                       **{k: said[k] for k in ("interpretation", "interpretation_source",
                                               "original_interpretation",
                                               "member_check_round")},
                       **voices.counts(site, theme_id)})


def _participant_notes(doc: Doc, site: str, theme_id: str, voices: Voices) -> None:
    if voices.applied is None:
        return
    for w in voices.applied.wordings.get((site, theme_id), []):
        doc.bullet(f"Member check (round {w['round']}): {w['respondent']} proposed the "
                   f"wording “{w['revised_text']}”" + _comment(w))
    for d in voices.applied.disagreements.get((site, theme_id), []):
        what = {"quote": f"the quote {d['locator']}", "theme": "this theme"}.get(
            d["kind"], "this interpretation")
        doc.bullet(f"Member check (round {d['round']}): {d['respondent']} disagreed with "
                   f"{what}" + _comment(d))


def _comment(row: dict) -> str:
    return f": “{row['comment']}”" if row.get("comment") else "."
