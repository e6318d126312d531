"""A BERTopic-style baseline: the standard topic-model recipe, to measure our clustering against.
It is a measuring tool, not part of the analysis, and needs the `bench` extra (umap-learn).

The steps and their defaults follow BERTopic (v0.17.4, ``bertopic/_bertopic.py``):

1. sentence embeddings: BERTopic's default is sentence-transformers' all-MiniLM-L6-v2; here
   our static WordLlama vectors (`pipeline.nlp.embeddings.embed`), so nothing is downloaded;
2. UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", low_memory=False);
   BERTopic sets no seed, we pass `random_state=seed` (which makes UMAP single-threaded);
3. HDBSCAN(min_cluster_size=min_topic_size=10, metric="euclidean",
   cluster_selection_method="eom"): BERTopic's fallback when the hdbscan package is absent is
   scikit-learn's HDBSCAN with these settings, which is the one used here;
4. c-TF-IDF (ClassTfidfTransformer(bm25_weighting=False, reduce_frequent_words=False)) over a
   CountVectorizer of unigrams (n_gram_range=(1, 1)), top_n_words=10; the outliers (-1) are a
   class of their own in the idf, as in BERTopic, and keep their label (nr_topics=None, no
   outlier reduction).

The c-TF-IDF is written out here rather than taken from the compare stage's `class_tfidf`:
analysis may only use a stage's package (which does not export it), and that one keeps the
mean class size fractional (and counts two-word terms by default), where BERTopic truncates
the mean to an integer and counts single words.
"""
from __future__ import annotations

import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import util

import numpy as np
from scipy import sparse
from sklearn.cluster import HDBSCAN
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from pipeline.nlp.embeddings import embed

TOP_N_WORDS = 10
STEPS = ("embed", "umap", "hdbscan", "ctfidf", "total")
INSTALL = "pip install 'qda-pipeline[bench]'"


# eq=False: the generated __eq__ would compare the label arrays with ==, which is ambiguous.
@dataclass(frozen=True, eq=False)
class TopicResult:
    labels: np.ndarray             # one topic per text; -1 = HDBSCAN outlier
    n_topics: int                  # topics 0 .. n_topics - 1 (outliers not counted)
    topic_terms: list[list[str]]   # top c-TF-IDF lemmas of each topic, best first
    seconds: dict[str, float]      # embed, umap, hdbscan, ctfidf, total
    reason: str = ""               # why nothing was clustered, when nothing was


def available() -> bool:
    """Whether umap-learn is installed (only the `bench` extra brings it)."""
    return util.find_spec("umap") is not None


def _umap_class() -> type:
    with warnings.catch_warnings():
        # umap warns on import that TensorFlow (for ParametricUMAP, unused here) is absent.
        warnings.simplefilter("ignore", ImportWarning)
        from umap import UMAP
    return UMAP


@contextmanager
def _timed(seconds: dict[str, float], step: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds[step] += time.perf_counter() - start


def bertopic_style(texts: Sequence[str], lemmas: Sequence[str], seed: int = 0,
                   min_cluster_size: int = 10, n_neighbors: int = 15,
                   n_components: int = 5) -> TopicResult:
    """Topics of `texts` by embeddings -> UMAP -> HDBSCAN, described by c-TF-IDF of `lemmas`
    (one space-separated lemma string per text). Deterministic for a fixed seed.

    Too few texts for UMAP's neighbourhoods (under max(n_neighbors, n_components) + 2), or no
    cluster found by HDBSCAN, give every text -1 and say why in `reason`. The first call in a
    process spends most of its "umap" seconds importing umap and compiling it (numba).
    """
    if len(texts) != len(lemmas):
        raise ValueError(f"{len(texts)} texts but {len(lemmas)} lemma strings")
    if not available():  # checked first, so every input fails the same way
        raise OSError(f"the BERTopic-style baseline needs umap-learn: {INSTALL}")
    seconds = dict.fromkeys(STEPS, 0.0)
    start, n = time.perf_counter(), len(texts)
    needed = max(n_neighbors, n_components) + 2
    if n < needed:
        return _unclustered(n, seconds, start, f"{n} texts: UMAP with n_neighbors={n_neighbors}"
                            f" and n_components={n_components} needs at least {needed}")
    with _timed(seconds, "embed"):
        vectors = embed(list(texts))
    with _timed(seconds, "umap"):
        UMAP = _umap_class()  # imported here: it takes seconds, and the CLI must start fast
        reduced = UMAP(n_neighbors=n_neighbors, n_components=n_components, min_dist=0.0,
                       metric="cosine", low_memory=False, random_state=seed,
                       n_jobs=1).fit_transform(vectors)  # n_jobs=1: a seed implies it
    with _timed(seconds, "hdbscan"):
        # copy=True: the default is changing (scikit-learn 1.10) and warns until then.
        labels = HDBSCAN(min_cluster_size=min_cluster_size, metric="euclidean",
                         cluster_selection_method="eom", copy=True).fit_predict(reduced)
    n_topics = int(labels.max()) + 1
    if n_topics == 0:
        return _unclustered(n, seconds, start, f"HDBSCAN found no cluster of "
                            f"min_cluster_size={min_cluster_size} among {n} texts")
    with _timed(seconds, "ctfidf"):
        terms = ctfidf_terms(lemmas, labels)
    seconds["total"] = time.perf_counter() - start
    return TopicResult(labels.astype(int), n_topics, terms, seconds)


def _unclustered(n: int, seconds: dict[str, float], start: float, reason: str) -> TopicResult:
    seconds["total"] = time.perf_counter() - start
    return TopicResult(np.full(n, -1, dtype=int), 0, [], seconds, reason)


def ctfidf_terms(lemmas: Sequence[str], labels: np.ndarray, top: int = TOP_N_WORDS
                 ) -> list[list[str]]:
    """The `top` terms of topics 0 .. max(labels) by BERTopic's c-TF-IDF: each class's lemmas
    joined, tf = the class's L1-normalised counts, idf = log(1 + A / f(t)) with A the mean
    word count per class (truncated, as BERTopic does) and f(t) the term's total count."""
    labels = np.asarray(labels)
    n_topics = int(labels.max()) + 1 if len(labels) else 0
    classes = sorted(set(labels.tolist()))  # -1 first, when there are outliers
    docs = [" ".join(lemma for lemma, lab in zip(lemmas, labels) if lab == c) for c in classes]
    vec = CountVectorizer(token_pattern=r"\S+")
    try:
        counts = vec.fit_transform(docs).astype(float)
    except ValueError:  # not one lemma in any text: no vocabulary
        return [[] for _ in range(n_topics)]
    tf = normalize(counts, norm="l1")
    idf = np.log(int(counts.sum(axis=1).mean()) / np.asarray(counts.sum(axis=0)).ravel() + 1)
    weights = sparse.csr_matrix(tf.multiply(idf))
    names = vec.get_feature_names_out()
    row_of = {c: i for i, c in enumerate(classes)}
    return [_top_terms(weights.getrow(row_of[t]).tocoo(), names, top) for t in range(n_topics)]


def _top_terms(row: sparse.coo_matrix, names: np.ndarray, top: int) -> list[str]:
    # Ties go to the alphabetically first term, so the terms do not depend on storage order.
    order = sorted(range(len(row.data)), key=lambda k: (-row.data[k], names[row.col[k]]))
    return [str(names[row.col[k]]) for k in order[:top] if row.data[k] > 0]
