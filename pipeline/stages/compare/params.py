"""Parameters of the compare stage ([compare])."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field

from pipeline.core.config import params


@params
class CompareParams:
    """[compare]: constant comparison within and across sites."""
    join_threshold: Annotated[float, Field(ge=0.0, le=1.0, description=(
        "An incident joins the most similar category if its cosine to the centroid is at "
        "least this; otherwise it opens a new category."))] = 0.5
    merge_threshold: Annotated[float, Field(ge=0.0, le=1.0, description=(
        "Site categories whose centroids have at least this cosine are merged across "
        "sites."))] = 0.5
    max_passes: Annotated[int, Field(ge=0, le=1000, description=(
        "Most reassignment passes after the first reading."))] = 20
    min_participants: Annotated[int, Field(ge=1, description=(
        "Categories voiced by fewer participants are marked minor (kept, not "
        "deleted)."))] = 2
    min_content_words: Annotated[int, Field(ge=0, le=100, description=(
        "Segments with fewer content words (backchannels such as 'Yeah.', 'Thank you.') "
        "and segments of transcription markers only are left out of comparison; they "
        "stay in the tables, flagged."))] = 3
    label_segments: Annotated[int, Field(ge=1, le=100, description=(
        "Segments nearest each cross-site category's centroid whose noun phrases make "
        "its label (parsed with the trained English model, cached)."))] = 6
    n_terms: Annotated[int, Field(ge=1, le=100, description=(
        "Distinctive terms kept per category."))] = 10
    n_quotes: Annotated[int, Field(ge=1, le=100, description=(
        "Representative quotes per category memo."))] = 4
    n_codes: Annotated[int, Field(ge=0, le=100, description=(
        "Overlapping codebook codes named per category memo."))] = 3
