import pandas as pd

from pipeline.analysis.tuning import best_params, sweep
from pipeline.codebook.model import load_codebook
from pipeline.stages.code.stage import CodeParams
from tests.fixtures import TWO_CODES as BOOK

SEGS = pd.DataFrame({
    "segment_id": ["s1", "s2", "s3", "s4"],
    "text": ["The grant ended and funding is gone.", "EQAO scores went down.",
             "Budgets for the project were cut when the money ended.", "We went camping."],
    "lemmas": ["grant end funding go", "eqao score go", "budget project cut money end",
               "go camp"],
})
HUMAN = pd.DataFrame({"segment_id": ["s1", "s2", "s3", "s4"],
                      "code_id": ["funding", "testing", "funding", ""], "coder": "ana"})


def test_sweep_ranks_settings_by_pooled_kappa() -> None:
    grid = {"pattern_min_terms": (1, 2), "similarity_threshold": (0.05, 1.0),
            "similarity_max_codes": (1,), "exclude_weight": (0.0,)}
    book = load_codebook([("b.yml", BOOK)])
    table = sweep(SEGS, book, HUMAN, CodeParams(min_df=1), grid)
    assert len(table) == 4
    assert table["pooled_kappa"].is_monotonic_decreasing
    patterns_only = table[(table.similarity_threshold == 1.0) & (table.pattern_min_terms == 1)]
    # patterns find s1 and s2 but miss s3 (no keyword): recall 2/3, precision 1
    assert patterns_only.iloc[0].pooled_recall == 2 / 3
    assert patterns_only.iloc[0].pooled_precision == 1.0
    best = best_params(table, CodeParams())
    assert best.similarity_threshold == table.iloc[0].similarity_threshold


def test_model_sweep_is_cross_validated_by_interview() -> None:
    from pipeline.analysis.tuning import sweep_model
    n = 16
    segs = pd.DataFrame({"segment_id": [f"s{i:02d}" for i in range(n)],
                         "citation_id": [f"d{i % 8}" for i in range(n)],
                         "lemmas": ["grant money end"] * 8 + ["eqao test score"] * 8})
    human = pd.DataFrame({"segment_id": segs["segment_id"],
                          "code_id": ["funding"] * 8 + ["testing"] * 8, "coder": "ana"})
    table = sweep_model(segs, load_codebook([("b.yml", BOOK)]), human,
                        CodeParams(min_df=1, model_min_examples=2, model_folds=4),
                        {"model_c": (10.0,), "model_precision": (0.8,)})
    assert table.iloc[0].codes_proposing == 2
    assert table.iloc[0].pooled_kappa == 1.0


def test_an_optimum_at_the_edge_of_the_grid_is_flagged() -> None:
    from pipeline.analysis.tuning import edge_notes
    table = pd.DataFrame({"model_c": [100.0, 1.0], "model_precision": [0.8, 0.6],
                          "pattern_min_terms": [1, 2]})
    grid = {"model_c": (1.0, 10.0, 100.0), "model_precision": (0.6, 0.8, 0.9),
            "pattern_min_terms": (1, 2)}
    # pattern_min_terms cannot go below 1: its edge is the parameter's own bound
    assert edge_notes(table, grid) == [
        "the best model_c (100.0) is at the edge of the grid (1.0 to 100.0): the optimum may "
        "lie outside it"]
