"""The evidence behind one theme at one site: counts, co-occurrence, quotes, discrepancies."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from pipeline.core.blocks import Doc, plural
from pipeline.stages.cases.member import Voices, interpretation_blocks
from pipeline.stages.cases.quotes import (
    CONTRAST,
    excerpt,
    pick_diverse,
    rank_candidates,
    sentences,
)


@dataclass
class Evidence:
    transcripts: pd.DataFrame
    participants: pd.DataFrame
    segments: pd.DataFrame      # indexed by segment_id
    themes: pd.DataFrame
    pairs: pd.DataFrame         # segment x theme with site, role, participant, human, score, terms
    matrix: pd.DataFrame
    spans: pd.DataFrame         # human coding spans: citation_id, start/end_char, code, coder
    read: frozenset = frozenset()   # segments a researcher read

    @classmethod
    def build(cls, transcripts, participants, segments, codings, themes, segment_themes,
              theme_matrix, spans, read_segments=None) -> Evidence:
        """A pair rests on confirmed codings when a researcher stands behind it, and only
        then on them: machine evidence never picks the quote of a confirmed finding."""
        code_ev = codings.assign(theme_id="code:" + codings["code_id"],
                                 human=codings["status"] == "confirmed")
        # Matched or shared terms point the excerpt at the right sentence (machine pairs).
        matched = code_ev["source"].isin(["auto:pattern", "auto:similarity"])
        code_ev["evidence"] = code_ev["evidence"].where(matched, "")
        code_ev = code_ev.merge(segment_themes[["segment_id", "theme_id", "confirmed"]],
                                on=["segment_id", "theme_id"])
        code_ev = code_ev[code_ev["human"] | ~code_ev["confirmed"]]
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
                   pairs, theme_matrix, spans[["citation_id", "start_char", "end_char",
                                               "code_id", "coder"]],
                   frozenset(read_segments["segment_id"]) if read_segments is not None
                   else frozenset())

    def coverage(self, site: str | None = None) -> str:
        """How much of the participants' speech a researcher read, in words."""
        segs = self.segments if site is None else self.segments[self.segments["site"] == site]
        n_read = int(segs.index.isin(self.read).sum())
        if n_read == len(segs):
            return f"researchers read all {len(segs)} participant segments"
        return (f"researchers read {n_read} of {len(segs)} participant segments "
                f"({n_read / max(1, len(segs)):.0%}); codebook themes count only those")

    def coder_spans(self, citation_id: str, code_id: str) -> pd.DataFrame:
        s = self.spans
        return s[(s["citation_id"] == citation_id) & (s["code_id"] == code_id)]

    @cached_property
    def _groups(self) -> dict:
        # Grouped once: candidates are asked for every theme of every site.
        return {k: g for k, g in self.pairs.groupby(["site", "theme_id"])}

    def candidates(self, site: str, theme_id: str) -> pd.DataFrame:
        return self._groups.get((site, theme_id), self.pairs.iloc[0:0])


def evidence_basis(ev: Evidence) -> str:
    """What the counts rest on: confirmed codings, unless suggestions were included."""
    pairs = ev.pairs
    machine = pairs[~pairs["confirmed"] & pairs["theme_id"].str.startswith("code:")] \
        if "confirmed" in pairs else pairs.iloc[0:0]
    if machine.empty:
        return ("Codebook themes rest on confirmed codings only (human codings and accepted "
                "suggestions); machine suggestions awaiting review are listed apart, in "
                "suggestions.md. Emerging categories come from machine comparison.")
    return ("Counts include machine suggestions that no researcher has confirmed; each "
            "theme says how many participants count on them alone.")


# The discrepancy flags are a word list, not a reading: a case summary says so.
FLAGS = ("Discrepant or qualifying evidence is flagged automatically, by a contrast word "
         "(“but”, “never”, …) or a tension coded on the same segment; whether it qualifies "
         "the theme is the researcher's judgement.")


def _terms(row: dict, theme_label: str) -> list[str]:
    found = [t.strip().lower() for t in str(row.get("terms", "")).split(";") if t.strip()]
    label = [w.lower() for w in theme_label.replace("/", " ").split() if len(w) > 3]
    return found + label


_SOURCE_NAMES = {"auto:pattern": "keywords", "auto:similarity": "similarity to the code",
                 "auto:model": "a model of the researchers' decisions",
                 "compare": "constant comparison"}
DEMO = "demo-"   # coder ids of demonstration codings start with this


def _who(coders: list[str]) -> str:
    demo = [c for c in coders if c.startswith(DEMO)]
    label = ", ".join(coders)
    return label + (" (demonstration codings)" if len(demo) > 1 else " (demonstration coding)"
                    if demo else "")


def provenance_note(row: dict, ev: Evidence | None = None, start: int = -1, end: int = -1
                    ) -> str:
    """Why the segment counts for the theme, honestly: "coded by X" only when the quote lies
    inside X's span; "from a segment coded by X" when X's span covers the segment but not the
    quote; who accepted a suggestion; or which machine method, when no researcher did."""
    sources = [s.strip() for s in str(row.get("source", "")).split(";") if s.strip()]
    coders = sorted(s.removeprefix("human:") for s in sources if s.startswith("human:"))
    reviewers = sorted(s.removeprefix("review:") for s in sources if s.startswith("review:"))
    if coders or reviewers:
        inside, around = _placed(coders, row, ev, start, end)
        parts = [f"coded by {_who(inside)}"] if inside else []
        parts += [f"from a segment coded by {_who(around)}"] if around else []
        parts += [f"a machine suggestion accepted by {_who(reviewers)}"] if reviewers else []
        return "; ".join(parts)
    methods = [_SOURCE_NAMES.get(s, s) for s in sources]
    terms = f" ({row['terms']})" if row.get("terms") else ""
    machine = "not confirmed by a researcher" if row.get("theme_id", "").startswith("code:") \
        else "a machine-made category: the machine, not a researcher, put this segment in it"
    return f"automatic: {', '.join(methods)}{terms}; {machine}" if methods else ""


def _placed(coders: list[str], row: dict, ev: Evidence | None, start: int, end: int
            ) -> tuple[list[str], list[str]]:
    """Coders whose span of this code holds the quote, and those whose span does not."""
    if ev is None or start < 0:
        return coders, []
    spans = ev.coder_spans(row["citation_id"], str(row["theme_id"]).removeprefix("code:"))
    holds = spans[(spans["start_char"] <= start) & (spans["end_char"] >= end)]
    inside = sorted(set(holds["coder"]) & set(coders))
    return inside, [c for c in coders if c not in inside]


def coded_anchor(row: dict, ev: Evidence, seg: pd.Series) -> str:
    """The first sentence of the coder's span inside the segment: what a confirmed quote
    should be cut around."""
    if not row.get("human") or not str(row["theme_id"]).startswith("code:"):
        return ""
    spans = ev.coder_spans(row["citation_id"], str(row["theme_id"]).removeprefix("code:"))
    a, b = int(seg["start_char"]), int(seg["end_char"])
    spans = spans[(spans["start_char"] < b) & (spans["end_char"] > a)]
    if spans.empty:
        return ""
    first = spans.sort_values("start_char").iloc[0]
    inner = seg["text"][max(0, int(first["start_char"]) - a):int(first["end_char"]) - a]
    found = sentences(inner)
    return inner[found[0][0]:found[0][1]] if found else ""


def discrepancy_flag(quote: str, segment_id: str, ev: Evidence, tension_family: str
                     ) -> tuple[str, str]:
    """Why a quote would be offered as discrepant, as (kind, detail): ("word", its first
    pushback word), ("tension", the tensions also coded on its segment), or ("", "")."""
    pushback = CONTRAST.search(quote)
    if pushback:
        return "word", pushback.group(0)
    tensions = ev.pairs[(ev.pairs["segment_id"] == segment_id)]["theme_id"]
    labels = ev.themes.set_index("theme_id").reindex(tensions)
    labels = labels[labels["family"].fillna("").str.lower().str.contains(tension_family)]
    return ("tension", "; ".join(labels["label"])) if len(labels) else ("", "")


def discrepancy_note(quote: str, segment_id: str, ev: Evidence, tension_family: str) -> str:
    """The note under a discrepant quote: the automatic flag that chose it."""
    kind, detail = discrepancy_flag(quote, segment_id, ev, tension_family)
    if kind == "word":
        return f"flagged automatically by the word “{detail}”: it may qualify or push back"
    return f"also voices a tension: {detail}" if kind else ""


def add_quote(doc: Doc, row: dict, ev: Evidence, theme: dict, kind: str,
              max_words: int, tension_family: str = "tension") -> str:
    """Quote the row's segment (an excerpt of it) under the theme; the quoted text."""
    seg = ev.segments.loc[row["segment_id"]]
    # A discrepant quote must keep the words that make it discrepant.
    pushback = CONTRAST.search(seg["text"]) if kind == "discrepant" else None
    anchor = pushback.group(0) if pushback else coded_anchor(row, ev, seg)
    a, b = excerpt(seg["text"], _terms(row, theme["label"]), max_words, anchor=anchor)
    text = seg["text"][a:b]
    start, end = int(seg["start_char"]) + a, int(seg["start_char"]) + b
    note = (discrepancy_note(text, row["segment_id"], ev, tension_family.lower())
            if kind == "discrepant" else provenance_note(row, ev, start, end))
    doc.quote(text, citation_id=seg["citation_id"], locator=seg["locator"],
              segment_id=row["segment_id"], start_char=start, end_char=end, note=note,
              theme_id=theme["theme_id"], kind=kind, participant_id=row["participant_id"],
              role=row["role"], site=row["site"])
    return text


def _once(row: dict) -> str:
    """Whether the theme runs through the interviews or is mentioned in passing."""
    once, n = int(row.get("n_participants_once", 0)), int(row["n_participants"])
    if not once:
        return "each of them raised it more than once." if n > 1 else \
            "raised more than once."
    if once == n:
        return "each raised it only once." if n > 1 else "raised only once."
    return f"{once} of the {n} raised it only once."


def synthesis(row: dict, ev: Evidence, across: bool = True) -> str:
    """What the counts say about the theme at this site, in plain words; with `across`,
    also how it compares with the other sites (never in a member-check packet)."""
    site, theme_id = row["site"], row["theme_id"]
    total = int((ev.participants["site"] == site).sum())
    text = (f"Voiced by {row['n_participants']} of {total} participants "
            f"({row['share_participants']:.0%}; 95% interval {row['share_low']:.0%} to "
            f"{row['share_high']:.0%}) in {plural(int(row['n_segments']), 'segment')}; "
            + _once(row)
            + f" Heard from {', '.join(row['roles'])}.")
    machine = int(row.get("n_participants_machine_only", 0))
    if machine and str(theme_id).startswith("code:"):
        text += (f" {machine} of these participants count on machine suggestions alone, "
                 f"which no researcher has confirmed.")
    if across:
        text += _across(row, ev)
    mine = ev.candidates(site, theme_id)["segment_id"]
    others = ev.pairs[(ev.pairs["site"] == site) & ev.pairs["segment_id"].isin(mine)
                      & (ev.pairs["theme_id"] != theme_id)
                      & ev.pairs["theme_id"].str.startswith("code:")]
    if not others.empty:
        top = others["theme_id"].value_counts().sort_index().idxmax()
        label = ev.themes.set_index("theme_id").loc[top, "label"]
        text += f" Often raised together with “{label}”."
    return text


def _across(row: dict, ev: Evidence) -> str:
    across = ev.matrix[ev.matrix["theme_id"] == row["theme_id"]]
    n_sites = ev.matrix["site"].nunique()
    mean = across.set_index("site")["share_participants"].reindex(
        ev.matrix["site"].unique()).fillna(0).mean()
    compare = "more" if row["share_participants"] > mean else "no more"
    # "Voiced" here means by anyone at the site; the cross-case summary counts a site only
    # at its min_share threshold, so the wording says which count this is.
    voiced = across[across["share_participants"] > 0]
    return (f" At least one participant voiced it at {len(voiced)} of {n_sites} sites; here "
            f"it is {compare} widespread than the average site ({mean:.0%}).")


def theme_section(doc: Doc, row: dict, ev: Evidence, params, voices: Voices | None = None
                  ) -> None:
    voices = voices or Voices()
    doc.heading(row["label"], 3)
    doc.paragraph(synthesis(row, ev))
    # The stand-in for a missing interpretation speaks of this site alone: it may go into
    # the site's member-check packet.
    interpretation_blocks(doc, row, synthesis(row, ev, across=False), voices)
    ranked = rank_candidates(ev.candidates(row["site"], row["theme_id"]))
    # A quote its speaker withdrew in member checking is never quoted again.
    ranked = ranked[~ranked["segment_id"].isin(voices.blocked)]
    # Prefer segments not already quoted under another theme of this site.
    fresh = ranked[~ranked["segment_id"].isin(doc.used)]
    chosen = pick_diverse(pd.concat([fresh, ranked[ranked["segment_id"].isin(doc.used)]]),
                          params.quotes_per_theme, set())
    quoted = {r["segment_id"]: add_quote(doc, r, ev, row, "support", params.quote_max_words)
              for r in chosen}
    discrepant = _discrepant(ranked, chosen, ev, row, params)
    if discrepant:
        doc.paragraph("Discrepant or qualifying evidence:")
        for r in discrepant:
            add_quote(doc, r, ev, row, "discrepant", params.quote_max_words,
                      params.tension_family)
    else:
        doc.paragraph(no_discrepant(chosen, ev, row, params.tension_family, quoted))


def no_discrepant(chosen: list[dict], ev: Evidence, row: dict, tension_family: str,
                  quoted: dict[str, str] | None = None) -> str:
    """The sentence that closes a theme without discrepant quotes. It must not say that
    nothing qualifies the theme when a supporting quote above carries a flag (the same
    flags as discrepant candidates): those quotes are named, each with its flag.
    `quoted`: the excerpt shown of each segment; a flag word the reader cannot see in it
    is said to lie outside the excerpt."""
    quoted = quoted or {}
    ids = pd.Series([r["segment_id"] for r in chosen], dtype=object)
    named = []
    for seg_id in ids[_flagged(ids, ev, row, tension_family)]:
        seg = ev.segments.loc[seg_id]
        kind, detail = discrepancy_flag(seg["text"], seg_id, ev, tension_family.lower())
        if kind != "word":
            why = f"also voices a tension: {detail}"
        elif shown := CONTRAST.search(quoted.get(seg_id, seg["text"])):
            why = f"the word “{shown.group(0)}”"
        else:
            why = f"the word “{detail}”, in its segment outside the quoted excerpt"
        named.append(f"{seg['citation_id']} ({why})")
    if not named:
        return "No discrepant or qualifying evidence among the coded segments."
    return ("No other coded segment is flagged as discrepant or qualifying. Of the segments "
            "quoted above, these carry an automatic flag and may qualify the theme: "
            + "; ".join(named) + ".")


def _flagged(segment_ids: pd.Series, ev: Evidence, row: dict, tension_family: str
            ) -> pd.Series:
    """Which of the theme's segments carry a discrepancy flag: a pushback word ("but", "I
    don't think"...) anywhere in the segment, or, unless the theme is itself a tension, a
    tension coded on it."""
    tension_ids = set(ev.themes.loc[ev.themes["family"].str.lower().str.contains(
        tension_family.lower()), "theme_id"])
    tense = (set() if row["theme_id"] in tension_ids
             else set(ev.pairs.loc[ev.pairs["theme_id"].isin(tension_ids), "segment_id"]))
    texts = ev.segments["text"]
    return segment_ids.map(lambda s: bool(CONTRAST.search(texts[s])) or s in tense
                           ).astype(bool)


def _discrepant(ranked: pd.DataFrame, chosen: list[dict], ev: Evidence, row: dict,
                params) -> list[dict]:
    """Flagged segments of the theme (`_flagged`), from people not quoted above where
    possible."""
    used = {r["segment_id"] for r in chosen}
    pool = ranked[~ranked["segment_id"].isin(used)]
    flagged_pool = pool[_flagged(pool["segment_id"], ev, row, params.tension_family)]
    people = {r["participant_id"] for r in chosen}
    fresh = pick_diverse(flagged_pool, params.discrepant_per_theme, people)
    return fresh or pick_diverse(flagged_pool, params.discrepant_per_theme, set())
