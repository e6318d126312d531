"""Parameters of the checks stage ([checks])."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field

from pipeline.core.config import params


@params
class CheckParams:
    """[checks]: the member-check audit and report."""
    max_changes: Annotated[int, Field(ge=0, le=100_000, description=(
        "Changes listed with their before and after per site and round in the report "
        "(all are in member_check_audit.parquet)."))] = 50
