"""Figures drawn from the tables after a run, redrawn only when their table changed."""
from __future__ import annotations

from pathlib import Path

from pipeline.catalog import Catalog
from pipeline.figures import saturation_figure

FIGURES = {"saturation": ("saturation", saturation_figure)}


def write_figures(catalog: Catalog) -> list[Path]:
    written: list[Path] = []
    for name, (table, draw) in FIGURES.items():
        prov = catalog.provenance(table)
        if prov is None:
            continue
        meta = {"table": table, "data_hash": prov["data_hash"]}
        if catalog.figure_meta(name) == meta and (catalog.outputs / "figures" /
                                                  f"{name}.png").is_file():
            continue
        written += catalog.save_figure(name, draw(catalog.load(table)), meta)
    return written
