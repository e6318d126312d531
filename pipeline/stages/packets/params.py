"""Parameters of the packets stage ([packets])."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field

from pipeline.core.config import params


@params
class PacketParams:
    """[packets]: member-check packets per site (confirmed findings only, redacted)."""
    max_themes: Annotated[int, Field(ge=1, le=1000, description=(
        "Themes per packet, in the order of the site's case summary."))] = 12
    quotes_per_theme: Annotated[int, Field(ge=0, le=100, description=(
        "Quotes per theme: the case summary's supporting quotes, then its discrepant "
        "ones."))] = 4
    category_statuses: Annotated[tuple[str, ...], Field(description=(
        "Emerging categories go into a packet only with one of these statuses (decided by "
        "the team)."))] = ("accepted", "promoted")
    tension_family: Annotated[str, Field(description=(
        "Themes of code families whose label contains this are tensions: their "
        "statements count as critical in the criticality-drift report."))] = "tension"
    ner: Annotated[bool, Field(description=(
        "Also redact what the trained English model recognises as people, places and "
        "organisations (besides the redaction list, header names and patterns)."))] = True
