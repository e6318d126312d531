"""Commands that measure the analysis: coding quality, tuning, category recovery."""
from __future__ import annotations

import click

from pipeline.analysis.compare_eval import best_setting, evaluate, primary_codes
from pipeline.analysis.compare_eval import sweep as compare_sweep
from pipeline.analysis.tuning import sweep, sweep_model
from pipeline.cli.common import project_options
from pipeline.cli.output import (
    coding_quality_markdown,
    evaluation_lines,
)
from pipeline.core.catalog import Catalog
from pipeline.core.config import stage_params
from pipeline.stages.code.human import spans_to_segments
from pipeline.stages.code.stage import CodeParams, load_inputs
from pipeline.stages.compare.stage import CompareParams
from pipeline.stages.represent.stage import RepresentParams


@click.command("coding-report")
@project_options
def coding_report(catalog: Catalog, cfg: dict, quiet: bool) -> None:
    """How far automatic coding agrees with the human codings, per code.

    Writes outputs/coding_quality.md: precision, recall and Cohen's kappa of keywords plus
    similarity, the cross-validated kappa of the supervised model, and the coders' own kappa.

    \b
    Example:
      qda coding-report
    """
    text = coding_quality_markdown(catalog.load("coding_agreement"))
    path = catalog.outputs / "coding_quality.md"
    catalog.write_text(path, text)
    click.echo(text)
    click.echo(f"Written to {catalog.rel(path)}")


@click.command("evaluate-compare")
@click.option("--tune", is_flag=True, help="Also sweep n_components, join and merge "
              "thresholds (outputs/compare_tuning.csv).")
@project_options
def evaluate_compare(catalog: Catalog, cfg: dict, quiet: bool, tune: bool) -> None:
    """Measure the emerging categories against the human codings, beside baselines.

    Recovery of the themes the human coders saw (adjusted Rand index and NMI, one theme per
    segment: the code most coders gave it), KMeans and agglomerative clustering on the same
    vectors, stability over five seeds, and the share of category keys kept when one
    interview is added. Writes outputs/compare_evaluation.json. Run `qda analyze` first.

    \b
    Example:
      qda evaluate-compare
    """
    transcripts, segments = catalog.load("transcripts"), catalog.load("segments")
    book, spans, _ = load_inputs(transcripts, catalog.read_codebooks())
    human = spans_to_segments(spans, segments,
                              stage_params(cfg, "code", CodeParams).span_min_overlap)
    if human.empty:
        raise click.ClickException("no human codings in codebooks/codings/: nothing to "
                                   "measure against")
    reference = primary_codes(human, [c.id for c in book.codable])
    result = evaluate(transcripts, segments, reference,
                      stage_params(cfg, "represent", RepresentParams),
                      stage_params(cfg, "compare", CompareParams))
    path = catalog.write_json("compare_evaluation.json", result)
    for line in evaluation_lines(result):
        click.echo(line)
    click.echo(f"Written to {catalog.rel(path)}")
    if tune:
        table = compare_sweep(transcripts, segments, reference,
                              stage_params(cfg, "represent", RepresentParams),
                              stage_params(cfg, "compare", CompareParams))
        tpath = catalog.write_csv("compare_tuning.csv", table)
        click.echo(table.head(10).to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        best = best_setting(table)
        click.echo(f"Best with site categories of 3+ segments on average: n_components="
                   f"{int(best.n_components)}, join_threshold={best.join_threshold}, "
                   f"merge_threshold={best.merge_threshold} (ARI {best.ari:.3f}, "
                   f"NMI {best.nmi:.3f})")
        click.echo(f"Full table: {catalog.rel(tpath)}")


@click.command("tune-coding")
@project_options
def tune_coding(catalog: Catalog, cfg: dict, quiet: bool) -> None:
    """Measure automatic coding against the human codings over a grid of thresholds.

    Writes outputs/coding_tuning.csv, best setting first (by pooled Cohen's kappa), and says
    how the current [code] settings compare. Run `qda analyze` first.

    \b
    Example:
      qda tune-coding
    """
    params = stage_params(cfg, "code", CodeParams)
    book, spans, _ = load_inputs(catalog.load("transcripts"), catalog.read_codebooks())
    segments = catalog.load("segments")
    human = spans_to_segments(spans, segments, params.span_min_overlap)
    if human.empty:
        raise click.ClickException("no human codings in codebooks/codings/: nothing to tune on")
    table = sweep(segments, book, human, params)
    path = catalog.write_csv("coding_tuning.csv", table)
    fmt = {"index": False, "float_format": lambda v: f"{v:.3f}"}
    click.echo("Keywords and similarity (auto:pattern + auto:similarity):")
    click.echo(table.head(10).to_string(**fmt))
    models = sweep_model(segments, book, human, params)
    model_path = catalog.write_csv("coding_tuning_model.csv", models)
    click.echo("\nSupervised model, cross-validated by interview (auto:model):")
    click.echo(models.head(5).to_string(**fmt))
    click.echo(f"Model table: {catalog.rel(model_path)}")
    mine = table[(table.pattern_min_terms == params.pattern_min_terms)
                 & (table.similarity_threshold == params.similarity_threshold)
                 & (table.similarity_max_codes == params.similarity_max_codes)
                 & (table.exclude_weight == params.exclude_weight)]
    if len(mine):
        click.echo(f"current settings rank {mine.index[0] + 1} of {len(table)} "
                   f"(pooled kappa {mine.iloc[0].pooled_kappa:.3f}).")
    click.echo(f"Full table: {catalog.rel(path)}")


