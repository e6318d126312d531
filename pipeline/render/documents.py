"""Render case-summary blocks as Markdown and as DOCX (python-docx)."""
from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pandas as pd
from docx.shared import Inches


def quote_lines(text: str, locator: str) -> list[str]:
    """A verbatim quote as Markdown blockquote lines, cited as (O1_Principal#1_5.14 ¶12)."""
    lines = f"“{text}” ({locator})".split("\n")
    return [f"> {line}" if line else ">" for line in lines]


def to_markdown(blocks: pd.DataFrame) -> str:
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
            out += [f"![{b.text}]({b.locator})", ""]
        elif b.kind == "table":
            rows = json.loads(b.text)
            cells = [[c.replace("|", "/") for c in r] for r in rows]  # a pipe ends a cell
            out += ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * len(rows[0])]
            out += ["| " + " | ".join(r) + " |" for r in cells[1:]]
            out += [""]
    text = "\n".join(out)
    return text.replace("\n\n\n", "\n\n").rstrip() + "\n"


def to_docx(blocks: pd.DataFrame, base: Path) -> bytes:
    """The same document for word processors; images are resolved against `base`."""
    document = docx.Document()
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
            picture = (base / b.locator).resolve()
            if picture.is_file():
                document.add_picture(str(picture), width=Inches(6))
            document.add_paragraph(b.text, style="Caption")
        elif b.kind == "table":
            _table(document, json.loads(b.text))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            table.cell(i, j).text = cell
            if i == 0:
                for run in table.cell(i, j).paragraphs[0].runs:
                    run.bold = True
