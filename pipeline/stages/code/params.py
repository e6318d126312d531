"""Parameters of the code stage ([code])."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from pipeline.core.config import params


@params
class CodeParams:
    """[code]: apply the codebook (keywords, similarity, human codings, model)."""
    suggest: Annotated[bool, Field(description=(
        "Make machine suggestions at all (keywords, similarity, model). Off: the analysis "
        "rests on human codings alone, with nothing to review."))] = True
    pattern_min_terms: Annotated[int, Field(ge=1, le=100, description=(
        "auto:pattern: a code needs this many distinct keyword or pattern matches in a "
        "segment (each exclusion keyword that also matches cancels one)."))] = 1
    similarity_threshold: Annotated[float, Field(ge=0.0, le=1.0, description=(
        "auto:similarity: cosine to the code's description, minus exclude_weight times the "
        "cosine to its do-not-use-when text, must reach this (1.0 turns it off)."))] = 0.15
    similarity_max_codes: Annotated[int, Field(ge=0, le=100, description=(
        "auto:similarity: at most this many codes per segment."))] = 1
    features: Annotated[Literal["tfidf", "embeddings"], Field(description=(
        'What similarity and the model see: "tfidf" (TF-IDF of content lemmas) or '
        '"embeddings" (static sentence embeddings, WordLlama; work for codes that have '
        'only a name).'))] = "tfidf"
    embedding_threshold: Annotated[float, Field(ge=-1.0, le=1.0, description=(
        "auto:similarity with embeddings: cosine to the code's description at or above "
        "this (embedding cosines run higher than TF-IDF ones)."))] = 0.25
    exclude_weight: Annotated[float, Field(ge=0.0, le=10.0, description=(
        "Weight of the similarity to a code's do-not-use-when text."))] = 0.0
    min_df: Annotated[int, Field(ge=1, description=(
        "A term must occur in this many segments to count for similarity and the model."))] = 2
    span_min_overlap: Annotated[float, Field(gt=0.0, le=1.0, description=(
        "A human span codes the segments it overlaps by at least this share of the shorter "
        "of the two."))] = 0.5
    model_min_examples: Annotated[int, Field(ge=1, description=(
        "auto:model is trained for codes with at least this many positive and negative "
        "examples among the segments researchers read."))] = 8
    model_precision: Annotated[float, Field(gt=0.0, le=1.0, description=(
        "auto:model: per code, the lowest probability threshold whose precision, "
        "cross-validated by interview, reaches this; a code that cannot reach it proposes "
        "nothing."))] = 0.8
    model_c: Annotated[float, Field(gt=0.0, description=(
        "Inverse regularisation strength of the logistic regression."))] = 10.0
    model_folds: Annotated[int, Field(ge=2, le=100, description=(
        "Cross-validation folds (by interview) for the model's measured agreement."))] = 5
    seed: Annotated[int, Field(ge=0, description=(
        "Random seed of the model and of the bootstrap intervals."))] = 0
    min_words: Annotated[int, Field(ge=1, le=1000, description=(
        "Segments with fewer words (backchannels such as \"Yeah.\" or \"Bye.\") get no "
        "suggestions."))] = 5
    lang: Annotated[str, Field(min_length=2, description=(
        "Language of the spaCy pipeline that matches keywords."))] = "en"
