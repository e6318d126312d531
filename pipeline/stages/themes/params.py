"""Parameters of the themes stage ([themes])."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field

from pipeline.core.config import params


@params
class ThemeParams:
    """[themes]: themes from codes and categories; salience per site and role."""
    code_sources: Annotated[tuple[str, ...], Field(description=(
        'Codings that count as voicing a code ("human" = any human coder).'))] = (
        "human", "auto:pattern", "auto:similarity", "auto:model")
    category_statuses: Annotated[tuple[str, ...], Field(description=(
        "Emerging cross-site categories with these statuses become themes."))] = (
        "accepted", "promoted")
