"""Parameters of the ingest stage ([ingest])."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field

from pipeline.core.config import params


@params
class IngestParams:
    """[ingest]: parse and check transcripts, speakers and study metadata."""
    max_label_words: Annotated[int, Field(ge=1, le=12, description=(
        'Longest speaker label, in words ("Dr. Anne-Marie Lavoie" is 3).'))] = 5
