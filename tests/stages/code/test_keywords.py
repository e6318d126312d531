import pandas as pd

from pipeline.codebook.model import load_codebook
from pipeline.nlp.pipelines import fast_nlp
from pipeline.stages.code.keywords import match_segments

BOOK = """
codes:
  - id: funding
    definition: Money.
    keywords: [funding, run out of money]
    exclude_keywords: [fundraiser]
  - id: testing
    definition: Provincial tests.
    keywords: [EQAO]
    patterns:
      - [{LEMMA: test}, {LEMMA: {IN: [score, result]}}]
  - id: family
    definition: Not codable.
    codable: false
    keywords: [money]
"""


def test_matches_on_lemmas_case_insensitively_with_exclusions() -> None:
    segs = pd.DataFrame({"segment_id": ["s1", "s2", "s3", "s4"], "text": [
        "The Funding ended and schools ran out of money.",
        "EQAO Test Results dominate; test scores too.",
        "The fundraiser raised funding for a trip.",
        "Nothing about money here.",
    ]})
    out = match_segments(segs, load_codebook([("b.yml", BOOK)]), fast_nlp("en"))
    rows = {(r.segment_id, r.code_id): (r.terms, r.n_terms, r.excluded_by)
            for r in out.itertuples()}
    assert rows == {
        ("s1", "funding"): ("funding; run out of money", 2, ""),
        ("s2", "testing"): ("EQAO; pattern 1", 2, ""),
        ("s3", "funding"): ("funding", 1, "fundraiser"),
    }


def test_token_patterns_are_pre_checked_only_where_the_words_must_occur() -> None:
    from pipeline.stages.code.keywords import _requirements

    nlp = fast_nlp("en")
    need = _requirements([{"LEMMA": "test"}, {"LOWER": "the", "OP": "?"},
                          {"LEMMA": {"IN": ["score", "result"]}}], nlp)
    s = nlp.vocab.strings
    assert [(attr, sorted(s[v] for v in allowed)) for attr, allowed in need] == [
        (need[0][0], ["test"]), (need[1][0], ["result", "score"])]
    # Anything beyond LOWER/LEMMA values cannot be pre-checked: the pattern always runs.
    assert _requirements([{"TEXT": {"REGEX": "^te"}}], nlp) is None
    assert _requirements([{"LEMMA": {"NOT_IN": ["x"]}}], nlp) is None


def test_pattern_with_optional_tokens_still_matches_after_the_pre_check() -> None:
    book = load_codebook([("b.yml", """
codes:
  - id: cuts
    definition: Cuts.
    patterns:
      - [{LEMMA: {IN: [job, position]}}, {LEMMA: {IN: [be, get]}, OP: "*"}, {LEMMA: cut}]
      - [{TEXT: {REGEX: "^Budget$"}}]
""")])
    segs = pd.DataFrame({"segment_id": ["a", "b", "c"], "text": [
        "Positions were cut last spring.", "Jobs cut.", "The Budget matters; nothing else."]})
    out = match_segments(segs, book, fast_nlp("en"))
    assert dict(zip(out["segment_id"], out["terms"])) == {
        "a": "pattern 1", "b": "pattern 1", "c": "pattern 2"}


def test_matches_are_cached_per_transcript(tmp_path) -> None:
    from pipeline.core.cache import JsonCache

    book = load_codebook([("b.yml", BOOK)])
    segs = pd.DataFrame({"segment_id": ["t1:1", "t1:2", "t2:1"],
                         "citation_id": ["t1", "t1", "t2"], "text": [
                             "The funding ended.", "EQAO again.", "Test scores rose."]})
    cache = JsonCache(tmp_path)
    first = match_segments(segs, book, fast_nlp("en"), cache=cache)
    assert (cache.hits, cache.misses) == (0, 2)
    edited = segs.assign(text=["The funding ended.", "EQAO again.", "No tests here."])
    again = match_segments(edited, book, fast_nlp("en"), cache=cache)
    assert (cache.hits, cache.misses) == (1, 3)  # only the edited transcript is matched
    assert first["segment_id"].tolist() == ["t1:1", "t1:2", "t2:1"]
    assert again["segment_id"].tolist() == ["t1:1", "t1:2"]
    assert match_segments(segs, book, fast_nlp("en")).equals(first)  # the same uncached
