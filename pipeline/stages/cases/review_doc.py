"""The document of machine suggestions awaiting review: apart from the case summaries, which
count confirmed evidence only. Per site, how many suggestions each code has and how reliable
its automatic coding measured, then the first few in review order, verbatim and cited."""
from __future__ import annotations

import pandas as pd

from pipeline.core.blocks import Doc, kappa_text, plural
from pipeline.stages.cases.quotes import excerpt

PER_SITE = 5


def suggestions_doc(suggestions: pd.DataFrame, codes: pd.DataFrame, segments: pd.DataFrame,
                    site_order: list[str], max_words: int) -> Doc:
    doc = Doc("suggestions")
    doc.heading("Machine suggestions to review", 1)
    n_segments = suggestions["segment_id"].nunique()
    doc.paragraph(f"{len(suggestions)} suggestions on {n_segments} segments await a "
                  f"researcher's decision. They count in no theme, matrix or case summary until "
                  f"accepted. `qda review prepare` writes them, in this order, to a review "
                  f"sheet; `qda review ingest` records the decisions. Reliability is the "
                  f"agreement (Cohen's κ) of the code's automatic coding with the researchers "
                  f"on the segments they read, with its 95% bootstrap interval: a wide "
                  f"interval means few segments to judge by.")
    if suggestions.empty:
        return doc
    labels = codes.set_index("code_id")["label"]
    segs = segments.set_index("segment_id")
    for site in [s for s in site_order if s in set(suggestions["site"])]:
        mine = suggestions[suggestions["site"] == site]
        doc.heading(f"{site}: {plural(len(mine), 'suggestion')}", 2)
        per_code = (mine.groupby("code_id").agg(n=("segment_id", "size"),
                                                kappa=("reliability", "first"),
                                                low=("reliability_low", "first"),
                                                high=("reliability_high", "first"))
                    .sort_values(["n", "code_id"], ascending=[False, True]))
        doc.table([["Code", "Suggestions", "Reliability"]] + [
            [str(labels.get(c, c)), str(int(r.n)), kappa_text(r.kappa, r.low, r.high)]
            for c, r in per_code.iterrows()])
        for r in mine.sort_values("priority").head(PER_SITE).itertuples():
            text, start = segs.at[r.segment_id, "text"], int(segs.at[r.segment_id,
                                                                      "start_char"])
            a, b = excerpt(text, str(r.evidence).split("; "), max_words)
            doc.quote(text[a:b], citation_id=r.citation_id, locator=r.locator,
                      segment_id=r.segment_id, start_char=start + a, end_char=start + b,
                      note=f"suggested: {labels.get(r.code_id, r.code_id)}, by {r.sources}"
                           + (f" ({r.evidence})" if r.evidence else "")
                           + f"; priority {r.priority}")
    doc.quotes.clear()   # these are not quotes of findings: they stay out of quote balance
    return doc

