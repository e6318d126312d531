"""The packet_documents render stage: each site's member-check packet as Markdown, DOCX and
HTML (a Jinja template, everything escaped), and its blank response sheet as XLSX and CSV.
`qda member-check prepare` copies these into the round's folder under codebooks/."""
from __future__ import annotations

import json
from functools import cache
from typing import Any

import pandas as pd

from pipeline.core.sheets import to_xlsx
from pipeline.member import RESPONSES, SHEET_COLUMNS
from pipeline.render.documents import to_docx, to_markdown, with_label
from pipeline.render.params import DocumentParams
from pipeline.study.demo import demonstration_label, study_name

SHEET_HELP = ("response: agree, disagree, revise (themes and interpretations; write the "
              "revised text) or withdraw (a quote, only by the person quoted); respondent: "
              "who answers (your citation ID, e.g. O3_Teacher#1_5.10, or a name).")


@cache
def _template():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("pipeline.render", "templates"),
                      autoescape=select_autoescape(["html"]), keep_trailing_newline=True)
    return env.get_template("document.html")


def to_html(blocks: pd.DataFrame, title: str) -> bytes:
    """A standalone HTML page (no external resources); every text is escaped."""
    rows = []
    for b in blocks.sort_values("order").to_dict("records"):
        b["level"] = min(max(int(b["level"]), 1), 6)
        b["rows"] = json.loads(b["text"]) if b["kind"] == "table" else []
        rows.append(b)
    return _template().render(title=title, blocks=rows).encode("utf-8")


def sheet(items: pd.DataFrame) -> pd.DataFrame:
    """The blank response sheet: one row per item, answer columns empty."""
    out = items.assign(response="", comment="", revised_text="", respondent="")
    return out[SHEET_COLUMNS].reset_index(drop=True)


def sheet_csv(table: pd.DataFrame) -> bytes:
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def sheet_xlsx(table: pd.DataFrame) -> bytes:
    """One sheet with the exact column names (they are read back), a drop-down of responses,
    and the instructions in a second sheet."""
    return to_xlsx(table, "responses", "response", RESPONSES,
                   {"text": 80, "theme": 30, "comment": 40, "revised_text": 50,
                    "respondent": 24, "item_id": 14}, wrap=("text",), notes=SHEET_HELP)


def run(packet_blocks: pd.DataFrame, packet_items: pd.DataFrame, corpus: Any,
        codings: pd.DataFrame, *, params: DocumentParams
        ) -> tuple[dict[str, dict[str, bytes]], list]:
    """member_check/<site>/packet.md, .docx, .html, sheet.xlsx and sheet.csv; a packet of
    demonstration data says so under its title."""
    label = demonstration_label(study_name(corpus), codings, params.demonstration)
    files: dict[str, bytes] = {}
    for site, part in packet_blocks.groupby("doc", sort=False):
        part = with_label(part, label)
        base = f"member_check/{site}/"
        title = f"Member check: site {site}"
        files[base + "packet.md"] = to_markdown(part).encode("utf-8")
        files[base + "packet.docx"] = to_docx(part, {}, params.author)
        files[base + "packet.html"] = to_html(part, title)
        table = sheet(packet_items[packet_items["site"] == site].sort_values("order"))
        files[base + "sheet.csv"] = sheet_csv(table)
        files[base + "sheet.xlsx"] = sheet_xlsx(table)
    return {"packet_documents": files}, []
