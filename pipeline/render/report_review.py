"""The pages of work still to do and of the sources: emerging categories with their memos,
machine suggestions awaiting review, saturation, and the transcripts with an anchor per turn
and per cited passage. Each function returns (path in the report, template, context)."""
from __future__ import annotations

import re

import pandas as pd

from pipeline.core.blocks import kappa_text
from pipeline.render.report_links import nest, records, turn_spans
from pipeline.render.report_model import Book, grouped

Page = tuple[str, str, dict]
STATUS_ORDER = {"promoted": 0, "accepted": 1, "proposed": 2, "rejected": 3}
_TURN = re.compile(r"¶(\d+)\s*$")
WITHDRAWN = '<span class="withdrawn">[a quote withdrawn by its speaker in member checking]</span>'


def _items(value) -> list:
    """A list column's value (an array from parquet, or nothing) as a list."""
    return [] if value is None or (isinstance(value, float) and pd.isna(value)) \
        else list(value)


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _category(book: Book, c: dict) -> dict:
    quotes = [book.segment_quote(s) for s in _items(c["representative_segments"])]
    turn = _TURN.search(_text(c["first_locator"]))
    first = book.transcript_href(_text(c["first_citation_id"]))
    theme_id = f"category:{c['category_id']}"
    return {"id": c["category_id"], "label": c["label"], "status": c["status"],
            "computed_label": _text(c["computed_label"]), "minor": bool(c["minor"]),
            "top_terms": ", ".join(_items(c["top_terms"])),
            "phrases": "; ".join(_items(c["phrases"])),
            "n_segments": int(c["n_segments"]), "n_participants": int(c["n_participants"]),
            "sites": ", ".join(_items(c["sites"])), "roles": ", ".join(_items(c["roles"])),
            "first_locator": _text(c["first_locator"]),
            "first_href": first + (f"#p{turn.group(1)}" if first and turn else ""),
            "codes": ", ".join(_items(c["codes"])), "memo": _text(c["decision_memo"]),
            "promoted_code": _text(c["promoted_code"]),
            "theme_href": book.theme_href(theme_id), "quotes": [q for q in quotes if q]}


def categories(book: Book) -> Page:
    """Cross-site categories (each with the site categories it gathers) and their memos:
    machine-proposed until a decision accepts or promotes them."""
    cats = book.d.categories
    cross = cats[cats["level"] == "cross-site"].to_dict("records")
    cross.sort(key=lambda c: (STATUS_ORDER.get(c["status"], 9), -int(c["n_participants"]),
                              str(c["category_id"])))
    inner = grouped(cats[cats["level"] == "site"], "parent_id", ["site", "category_id"])
    rows = []
    for c in cross:
        row = _category(book, c)
        row["site_categories"] = [_category(book, s) for s in inner.get(c["category_id"], [])]
        rows.append(row)
    log = book.d.decision_log.sort_values("line").to_dict("records")
    return "categories.html", "categories.html", {"title": "Emerging categories",
                                                  "categories": rows, "decisions": log}


def suggestions(book: Book, limit: int = 1000) -> Page:
    """Machine suggestions awaiting review, in review order (the first `limit` of them): not
    evidence."""
    rows = []
    ranked = book.d.suggestions.sort_values("priority", kind="stable")
    listed = ranked[~ranked["segment_id"].isin(book.blocked)].head(limit)
    for s in listed.to_dict("records"):
        quote = book.segment_quote(s["segment_id"])
        if quote is None:
            continue
        rows.append(quote | {
            "priority": int(s["priority"]), "code_id": s["code_id"],
            "code": book.code_label.get(s["code_id"], s["code_id"]), "sources": s["sources"],
            "score": f"{float(s['score']):.2f}", "evidence": _text(s["evidence"]),
            "reliability": kappa_text(float(s["reliability"]), float(s["reliability_low"]),
                                      float(s["reliability_high"]))})
    codes = sorted({(r["code_id"], r["code"]) for r in rows}, key=lambda c: c[1].lower())
    return "suggestions.html", "suggestions.html", {
        "title": "Machine suggestions awaiting review", "rows": rows, "code_options": codes,
        "total": len(book.d.suggestions),
        "site_options": [s for s in book.d.sites["site"] if s in {r["site"] for r in rows}],
        "role_options": sorted({r["role"] for r in rows})}


def saturation(book: Book) -> Page:
    sat = book.d.saturation
    overall = sat[sat["scope"] == "overall"].sort_values("order")
    rows = [{"order": int(r["order"]), "citation_id": r["citation_id"], "site": r["site"],
             "href": book.transcript_href(r["citation_id"]), "date": str(r["interview_date"]),
             "new": int(r["new_categories"]), "cumulative": int(r["cumulative_categories"])}
            for r in overall.to_dict("records")]
    per_site = []
    for site in book.d.sites["site"]:
        curve = sat[sat["scope"] == site].sort_values("order")
        if len(curve):
            per_site.append({"site": site, "href": book.site_href(site),
                             "interviews": len(curve),
                             "categories": int(curve["cumulative_categories"].iloc[-1]),
                             "last_new": int(curve["new_categories"].iloc[-1])})
    return "saturation.html", "saturation.html", {
        "title": "Saturation", "rows": rows, "per_site": per_site,
        "figure": book.figure_src("saturation")}


def transcripts_index(book: Book) -> Page:
    rows = [{"citation_id": t["citation_id"], "href": book.transcript_href(t["citation_id"]),
             "site": t["site"], "site_href": book.site_href(t["site"]), "role": t["role"],
             "date": str(t["interview_date"]), "format": t["format"],
             "n_words": int(t["n_words"]), "n_turns": int(t["n_turns"])}
            for t in book.d.transcripts.sort_values("citation_id").to_dict("records")]
    return "transcripts.html", "transcripts.html", {"title": "Transcripts", "rows": rows}


def transcript_pages(book: Book) -> list[Page]:
    """One page per interview: every turn with an anchor (p<turn>), every segment (s<turn>-
    <n>) and every passage the report cites (q<start>-<end>). Rendered last, once every
    other page has cited what it quotes."""
    d = book.d
    turns: dict[str, list[dict]] = {}
    columns = ["citation_id", "turn", "speaker", "speaker_role", "start_char", "end_char",
               "start_time"]
    for turn in records(d.turns.sort_values(["citation_id", "turn"])[columns]):
        turns.setdefault(turn["citation_id"], []).append(turn)
    segments: dict[tuple[str, int], list[dict]] = {}
    for seg in book.segment_rows():
        segments.setdefault((seg["citation_id"], int(seg["turn"])), []).append(seg)
    pages = []
    for t in records(d.transcripts.sort_values("citation_id")):
        cid, text = t["citation_id"], t["text"]
        cuts = [(a, b, WITHDRAWN) for a, b in book.withdrawn.get(cid, ())]
        rows = []
        for turn in turns.get(cid, []):
            lo, hi = int(turn["start_char"]), int(turn["end_char"])
            inside = [s for s in segments.get((cid, int(turn["turn"])), [])
                      if lo <= int(s["start_char"]) and int(s["end_char"]) <= hi]
            rows.append({"turn": int(turn["turn"]), "speaker": turn["speaker"],
                         "interviewer": turn["speaker_role"] == "interviewer",
                         "time": _clock(turn["start_time"]),
                         "html": nest(text, lo, hi, turn_spans(text, inside, book.anchors),
                                      cuts)})
        pages.append((book.transcript_href(cid), "transcript.html", {
            "title": cid, "t": t, "site_href": book.site_href(t["site"]),
            "site_name": book.site_name.get(t["site"], ""), "turns": rows}))
    return pages


def _clock(seconds) -> str:
    if seconds is None or pd.isna(seconds):
        return ""
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
