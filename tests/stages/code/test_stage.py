from pathlib import Path

import pandas as pd
import pytest

from pipeline.core.catalog import Catalog
from pipeline.core.config import load_config
from pipeline.core.errors import InputError
from pipeline.core.inputs import CodebookInputs, make_source
from pipeline.core.registry import upstream
from pipeline.core.runner import Runner
from pipeline.stages.code.stage import CodeParams, pattern_rows, run
from tests.fixtures import TWO_CODES as BOOK

ANSWERS = [
    "The grant ended in June and the funding is gone.",
    "EQAO scores went down and the board noticed.",
    "We held a fundraiser for the trip, that's all.",
    "Honestly the kids loved the land-based days.",
    "Without money for release time it stops.",
    "Test preparation took over the spring term.",
]


def transcript(n: int) -> str:
    lines = ["ID: O1_Teacher#1_5.3", "", ]
    for i, answer in enumerate(ANSWERS[:n], 1):
        lines += [f"I: Question {i}?", f"P: {answer}"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def analysed(make_project) -> Path:
    root = make_project({"O1_Teacher#1_5.3.txt": transcript(6)})
    (root / "codebooks" / "codings").mkdir(parents=True)
    (root / "codebooks" / "study.yml").write_text(BOOK)
    return root


def analyse(root: Path) -> dict[str, pd.DataFrame]:
    cfg = load_config(None)
    catalog = Catalog(root, cfg.paths)
    Runner(catalog, cfg).run(upstream(["code"]))
    return {n: catalog.load(n) for n in ("segments", "codings", "coding_agreement")}


def test_pattern_and_similarity_codings_with_evidence(analysed: Path) -> None:
    t = analyse(analysed)
    seg = dict(zip(t["segments"]["text"], t["segments"]["segment_id"]))
    c = t["codings"]
    pattern = c[c["source"] == "auto:pattern"]
    got = {(s, code, ev) for s, code, ev in pattern[["segment_id", "code_id", "evidence"]].values}
    assert got == {(seg[ANSWERS[0]], "funding", "funding; grant"),
                   (seg[ANSWERS[1]], "testing", "EQAO")}
    assert pattern.set_index("segment_id").loc[seg[ANSWERS[0]], "score"] == 0.75
    sim = c[c["source"] == "auto:similarity"]
    assert (sim["score"] >= CodeParams().similarity_threshold).all()
    assert {"citation_id", "site", "role"} <= set(c.columns)
    assert t["coding_agreement"].empty  # no human codings yet


def test_human_codings_are_kept_next_to_automatic_ones(analysed: Path) -> None:
    start = transcript(6).index(ANSWERS[0])
    (analysed / "codebooks" / "codings" / "team.csv").write_text(
        "citation_id,start_char,end_char,quote,code_id,coder\n"
        f"O1_Teacher#1_5.3,{start},{start + len(ANSWERS[0])},,funding,ana\n"
        f"O1_Teacher#1_5.3,,,{ANSWERS[0]},funding,ben\n"
        f"O1_Teacher#1_5.3,,,{ANSWERS[3]},,ben\n"
        f"O1_Teacher#1_5.3,,,{ANSWERS[3]},testing,ana\n")
    t = analyse(analysed)
    seg = dict(zip(t["segments"]["text"], t["segments"]["segment_id"]))
    c = t["codings"].set_index(["segment_id", "code_id", "source"])
    assert c.loc[(seg[ANSWERS[0]], "funding", "human:ana"), "score"] == 1.0
    assert (seg[ANSWERS[0]], "funding", "auto:pattern") in c.index
    assert not (t["codings"]["code_id"] == "").any()
    agreement = t["coding_agreement"]
    agreement = agreement[agreement["level"] == "code"].set_index(["comparison", "code_id"])
    pair = agreement.loc[("human:ana vs human:ben", "(all codes)")]
    assert (pair.n_segments, pair.n_reference, pair.n_both) == (4, 2, 1)
    pattern = agreement.loc[("auto:pattern", "funding")]
    assert (pattern.n_segments, pattern.n_reference, pattern.n_predicted) == (2, 1, 1)
    assert pattern.kappa == 1.0


def test_bad_human_codings_stop_the_stage(analysed: Path) -> None:
    (analysed / "codebooks" / "codings" / "team.csv").write_text(
        "citation_id,start_char,end_char,quote,code_id,coder\nO1_Teacher#1_5.3,,,x,nope,ana\n")
    with pytest.raises(InputError) as info:
        analyse(analysed)
    assert any(p.line == 2 and "unknown code_id 'nope'" in p.message
               for p in info.value.problems)


def test_codebook_errors_stop_the_stage(analysed: Path) -> None:
    (analysed / "codebooks" / "study.yml").write_text(BOOK.replace("id: testing",
                                                                   "id: funding"))
    with pytest.raises(InputError, match="duplicate id"):
        analyse(analysed)


def test_model_proposes_codes_for_uncoded_segments() -> None:
    n = 16
    segs = pd.DataFrame({
        "segment_id": [f"d{i:02d}:1" for i in range(n)],
        "citation_id": [f"d{i:02d}" for i in range(n)], "site": "O1", "role": "Teacher",
        "text": ["grant money ends"] * 8 + ["eqao test scores"] * 8,
        "lemmas": ["grant money end"] * 8 + ["eqao test score"] * 8,
        "start_char": 0, "end_char": 10, "n_words": 3,
        "locator": [f"d{i:02d} ¶1" for i in range(n)]})
    transcripts = pd.DataFrame({"citation_id": segs["citation_id"], "text": ["x" * 20] * n})
    coded = [i for i in range(n) if i % 4 != 3]  # 12 coded, 4 left for the model
    human = "".join(f"d{i:02d},0,10,,{'funding' if i < 8 else 'testing'},ana\n" for i in coded)
    inputs = CodebookInputs((("b.yml", BOOK),), (make_source(
        "c.csv", ("citation_id,start_char,end_char,quote,code_id,coder\n" + human).encode()),))
    params = CodeParams(model_min_examples=2, model_folds=3, min_df=1, min_words=1)
    tables, _ = run(transcripts, segs, inputs, params=params)
    model = tables["codings"][tables["codings"]["source"] == "auto:model"]
    assert sorted(model[["segment_id", "code_id"]].values.tolist()) == [
        ["d03:1", "funding"], ["d07:1", "funding"], ["d11:1", "testing"], ["d15:1", "testing"]]
    assert set(model["status"]) == {"suggested"}
    cv = tables["coding_agreement"]
    cv = cv[cv["level"] == "code"].set_index(["comparison", "code_id"])
    assert cv.loc[("auto:model (cross-validated)", "(all codes)"), "kappa"] == 1.0
    models = tables["model_codes"].set_index("code_id")
    assert models["proposes"].tolist() == [True, True]
    assert (models["cv_precision"] == 1.0).all()


def test_short_segments_get_no_suggestions() -> None:
    segs = pd.DataFrame({"segment_id": ["a:1", "b:1"], "citation_id": ["a", "b"],
                         "site": "O1", "role": "Teacher",
                         "text": ["Grant.", "The grant ended and the funding is gone."],
                         "lemmas": ["grant", "grant end funding go"], "start_char": 0,
                         "end_char": 5, "n_words": [1, 8], "locator": ["a ¶1", "b ¶1"]})
    transcripts = pd.DataFrame({"citation_id": ["a", "b"], "text": ["x" * 50] * 2})
    tables, _ = run(transcripts, segs, CodebookInputs((("b.yml", BOOK),)),
                    params=CodeParams(min_df=1))
    assert set(tables["codings"]["segment_id"]) == {"b:1"}
    assert tables["suggestions"]["segment_id"].tolist() == ["b:1"]


def test_exclusion_cancels_a_term() -> None:
    matches = pd.DataFrame({"segment_id": ["a", "b", "c"], "code_id": "funding",
                            "terms": ["funding", "funding; grant", "grant"],
                            "n_terms": [1, 2, 1], "excluded_by": ["fundraiser", "fundraiser", ""]})
    rows = pattern_rows(matches, min_terms=1)
    assert rows[["segment_id", "score"]].values.tolist() == [["b", 0.5], ["c", 0.5]]


def test_tiny_corpus_without_shared_words_still_codes(make_project) -> None:
    root = make_project({"O1_Teacher#1_5.3.txt": "I: Q?\nP: Our funding vanished in June.\n",
                         "O2_Teacher#1_5.4.txt": "I: Q?\nP: EQAO rules every single spring.\n"})
    (root / "codebooks").mkdir()
    (root / "codebooks" / "study.yml").write_text(BOOK)
    codings = analyse(root)["codings"]
    assert set(codings["code_id"]) >= {"funding", "testing"}


def test_the_same_coding_in_two_files_is_counted_once_and_the_second_file_is_told() -> None:
    from pipeline.stages.code.stage import load_inputs

    text = "Interviewer: Why?\nP: The grant money ended.\n"
    transcripts = pd.DataFrame({"citation_id": ["O1_Principal#1_5.14"], "text": [text],
                                "file_dropped": [[]]})
    row = ("citation_id,quote,code_id,coder\n"
           "O1_Principal#1_5.14,The grant money ended.,funding,ana\n")
    inputs = CodebookInputs((("codebooks/t.yml", BOOK),), (
        make_source("codebooks/codings/a.csv", row.encode()),
        make_source("codebooks/codings/b.csv", row.encode())))
    _, spans, problems = load_inputs(transcripts, inputs)
    assert len(spans) == 1 and spans["file"].tolist() == ["codebooks/codings/a.csv"]
    assert [(p.path, p.line, p.message) for p in problems] == [
        ("codebooks/codings/b.csv", 2, "1 coding(s) repeat ones already in "
                                       "codebooks/codings/a.csv; counted once")]
