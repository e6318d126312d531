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
