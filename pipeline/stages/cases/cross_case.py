"""The cross-case summary (what is shared and what is site-specific) and the quote-balance
check (no site or role over-represented among the quotes)."""
from __future__ import annotations

import pandas as pd

from pipeline.core.blocks import Doc
from pipeline.core.order import natural_key
from pipeline.stages.cases.evidence import evidence_basis

BALANCE_COLUMNS = ["dimension", "value", "n_quotes", "quote_share", "n_participants",
                   "participant_share", "ratio", "over_represented"]


def quote_balance(quotes: pd.DataFrame, participants: pd.DataFrame, threshold: float
                  ) -> pd.DataFrame:
    """Share of quotes vs share of participants, per site and per role; a value is flagged
    when its quote share exceeds `threshold` times its participant share (3+ quotes)."""
    rows = []
    for dim in ("site", "role"):
        people = participants[dim].value_counts()
        said = quotes[dim].value_counts() if len(quotes) else pd.Series(dtype=int)
        values = set(people.index) | set(said.index)
        for value in sorted(values, key=natural_key if dim == "site" else str):
            n_q, n_p = int(said.get(value, 0)), int(people.get(value, 0))
            q_share = n_q / max(1, len(quotes))
            p_share = n_p / max(1, len(participants))
            ratio = q_share / p_share if p_share else float("inf")
            rows.append({"dimension": dim, "value": value, "n_quotes": n_q,
                         "quote_share": round(q_share, 4), "n_participants": n_p,
                         "participant_share": round(p_share, 4), "ratio": round(ratio, 3),
                         "over_represented": bool(ratio > threshold and n_q >= 3)})
    return pd.DataFrame(rows, columns=BALANCE_COLUMNS)


def _voicing(ev, min_share: float) -> pd.DataFrame:
    strong = ev.matrix[ev.matrix["share_participants"] >= min_share]
    out = strong.groupby("theme_id").agg(n_sites=("site", "nunique"),
                                         sites=("site", lambda s: sorted(s, key=natural_key)),
                                         mean_share=("share_participants", "mean"))
    return out.join(ev.themes.set_index("theme_id")[["label", "kind"]]).reset_index()


def category_note(categories: pd.DataFrame, segment_categories: pd.DataFrame) -> str:
    """What the emerging categories rest on: decided or awaiting, and what was left out."""
    cross = categories[categories["level"] == "cross-site"]
    status = cross["status"].value_counts()
    waiting = int(((cross["status"] == "proposed") & ~cross["minor"].astype(bool)).sum())
    left = segment_categories["left_out"].fillna("")
    short = int((left != "").sum())
    return (f"Emerging categories are proposed by machine comparison; a category appears here "
            f"only once the team accepted or promoted it in codebooks/decisions.yml "
            f"({int(status.get('accepted', 0))} accepted, {int(status.get('promoted', 0))} "
            f"promoted, {int(status.get('rejected', 0))} rejected of {len(cross)}; {waiting} "
            f"voiced by several participants await a decision). {short:,} of {len(left):,} "
            f"segments were left out of comparison (backchannels such as \"Yeah.\" and "
            f"segments holding only transcription markers).")


def cross_case_doc(sites: pd.DataFrame, ev, balance: pd.DataFrame, params,
                   categories_note: str = "") -> Doc:
    doc = Doc("cross_case")
    n_sites = ev.matrix["site"].nunique()
    doc.heading("Cross-case summary", 1)
    doc.paragraph(f"{len(ev.transcripts)} interviews with {len(ev.participants)} participants "
                  f"at {n_sites} sites. A theme counts as voiced at a site when at least "
                  f"{params.min_share:.0%} of the site's participants voiced it.")
    doc.paragraph(evidence_basis(ev) + (f" Across the study, {ev.coverage()}."
                                        if len(ev.segments) else ""))
    doc.paragraph("In the tables, Sites counts the sites where a theme counts as voiced; "
                  "Share where voiced is the mean, over those sites only, of the share of "
                  "each site's participants who voiced it. Every theme voiced at one site "
                  "or more is listed.")
    voiced = _voicing(ev, params.min_share)
    for kind, title in (("code", "Themes across sites (codebook)"),
                        ("category", "Emerging categories across sites")):
        rows = voiced[voiced["kind"] == kind].sort_values(["n_sites", "mean_share", "label"],
                                                          ascending=[False, False, True])
        doc.heading(title, 2)
        if kind == "category" and categories_note:
            doc.paragraph(categories_note)
        _spread(doc, rows, n_sites)
    _balance_section(doc, balance, params.over_representation, sites)
    doc.heading("Figures", 2)
    doc.image("site_theme_heatmap", "Share of participants voicing each theme, "
              "by site")
    doc.image("saturation", "New categories per interview")
    return doc


def _spread(doc: Doc, rows: pd.DataFrame, n_sites: int) -> None:
    """Every voiced theme in a table, then the shared, several-site and site-specific ones."""
    table = [["Theme", f"Sites (of {n_sites})", "Share where voiced", "Where"]]
    table += [[r.label, str(r.n_sites), f"{r.mean_share:.0%}", ", ".join(r.sites)]
              for r in rows.itertuples()]
    doc.table(table)
    shared = rows["n_sites"] >= 0.7 * n_sites
    # Site-specific: one or two sites but not every site (in a two-site study a theme
    # voiced at both is shared, not specific).
    specific = (rows["n_sites"] <= 2) & ~shared
    several = ~shared & ~specific
    doc.bullet("Shared (70% of sites or more): " + ("; ".join(rows[shared]["label"])
                                                     or "none"))
    if several.any():
        doc.bullet("At several sites (three or more, under 70%): " + "; ".join(
            f"{r.label} ({r.n_sites})" for r in rows[several].itertuples()))
    doc.bullet("Site-specific (one or two sites): " + ("; ".join(
        f"{r.label} ({', '.join(r.sites)})" for r in rows[specific].itertuples()) or "none"))


def _balance_section(doc: Doc, balance: pd.DataFrame, threshold: float,
                     sites: pd.DataFrame) -> None:
    doc.heading("Quote balance", 2)
    flagged = balance[balance["over_represented"]]
    if flagged.empty:
        doc.paragraph(f"No site or role is over-represented among the quotes (quote share "
                      f"above {threshold:g} times participant share).")
    for r in flagged.itertuples():
        doc.bullet(f"Over-represented {r.dimension} {r.value}: {r.quote_share:.0%} of quotes "
                   f"from {r.participant_share:.0%} of participants.")
    names = dict(zip(sites["site"], sites["name"])) if "name" in sites else {}
    for dim, title in (("site", "Site"), ("role", "Role")):
        table = [[title, "Quotes", "Share of quotes", "Share of participants"]]
        table += [[f"{r.value} {names[r.value]}" if r.value in names else str(r.value),
                   str(r.n_quotes), f"{r.quote_share:.0%}", f"{r.participant_share:.0%}"]
                  for r in balance[balance["dimension"] == dim].itertuples()]
        doc.table(table)
