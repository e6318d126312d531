"""Commands that measure the analysis: coding quality, tuning, category recovery, benchmark.

They read the tables `qda analyze` wrote (human codings per segment included) and write their
reports through the catalog, with provenance.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pipeline.cli.common import command_provenance, project_options

if TYPE_CHECKING:
    from pipeline.core.catalog import Catalog
    from pipeline.core.config import Config


def _human(catalog: Catalog, what: str) -> Any:
    human = catalog.load("human_segments")
    if human.empty:
        raise click.ClickException(f"no human codings in codebooks/codings/: nothing to "
                                   f"{what}")
    return human


def _codebook(catalog: Catalog) -> Any:
    from pipeline.codebook import load_codebook

    return load_codebook(list(catalog.read_codebooks().codebook_files))


@click.command("coding-report")
@project_options
def coding_report(catalog: Catalog, cfg: Config, quiet: bool) -> None:
    """How far automatic coding agrees with the human codings, per code.

    Writes outputs/coding_quality.md: precision, recall and Cohen's kappa (with 95% bootstrap
    intervals) of keywords plus similarity, per code and per parent code, over every segment
    researchers read; what the model proposes and why not; and the coders' own kappa.

    \b
    Example:
      qda coding-report
    """
    from pipeline.analysis.coding_report import coding_quality_markdown

    read = catalog.load("read_segments")
    text = coding_quality_markdown(catalog.load("coding_agreement"),
                                   catalog.load("model_codes"), catalog.load("codes"),
                                   read["segment_id"].nunique())
    path = catalog.output_path("coding_quality.md")
    catalog.write_report("coding-report", {path: text.encode("utf-8")},
                         command_provenance("coding-report", cfg, catalog,
                                            ["coding_agreement", "model_codes", "codes",
                                             "read_segments"]))
    click.echo(text)
    click.echo(f"Written to {catalog.rel(path)}")


@click.command("agreement")
@click.option("--seed", default=0, show_default=True, help="Seed of the bootstrap resamples.")
@project_options
def agreement(catalog: Catalog, cfg: Config, quiet: bool, seed: int) -> None:
    """Inter-coder agreement: every pair of human coders, and the automatic coding against
    each human, on segments and on characters of participant speech.

    Percent agreement, Cohen's kappa (per pair) and Krippendorff's alpha (two or more coders,
    unread units missing), per code and pooled, with 95% bootstrap intervals. Writes
    outputs/agreement.md (with the codes most in disagreement and example segments to
    discuss) and outputs/agreement.csv. Run `qda analyze` first.

    \b
    Example:
      qda agreement
    """
    from pipeline.analysis.agreement import agreement_table
    from pipeline.analysis.agreement_report import agreement_markdown

    segments, codes = catalog.load("segments"), catalog.load("codes")
    codable = codes.loc[codes["codable"].astype(bool), "code_id"].tolist()
    table, split = agreement_table(segments, codable, catalog.load("read_segments"),
                                   catalog.load("human_segments"),
                                   catalog.load("human_codings"), catalog.load("codings"),
                                   seed)
    text = agreement_markdown(table, split, segments, codes)
    files = {catalog.output_path("agreement.md"): text.encode("utf-8"),
             catalog.output_path("agreement.csv"): table.to_csv(index=False).encode()}
    catalog.write_report("agreement", files, command_provenance(
        "agreement", cfg, catalog, ["segments", "codes", "read_segments", "human_segments",
                                    "human_codings", "codings"]))
    if not quiet:
        click.echo(text)
    click.echo("Written to " + ", ".join(catalog.rel(p) for p in files))


# BERTopic's own environment, for bench and evaluate-compare (see _peer_python).
PEER_PYTHON = click.option(
    "--peer-python", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Python of BERTopic's environment, to run BERTopic's default [default: "
         "PROJECT/.venv-bertopic/bin/python when it exists; make bench creates it].")


@click.command("evaluate-compare")
@click.option("--tune", is_flag=True, help="Also sweep n_components, join and merge "
              "thresholds (outputs/compare_tuning.csv).")
@click.option("--realdata", "shared", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Also the real studies in this folder's realdata/ "
              "(e.g. ../shared); they are built in a temporary folder, never copied here.")
@click.option("--methods", default="lsa,embeddings", show_default=True,
              help="Comma-separated representations to compare.")
@click.option("--no-bertopic", is_flag=True, help="Leave out the BERTopic-style baseline "
              "and BERTopic's default.")
@PEER_PYTHON
@project_options
def evaluate_compare(catalog: Catalog, cfg: Config, quiet: bool, tune: bool,
                     shared: Path | None, methods: str, no_bertopic: bool,
                     peer_python: Path | None) -> None:
    """Measure the emerging categories against the researchers' codings, beside baselines.

    Recovery of the researcher's themes (adjusted Rand index and NMI; one theme per segment,
    the code most coders gave it, and its parent code) by the cross-site categories of each
    representation, KMeans and Ward at the same number of clusters fitted on the same
    segments, and a BERTopic-style baseline (sentence embeddings, UMAP, HDBSCAN, c-TF-IDF;
    needs the bench extra); stability over five seeds; the share of category keys kept when
    one interview is added. Writes outputs/compare_evaluation.json and .md. Run `qda
    analyze` first.

    \b
    Example:
      qda evaluate-compare --realdata ../shared
    """
    from pipeline.analysis.compare_bench import evaluate_datasets, markdown
    from pipeline.analysis.compare_eval import evaluation_lines
    from pipeline.analysis.topic_baseline import available

    human = _human(catalog, "measure against")
    if not no_bertopic and not available():
        click.echo("note: the BERTopic-style baseline needs umap-learn "
                   "(pip install 'qda-pipeline[bench]'); left out", err=True)
    echo = (lambda s: None) if quiet else (lambda s: click.echo(f"measuring {s} ...", err=True))
    peer = None if no_bertopic else _peer_python(catalog.root, peer_python,
                                                 "scoring only the BERTopic-style stand-in")
    results = evaluate_datasets(catalog, cfg, shared,
                                tuple(m.strip() for m in methods.split(",")), not no_bertopic,
                                echo, peer)
    prov = command_provenance("evaluate-compare", cfg, catalog,
                              ["transcripts", "segments", "human_segments"])
    text = markdown(results)
    files = {catalog.output_path("compare_evaluation.json"):
             (json.dumps(results, indent=2, sort_keys=True) + "\n").encode(),
             catalog.output_path("compare_evaluation.md"): text.encode()}
    for line in evaluation_lines(results["project"]):
        click.echo(line)
    click.echo(text)
    if tune:
        files.update(_tune_compare(catalog, cfg, human))
    catalog.write_report("evaluate-compare", files, prov)
    click.echo("Written to " + ", ".join(catalog.rel(p) for p in files))


def _tune_compare(catalog: Catalog, cfg: Config, human: Any) -> dict:
    """The compare settings sweep; prints the best, returns the table to write."""
    from pipeline.analysis.compare_eval import best_setting, primary_codes, sweep

    transcripts, segments = catalog.load("transcripts"), catalog.load("segments")
    reference = primary_codes(human, [c.id for c in _codebook(catalog).codable])
    table = sweep(transcripts, segments, reference, cfg.params("represent"),
                  cfg.params("compare"))
    click.echo(table.head(10).to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    best = best_setting(table)
    click.echo(f"Best with site categories of 3+ segments on average: n_components="
               f"{int(best.n_components)}, join_threshold={best.join_threshold}, "
               f"merge_threshold={best.merge_threshold} (ARI {best.ari:.3f}, "
               f"NMI {best.nmi:.3f})")
    return {catalog.output_path("compare_tuning.csv"): table.to_csv(index=False).encode()}


@click.command("tune-coding")
@project_options
def tune_coding(catalog: Catalog, cfg: Config, quiet: bool) -> None:
    """Measure automatic coding against the human codings over a grid of thresholds.

    Writes outputs/coding_tuning.csv, best setting first (by pooled Cohen's kappa), and says
    how the current [code] settings compare. Run `qda analyze` first.

    \b
    Example:
      qda tune-coding
    """
    from pipeline.analysis.tuning import GRID, MODEL_GRID, edge_notes, sweep, sweep_model

    params = cfg.params("code")
    human = _human(catalog, "tune on")
    book, segments = _codebook(catalog), catalog.load("segments")
    table = sweep(segments, book, human, params)
    models = sweep_model(segments, book, human, params, read=catalog.load("read_segments"))
    path, model_path = (catalog.output_path("coding_tuning.csv"),
                        catalog.output_path("coding_tuning_model.csv"))
    catalog.write_report("tune-coding", {path: table.to_csv(index=False).encode(),
                                         model_path: models.to_csv(index=False).encode()},
                         command_provenance("tune-coding", cfg, catalog,
                                            ["segments", "human_segments"]))
    fmt = {"index": False, "float_format": lambda v: f"{v:.3f}"}
    click.echo("Keywords and similarity (auto:pattern + auto:similarity):")
    click.echo(table.head(10).to_string(**fmt))
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
    for note in edge_notes(table, GRID) + edge_notes(models, MODEL_GRID):
        click.echo(f"warning: {note}", err=True)


@click.command("evaluate-coding")
@click.option("--realdata", "shared", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Also the real studies in this folder's realdata/ "
              "(e.g. ../shared); they are built in a temporary folder, never copied here.")
@click.option("--features", default="tfidf,embeddings", show_default=True,
              help="Comma-separated feature sets to compare.")
@project_options
def evaluate_coding(catalog: Catalog, cfg: Config, quiet: bool, shared: Path | None,
                    features: str) -> None:
    """Measure the machine's suggestions against researchers' own codings, per feature set.

    On the project's corpus and, with --realdata, on real studies coded by their own
    researchers: precision, recall and kappa over every segment the researcher read, per
    code and per parent code, the model cross-validated by interview, and the share of
    suggestions on segments of four words or fewer. Writes outputs/coding_evaluation.csv
    and .md.

    \b
    Example:
      qda evaluate-coding --realdata ../shared
    """
    from pipeline.analysis.suggest_eval import evaluate, markdown

    echo = (lambda s: None) if quiet else (lambda s: click.echo(s, err=True))
    table = evaluate(catalog.root, shared, tuple(f.strip() for f in features.split(",")),
                     echo)
    text = markdown(table)
    files = {catalog.output_path("coding_evaluation.csv"): table.to_csv(index=False).encode(),
             catalog.output_path("coding_evaluation.md"): text.encode()}
    catalog.write_report("evaluate-coding", files,
                         command_provenance("evaluate-coding", cfg, catalog))
    click.echo(text)
    click.echo("Written to " + ", ".join(catalog.rel(p) for p in files))


def _scales(value: str) -> tuple[float, ...]:
    try:
        scales = tuple(float(v) for v in value.split(",") if v.strip())
    except ValueError:
        raise click.BadParameter(f"{value!r}: comma-separated numbers, e.g. 0.5,1,2,4") from None
    if not scales or any(not 0 < s <= 4 for s in scales):
        raise click.BadParameter("scales are numbers above 0 and at most 4 (IDs run out)")
    return scales


@click.command("bench")
@click.option("--scale", "scale", default="0.5,1,2,4", show_default=True,
              help="Corpus sizes, in multiples of 222 interviews and 2 million words.")
@click.option("--quick", is_flag=True, help="Scale 0.1 only (22 interviews): a smoke test.")
@click.option("--vs-bertopic", is_flag=True, help="Also time BERTopic's default on the same "
              "segments, in the environment --peer-python names; without one, the "
              "BERTopic-style stand-in (needs the bench extra: umap-learn).")
@PEER_PYTHON
@click.option("--seed", default=2016, show_default=True, help="Seed of the generated corpus.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the results [default: PROJECT/bench/results.json].")
@click.option("--project", "-p", type=click.Path(file_okay=False, path_type=Path),
              default=".", show_default=True, help="Project whose corpus seeds it.")
@click.option("--measure", "measure_root", hidden=True, type=click.Path(path_type=Path),
              help="(internal) run the analysis at this root in this process, per stage")
@click.option("--bertopic", "bertopic_root", hidden=True, type=click.Path(path_type=Path),
              help="(internal) run the BERTopic-style baseline on this root's segments")
def bench(scale: str, quick: bool, vs_bertopic: bool, peer_python: Path | None, seed: int,
          out: Path | None, project: Path, measure_root: Path | None,
          bertopic_root: Path | None) -> None:
    """Benchmark: a generated corpus (222 interviews, ~2 million words of distinct text at
    scale 1, over the shipped corpus's 11 sites, in every transcript format) through the
    whole analysis. Cold at every scale; at scale 1 also with nothing changed (the real
    `qda analyze` command) and with one transcript changed. Wall time, CPU time and peak
    memory per stage and per command, scaling ratios; written to bench/results.json.

    \b
    Example:
      qda bench                 # make bench: 0.5x, 1x, 2x, 4x (15-25 minutes on 2 cores)
      qda bench --quick         # 0.1x, under two minutes
      qda bench --scale 1 --vs-bertopic
    """
    if measure_root or bertopic_root:  # a child of the benchmark: one JSON line out
        click.echo(json.dumps(_bench_child(measure_root, bertopic_root)))
        return
    from pipeline.analysis import benchmark
    from pipeline.analysis.bench_report import lines

    try:
        results = benchmark.run(project, (0.1,) if quick else _scales(scale), seed,
                                vs_bertopic, lambda s: click.echo(s, err=True),
                                _peer_python(project, peer_python) if vs_bertopic else None)
    except benchmark.BenchmarkError as exc:
        raise click.ClickException(str(exc)) from None
    results["command"] = "qda bench " + " ".join(
        a for a, on in (("--quick", quick), (f"--scale {scale}", not quick),
                        ("--vs-bertopic", vs_bertopic)) if on)
    path = out or project / "bench" / "results.json"
    benchmark.write(results, path)
    for line in lines(results):
        click.echo(line)
    click.echo(f"Written to {path}")


def _peer_python(project: Path, given: Path | None,
                 instead: str = "timing the BERTopic-style stand-in instead of BERTopic's "
                                "default") -> str | None:
    """The BERTopic environment's interpreter: the one given (it must exist), or the
    project's .venv-bertopic when there is one; None, saying what happens `instead`."""
    if given is not None:
        if not given.is_file():
            raise click.BadParameter(f"{given}: no such interpreter", param_hint="--peer-python")
        return str(given)
    found = project / ".venv-bertopic" / "bin" / "python"
    if found.is_file():
        return str(found)
    click.echo(f"note: no .venv-bertopic (make bench creates it); {instead}", err=True)
    return None


def _bench_child(measure_root: Path | None, bertopic_root: Path | None) -> Any:
    """A measured child's work; it imports only what `qda analyze` does (the corpus
    generator, which loads spaCy, stays out of the measured process)."""
    from pipeline.cli.common import as_messages

    if measure_root:
        from pipeline.analysis.bench_measure import measure_analysis

        return as_messages(lambda: measure_analysis(measure_root))
    from pipeline.analysis.bench_measure import bertopic_on

    return as_messages(lambda: bertopic_on(bertopic_root))


@click.command("screenshots")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path),
              default=Path("docs/screenshots"), show_default=True,
              help="Folder for the PNG files (relative to the project).")
@click.option("--site", default="O3", show_default=True, help="Site page to show.")
@project_options
def screenshots(catalog: Catalog, cfg: Config, quiet: bool, out: Path, site: str) -> None:
    """Screenshots of the browsable report (outputs/report/) in headless Chromium, for the
    README: the overview, a site page and a transcript page, 1280 x 900.

    Needs Debian's chromium and chromium-driver and selenium (`pip install -e .[test]`);
    run `qda analyze` first.

    \b
    Example:
      qda screenshots
    """
    import tempfile

    from pipeline.analysis.browser import INSTALL_HINT, missing

    if catalog.provenance("report") is None:
        raise click.ClickException(f"{catalog.rel(catalog.outputs)}/report/ is missing or "
                                   f"was edited; run `qda analyze` first")
    if missing():
        raise click.ClickException(f"missing: {', '.join(missing())} ({INSTALL_HINT})")
    from selenium.common.exceptions import WebDriverException

    from pipeline.analysis.screenshots import take

    folder = out if out.is_absolute() else catalog.root / out
    with tempfile.TemporaryDirectory(prefix="qda-chrome-") as profile:
        try:
            shots = take(catalog.outputs / "report", Path(profile), site)
        except WebDriverException as exc:  # a browser that will not start: a message
            raise click.ClickException(f"the browser failed: {str(exc).splitlines()[0]}") \
                from None
    written = catalog.write_report("screenshots", {folder / n: b for n, b in shots.items()},
                                   command_provenance("screenshots", cfg, catalog, ["report"]))
    for path in written:
        click.echo(f"{catalog.rel(path)}  ({path.stat().st_size // 1024} KB)")


def commands() -> list[Any]:
    return [coding_report, agreement, evaluate_compare, evaluate_coding, tune_coding, bench,
            screenshots]
