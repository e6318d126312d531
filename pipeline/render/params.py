"""Parameters of the render stages ([figures], [documents], [report])."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from pipeline.core.config import params

# Every render stage labels demonstration data the same way (pipeline/study/demo.py).
Demonstration = Annotated[Literal["auto", "yes", "no"], Field(description=(
    "Label every page, figure and document as demonstration data. auto: when the study "
    "name says the interviews are fictional (or demonstration, synthetic) or the confirmed "
    "codings are demonstration codings (coders named demo-...)."))]


@params
class FigureParams:
    """[figures]: the site x theme heatmap and the saturation curve."""
    heatmap_themes: Annotated[int, Field(ge=1, le=1000, description=(
        "Themes shown in the heatmap: the most widely voiced."))] = 25
    dpi: Annotated[int, Field(ge=50, le=1200, description="Resolution of the PNG files.")] = 150
    demonstration: Demonstration = "auto"


@params
class DocumentParams:
    """[documents]: case summaries as Markdown and DOCX."""
    author: Annotated[str, Field(description=(
        "Author recorded in the DOCX properties."))] = "qda pipeline"
    demonstration: Demonstration = "auto"


@params
class ReportParams:
    """[report]: the browsable HTML report in outputs/report/."""
    demonstration: Demonstration = "auto"
    max_suggestions: Annotated[int, Field(ge=0, le=1_000_000, description=(
        "Machine suggestions listed on the suggestions page, in review order (the page "
        "says how many more there are)."))] = 1000
