"""Command-line interface: ``qda`` (also ``python -m pipeline``)."""
from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from pipeline import __version__
from pipeline.artifacts import write_documents, write_figures
from pipeline.catalog import Catalog, atomic_write
from pipeline.codebook import CodebookError, build_codebook, load_codebook
from pipeline.codebook_yaml import to_yaml
from pipeline.coding import CodeParams, load_inputs
from pipeline.compare import CompareParams
from pipeline.compare_eval import best_setting, evaluate, primary_codes
from pipeline.compare_eval import sweep as compare_sweep
from pipeline.config import load_config, stage_params
from pipeline.errors import InputError, PipelineError, Problem
from pipeline.export import (
    choose_tables,
    prepare,
    summary,
    to_csv_bytes,
    to_parquet_bytes,
    to_xlsx_bytes,
)
from pipeline.human_codings import spans_to_segments
from pipeline.ingest import IngestParams, collect
from pipeline.refi_build import build_project, checked_qdc, checked_qdpx
from pipeline.refi_codebook import import_qdc
from pipeline.refi_project import import_qdpx
from pipeline.registry import BY_NAME, STAGES, upstream
from pipeline.report import (
    coding_quality_markdown,
    evaluation_lines,
    print_problems,
    print_summary,
    status_lines,
    tree_lines,
)
from pipeline.represent import RepresentParams
from pipeline.runner import Runner
from pipeline.tuning import sweep, sweep_model

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 99}


def project_options(func: Callable) -> Callable:
    """Options every command shares: project folder, config file, overrides, quiet."""
    @click.option("--project", "-p", type=click.Path(file_okay=False, path_type=Path),
                  default=".", show_default=True, help="Project folder (holds corpus/).")
    @click.option("--config", "-c", "config_path", type=click.Path(path_type=Path),
                  default="analysis.cfg", show_default=True,
                  help="Parameter overrides; a missing file means none.")
    @click.option("--set", "overrides", multiple=True, metavar="SECTION.KEY=VALUE",
                  help="Override one parameter, e.g. --set segment.max_words=100.")
    @click.option("--quiet", "-q", is_flag=True, help="Print only errors and the summary.")
    @functools.wraps(func)
    def wrapper(project: Path, config_path: Path, overrides: tuple[str, ...], quiet: bool,
                **kwargs):
        try:
            cfg_file = config_path if config_path.is_absolute() else project / config_path
            cfg = load_config(cfg_file, overrides)
            catalog = Catalog(project, cfg["paths"])
            return func(catalog=catalog, cfg=cfg, quiet=quiet, **kwargs)
        except InputError as exc:
            print_problems(exc.problems, err=True)
            raise click.ClickException(
                f"{sum(p.is_error for p in exc.problems)} error(s) in the input; nothing was "
                f"written. Fix them and run again (`qda validate` lists them).") from None
        except CodebookError as exc:
            print_problems(exc.problems, err=True)
            raise click.ClickException("the codebook has errors (see above)") from None
        except (PipelineError, FileNotFoundError, ValueError) as exc:
            raise click.ClickException(str(exc)) from None
    return wrapper


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version")
def cli() -> None:
    """qda: reproducible qualitative analysis of research interviews.

    Transcripts in corpus/ go through the stages ingest -> segment; tables land in outputs/.

    \b
    Example:
      qda validate          # check the corpus, list every problem
      qda analyze           # run every stage that is out of date
      qda status            # what is up to date, with counts
    """


def _run(catalog: Catalog, cfg: dict, stages, force: bool, quiet: bool) -> None:
    runner = Runner(catalog, cfg, echo=(lambda s: None) if quiet else
                    (lambda s: click.echo(s, err=True)))
    start = time.perf_counter()
    reports = runner.run(tuple(stages), force=force)
    files = write_figures(catalog) + write_documents(catalog)
    print_summary(reports, catalog, time.perf_counter() - start, quiet=quiet)
    if files and not quiet:
        click.echo(f"Wrote {len(files)} figure and document file(s), e.g. "
                   f"{catalog.rel(files[0])}; case summaries in outputs/cases/.")


@cli.command()
@click.option("--force", "-f", is_flag=True, help="Re-run every stage even if up to date.")
@project_options
def analyze(catalog: Catalog, cfg: dict, quiet: bool, force: bool) -> None:
    """Run the whole analysis; stages whose inputs and parameters are unchanged are skipped.

    \b
    Example:
      qda analyze
      qda analyze --set segment.max_words=80
    """
    _run(catalog, cfg, STAGES, force, quiet)


def _stage_command(name: str) -> None:
    @click.option("--force", "-f", is_flag=True, help="Re-run even if up to date.")
    @project_options
    def command(catalog: Catalog, cfg: dict, quiet: bool, force: bool) -> None:
        stages = upstream(name)
        _run(catalog, cfg, stages[:-1], False, True)
        _run(catalog, cfg, stages[-1:], force, quiet)
    command.__doc__ = (f"Run the {name} stage ({BY_NAME[name].description}), after any "
                       f"earlier stage that is out of date.\n\n\b\nExample:\n  qda {name}\n")
    cli.command(name=name)(command)


for _stage in STAGES:
    _stage_command(_stage.name)


@cli.command()
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@project_options
def validate(catalog: Catalog, cfg: dict, quiet: bool, strict: bool) -> None:
    """Check the corpus and list every problem at once; writes nothing.

    Exit code 1 when there are errors (or warnings, with --strict).

    \b
    Example:
      qda validate
    """
    corpus = catalog.read_corpus()
    _, docs, problems = collect(corpus, stage_params(cfg, "ingest", IngestParams))
    print_problems(problems)
    n_err = sum(p.is_error for p in problems)
    n_warn = len(problems) - n_err
    click.echo(f"{len(docs)} transcript(s) checked: {n_err} error(s), {n_warn} warning(s).")
    if n_err or (strict and n_warn):
        sys.exit(1)


@cli.command()
@project_options
def status(catalog: Catalog, cfg: dict, quiet: bool) -> None:
    """Say which stages are up to date and what the outputs hold.

    \b
    Example:
      qda status
    """
    for line in status_lines(Runner(catalog, cfg), catalog):
        click.echo(line)


@cli.group(context_settings=CONTEXT)
def codebook() -> None:
    """Show or check the codebooks in codebooks/*.yml."""


@codebook.command("check")
@project_options
def codebook_check(catalog: Catalog, cfg: dict, quiet: bool) -> None:
    """Validate every codebook; list each problem with file, code and line (exit 1 on errors).

    \b
    Example:
      qda codebook check
    """
    inputs = catalog.read_codebooks()
    book, problems = build_codebook(list(inputs.codebook_files))
    print_problems(problems)
    click.echo(f"{len(inputs.codebook_files)} codebook file(s), {len(book.codes)} code(s) "
               f"({len(book.codable)} codable): {len(problems)} problem(s).")
    if any(p.is_error for p in problems):
        sys.exit(1)


@codebook.command("show")
@click.option("--details", "-d", is_flag=True, help="Also print definitions and keywords.")
@project_options
def codebook_show(catalog: Catalog, cfg: dict, quiet: bool, details: bool) -> None:
    """Print the code tree.

    \b
    Example:
      qda codebook show -d
    """
    book, problems = build_codebook(list(catalog.read_codebooks().codebook_files))
    for line in tree_lines(book, details):
        click.echo(line)
    if problems:
        click.echo(f"({len(problems)} problem(s): run `qda codebook check`)", err=True)


@cli.group(context_settings=CONTEXT)
def refi() -> None:
    """Exchange codebooks (.qdc) and projects (.qdpx) with NVivo, ATLAS.ti, MAXQDA (REFI-QDA)."""


@refi.command("export-codebook")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Where to write (default: outputs/codebook.qdc).")
@project_options
def refi_export_codebook(catalog: Catalog, cfg: dict, quiet: bool, output: Path | None
                         ) -> None:
    """Write the codebook as a REFI-QDA .qdc file, validated against the schema.

    \b
    Example:
      qda refi export-codebook -o lfm.qdc
    """
    book = load_codebook(list(catalog.read_codebooks().codebook_files))
    path = write_bytes(catalog, output, "codebook.qdc", checked_qdc(book))
    click.echo(f"{len(book.codes)} codes written to {path} (valid against Codebook.xsd).")


@refi.command("export-project")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Where to write (default: outputs/project.qdpx).")
@click.option("--auto/--no-auto", default=False, show_default=True,
              help="Also include automatic codings (coders auto-pattern, auto-similarity...).")
@project_options
def refi_export_project(catalog: Catalog, cfg: dict, quiet: bool, output: Path | None,
                        auto: bool) -> None:
    """Write transcripts, sites (as cases), codebook and codings as a REFI-QDA .qdpx project.

    Run `qda analyze` first. Human codings keep their exact spans; automatic ones cover
    their segments.

    \b
    Example:
      qda refi export-project --auto -o study.qdpx
    """
    _export_project(catalog, output, auto, "project.qdpx")


def _export_project(catalog: Catalog, output: Path | None, auto: bool, default: str) -> None:
    """The .qdpx export behind both `qda refi export-project` and `qda export --format qdpx`."""
    book = load_codebook(list(catalog.read_codebooks().codebook_files))
    auto_rows = None
    if auto:
        codings = catalog.load("codings")
        segs = catalog.load("segments")[["segment_id", "start_char", "end_char"]]
        auto_rows = codings[codings["source"].str.startswith("auto:")].merge(segs,
                                                                            on="segment_id")
    project = build_project(book.name, book, catalog.load("transcripts"),
                            catalog.load("sites"), catalog.load("human_codings"), auto_rows)
    path = write_bytes(catalog, output, default, checked_qdpx(project))
    click.echo(f"{len(project.sources)} sources, {len(project.codings)} codings, "
               f"{len(project.cases)} cases written to {path} (valid against the schema).")


@refi.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Codebook YAML to write (default: codebooks/<file name>.yml).")
@project_options
def refi_import(catalog: Catalog, cfg: dict, quiet: bool, file: Path, output: Path | None
                ) -> None:
    """Import a .qdc codebook or a .qdpx project's codebook as codebooks/<name>.yml.

    Existing files are never overwritten. A .qdpx whose sources are this corpus's transcripts
    (named by citation ID) is also copied to codebooks/codings/, so its codings count as
    human codings on the next `qda analyze`.

    \b
    Example:
      qda refi import coded_in_nvivo.qdpx
    """
    data = file.read_bytes()
    losses: list[str] = []
    if file.suffix.lower() == ".qdpx":
        project, losses = import_qdpx(data, file.name)
        book = project.codebook
    else:
        book = import_qdc(data, file.name, losses)
    target = output or catalog.codebooks_dir / f"{file.stem}.yml"
    note = f"Imported from {file.name} by qda {__version__}; edit freely."
    write_new(target, to_yaml(book, note).encode())
    click.echo(f"{len(book.codes)} codes written to {catalog.rel(target)}.")
    for loss in losses:
        click.echo(f"  not carried over: {loss}")
    if file.suffix.lower() == ".qdpx":
        names = set(catalog.load("transcripts")["citation_id"]) if catalog.exists(
            "transcripts") else set()
        if project.sources and {s.name for s in project.sources} <= names:
            copy = catalog.codebooks_dir / "codings" / file.name
            write_new(copy, data)
            click.echo(f"{len(project.codings)} codings: copied to {catalog.rel(copy)}.")


EXPORT_FORMATS = ("csv", "xlsx", "parquet", "qdpx")
TABLE_ORDER = tuple(out for stage in STAGES for out in stage.outputs)  # sheet/summary order


@cli.command("export")
@click.argument("tables", nargs=-1, metavar="[TABLE]...")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS, case_sensitive=False),
              default="csv", show_default=True,
              help="csv/parquet: one file per table; xlsx: one workbook; qdpx: the project.")
@click.option("--site", "sites", multiple=True, metavar="SITE",
              help="Keep only this site's rows (repeatable; tables with a site column).")
@click.option("--theme", "themes", multiple=True, metavar="ID",
              help="Keep only this theme's rows (repeatable; tables with a theme_id column).")
@click.option("--wide", is_flag=True, help="Pivot theme_matrix (site x theme), role_matrix "
              "(role x theme) and cooccurrence (code x code); other tables stay long.")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="csv/parquet: a folder; xlsx/qdpx: a file (default: in outputs/exports/).")
@project_options
def export(catalog: Catalog, cfg: dict, quiet: bool, tables: tuple[str, ...], fmt: str,
           sites: tuple[str, ...], themes: tuple[str, ...], wide: bool, output: Path | None
           ) -> None:
    """Export tables for Excel, R or SPSS (CSV, XLSX, parquet), or the project as .qdpx.

    Without TABLE: every table in outputs/ except internal ones (segment_vectors). CSV keeps
    the pipeline's column names (UTF-8 with BOM); XLSX has one sheet per table with readable
    headers. --format qdpx is `qda refi export-project` (human codings) into outputs/exports/.

    \b
    Example:
      qda export                              # outputs/exports/<table>.csv
      qda export segments codings --site O3 --format xlsx
      qda export theme_matrix --wide --format xlsx -o themes.xlsx
    """
    fmt = fmt.lower()
    if fmt == "qdpx":
        if tables or sites or themes or wide:
            raise click.UsageError("--format qdpx exports the whole project: TABLE, --site, "
                                   "--theme and --wide do not apply")
        _export_project(catalog, output, False, "exports/project.qdpx")
        return
    names = choose_tables(tables, catalog.tables(), TABLE_ORDER)
    frames, notes = prepare({n: catalog.load(n) for n in names}, list(sites), list(themes),
                            wide)
    for note in notes:   # even with -q: an ignored filter changes what the files mean
        click.echo(f"note: {note}", err=True)
    click.echo(summary(frames, fmt, _write_export(catalog, frames, fmt, output)))


def _write_export(catalog: Catalog, frames: dict, fmt: str, output: Path | None) -> str:
    """Write the export; every file is built before the first is written. Returns where."""
    if fmt == "xlsx":
        target = output / "tables.xlsx" if output is not None and output.is_dir() else output
        data = to_xlsx_bytes(frames)
        return catalog.rel(Path(write_bytes(catalog, target, "exports/tables.xlsx", data)))
    folder = output if output is not None else catalog.outputs / "exports"
    if folder.is_file():
        raise click.ClickException(f"{folder} is a file; for {fmt}, --output is a folder")
    writer = to_csv_bytes if fmt == "csv" else to_parquet_bytes
    files = {folder / f"{name}.{fmt}": writer(df) for name, df in frames.items()}
    for path, data in files.items():
        write_bytes(catalog, path, "", data)
    return catalog.rel(folder) + "/"


@cli.command("coding-report")
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


@cli.command("evaluate-compare")
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


@cli.command("tune-coding")
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


def write_bytes(catalog: Catalog, output: Path | None, default: str, data: bytes) -> str:
    """Write to `output`, or to outputs/<default>; returns the path written."""
    return str(catalog.write_bytes(output if output is not None else
                                   catalog.outputs / default, data))


def write_new(path: Path, data: bytes) -> None:
    """Write a file a researcher will own; never replace an existing one."""
    if path.exists():
        raise click.ClickException(f"{path} already exists; choose another name with -o "
                                   f"(researcher-written files are never overwritten)")
    atomic_write(path, lambda tmp: tmp.write_bytes(data))


def main() -> None:
    cli(prog_name="qda")


__all__ = ["cli", "main", "Problem"]
