"""cases: a case-summary skeleton per site and a cross-case summary, as document blocks.

Each site's document profiles the site, lists its salient themes (codebook codes, then
emerging categories) ordered by the share of participants who voiced them, and gives for each
a synthesis of the evidence (counts, roles, co-occurring themes), 2-4 verbatim quotes from
different people with their citation, and discrepant or qualifying evidence. The wording is
descriptive on purpose: interpretation is the researcher's. Blocks are rendered to Markdown
and DOCX by `documents.py`.
"""
from __future__ import annotations

import pandas as pd

from pipeline.core.blocks import BLOCK_COLUMNS, QUOTE_COLUMNS, Doc
from pipeline.core.errors import InputError, Problem
from pipeline.core.inputs import InputFiles
from pipeline.member import effective, load_rounds, read_interpretations
from pipeline.stages.cases.cross_case import category_note, cross_case_doc, quote_balance
from pipeline.stages.cases.evidence import FLAGS, Evidence, evidence_basis, theme_section
from pipeline.stages.cases.member import THEME_COLUMNS, Voices
from pipeline.stages.cases.params import CaseParams
from pipeline.stages.cases.review_doc import suggestions_doc


def _profile(doc: Doc, site: dict, ev: Evidence) -> None:
    people = ev.participants[ev.participants["site"] == site["site"]]
    tr = ev.transcripts[ev.transcripts["site"] == site["site"]]
    attrs = [f"{k.replace('_', ' ')}: {v}" for k, v in site.items()
             if k not in ("site", "name", "n_transcripts", "n_participants") and v]
    doc.heading(f"{site['site']}: {site['name']}", 1)
    doc.paragraph("A case-summary skeleton generated from the coded evidence: counts, verbatim "
                  "quotes with their citations, and discrepant evidence. The interpretation is "
                  "the researcher's to write.")
    doc.paragraph(f"{evidence_basis(ev)} {FLAGS}")
    doc.heading("Profile", 2)
    doc.bullet("; ".join(attrs) if attrs else "no attributes recorded")
    roles = people["role"].value_counts().sort_index()
    doc.bullet(f"{len(tr)} interviews with {len(people)} participants ("
               + ", ".join(f"{n} {r}" for r, n in roles.items()) + "), "
               f"{tr['n_participant_words'].sum():,} words of participant speech")
    dates = pd.to_datetime(tr["interview_date"])
    doc.bullet(f"interviewed {dates.min():%d %B %Y} to {dates.max():%d %B %Y}")
    doc.bullet(f"coding: {ev.coverage(site['site'])}")


def site_doc(site: dict, ev: Evidence, params: CaseParams, voices: Voices | None = None
             ) -> Doc:
    doc = Doc(site["site"])
    _profile(doc, site, ev)
    matrix = ev.matrix[ev.matrix["site"] == site["site"]].merge(
        ev.themes[["theme_id", "label", "kind", "family"]], on="theme_id")
    matrix = matrix[matrix["share_participants"] >= params.min_share].sort_values(
        ["share_participants", "n_segments", "theme_id"], ascending=[False, False, True])
    for kind, title, limit in (("code", "Salient themes (codebook)", params.max_code_themes),
                               ("category", "Emerging categories", params.max_category_themes)):
        doc.heading(title, 2)
        rows = matrix[matrix["kind"] == kind].head(limit)
        if rows.empty:
            doc.paragraph("None voiced by enough participants here.")
        for row in rows.to_dict("records"):
            theme_section(doc, row, ev, params, voices)
    doc.heading("Figures", 2)
    doc.image("site_theme_heatmap", "Share of participants voicing each theme, "
              "by site")
    doc.image("saturation", "New categories per interview")
    return doc


def run(transcripts: pd.DataFrame, sites: pd.DataFrame, participants: pd.DataFrame,
        segments: pd.DataFrame, codings: pd.DataFrame, themes: pd.DataFrame,
        segment_themes: pd.DataFrame, theme_matrix: pd.DataFrame, human_codings: pd.DataFrame,
        suggestions: pd.DataFrame, codes: pd.DataFrame, read_segments: pd.DataFrame,
        categories: pd.DataFrame, segment_categories: pd.DataFrame,
        interpretations: InputFiles | None = None, member_checks: InputFiles | None = None, *,
        params: CaseParams) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    ev = Evidence.build(transcripts, participants, segments, codings, themes, segment_themes,
                        theme_matrix, human_codings, read_segments)
    voices, problems = _voices(interpretations, member_checks, sites, themes, segments)
    studied = [s for s in sites.to_dict("records") if s["site"] in set(transcripts["site"])]
    docs = [site_doc(s, ev, params, voices) for s in studied]
    checked = voices.applied.sites if voices.applied is not None else set()
    # The case summaries as they were before member checking, for the sites it changed.
    before = [site_doc(s, ev, params, voices.before()) for s in studied if s["site"] in checked]
    quotes = pd.DataFrame([q for d in docs for q in d.quotes], columns=QUOTE_COLUMNS)
    balance = quote_balance(quotes, participants, params.over_representation)
    docs.append(cross_case_doc(sites, ev, balance, params,
                               category_note(categories, segment_categories)))
    docs.append(suggestions_doc(suggestions[~suggestions["segment_id"].isin(voices.blocked)],
                                codes, segments, sites["site"].tolist(),
                                params.quote_max_words))
    blocks = pd.DataFrame([b for d in docs for b in d.blocks], columns=BLOCK_COLUMNS)
    pre = pd.DataFrame([b for d in before for b in d.blocks], columns=BLOCK_COLUMNS)
    case_themes = pd.DataFrame([t for d in docs for t in d.themes], columns=THEME_COLUMNS)
    return {"case_blocks": blocks, "case_quotes": quotes, "quote_balance": balance,
            "case_themes": case_themes, "case_blocks_pre": pre}, problems


def _voices(interpretations: InputFiles | None, member_checks: InputFiles | None,
            sites: pd.DataFrame, themes: pd.DataFrame, segments: pd.DataFrame
            ) -> tuple[Voices, list[Problem]]:
    """The researcher's interpretations and what member checking changed."""
    texts, problems = read_interpretations(interpretations or InputFiles("interpretations"),
                                           set(sites["site"]), set(themes["theme_id"]))
    if any(p.is_error for p in problems):
        raise InputError(problems)
    rounds = load_rounds(member_checks or InputFiles("member_checks"))
    applied = effective(rounds) if len(rounds.responses) else None
    return Voices.build(texts, applied, segments), problems + rounds.problems
