"""represent: segment vectors for comparison, built once per change of segments or parameters.

The default is LSA: TF-IDF over content lemmas, reduced with TruncatedSVD and L2-normalised, so
a dot product is a cosine. Plain TF-IDF, and static sentence embeddings (WordLlama) of the
verbatim text, plug in through `REPRESENTATIONS`; each says which segment column it reads. The
comparison algorithm only sees unit vectors.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
import pandas as pd
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

from pipeline.nlp.embeddings import embed
from pipeline.nlp.tfidf import fit_lemmas
from pipeline.nlp.vectors import vectors_frame
from pipeline.stages.represent.params import RepresentParams


class Representation(Protocol):
    name: str
    column: str  # the segments column it reads: "lemmas" or "text"

    def fit_transform(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised row per text."""


class LsaRepresentation:
    name = "lsa"
    column = "lemmas"

    def __init__(self, params: RepresentParams):
        self.params = params

    def fit_transform(self, texts: Sequence[str]) -> np.ndarray:
        p = self.params
        n = len(texts)
        _, X = fit_lemmas(texts, p.min_df, p.max_df if n > 20 else 1.0, (1, 1))
        if X is None:
            return np.zeros((n, 1), dtype=np.float32)
        k = min(p.n_components, X.shape[1] - 1, n - 1)
        if k < 2:  # too little text to reduce; plain TF-IDF is the best we can do
            return normalize(X.toarray()).astype(np.float32)
        # ARPACK converges to the same subspace whatever the seed (signs are fixed by
        # scikit-learn), so categories do not depend on the seed; randomized SVD's do.
        svd = TruncatedSVD(n_components=k, random_state=p.seed, algorithm="arpack")
        Z = svd.fit_transform(X)
        # Directions with a zero singular value (a rank-deficient matrix, e.g. a tiny corpus)
        # carry rounding noise (~1e-18) whose sign varies between runs; zeroed, a run
        # equals the next one.
        values = svd.singular_values_
        Z[:, values <= 1e-9 * max(values.max(), 1e-30)] = 0.0
        return _flush(normalize(Z))


def _flush(Z: np.ndarray) -> np.ndarray:
    """Float32 rows with rounding noise (|x| < 1e-7, e.g. 2e-16 against 0 from one ARPACK
    call to the next in one process) set to zero, so equal input gives equal bytes."""
    Z[np.abs(Z) < 1e-7] = 0.0
    return Z.astype(np.float32)


class TfidfRepresentation(LsaRepresentation):
    """TF-IDF without reduction: a baseline, and the fallback for tiny corpora."""
    name = "tfidf"

    def fit_transform(self, texts: Sequence[str]) -> np.ndarray:
        _, X = fit_lemmas(texts, self.params.min_df, 1.0, (1, 1))
        if X is None:
            return np.zeros((len(texts), 1), dtype=np.float32)
        return normalize(X.toarray()).astype(np.float32)


class EmbeddingRepresentation:
    """Static sentence embeddings (WordLlama, 256 dimensions) of the verbatim text, not the
    lemmas: the model has its own tokenizer, and stop words and inflections carry meaning to
    it. Nothing is fitted, so a segment's vector does not depend on the other segments."""
    name = "embeddings"
    column = "text"

    def __init__(self, params: RepresentParams):
        self.params = params

    def fit_transform(self, texts: Sequence[str]) -> np.ndarray:
        return embed(list(texts))  # unit rows; an empty text gets a zero row


REPRESENTATIONS: dict[str, Callable[[RepresentParams], Representation]] = {
    "lsa": LsaRepresentation,
    "tfidf": TfidfRepresentation,
    "embeddings": EmbeddingRepresentation,
}


def make_representation(params: RepresentParams) -> Representation:
    try:
        return REPRESENTATIONS[params.method](params)
    except KeyError:
        raise ValueError(f"[represent] method {params.method!r} is unknown; choose one of "
                         f"{', '.join(REPRESENTATIONS)}") from None


def run(segments: pd.DataFrame, *, params: RepresentParams
        ) -> tuple[dict[str, pd.DataFrame], list]:
    rep = make_representation(params)
    matrix = rep.fit_transform(segments[rep.column].tolist()) if len(segments) else \
        np.zeros((0, 0), dtype=np.float32)
    return {"segment_vectors": vectors_frame(segments["segment_id"], matrix)}, []
