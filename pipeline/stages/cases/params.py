"""Parameters of the cases stage ([cases])."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field

from pipeline.core.config import params


@params
class CaseParams:
    """[cases]: case summaries per site and across sites, quote balance."""
    max_code_themes: Annotated[int, Field(ge=0, le=1000, description=(
        "Codebook themes shown per site, most widely voiced first."))] = 6
    max_category_themes: Annotated[int, Field(ge=0, le=1000, description=(
        "Emerging categories shown per site."))] = 3
    min_share: Annotated[float, Field(ge=0.0, le=1.0, description=(
        "A theme is shown for a site when at least this share of its participants voiced "
        "it."))] = 0.5
    quotes_per_theme: Annotated[int, Field(ge=0, le=100, description=(
        "Supporting quotes per theme, from different people."))] = 3
    quote_max_words: Annotated[int, Field(ge=5, le=10_000, description=(
        "Longest quote, in words (whole sentences around the matched ones)."))] = 60
    discrepant_per_theme: Annotated[int, Field(ge=0, le=100, description=(
        "Discrepant or qualifying quotes per theme."))] = 1
    tension_family: Annotated[str, Field(description=(
        "Code families whose label contains this count as tensions (discrepant "
        "evidence)."))] = "tension"
    over_representation: Annotated[float, Field(gt=0.0, description=(
        "A site or role is over-represented when its share of quotes exceeds this many "
        "times its share of participants."))] = 1.5
