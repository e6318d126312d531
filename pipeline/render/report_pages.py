"""The evidence pages of the report: overview, one page per site and per theme, the site x
theme matrix and the searchable list of passages. Each function returns
(path in the report, template, context)."""
from __future__ import annotations

import json

import pandas as pd

from pipeline.render.report_model import SEGMENT_COLUMNS, Book, grouped, pct

Page = tuple[str, str, dict]
# What each figure shows, for readers who cannot see it, and the page with its numbers.
FIGURES = {
    "site_theme_heatmap": ("Heatmap: the share of each site's participants who voiced each of "
                           "the most widely voiced themes, darker for a larger share; the "
                           "matrix page gives the numbers.", "matrix.html"),
    "saturation": ("Saturation curves: new and cumulative emerging categories per interview "
                   "in the order conducted, across sites and within each site; the "
                   "saturation page gives the numbers.", "saturation.html"),
}


def evidence_counts(book: Book) -> dict[str, int]:
    """How much there is, and how much of the evidence a researcher confirmed."""
    d = book.d
    confirmed = d.codings["status"] == "confirmed"
    links = d.segment_themes["confirmed"].astype(bool)
    cross = d.categories[d.categories["level"] == "cross-site"]
    counts = {
        "sites": len(d.sites), "transcripts": len(d.transcripts),
        "participants": len(d.participants), "segments": len(d.segments),
        "read_segments": int(d.read_segments["segment_id"].nunique()),
        "codings": len(d.codings), "confirmed_codings": int(confirmed.sum()),
        "suggested_codings": int((~confirmed).sum()),
        "confirmed_coded_segments": int(d.codings[confirmed]["segment_id"].nunique()),
        "suggested_coded_segments": int(d.codings[~confirmed]["segment_id"].nunique()),
        "suggestions": len(d.suggestions), "themes": len(d.themes),
        "theme_links": len(d.segment_themes), "confirmed_theme_links": int(links.sum()),
        "machine_theme_links": int((~links).sum()), "categories": len(cross),
    }
    for status in ("proposed", "accepted", "promoted", "rejected"):
        counts[f"categories_{status}"] = int((cross["status"] == status).sum())
    return counts


def overview(book: Book) -> Page:
    d = book.d
    sites = []
    extra = [c for c in d.sites.columns
             if c not in ("site", "name", "kind", "n_transcripts", "n_participants")]
    for s in d.sites.to_dict("records"):
        attrs = "; ".join(f"{c.replace('_', ' ')}: {s[c]}" for c in extra
                          if isinstance(s[c], str) and s[c])
        sites.append({"site": s["site"], "name": s["name"], "kind": s["kind"],
                      "attributes": attrs, "href": book.site_href(s["site"]),
                      "n_transcripts": int(s["n_transcripts"]),
                      "n_participants": int(s["n_participants"])})
    return "index.html", "index.html", {"title": "Overview", "counts": evidence_counts(book),
                                        "sites": sites}


def blocks(book: Book, part: pd.DataFrame) -> list[dict]:
    """Case-document blocks (the same content as the Markdown and DOCX summaries), each quote
    linked to its passage and each figure to its SVG."""
    out: list[dict] = []
    for b in part.sort_values("order").to_dict("records"):
        b["level"] = min(max(int(b["level"]), 1), 6)
        if b["kind"] == "bullet":          # consecutive bullets make one list
            if out and out[-1]["kind"] == "list":
                out[-1]["items"].append(b["text"])
            else:
                out.append({"kind": "list", "items": [b["text"]]})
            continue
        if b["kind"] == "table":
            b["rows"] = json.loads(b["text"])
        elif b["kind"] == "quote":
            if not book.shown(b):
                continue
            b["quote"] = book.quote(b, "text")
        elif b["kind"] == "image":
            name = str(b["locator"])
            b |= {"src": book.figure_src(name), "alt": FIGURES.get(name, (b["text"], ""))[0],
                  "href": FIGURES.get(name, ("", ""))[1]}
        out.append(b)
    return out


def site_pages(book: Book) -> list[Page]:
    d = book.d
    pages = []
    for site in d.sites["site"]:
        part = d.case_blocks[d.case_blocks["doc"] == site]
        interviews = d.transcripts[d.transcripts["site"] == site].sort_values("citation_id")
        pages.append((book.site_href(site), "site.html", {
            "title": f"{site}: {book.site_name.get(site, '')}", "blocks": blocks(book, part),
            "interviews": [{"citation_id": t.citation_id, "role": t.role,
                            "href": book.transcript_href(t.citation_id),
                            "date": str(t.interview_date)}
                           for t in interviews.itertuples(index=False)]}))
    cross = d.case_blocks[d.case_blocks["doc"] == "cross_case"]
    pages.append(("cross_case.html", "site.html", {"title": "Cross-case summary",
                                                    "blocks": blocks(book, cross),
                                                    "interviews": []}))
    return pages


def theme_pages(book: Book) -> list[Page]:
    d = book.d
    voiced = grouped(d.segment_themes.merge(d.segments[SEGMENT_COLUMNS], on="segment_id"),
                     "theme_id", ["citation_id", "start_char"])
    quotes = grouped(d.case_quotes, "theme_id", ["site", "doc", "citation_id", "start_char"])
    quotes = {t: [q for q in qs if book.shown(q)] for t, qs in quotes.items()}
    where, roles = grouped(d.theme_matrix, "theme_id"), grouped(d.role_matrix, "theme_id",
                                                                ["role"])
    pages = []
    for theme in d.themes.to_dict("records"):
        tid = theme["theme_id"]
        pairs = voiced.get(tid, [])
        quoted = [book.quote(q) | {"doc_href": book.site_href(q["doc"]), "doc": q["doc"]}
                  for q in quotes.get(tid, [])]
        pages.append((book.theme_href(tid), "theme.html", {
            "title": theme["label"], "theme": theme, "machine": book.machine_theme(tid),
            "where": _where(book, where.get(tid, [])),
            "roles": [{"role": r["role"], "n_participants": r["n_participants"],
                       "share": pct(r["share_participants"]), "n_segments": r["n_segments"]}
                      for r in roles.get(tid, [])],
            "by_whom": _by_whom(book, pairs),
            "support": [q for q in quoted if q["kind"] != "discrepant"],
            "discrepant": [q for q in quoted if q["kind"] == "discrepant"],
            "passages": [book.quote(p | {"note": _source(p)}, "text") for p in pairs
                         if book.shown(p)]}))
    return pages


def _source(pair: dict) -> str:
    """Whose evidence a (segment, theme) pair is."""
    if pair["confirmed"]:
        return f"confirmed: {pair['source']}"
    if pair["source"] == "compare":
        return "machine: constant comparison put this segment in the category"
    return f"machine suggestion, counted by setting: {pair['source']}"


def _where(book: Book, rows: list[dict]) -> list[dict]:
    """The sites where a theme was voiced, in site order, with counts and interval."""
    d = book.d
    totals = dict(zip(d.sites["site"], d.sites["n_participants"]))
    order = {s: i for i, s in enumerate(d.sites["site"])}
    out = []
    for r in sorted(rows, key=lambda r: order.get(r["site"], 1 << 30)):
        out.append({"site": r["site"], "name": book.site_name.get(r["site"], ""),
                    "href": book.site_href(r["site"]), "n_participants": r["n_participants"],
                    "total": int(totals.get(r["site"], 0)),
                    "share": pct(r["share_participants"]),
                    "interval": f"{pct(r['share_low'])} to {pct(r['share_high'])}",
                    "n_segments": r["n_segments"], "roles": ", ".join(r["roles"]),
                    "machine": int(r["n_participants_machine_only"])})
    return out


def _by_whom(book: Book, pairs: list[dict]) -> list[dict]:
    """The interviews (citation IDs) in which the theme was voiced, with segment counts."""
    out: dict[str, dict] = {}
    for p in pairs:
        row = out.setdefault(p["citation_id"], {
            "citation_id": p["citation_id"], "href": book.transcript_href(p["citation_id"]),
            "site": p["site"], "role": p["role"], "segments": set(), "n_confirmed": 0})
        row["segments"].add(p["segment_id"])
        row["n_confirmed"] += bool(p["confirmed"])
    return [row | {"n_segments": len(row.pop("segments"))}
            for _, row in sorted(out.items())]


def themes_index(book: Book) -> Page:
    rows = [{"theme_id": t["theme_id"], "label": t["label"], "href": book.theme_href(
        t["theme_id"]), "family": t["family"] or "", "kind": t["kind"],
        "n_participants": int(t["n_participants"]), "n_sites": int(t["n_sites"])}
        for t in book.d.themes.to_dict("records")]
    return "themes.html", "themes.html", {"title": "Themes", "themes": rows}


def matrix(book: Book) -> Page:
    """The site x theme matrix: share of each site's participants voicing each theme."""
    d = book.d
    sites = d.sites["site"].tolist()
    cells = {(r["theme_id"], r["site"]): r for r in d.theme_matrix.to_dict("records")}
    rows = []
    for t in d.themes.to_dict("records"):
        tid = t["theme_id"]
        row = {"label": t["label"], "href": book.theme_href(tid), "kind": t["kind"],
               "n_sites": int(t["n_sites"]), "cells": []}
        for site in sites:
            c = cells.get((tid, site))
            row["cells"].append({"sort": f"{float(c['share_participants']):.4f}" if c else "0",
                                 "shade": round(10 * float(c["share_participants"])) if c
                                 else 0,
                                 "text": pct(c["share_participants"]) if c else "",
                                 "title": (f"{c['n_participants']} participants, "
                                           f"{c['n_segments']} segments; 95% interval "
                                           f"{pct(c['share_low'])} to {pct(c['share_high'])}"
                                           if c else "not voiced")})
        rows.append(row)
    return "matrix.html", "matrix.html", {
        "title": "Site × theme matrix", "sites": sites, "rows": rows,
        "heatmap": book.figure_src("site_theme_heatmap")}


def passages(book: Book) -> Page:
    """Every participant segment with its themes, for the search and filters of the page."""
    d = book.d
    by_segment = grouped(d.segment_themes, "segment_id", ["segment_id", "theme_id"])
    rows = []
    for seg in book.segment_rows():
        if not book.shown(seg):
            continue
        tags = [{"id": p["theme_id"], "label": book.theme_label.get(p["theme_id"],
                                                                    p["theme_id"]),
                 "href": book.theme_href(p["theme_id"]), "confirmed": bool(p["confirmed"])}
                for p in by_segment.get(seg["segment_id"], [])]
        rows.append(book.quote(seg, "text") | {
            "themes": tags, "theme_ids": "|".join(t["id"] for t in tags)})
    used = sorted({t["id"] for r in rows for t in r["themes"]},
                  key=lambda t: book.theme_label.get(t, t).lower())
    return "passages.html", "passages.html", {
        "title": "Passages: search and filter", "rows": rows,
        "site_options": d.sites["site"].tolist(),
        "role_options": sorted(d.segments["role"].dropna().unique().tolist()),
        "theme_options": [(t, book.theme_label.get(t, t)) for t in used]}
