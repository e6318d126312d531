"""packets: what a site's participants are shown in member checking, built from its case
summary: confirmed themes only (codebook themes with confirmed quotes, emerging categories the
team accepted), the interpretation that stands for each, and its supporting and discrepant
quotes, every text redacted. A packet holds one site's data and nothing of another's.

Items are numbered for the round that `qda member-check prepare` would make now (the site's
latest round + 1), so that preparing copies the packet as it is.
"""
from __future__ import annotations

import pandas as pd

from pipeline.core.blocks import BLOCK_COLUMNS, Doc
from pipeline.core.errors import Problem
from pipeline.core.inputs import InputFiles
from pipeline.member import ITEM_COLUMNS, critical_words, item_id, load_rounds
from pipeline.privacy import Redactor, load_redaction
from pipeline.stages.packets.params import PacketParams

SOURCE_NOTE = {"researcher": "the research team's interpretation",
               "generated": "generated from the counts: no researcher has written an "
                            "interpretation of this theme yet",
               "member check": "revised in an earlier member-check round"}


def chosen_themes(case_themes: pd.DataFrame, quotes: pd.DataFrame, themes: pd.DataFrame,
                  categories: pd.DataFrame, params: PacketParams) -> pd.DataFrame:
    """The site's themes a packet may show: codebook themes that have confirmed quotes,
    emerging categories the team accepted or promoted."""
    source = themes.set_index("theme_id")["source_id"]
    status = categories.set_index("category_id")["status"]
    decided = case_themes["theme_id"].map(source).map(status).isin(params.category_statuses)
    with_quotes = case_themes.set_index(["site", "theme_id"]).index.isin(
        quotes.set_index(["site", "theme_id"]).index)
    keep = ((case_themes["kind"] == "code") & with_quotes) | \
        ((case_themes["kind"] == "category") & decided)
    return case_themes[keep].sort_values(["site", "order"]).groupby("site").head(
        params.max_themes)


def confirmed_quotes(case_quotes: pd.DataFrame, segment_themes: pd.DataFrame,
                     themes: pd.DataFrame) -> pd.DataFrame:
    """Quotes of the case summaries that rest on confirmed evidence (a researcher's coding or
    an accepted suggestion; for a category, the team's acceptance of it)."""
    q = case_quotes[case_quotes["doc"] == case_quotes["site"]]
    q = q.merge(segment_themes[["segment_id", "theme_id", "confirmed"]],
                on=["segment_id", "theme_id"], how="left")
    kind = q["theme_id"].map(themes.set_index("theme_id")["kind"])
    return q[q["confirmed"].fillna(False).astype(bool) | (kind == "category")]


def _tension(themes: pd.DataFrame, family: str) -> set[str]:
    return set(themes.loc[themes["family"].fillna("").str.lower().str.contains(
        family.lower()), "theme_id"])


def descriptions(themes: pd.DataFrame, categories: pd.DataFrame) -> pd.Series:
    """What a packet says a theme is: a code's definition; for a category, only the team's
    memo. A category's generated description draws on every site's segments (its terms, its
    first interview), so it stays out of a site's packet."""
    memo = categories.set_index("category_id")["decision_memo"]
    text = [d if k == "code" else memo.get(src, "")
            for d, k, src in zip(themes["description"], themes["kind"], themes["source_id"])]
    return pd.Series(text, index=themes["theme_id"]).fillna("")


def site_items(site: str, round_no: int, rows: pd.DataFrame, quotes: pd.DataFrame,
               described: pd.Series, tension_segments: set[str], tension: set[str],
               per_theme: int) -> list[dict]:
    """The items of one site, in packet order: each theme, its interpretation, its quotes."""
    items: list[dict] = []
    count = {"theme": 0, "interpretation": 0, "quote": 0}

    def add(kind: str, text: str, row: dict, **more) -> None:
        count[kind] += 1
        items.append({c: "" for c in ITEM_COLUMNS} | {
            "item_id": item_id(site, round_no, kind, count[kind]), "site": site,
            "round": round_no, "order": len(items) + 1, "kind": kind,
            "theme_id": row["theme_id"], "theme": row["label"], "text": text,
            "start_char": -1, "end_char": -1, **more})
    for row in rows.to_dict("records"):
        is_tension = row["theme_id"] in tension
        about = described.get(row["theme_id"], "")
        add("theme", f"{row['label']}: {about}" if about else row["label"], row,
            source="codebook" if row["kind"] == "code" else "category", critical=is_tension)
        add("interpretation", row["interpretation"], row,
            source=row["interpretation_source"], critical=is_tension)
        mine = quotes[quotes["theme_id"] == row["theme_id"]]
        mine = mine.sort_values("kind", key=lambda k: k.ne("support"), kind="stable")
        for q in mine.head(per_theme).to_dict("records"):
            add("quote", q["quote"], row, citation_id=q["citation_id"], locator=q["locator"],
                segment_id=q["segment_id"], start_char=int(q["start_char"]),
                end_char=int(q["end_char"]), participant_id=q["participant_id"],
                role=q["role"], source=q["kind"],
                critical=is_tension or q["segment_id"] in tension_segments)
    return items


def quote_note(item: dict, tension_segments: set[str], tension: set[str]) -> str:
    """What a packet says a quote is. The case summary offers a quote as discrepant on an
    automatic flag (a word such as "but", or a tension coded on the same segment); the
    word is no researcher's reading, so participants are told only what the team coded."""
    if item["source"] == "support":
        return "supporting quote"
    # An accepted category's segments were put there by comparison, not coded.
    where = ("in this category" if str(item["theme_id"]).startswith("category:")
             else "coded to this theme")
    if item["segment_id"] in tension_segments and item["theme_id"] not in tension:
        return f"another quote {where}, which the team also coded as a tension"
    return f"another quote {where}"


def packet_doc(site: str, round_no: int, items: pd.DataFrame,
               tension_segments: set[str] = frozenset(), tension: set[str] = frozenset()
               ) -> Doc:
    """The packet as document blocks: instructions, then each theme with its items.
    `tension_segments`: segments with a confirmed tension coding; `tension`: the tension
    themes (see `quote_note`)."""
    doc = Doc(site)
    doc.heading(f"Member check: site {site}, round {round_no}", 1)
    doc.paragraph(f"This packet is for the member-check session of site {site}. It holds the "
                  f"research team's findings about this site only, confirmed by the "
                  f"researchers: the themes, how the team interprets them, and the "
                  f"quotes they rest on. Names of people, schools, places and organisations "
                  f"are replaced by placeholders such as [PRINCIPAL] or [SCHOOL].")
    doc.paragraph("For each numbered item, please say whether you agree, disagree (and why), "
                  "or would revise it (write the wording you would use). A quote is someone's "
                  "own words: it cannot be reworded, but the person who said it may withdraw "
                  "it, and it will then appear in no output of the study.")
    for _, part in items.groupby("theme_id", sort=False):
        doc.heading(str(part["theme"].iloc[0]), 2)
        for it in part.to_dict("records"):
            if it["kind"] == "quote":
                doc.quote(it["text"], citation_id=it["citation_id"], locator=it["locator"],
                          segment_id=it["segment_id"], start_char=it["start_char"],
                          end_char=it["end_char"], note=f"Item {it['item_id']}: "
                          f"{it['role']}, {quote_note(it, tension_segments, tension)}")
            elif it["kind"] == "theme":
                doc.paragraph(f"[{it['item_id']}] Theme. {it['text']}")
            else:
                doc.paragraph(f"[{it['item_id']}] Interpretation "
                              f"({SOURCE_NOTE.get(it['source'], it['source'])}). "
                              f"{it['text']}")
    return doc


def run(case_themes: pd.DataFrame, case_quotes: pd.DataFrame, segment_themes: pd.DataFrame,
        themes: pd.DataFrame, categories: pd.DataFrame, participants: pd.DataFrame,
        transcripts: pd.DataFrame, sites: pd.DataFrame, redaction: InputFiles,
        member_checks: InputFiles, *, params: PacketParams
        ) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    rules = load_redaction(redaction)  # read (and checked) even when nothing is redacted
    quotes = confirmed_quotes(case_quotes, segment_themes, themes)
    rows = chosen_themes(case_themes, quotes, themes, categories, params)
    rounds = load_rounds(member_checks)
    tension = _tension(themes, params.tension_family)
    described = descriptions(themes, categories)
    tense = set(segment_themes.loc[segment_themes["confirmed"].astype(bool)
                                   & segment_themes["theme_id"].isin(tension), "segment_id"])
    items = [it for site, part in rows.groupby("site", sort=False)
             for it in site_items(site, rounds.latest_round(site) + 1, part,
                                  quotes[quotes["site"] == site], described, tense,
                                  tension, params.quotes_per_theme)]
    table = pd.DataFrame(items, columns=ITEM_COLUMNS)
    if len(table):
        # Built only with something to redact: it loads the NER model and reads every
        # transcript for its lower-case words (a second on 2 million words).
        redactor = Redactor.build(rules, participants, transcripts, sites, ner=params.ner)
        table["text"] = redactor.redact_many(table["text"].tolist())
        table["theme"] = redactor.redact_many(table["theme"].tolist())
    words = table["text"].map(critical_words)
    table["critical_words"] = words.map("; ".join)
    table["critical"] = table["critical"].astype(bool) | words.map(bool)
    docs = [packet_doc(site, int(part["round"].iloc[0]), part, tense, tension)
            for site, part in table.groupby("site", sort=False)]
    blocks = pd.DataFrame([b for d in docs for b in d.blocks], columns=BLOCK_COLUMNS)
    return {"packet_items": table, "packet_blocks": blocks}, rounds.problems
