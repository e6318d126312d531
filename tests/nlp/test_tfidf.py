from pipeline.nlp.tfidf import fit_lemmas, lemma_vectorizer


def test_vectorizer_reads_space_separated_lemmas() -> None:
    vec = lemma_vectorizer(min_df=1)
    vec.fit(["grant money", "Grant end"])
    # lemmas arrive lower-cased already, so case is not folded again
    assert set(vec.vocabulary_) == {"grant", "money", "grant money", "Grant", "end",
                                    "Grant end"}


def test_min_df_shrinks_for_small_corpora_and_falls_back() -> None:
    vec, X = fit_lemmas(["a b", "b c", "c a"], min_df=5, ngram_range=(1, 1))
    assert vec.min_df == 2 and X.shape == (3, 3)
    vec, X = fit_lemmas(["a b", "c d", "e f"], min_df=2, ngram_range=(1, 1))
    assert vec.min_df == 1 and X.shape == (3, 6)  # no shared term: every term kept


def test_no_words_gives_no_space() -> None:
    _, X = fit_lemmas(["", ""], min_df=2)
    assert X is None
