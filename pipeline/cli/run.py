"""Commands that run the analysis or look at it: analyze, one per stage, validate, status,
config."""
from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import click

from pipeline.cli.common import CONTEXT, print_problems, project_options
from pipeline.core.registry import BY_NAME, STAGES, Stage, upstream, with_renders

if TYPE_CHECKING:
    from pipeline.core.catalog import Catalog
    from pipeline.core.config import Config


def run_stages(catalog: Catalog, cfg: Config, stages: Iterable[Stage],
               force: bool | Iterable[str], quiet: bool) -> None:
    """Run the stages (each only if out of date) and print the summary."""
    from pipeline.cli.output import print_summary
    from pipeline.core.runner import Runner

    echo = (lambda s: None) if quiet else (lambda s: click.echo(s, err=True))
    start = time.perf_counter()
    reports = Runner(catalog, cfg, echo=echo).run(stages, force=force)
    print_summary(reports, catalog, time.perf_counter() - start, quiet=quiet)
    if not quiet and any(r.name == "documents" and r.status == "ran" for r in reports):
        click.echo(f"Case summaries in {catalog.rel(catalog.outputs)}/cases/ and "
                   f"{catalog.rel(catalog.outputs)}/cross_case.md (Markdown and DOCX).")
    if not quiet and any(r.name == "report" and r.status == "ran" for r in reports):
        click.echo(f"Browsable report: {catalog.rel(catalog.outputs)}/report/index.html "
                   f"(confidential: it holds the transcripts; do not share it).")
    if not quiet and any(r.name == "packet_documents" and r.status == "ran" for r in reports):
        click.echo(f"Member-check packets in {catalog.rel(catalog.outputs)}/member_check/ "
                   f"(qda member-check prepare --site SITE hands one out).")


def where_options(func: Callable) -> Callable:
    """--workers and --dask: where per-transcript work runs ([run]; never changes a result)."""
    func = click.option("--dask", metavar="SCHEDULER", default=None,
                        help="Run the per-transcript work on Dask: 'local' starts a cluster "
                             "on this machine, tcp://host:8786 uses a running scheduler "
                             "([run] dask).")(func)
    return click.option("--workers", type=click.IntRange(0, 1024), default=None,
                        help="Processes for the per-transcript work (0 = one per core on a "
                             "large corpus, 1 = none; [run] workers).")(func)


def with_where(cfg: Config, workers: int | None, dask: str | None) -> Config:
    given = {k: v for k, v in (("workers", workers), ("dask", dask)) if v is not None}
    return cfg.with_section("run", **given) if given else cfg


@click.command()
@click.option("--force", "-f", is_flag=True, help="Re-run every stage even if up to date.")
@where_options
@project_options
def analyze(catalog: Catalog, cfg: Config, quiet: bool, force: bool, workers: int | None,
            dask: str | None) -> None:
    """Run the whole analysis; stages whose inputs, parameters and code are unchanged are
    skipped.

    \b
    Example:
      qda analyze
      qda analyze --set segment.max_words=80
      qda analyze --dask local
    """
    run_stages(catalog, with_where(cfg, workers, dask), STAGES, force, quiet)


def stage_command(name: str) -> click.Command:
    """`qda <stage>`: the stage, any out-of-date stage before it, and the documents or
    figures drawn from it."""
    stage = BY_NAME[name]

    @click.option("--force", "-f", is_flag=True, help=f"Re-run {name} even if up to date.")
    @where_options
    @project_options
    def command(catalog: Catalog, cfg: Config, quiet: bool, force: bool, workers: int | None,
                dask: str | None) -> None:
        run_stages(catalog, with_where(cfg, workers, dask), with_renders(upstream([name])),
                   {name} if force else (), quiet)

    renders = [s.name for s in with_renders(upstream([name])) if s.render and s.name != name]
    also = f" Then draws {' and '.join(renders)}." if renders else ""
    command.__doc__ = (f"Run the {name} stage ({stage.description}), after any earlier stage "
                       f"that is out of date.{also}\n\n\b\nExample:\n  qda {name}\n")
    return click.command(name=name)(command)


@click.command()
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@project_options(lock=False)
def validate(catalog: Catalog, cfg: Config, quiet: bool, strict: bool) -> None:
    """Check the corpus, codebooks, human codings and decisions; list every problem at once;
    writes nothing.

    Exit code 1 when there are errors (or warnings, with --strict). Human codings are checked
    against the transcripts once the corpus itself has no errors.

    \b
    Example:
      qda validate
    """
    from pipeline.stages.ingest import collect

    study, docs, problems = collect(catalog.read_corpus(), cfg.params("ingest"))
    corpus_ok = study is not None and not any(p.is_error for p in problems)
    problems += _check_researcher_files(catalog, (study, docs) if corpus_ok else None)
    print_problems(problems)
    n_err = sum(p.is_error for p in problems)
    n_warn = len(problems) - n_err
    click.echo(f"{len(docs)} transcript(s), the codebooks, codings, decisions, "
               f"interpretations and redaction list checked: {n_err} error(s), {n_warn} "
               f"warning(s).")
    if n_err or (strict and n_warn):
        sys.exit(1)


def _check_researcher_files(catalog: Catalog, read: tuple | None) -> list:
    """Problems in codebooks/: codebook YAML, human codings (against the transcripts the
    corpus check just read, when it has no errors), and decisions.yml."""
    from pipeline.core.errors import InputError
    from pipeline.stages.compare import parse as parse_decisions

    problems: list = []
    decisions = catalog.read_decisions()
    problems += parse_decisions(decisions.text, decisions.path)[1]
    problems += _check_member_files(catalog, read)
    if read is None:
        click.echo("note: human codings are checked once the corpus has no errors", err=True)
        return problems
    from pipeline.stages.code import load_inputs
    from pipeline.stages.ingest import build_tables

    tables = build_tables(*read)
    try:
        problems += load_inputs(tables["transcripts"], catalog.read_codebooks())[2]
    except InputError as exc:
        problems += exc.problems
    return problems


def _check_member_files(catalog: Catalog, read: tuple | None) -> list:
    """Problems in corpus/redact.csv and codebooks/interpretations/ (theme ids are checked
    against the last analysis's themes, when there is one)."""
    from pipeline.core.errors import InputError
    from pipeline.member import read_interpretations
    from pipeline.privacy import read_redaction_list

    problems: list = []
    for f in catalog.read_redaction().files:
        try:
            read_redaction_list(f.data, f.path)
        except InputError as exc:
            problems += exc.problems
    sites = set(read[0].site_codes) if read is not None else None
    themes = set(catalog.load("themes")["theme_id"]) if catalog.exists("themes") else None
    interpretations = catalog.read_interpretations()
    _, more = read_interpretations(interpretations, sites or {
        f.path.rsplit("/", 1)[-1].rsplit(".", 1)[0] for f in interpretations.files},
        themes if themes is not None else _any_theme())
    return problems + more


class _any_theme(set):
    """Every theme id is known (before the first analysis there is no themes table)."""

    def __contains__(self, item: object) -> bool:
        return True


@click.command()
@project_options(lock=False)
def status(catalog: Catalog, cfg: Config, quiet: bool) -> None:
    """Say which stages are up to date and what the outputs hold.

    \b
    Example:
      qda status
    """
    from pipeline.cli.output import status_lines
    from pipeline.core.runner import Runner

    for line in status_lines(Runner(catalog, cfg), catalog):
        click.echo(line)


@click.group(context_settings=CONTEXT)
def config() -> None:
    """Show the parameters (defaults, analysis.cfg and --set)."""


@config.command("show")
@project_options(lock=False)
def config_show(catalog: Catalog, cfg: Config, quiet: bool) -> None:
    """Print every parameter with its meaning and valid range, as a config file.

    The output is a valid analysis.cfg; keep only the lines you change.

    \b
    Example:
      qda config show
      qda config show --set compare.join_threshold=0.6
    """
    from pipeline.core.config import describe

    click.echo(describe(cfg), nl=False)


def commands() -> list[Any]:
    return [analyze, *(stage_command(s.name) for s in STAGES), validate, status, config]
