"""Category labels: fillers, names and non-words never label; phrases are noun chunks."""
import re

import pandas as pd
import pytest

from pipeline.stages.compare.labels import (
    _AFTER_TITLE,
    _INITIAL,
    FILLERS,
    _after_titles,
    _initial_words,
    capitalised_words,
    key_phrases,
    study_names,
    usable,
)


def test_study_names_are_every_participant_and_interviewer_word_but_generic_labels() -> None:
    participants = pd.DataFrame({"role": ["Principal", "Teacher"],
                                 "name": ["Karen Boudreau", "Wes Pelletier"],
                                 "speakers": ["Karen Boudreau", "P"]})
    transcripts = pd.DataFrame({"interviewers": ["Helen Marsh, Interviewer", "I"]})
    assert study_names(participants, transcripts) == {"karen", "boudreau", "wes",
                                                      "pelletier", "helen", "marsh"}


def test_capitalised_words_are_proper_nouns_even_after_a_title() -> None:
    texts = ["I think Mr. Abernathy said it. We met Kevin at the Board office.",
             "The board said no. Then the board said yes. We drove to Thunder Bay.",
             "Funding ended. Funding is the problem."]   # only ever sentence-initial
    # "Mr" is capitalised too: a title never labels a category either
    assert capitalised_words(texts) == {"mr", "abernathy", "kevin", "thunder", "bay"}


def _capitalised_plainly(texts: list[str], share: float = 0.8) -> set[str]:
    """The definition, one word at a time: every word, less those starting a sentence
    (not counting one after a title's full stop)."""
    total: dict[str, int] = {}
    upper: dict[str, int] = {}
    for text in texts:
        initial = {m.start(1) for m in re.finditer(r"(?:^|[.!?:;\"“”])\s*([^\W\d_]+)", text)}
        initial -= {m.start(1) for m in re.finditer(
            r"\b(?:Mr|Mrs|Ms|Dr|St|Ste|Mme|Mlle|Fr|Sr|Prof)\.\s*([^\W\d_]+)", text)}
        for m in re.finditer(r"[^\W\d_]+", text):
            if m.start() in initial:
                continue
            w = m.group()
            total[w.lower()] = total.get(w.lower(), 0) + 1
            caps = w[0].isupper() and not w.isupper()
            upper[w.lower()] = upper.get(w.lower(), 0) + caps
    return {w for w, n in total.items() if len(w) > 1 and upper[w] >= share * n}


def test_capitalised_words_count_as_the_plain_definition() -> None:
    texts = ["Kevin met Kevin. kevin? KEVIN said: Ottawa, ottawa and Ottawa.",
             "Dr. Smith and Dr.Smith; \"Quoted\" words. Über über Über. I said I.",
             "Mme Lévesque, Mme. Lévesque", "", "St. Ste. Sr Fr. Prof. Ng ng",
             "Bay Bay Bay bay Bay", "x2 A b Éa éa Éa."]
    assert capitalised_words(texts) == _capitalised_plainly(texts)


@pytest.mark.parametrize("text", [
    "", "Kevin said. Then", "  Kevin", ".Kevin", ". ", "42 Kevin! Bob? “Quoted” words",
    "XMr. Dr. Smith", "Mr. Smith and Mrs.Jones", "_Dr. Who", "éDr. Who; Ste. Anne",
    "Prof. Prof. Ng", "Mr.", "Mr. 42", "Mme Lévesque, Mme. Lévesque",
    ".\n".join(["Dr. A", "b Mr", "Kevin", "", ": x"])])
def test_scans_led_by_literals_find_what_the_anchored_patterns_find(text: str) -> None:
    assert _initial_words(text) == _INITIAL.findall(text)
    assert _after_titles(text) == _AFTER_TITLE.findall(text)


@pytest.mark.parametrize("term, ok", [
    ("release time", True), ("budget", True),
    ("yeah", False), ("kind", False), ("good luck", False), ("thank", False),
    ("gon", False), ("merci", False), ("vous", False), ("bonne", False),  # French fillers
    ("kevin", False), ("ask kevin", False),                               # a name
    ("record 2", False), ("x", False), ("laughs", False),                 # non-words, markers
    ("TRUE", False),
])
def test_usable(term: str, ok: bool) -> None:
    assert usable(term, frozenset({"kevin"})) is ok


def test_the_filler_list_holds_the_backchannels_seen_in_real_labels() -> None:
    assert {"fine", "get", "till", "say", "ask", "want", "like", "kind", "good", "bye",
            "thank", "gon", "na", "merci", "vous"} <= FILLERS
    assert not {"funding", "test", "teacher", "data", "time"} & FILLERS


def test_a_chunk_with_a_proper_noun_is_no_key_phrase() -> None:
    out = key_phrases(["The Kestrel Bay budget was cut."], frozenset())
    assert out == [[]]


def test_key_phrases_are_noun_chunks_without_names_determiners_or_datum() -> None:
    texts = ["We collect the data on student achievement and share it with Kevin Tran.",
             "Yeah, the special education programs at Kestrel Lake lost two teachers.",
             "Yeah. Thank you."]
    out = key_phrases(texts, frozenset({"kestrel"}))
    assert [k for k, _ in out[0]] == ["data", "student achievement"]
    assert out[1] == [("special education program", "special education programs"),
                      ("teacher", "teachers")]
    assert out[2] == []


def test_key_phrases_filter_names_after_the_cache(tmp_path) -> None:
    from pipeline.core.cache import JsonCache

    cache = JsonCache(tmp_path)
    text = ["The school budget and the release time ended."]
    assert [k for k, _ in key_phrases(text, frozenset(), cache)[0]] == ["school budget",
                                                                       "release time"]
    # the same parse, from the cache, with the study's names applied afterwards
    assert [k for k, _ in key_phrases(text, frozenset({"school"}), cache)[0]] == [
        "release time"]
    assert (cache.misses, cache.hits) == (1, 1)
