"""Command-line interface: ``qda`` (also ``python -m pipeline``)."""
from __future__ import annotations

import sys
import time

import click

from pipeline import __version__
from pipeline.cli.common import CONTEXT, project_options
from pipeline.cli.exchange import export, refi
from pipeline.cli.measure import coding_report, evaluate_compare, tune_coding
from pipeline.cli.output import (
    print_problems,
    print_summary,
    status_lines,
    tree_lines,
)
from pipeline.codebook.model import build_codebook
from pipeline.core.catalog import Catalog
from pipeline.core.config import stage_params
from pipeline.core.errors import Problem
from pipeline.core.registry import BY_NAME, STAGES, upstream
from pipeline.core.runner import Runner
from pipeline.render.artifacts import write_documents, write_figures
from pipeline.stages.ingest.stage import IngestParams, collect


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version")
def cli() -> None:
    """qda: reproducible qualitative analysis of research interviews.

    Transcripts in corpus/ go through ingest, segment, code, represent, compare, themes and
    cases; tables, case summaries and figures land in outputs/.

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


for _command in (refi, export, coding_report, evaluate_compare, tune_coding):
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="qda")


__all__ = ["cli", "main", "Problem"]
