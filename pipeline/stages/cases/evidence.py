"""The evidence behind one theme at one site: counts, co-occurrence, quotes, discrepancies."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from pipeline.stages.cases.blocks import Doc
from pipeline.stages.cases.quotes import CONTRAST, excerpt, pick_diverse, rank_candidates


@dataclass
class Evidence:
    transcripts: pd.DataFrame
    participants: pd.DataFrame
    segments: pd.DataFrame      # indexed by segment_id
    themes: pd.DataFrame
    pairs: pd.DataFrame         # segment x theme with site, role, participant, human, score, terms
    matrix: pd.DataFrame

    @classmethod
    def build(cls, transcripts, participants, segments, codings, themes, segment_themes,
              theme_matrix) -> Evidence:
        # Matched or shared terms point the excerpt at the right sentence.
        matched = codings["source"].isin(["auto:pattern", "auto:similarity"])
        code_ev = codings.assign(theme_id="code:" + codings["code_id"],
                                 human=codings["source"].str.startswith("human:"),
                                 evidence=codings["evidence"].where(matched, ""))
        code_ev = code_ev.groupby(["segment_id", "theme_id"]).agg(
            human=("human", "any"), score=("score", "max"),
            terms=("evidence", lambda e: "; ".join(sorted({x for x in e if x})))).reset_index()
        # A left merge on columns: joining on an empty MultiIndex fails on arrow strings.
        pairs = segment_themes.merge(code_ev, on=["segment_id", "theme_id"], how="left")
        pairs = pairs.merge(segments[["segment_id", "site", "role", "participant_id",
                                      "citation_id"]], on="segment_id")
        pairs["human"] = pairs["human"].astype("boolean").fillna(False).astype(bool)
        pairs["score"] = pairs["score"].fillna(0.0)
        pairs["terms"] = pairs["terms"].fillna("")
        return cls(transcripts, participants, segments.set_index("segment_id"), themes,
                   pairs, theme_matrix)

    @cached_property
    def _groups(self) -> dict:
        # Grouped once: candidates are asked for every theme of every site.
        return {k: g for k, g in self.pairs.groupby(["site", "theme_id"])}

    def candidates(self, site: str, theme_id: str) -> pd.DataFrame:
        return self._groups.get((site, theme_id), self.pairs.iloc[0:0])


def _terms(row: dict, theme_label: str) -> list[str]:
    found = [t.strip().lower() for t in str(row.get("terms", "")).split(";") if t.strip()]
    label = [w.lower() for w in theme_label.replace("/", " ").split() if len(w) > 3]
    return found + label


_SOURCE_NAMES = {"auto:pattern": "keywords", "auto:similarity": "similarity to the code",
                 "auto:model": "model trained on the human codings",
                 "compare": "constant comparison"}


def provenance_note(row: dict) -> str:
    """Why the segment counts for the theme: who coded it, or which automatic method."""
    sources = [s.strip() for s in str(row.get("source", "")).split(";") if s.strip()]
    coders = sorted(s.removeprefix("human:") for s in sources if s.startswith("human:"))
    if coders:
        return "coded by " + ", ".join(coders)
    methods = [_SOURCE_NAMES.get(s, s) for s in sources]
    terms = f" ({row['terms']})" if row.get("terms") else ""
    return "automatic: " + ", ".join(methods) + terms if methods else ""


def discrepancy_note(quote: str, segment_id: str, ev: Evidence, tension_family: str) -> str:
    """Why a quote is offered as discrepant: its pushback words, or the tension it voices."""
    pushback = CONTRAST.search(quote)
    if pushback:
        return f"qualifies or pushes back (“{pushback.group(0)}”)"
    tensions = ev.pairs[(ev.pairs["segment_id"] == segment_id)]["theme_id"]
    labels = ev.themes.set_index("theme_id").reindex(tensions)
    labels = labels[labels["family"].fillna("").str.lower().str.contains(tension_family)]
    return "also voices a tension: " + "; ".join(labels["label"]) if len(labels) else ""


def add_quote(doc: Doc, row: dict, ev: Evidence, theme: dict, kind: str,
              max_words: int, tension_family: str = "tension") -> None:
    seg = ev.segments.loc[row["segment_id"]]
    # A discrepant quote must keep the words that make it discrepant.
    pushback = CONTRAST.search(seg["text"]) if kind == "discrepant" else None
    a, b = excerpt(seg["text"], _terms(row, theme["label"]), max_words,
                   anchor=pushback.group(0) if pushback else "")
    text = seg["text"][a:b]
    note = (discrepancy_note(text, row["segment_id"], ev, tension_family.lower())
            if kind == "discrepant" else provenance_note(row))
    doc.quote(text, citation_id=seg["citation_id"], locator=seg["locator"],
              segment_id=row["segment_id"], start_char=int(seg["start_char"]) + a,
              end_char=int(seg["start_char"]) + b, note=note, theme_id=theme["theme_id"],
              kind=kind, participant_id=row["participant_id"], role=row["role"],
              site=row["site"])


def synthesis(row: dict, ev: Evidence) -> str:
    """What the counts say about the theme at this site, in plain words."""
    site, theme_id = row["site"], row["theme_id"]
    total = int((ev.participants["site"] == site).sum())
    text = (f"Voiced by {row['n_participants']} of {total} participants "
            f"({row['share_participants']:.0%}) in {row['n_segments']} segments; heard from "
            f"{', '.join(row['roles'])}.")
    across = ev.matrix[ev.matrix["theme_id"] == theme_id]
    n_sites = ev.matrix["site"].nunique()
    mean = across.set_index("site")["share_participants"].reindex(
        ev.matrix["site"].unique()).fillna(0).mean()
    compare = "more" if row["share_participants"] > mean else "no more"
    text += (f" {len(across)} of {n_sites} sites voiced it; here it is {compare} widespread "
             f"than the average site ({mean:.0%}).")
    mine = ev.candidates(site, theme_id)["segment_id"]
    others = ev.pairs[(ev.pairs["site"] == site) & ev.pairs["segment_id"].isin(mine)
                      & (ev.pairs["theme_id"] != theme_id)
                      & ev.pairs["theme_id"].str.startswith("code:")]
    if not others.empty:
        top = others["theme_id"].value_counts().sort_index().idxmax()
        label = ev.themes.set_index("theme_id").loc[top, "label"]
        text += f" Often raised together with “{label}”."
    return text


def theme_section(doc: Doc, row: dict, ev: Evidence, params) -> None:
    doc.heading(row["label"], 3)
    doc.paragraph(synthesis(row, ev))
    ranked = rank_candidates(ev.candidates(row["site"], row["theme_id"]))
    # Prefer segments not already quoted under another theme of this site.
    fresh = ranked[~ranked["segment_id"].isin(doc.used)]
    chosen = pick_diverse(pd.concat([fresh, ranked[ranked["segment_id"].isin(doc.used)]]),
                          params.quotes_per_theme, set())
    for r in chosen:
        add_quote(doc, r, ev, row, "support", params.quote_max_words)
    discrepant = _discrepant(ranked, chosen, ev, row, params)
    if discrepant:
        doc.paragraph("Discrepant or qualifying evidence:")
        for r in discrepant:
            add_quote(doc, r, ev, row, "discrepant", params.quote_max_words,
                      params.tension_family)
    else:
        doc.paragraph("No discrepant or qualifying evidence among the coded segments.")


def _discrepant(ranked: pd.DataFrame, chosen: list[dict], ev: Evidence, row: dict,
                params) -> list[dict]:
    """Segments of the theme that push back ("but", "I don't think"...) or also voice a
    tension, from people not quoted above where possible."""
    used = {r["segment_id"] for r in chosen}
    pool = ranked[~ranked["segment_id"].isin(used)]
    texts = ev.segments["text"]
    tension_ids = set(ev.themes.loc[ev.themes["family"].str.lower().str.contains(
        params.tension_family.lower()), "theme_id"])
    is_tension = row["theme_id"] in tension_ids
    tense = set(ev.pairs.loc[ev.pairs["theme_id"].isin(tension_ids), "segment_id"])
    flagged = pool[pool["segment_id"].map(lambda s: bool(CONTRAST.search(texts[s]))
                                          or (not is_tension and s in tense))]
    people = {r["participant_id"] for r in chosen}
    fresh = pick_diverse(flagged, params.discrepant_per_theme, people)
    return fresh or pick_diverse(flagged, params.discrepant_per_theme, set())
