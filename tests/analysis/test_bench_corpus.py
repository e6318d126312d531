"""The benchmark corpus: deterministic, sized as asked, in every format, valid, with no segment
text repeated and a vocabulary that keeps growing as real speech does (Heaps' law)."""
from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest

from pipeline.analysis import bench_corpus as bc
from pipeline.analysis import bench_lexicon as lex
from pipeline.analysis.bench_speech import Perturber, Substitutes, split_sentences
from pipeline.core.catalog import Catalog
from pipeline.stages.ingest import IngestParams, collect
from tests.fixtures import ROOT

_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


@pytest.fixture(scope="module")
def source() -> bc.Source:
    return bc.load_source(ROOT)


@pytest.fixture(scope="module")
def small(source: bc.Source, tmp_path_factory: pytest.TempPathFactory
          ) -> tuple[Path, bc.CorpusInfo]:
    """The corpus at 0.1x: 22 interviews, ~200,000 words."""
    root = tmp_path_factory.mktemp("bench") / "p"
    return root, bc.generate(ROOT, root, 0.1, source=source)


def _read(root: Path) -> tuple[list, list]:
    _, docs, problems = collect(Catalog(root).read_corpus(), IngestParams())
    return docs, problems


def _files(root: Path) -> dict[str, bytes]:
    folder = root / "corpus" / "transcripts"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(
        source: bc.Source, small: tuple[Path, bc.CorpusInfo], tmp_path: Path) -> None:
    again = bc.generate(ROOT, tmp_path / "again", 0.1, source=source)
    other = bc.generate(ROOT, tmp_path / "other", 0.1, seed=7, source=source)
    assert again.words == small[1].words
    assert _files(tmp_path / "again") == _files(small[0])  # DOCX included
    assert set(_files(tmp_path / "other")) == set(_files(small[0]))  # same plan, other words
    assert all(_files(tmp_path / "other")[n] != b for n, b in _files(small[0]).items())
    assert other.words != small[1].words


@pytest.mark.parametrize("scale, interviews", [(0.5, 112), (1, 222), (2, 444), (4, 888)])
def test_sizes_scale_with_more_interviews_per_site(source: bc.Source, scale: float,
                                                   interviews: int) -> None:
    planned = bc.plan(source, scale)
    assert len(planned) == interviews
    assert len({p.citation_id for p in planned}) == interviews
    assert Counter(p.site for p in planned).keys() == set(source.days)
    assert abs(sum(p.words for p in planned) / (bc.WORDS_1X * scale) - 1) < 0.05


def test_words_as_the_pipeline_counts_them_are_within_5_percent(
        small: tuple[Path, bc.CorpusInfo]) -> None:
    docs, _ = _read(small[0])
    counted = sum(t["n_words"] for d in docs for t in d["turns"])
    assert counted == small[1].words
    assert abs(counted / (bc.WORDS_1X * 0.1) - 1) < 0.05
    lengths = [sum(t["n_words"] for t in d["turns"]) for d in docs]
    assert min(lengths) > 4000 and max(lengths) < 14000  # an interview of about an hour


def test_every_format_appears_and_is_read_as_that_format(
        small: tuple[Path, bc.CorpusInfo]) -> None:
    docs, _ = _read(small[0])
    assert {d["format"] for d in docs} == {"text", "docx", "vtt", "srt"}
    assert set(small[1].styles) == set(bc.STYLES)
    otter = [d for d in docs if "SPEAKERS" in d["text"]]
    assert otter and all(d["turns"][0]["start_time"] is not None for d in otter)
    for d in docs:  # one participant, the interviewer(s) told apart, in every format
        roles = Counter(t["speaker_role"] for t in d["turns"])
        assert len(d["participants"]) == 1 and roles["participant"] > 50, d["source_path"]
        assert roles["interviewer"] > 50, d["source_path"]


def test_the_generated_corpus_validates(small: tuple[Path, bc.CorpusInfo]) -> None:
    from click.testing import CliRunner

    from pipeline.cli.main import cli

    # Through the group, as `qda validate`: a command invoked on its own caches a help option
    # without the group's '-h'.
    out = CliRunner().invoke(cli, ["validate", "-p", str(small[0])])
    assert out.exit_code == 0, out.output
    assert "22 transcript(s)" in out.output and "0 error(s), 0 warning(s)" in out.output


@pytest.mark.slow
def test_the_4x_corpus_validates(source: bc.Source, tmp_path: Path) -> None:
    bc.generate(ROOT, tmp_path, 4.0, source=source)
    docs, problems = _read(tmp_path)
    assert len(docs) == 888
    assert [p for p in problems if p.is_error] == []


def _segments(root: Path):
    from pipeline.core.config import load_config
    from pipeline.core.registry import upstream
    from pipeline.core.runner import Runner

    cfg = load_config(None)
    catalog = Catalog(root, cfg.paths)
    Runner(catalog, cfg).run(upstream(["segment"]))
    return catalog.load("segments")


def test_no_segment_text_is_repeated(small: tuple[Path, bc.CorpusInfo]) -> None:
    segments = _segments(small[0])
    assert len(segments) > 2000
    assert segments["text"].str.casefold().duplicated().mean() < 0.001


def test_no_segment_cuts_a_transcribers_note(small: tuple[Path, bc.CorpusInfo]) -> None:
    # The generated speech is full of "[laughs]", "[inaudible]" and "(pause)" after a full
    # stop: before segment kept notes whole, about one long-turn segment in ten ended "... ["
    text = _segments(small[0])["text"]
    assert text.str.contains(r"\. \[\w", regex=True).sum() > 100  # notes after full stops
    assert not text.map(lambda t: t.count("[") != t.count("]")
                        or t.count("(") != t.count(")")).any()


def _growth(root: Path, order: list[str]) -> list[int]:
    """Distinct words in the first 1/32, 1/16 ... 1/1 of the corpus's words, in plan order."""
    docs, _ = _read(root)
    by_id = {d["citation_id"]: d for d in docs}
    words = [w for cid in order for t in by_id[cid]["turns"]
             for w in _WORD.findall(by_id[cid]["text"][t["start_char"]:t["end_char"]].lower())]
    return [len(set(words[:len(words) >> k])) for k in range(5, -1, -1)]


def test_distinct_words_grow_sublinearly_but_steadily(
        source: bc.Source, small: tuple[Path, bc.CorpusInfo]) -> None:
    growth = _growth(small[0], [p.citation_id for p in bc.plan(source, 0.1)])
    ratios = [b / a for a, b in zip(growth, growth[1:])]
    # Each doubling of the words adds a fifth more distinct words or more (steady: recombined
    # shipped sentences alone fall to 1.13 by 200,000 words), never doubles them (sublinear).
    assert all(1.18 < r < 1.8 for r in ratios), (growth, ratios)


@pytest.mark.slow
def test_at_1x_no_repeated_segments_and_heaps_growth_holds(source: bc.Source,
                                                           tmp_path: Path) -> None:
    info = bc.generate(ROOT, tmp_path, 1.0, source=source)
    assert info.interviews == 222 and abs(info.words / bc.WORDS_1X - 1) < 0.05
    growth = _growth(tmp_path, [p.citation_id for p in bc.plan(source, 1.0)])
    ratios = [b / a for a, b in zip(growth, growth[1:])]
    assert all(1.18 < r < 1.8 for r in ratios), (growth, ratios)
    assert growth[-1] > 3 * 3_747  # the shipped corpus has 3,747 distinct words
    segments = _segments(tmp_path)
    assert segments["text"].str.casefold().duplicated().mean() < 0.001


def test_zipf_lexicon_gives_new_words_at_a_decaying_rate() -> None:
    rng = random.Random(0)
    ranks = [lex.zipf_rank(rng) for _ in range(64_000)]
    distinct = [len({lex.domain_word(r) for r in ranks[:n]}) for n in (4000, 16_000, 64_000)]
    # Heaps exponent BETA = 0.6: x4 draws give about 4^0.6 = 2.3x the words.
    assert all(1.9 < b / a < 2.8 for a, b in zip(distinct, distinct[1:])), distinct
    assert lex.domain_word(12345) == lex.domain_word(12345)
    assert all(w.isalpha() and w.islower() for w in map(lex.domain_word, range(500)))


def test_sentences_split_at_ends_not_at_abbreviations() -> None:
    assert split_sentences("Mrs. Hoogstra took it. Then St. Ambrose? Yes! \"Fine.\" Okay") == [
        "Mrs. Hoogstra took it.", "Then St. Ambrose?", "Yes!", "\"Fine.\"", "Okay"]


def test_a_sentence_used_again_is_written_differently(source: bc.Source) -> None:
    perturber = Perturber(random.Random(1))
    subs = Substitutes(source.names, random.Random(2), "Bayfield")
    sentence = "We clustered the small schools into four hubs around the bus routes."
    out = [perturber.sentence(sentence, subs, 60.0) for _ in range(500)]
    assert len(set(out)) == 500


def test_names_are_substituted_consistently_within_an_interview(source: bc.Source) -> None:
    subs = Substitutes(source.names, random.Random(3), "Wendover")
    text = subs.apply("Tamsin Greer is our lead. Tamsin keeps renaming it, says Greer. "
                      "At Algonquin Shores, Tilden Lake Public School is in Tilden Lake.")
    assert "Tamsin" not in text and "Greer" not in text and "Tilden" not in text
    first, last = text.split(" is our lead")[0].split()
    assert text.count(first) == 2 and text.count(last) == 2
    assert "At Wendover," in text
    town = text.rstrip(".").split(" is in ")[1]
    assert f"{town} Public School" in text
