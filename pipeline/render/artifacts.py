"""Files drawn from the tables after a run (figures, case documents), redrawn only when the
tables they come from changed."""
from __future__ import annotations

from pathlib import Path

from pipeline.core.catalog import Catalog
from pipeline.render.documents import to_docx, to_markdown
from pipeline.render.figures import heatmap_figure, saturation_figure


def _site_order(catalog: Catalog) -> list[str]:
    return catalog.load("sites")["site"].tolist()


def _heatmap(catalog: Catalog):
    return heatmap_figure(catalog.load("theme_matrix"), catalog.load("themes"),
                          _site_order(catalog))


FIGURES = {
    "saturation": (("saturation",), lambda c: saturation_figure(c.load("saturation"))),
    "site_theme_heatmap": (("theme_matrix", "themes", "sites"), _heatmap),
}


def _meta(catalog: Catalog, tables: tuple[str, ...]) -> dict | None:
    provs = {t: catalog.provenance(t) for t in tables}
    if any(p is None for p in provs.values()):
        return None
    return {"tables": {t: p["data_hash"] for t, p in provs.items()}}


def write_figures(catalog: Catalog) -> list[Path]:
    written: list[Path] = []
    for name, (tables, draw) in FIGURES.items():
        meta = _meta(catalog, tables)
        if meta is None:
            continue
        if catalog.figure_meta(name) == meta and (catalog.outputs / "figures" /
                                                  f"{name}.png").is_file():
            continue
        written += catalog.save_figure(name, draw(catalog), meta)
    return written


def write_documents(catalog: Catalog) -> list[Path]:
    """outputs/cases/<site>.md and .docx, and outputs/cross_case.md and .docx."""
    meta = _meta(catalog, ("case_blocks",))
    if meta is None or catalog.figure_meta("documents") == meta:
        return []
    blocks = catalog.load("case_blocks")
    written = []
    for doc, part in blocks.groupby("doc", sort=False):
        folder = catalog.outputs if doc == "cross_case" else catalog.outputs / "cases"
        written.append(catalog.write_text(folder / f"{doc}.md", to_markdown(part)))
        written.append(catalog.write_bytes(folder / f"{doc}.docx", to_docx(part, folder)))
    catalog.write_json("figures/documents.json", meta)
    return written
