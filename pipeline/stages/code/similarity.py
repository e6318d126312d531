"""Similarity of segments to each code's description (definition, use-when, examples, keywords)
in a TF-IDF space of lemmas; the code's do-not-use-when text counts against it."""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from spacy.language import Language

from pipeline.codebook.model import Codebook
from pipeline.nlp.pipelines import content_lemmas
from pipeline.nlp.tfidf import LemmaTfidf, fit_lemmas


def make_vectorizer(min_df: int = 2) -> LemmaTfidf:
    return LemmaTfidf(min_df)


def lemmatise(texts: list[str], nlp: Language) -> list[str]:
    lookup = nlp.get_pipe("lemmatizer").lookup
    return [content_lemmas(doc, lookup)
            for doc in nlp.pipe(texts, disable=["sentencizer", "lemmatizer"])]


def code_profiles(book: Codebook, nlp: Language) -> tuple[list[str], list[str], list[str]]:
    """(code ids, lemmatised description, lemmatised exclusion text) for codable codes."""
    codes = book.codable
    include = lemmatise([c.profile() for c in codes], nlp)
    exclude = lemmatise([" ".join([c.exclude, *c.exclude_keywords]) for c in codes], nlp)
    return [c.id for c in codes], include, exclude


def score_matrix(seg_matrix: sparse.csr_matrix, vectorizer: LemmaTfidf, include: list[str],
                 exclude: list[str], exclude_weight: float) -> np.ndarray:
    """segments x codes: cosine(segment, description) - weight * cosine(segment, exclusion)."""
    inc = vectorizer.transform(include)
    exc = vectorizer.transform(exclude)
    scores = (seg_matrix @ inc.T).toarray()
    if exclude_weight:
        scores -= exclude_weight * (seg_matrix @ exc.T).toarray()
    return scores


def evidence(seg_matrix: sparse.csr_matrix, vectorizer: LemmaTfidf, include: list[str],
             pairs: list[tuple[int, int]], top: int = 3) -> list[str]:
    """For each (segment row, code column): the shared terms that weigh most in the score."""
    inc = vectorizer.transform(include).tocsr()
    names = vectorizer.get_feature_names_out()
    out = []
    for i, j in pairs:
        cols, contrib = shared_terms(seg_matrix, i, inc, j)
        order = np.argsort(-contrib)[:top]
        out.append("; ".join(names[cols[k]] for k in order))
    return out


def shared_terms(a: sparse.csr_matrix, i: int, b: sparse.csr_matrix, j: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """The columns where rows a[i] and b[j] are both non-zero and the products there, in
    the order a[i].multiply(b[j]) stores them (which decides ties in the evidence), without
    building two sparse rows per pair. Rows hold no duplicate columns. scipy stores them in
    column order when both rows are sorted, else in the reverse of their order in a[i]
    (the fitted matrix's columns are sorted by name after counting, so its rows are not)."""
    cols_a, data_a = _row(a, i)
    cols_b, data_b = _row(b, j)
    if not len(cols_a) or not len(cols_b):
        return cols_a[:0], data_a[:0]
    sorter = np.argsort(cols_b)
    at = sorter[np.minimum(np.searchsorted(cols_b, cols_a, sorter=sorter), len(cols_b) - 1)]
    hit = cols_b[at] == cols_a
    cols, products = cols_a[hit], data_a[hit] * data_b[at[hit]]
    if not (_increasing(cols_a) and _increasing(cols_b)):
        cols, products = cols[::-1], products[::-1]
    nonzero = products != 0   # as scipy drops them
    return cols[nonzero], products[nonzero]


def _increasing(cols: np.ndarray) -> bool:
    return bool(np.all(cols[1:] > cols[:-1]))


def _row(m: sparse.csr_matrix, i: int) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = m.indptr[i], m.indptr[i + 1]
    return m.indices[lo:hi], m.data[lo:hi]


def top_codes(scores: np.ndarray, threshold: float, max_codes: int) -> list[tuple[int, int]]:
    """(segment row, code column) pairs at or above threshold, best `max_codes` per segment."""
    pairs = []
    order = np.argsort(-scores, axis=1, kind="stable")[:, :max_codes]
    for i, cols in enumerate(order):
        pairs += [(i, int(j)) for j in cols if scores[i, j] >= threshold]
    return pairs



class SimilarityCoder:
    """Similarity of segments to each code's description, fitted once on every segment and
    scored at any exclusion weight and threshold. The code stage and the tuning sweep share
    it, so the setting that is tuned is the setting that runs.

    Features: "tfidf" (TF-IDF of content lemmas; the shared terms are the evidence) or
    "embeddings" (static sentence embeddings of the text, which also work for a codebook
    that gives codes nothing but a name). The model learns from the same features.
    """

    def __init__(self, book: Codebook, nlp: Language, min_df: int, features: str = "tfidf"):
        self.book = book
        self.nlp = nlp
        self.min_df = min_df
        self.features = features

    def fit(self, lemmas: list[str], texts: list[str] | None = None) -> SimilarityCoder:
        self.ids_, self.include_, self.exclude_ = code_profiles(self.book, self.nlp)
        if self.features == "embeddings":
            from pipeline.nlp.embeddings import embed

            codes = self.book.codable
            self.matrix_ = embed(texts if texts is not None else lemmas)
            self.vectorizer_ = None
            self.code_vectors_ = embed([c.profile() for c in codes])
            self.exclude_vectors_ = embed([" ".join([c.exclude, *c.exclude_keywords])
                                           for c in codes])
            return self
        self.vectorizer_, self.matrix_ = fit_lemmas(lemmas, self.min_df)
        return self

    @property
    def usable(self) -> bool:
        """False when the segments have no words in common or the codebook has no codes."""
        return self.matrix_ is not None and bool(self.ids_)

    def scores(self, rows: np.ndarray | None = None, exclude_weight: float = 0.0
               ) -> np.ndarray:
        """(segments x codes) for the fitted segments at `rows` (all when None)."""
        X = self.matrix_ if rows is None else self.matrix_[rows]
        if self.features == "embeddings":
            scores = X @ self.code_vectors_.T
            if exclude_weight:
                empty = ~self.exclude_vectors_.any(axis=1)   # no do-not-use-when text
                scores = scores - exclude_weight * np.where(empty, 0.0,
                                                            X @ self.exclude_vectors_.T)
            return scores
        return score_matrix(X, self.vectorizer_, self.include_, self.exclude_, exclude_weight)

    def codings(self, segment_ids: np.ndarray, scores: np.ndarray, threshold: float,
                max_codes: int, rows: np.ndarray | None = None, evidence_terms: bool = True
                ) -> pd.DataFrame:
        """One row per (segment, code) at or above `threshold`, best `max_codes` a segment."""
        pairs = top_codes(scores, threshold, max_codes)
        X = self.matrix_ if rows is None else self.matrix_[rows]
        terms = evidence_terms and self.features == "tfidf"
        return pd.DataFrame({
            "segment_id": [segment_ids[i] for i, _ in pairs],
            "code_id": [self.ids_[j] for _, j in pairs],
            "score": [round(float(scores[i, j]), 4) for i, j in pairs],
            "evidence": (evidence(X, self.vectorizer_, self.include_, pairs)
                         if terms else [""] * len(pairs)),
        }, columns=["segment_id", "code_id", "score", "evidence"])
