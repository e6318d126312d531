"""Parameters of the segment stage ([segment])."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field

from pipeline.core.config import params


@params
class SegmentParams:
    """[segment]: split participant turns into segments of whole sentences."""
    max_words: Annotated[int, Field(ge=1, le=10_000, description=(
        "A participant turn of up to max_words words is one segment; a longer turn is split "
        "into windows of whole sentences of about equal size."))] = 120
    lang: Annotated[str, Field(min_length=2, description=(
        "Language of the spaCy tokenizer, sentencizer and lookup lemmatizer."))] = "en"
    batch_size: Annotated[int, Field(ge=1, le=100_000, description=(
        "Turns per spaCy batch (speed only; results do not depend on it)."))] = 64
