"""What the report is drawn from: its input tables in registry order, and the names, labels
and file names every page shares."""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import pandas as pd

from pipeline.member import effective, load_rounds
from pipeline.render.report_links import Anchors, records, unique_slugs
from pipeline.study.demo import demonstration_label, study_name


@dataclass
class ReportData:
    """The report stage's inputs, in the order the registry declares them."""
    corpus: Any                     # the raw corpus: the study's name comes from study.toml
    transcripts: pd.DataFrame
    sites: pd.DataFrame
    participants: pd.DataFrame
    turns: pd.DataFrame
    segments: pd.DataFrame
    codes: pd.DataFrame
    codings: pd.DataFrame
    read_segments: pd.DataFrame
    suggestions: pd.DataFrame
    categories: pd.DataFrame
    decision_log: pd.DataFrame
    saturation: pd.DataFrame
    themes: pd.DataFrame
    segment_themes: pd.DataFrame
    theme_matrix: pd.DataFrame
    role_matrix: pd.DataFrame
    case_blocks: pd.DataFrame
    case_quotes: pd.DataFrame
    figures: dict[str, bytes]
    member_checks: Any              # member-check rounds: quotes their speakers withdrew


REPORT_INPUTS = tuple(f.name for f in fields(ReportData))
SEGMENT_COLUMNS = ["segment_id", "citation_id", "participant_id", "site", "role", "turn",
                   "seg_in_turn", "start_char", "end_char", "locator", "text"]

def grouped(df: pd.DataFrame, key: str, order: list[str] | None = None
            ) -> dict[Any, list[dict]]:
    """Rows as dicts, by the value of `key` (sorted by `order` first): pandas is slow at
    picking rows one group at a time."""
    out: dict[Any, list[dict]] = {}
    rows = df.sort_values(order, kind="stable") if order else df
    for row in records(rows):
        out.setdefault(row[key], []).append(row)
    return out


def pct(share: float) -> str:
    return f"{100 * float(share):.0f}%"


class Book:
    """Shared by every page: the data, where each site, theme and transcript page lives, and
    the anchors of the quoted passages."""

    def __init__(self, data: ReportData, demonstration: str = "auto"):
        self.d = data
        self.study = study_name(data.corpus)
        self.demo = demonstration_label(self.study, data.codings, demonstration)
        self.site_slugs = unique_slugs(data.sites["site"].astype(str))
        self.theme_slugs = unique_slugs(data.themes["theme_id"].astype(str))
        pages = unique_slugs(data.transcripts["citation_id"].astype(str))
        self.anchors = Anchors(data.segments, data.turns, pages)
        self.site_name = dict(zip(data.sites["site"], data.sites["name"]))
        self.theme_label = dict(zip(data.themes["theme_id"], data.themes["label"]))
        self.theme_kind = dict(zip(data.themes["theme_id"], data.themes["kind"]))
        self.code_label = dict(zip(data.codes["code_id"], data.codes["label"]))
        self.figures = {p.rsplit("/", 1)[-1]: b for p, b in data.figures.items()
                        if p.endswith(".svg")}
        # A quote its speaker withdrew in member checking is shown nowhere, as in every
        # other output: its words are cut from the transcript page, its segment unlisted.
        applied = effective(load_rounds(data.member_checks))
        self.withdrawn = {cid: sorted((int(a), int(b)) for a, b in zip(part["start_char"],
                                                                      part["end_char"]))
                          for cid, part in applied.withdrawn.groupby("citation_id")}
        self.blocked = applied.blocked(data.segments)

    def site_href(self, site: str) -> str:
        return f"sites/{self.site_slugs[site]}.html" if site in self.site_slugs else ""

    def theme_href(self, theme_id: str) -> str:
        return f"themes/{self.theme_slugs[theme_id]}.html" if theme_id in self.theme_slugs \
            else ""

    def transcript_href(self, citation_id: str) -> str:
        return self.anchors.page(citation_id) if citation_id in self.anchors.pages else ""

    def figure_src(self, name: str) -> str:
        return f"figures/{name}.svg" if f"{name}.svg" in self.figures else ""

    def machine_theme(self, theme_id: str) -> bool:
        """An emerging category: the machine, not a researcher, put segments in it."""
        return self.theme_kind.get(theme_id) == "category"

    def shown(self, row: dict) -> bool:
        """Whether a passage may be quoted: it overlaps no withdrawn quote."""
        return row.get("segment_id") not in self.blocked and not any(
            a < int(row["end_char"]) and int(row["start_char"]) < b
            for a, b in self.withdrawn.get(row["citation_id"], ()))

    def quote(self, row: dict, text_key: str = "quote") -> dict:
        """A quote as the templates show it: verbatim text, locator, link, note."""
        href = self.anchors.cite(str(row["citation_id"]), int(row["start_char"]),
                                 int(row["end_char"]), str(row.get("segment_id", "")))
        return {"text": row[text_key], "locator": row["locator"], "href": href,
                "note": row.get("note", "") or "", "site": row.get("site", ""),
                "role": row.get("role", ""), "kind": row.get("kind", "")}

    def segment_rows(self) -> list[dict]:
        """The segments as dicts, in transcript order, with the columns pages show (a
        corpus has tens of thousands: convert them once, and only what is needed)."""
        if not hasattr(self, "_rows"):
            segs = self.d.segments.sort_values(["citation_id", "start_char"])
            self._rows = records(segs[SEGMENT_COLUMNS])
            self._by_id = {r["segment_id"]: r for r in self._rows}
        return self._rows

    def segment_quote(self, segment_id: str) -> dict | None:
        """A whole segment as a quote (categories' and suggestions' passages)."""
        self.segment_rows()
        row = self._by_id.get(segment_id)
        return None if row is None or not self.shown(row) else self.quote(row, "text")
