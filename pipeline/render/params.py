"""Parameters of the render stages ([figures], [documents])."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field

from pipeline.core.config import params


@params
class FigureParams:
    """[figures]: the site x theme heatmap and the saturation curve."""
    heatmap_themes: Annotated[int, Field(ge=1, le=1000, description=(
        "Themes shown in the heatmap: the most widely voiced."))] = 25
    dpi: Annotated[int, Field(ge=50, le=1200, description="Resolution of the PNG files.")] = 150


@params
class DocumentParams:
    """[documents]: case summaries as Markdown and DOCX."""
    author: Annotated[str, Field(description=(
        "Author recorded in the DOCX properties."))] = "qda pipeline"
