"""Parameters of the themes stage ([themes])."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field

from pipeline.core.config import params


@params
class ThemeParams:
    """[themes]: themes from codes and categories; salience per site and role."""
    include_suggestions: Annotated[bool, Field(description=(
        "Count machine suggestions that nobody confirmed as evidence too. Off by default: "
        "findings rest on confirmed codings; when on, every count says how much of it is "
        "machine-made."))] = False
    category_statuses: Annotated[tuple[str, ...], Field(description=(
        "Emerging cross-site categories with these statuses become themes (a decision "
        "in codebooks/decisions.yml accepts or promotes a category)."))] = (
        "accepted", "promoted")
    include_proposed: Annotated[bool, Field(description=(
        "Also make themes of proposed categories nobody has decided on yet (minor ones "
        "excepted); every output then marks them '(proposed)'."))] = False
