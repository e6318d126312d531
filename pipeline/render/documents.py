"""The documents render stage: case-summary blocks as Markdown and as DOCX (python-docx).

Image blocks name a figure (``site_theme_heatmap``); the figures stage's files provide it: a
relative link in Markdown, the embedded PNG in DOCX."""
from __future__ import annotations

import io
import json
import posixpath
from collections.abc import Mapping

import docx
import pandas as pd
from docx.shared import Inches

from pipeline.core.files import fix_office_dates
from pipeline.render.params import DocumentParams


def quote_lines(text: str, locator: str) -> list[str]:
    """A verbatim quote as Markdown blockquote lines, cited as (O1_Principal#1_5.14 ¶12)."""
    lines = f"“{text}” ({locator})".split("\n")
    return [f"> {line}" if line else ">" for line in lines]


def to_markdown(blocks: pd.DataFrame, links: Mapping[str, str] | None = None) -> str:
    """Markdown; `links` maps a figure's name to the path the document links to."""
    links = links or {}
    out: list[str] = []
    for b in blocks.sort_values("order").itertuples(index=False):
        if out and out[-1].startswith("- ") and b.kind != "bullet":
            out.append("")  # a list ends before the next block
        if b.kind == "heading":
            out += ["#" * int(b.level) + " " + b.text, ""]
        elif b.kind == "paragraph":
            out += [b.text, ""]
        elif b.kind == "bullet":
            out += [f"- {b.text}"]
        elif b.kind == "quote":
            note = getattr(b, "note", "")
            out += quote_lines(b.text, b.locator) + ([f"<sub>{note}</sub>"] if note else [])
            out += [""]
        elif b.kind == "image":
            out += [f"![{b.text}]({links.get(b.locator, b.locator)})", ""]
        elif b.kind == "table":
            rows = json.loads(b.text)
            cells = [[c.replace("|", "/") for c in r] for r in rows]  # a pipe ends a cell
            out += ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * len(rows[0])]
            out += ["| " + " | ".join(r) + " |" for r in cells[1:]]
            out += [""]
    text = "\n".join(out)
    return text.replace("\n\n\n", "\n\n").rstrip() + "\n"


def to_docx(blocks: pd.DataFrame, images: Mapping[str, bytes] | None = None,
            author: str = "qda pipeline") -> bytes:
    """The same document for word processors; `images` maps a figure's name to its PNG.
    Equal blocks give equal bytes (fixed zip and property dates)."""
    images = images or {}
    document = docx.Document()
    document.core_properties.author = author
    document.core_properties.last_modified_by = author
    for b in blocks.sort_values("order").itertuples(index=False):
        if b.kind == "heading":
            document.add_heading(b.text, level=min(int(b.level), 4))
        elif b.kind == "paragraph":
            document.add_paragraph(b.text)
        elif b.kind == "bullet":
            document.add_paragraph(b.text, style="List Bullet")
        elif b.kind == "quote":
            para = document.add_paragraph(style="Quote")
            para.add_run(f"“{b.text}”")
            para.add_run(f" ({b.locator})").bold = True
            if getattr(b, "note", ""):
                document.add_paragraph(b.note, style="Caption")
        elif b.kind == "image":
            if b.locator in images:
                document.add_picture(io.BytesIO(images[b.locator]), width=Inches(6))
            document.add_paragraph(b.text, style="Caption")
        elif b.kind == "table":
            _table(document, json.loads(b.text))
    buffer = io.BytesIO()
    document.save(buffer)
    return fix_office_dates(buffer.getvalue())


def _table(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            table.cell(i, j).text = cell
            if i == 0:
                for run in table.cell(i, j).paragraphs[0].runs:
                    run.bold = True


TOP_LEVEL = ("cross_case", "suggestions")   # the other documents are per site, in cases/


def run(case_blocks: pd.DataFrame, case_blocks_pre: pd.DataFrame, figures: Mapping[str, bytes],
        *, params: DocumentParams) -> tuple[dict[str, dict[str, bytes]], list]:
    """cases/<site>.md and .docx for each site; cross_case and suggestions at the top; the
    case summaries as they were before member checking in cases/pre_member_check/."""
    pngs = {posixpath.splitext(posixpath.basename(p))[0]: data
            for p, data in figures.items() if p.endswith(".png")}
    files: dict[str, bytes] = {}
    for doc, part in case_blocks.groupby("doc", sort=False):
        folder = "" if doc in TOP_LEVEL else "cases"
        links = {name: posixpath.relpath(f"figures/{name}.png", folder or ".")
                 for name in pngs}
        base = posixpath.join(folder, str(doc))
        files[f"{base}.md"] = to_markdown(part, links).encode("utf-8")
        files[f"{base}.docx"] = to_docx(part, pngs, params.author)
    for doc, part in case_blocks_pre.groupby("doc", sort=False):
        base = f"cases/pre_member_check/{doc}"
        links = {name: posixpath.relpath(f"figures/{name}.png", "cases/pre_member_check")
                 for name in pngs}
        files[f"{base}.md"] = to_markdown(part, links).encode("utf-8")
        files[f"{base}.docx"] = to_docx(part, pngs, params.author)
    return {"case_documents": files}, []
