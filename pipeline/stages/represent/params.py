"""Parameters of the represent stage ([represent])."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from pipeline.core.config import params


@params
class RepresentParams:
    """[represent]: segment vectors for constant comparison."""
    method: Annotated[Literal["lsa", "tfidf", "embeddings"], Field(description=(
        'Segment vectors: "lsa" (TF-IDF of lemmas reduced by TruncatedSVD), "tfidf" (TF-IDF '
        'of lemmas), or "embeddings" (static WordLlama sentence embeddings of the verbatim '
        "text; needs the embeddings extra; ignores the other settings here)."))] = "lsa"
    n_components: Annotated[int, Field(ge=2, le=1000, description=(
        "Dimensions kept by LSA."))] = 30
    min_df: Annotated[int, Field(ge=1, description=(
        "A term must occur in this many segments (lsa, tfidf)."))] = 2
    max_df: Annotated[float, Field(gt=0.0, le=1.0, description=(
        "Terms in more than this share of segments are left out (lsa, corpora over 20 "
        "segments)."))] = 0.5
    seed: Annotated[int, Field(ge=0, description="Random seed of the SVD (lsa).")] = 0
