"""`qda codebook check` and `qda codebook show`."""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from pipeline.cli.common import CONTEXT, print_problems, project_options

if TYPE_CHECKING:
    from pipeline.core.catalog import Catalog
    from pipeline.core.config import Config


@click.group(context_settings=CONTEXT)
def codebook() -> None:
    """Show or check the codebooks in codebooks/*.yml."""


@codebook.command("check")
@project_options(lock=False)
def codebook_check(catalog: Catalog, cfg: Config, quiet: bool) -> None:
    """Validate every codebook; list each problem with file, code and line (exit 1 on errors).

    \b
    Example:
      qda codebook check
    """
    from pipeline.codebook import build_codebook

    inputs = catalog.read_codebooks()
    book, problems = build_codebook(list(inputs.codebook_files))
    print_problems(problems)
    click.echo(f"{len(inputs.codebook_files)} codebook file(s), {len(book.codes)} code(s) "
               f"({len(book.codable)} codable): {len(problems)} problem(s).")
    if any(p.is_error for p in problems):
        sys.exit(1)


@codebook.command("show")
@click.option("--details", "-d", is_flag=True, help="Also print definitions and keywords.")
@project_options(lock=False)
def codebook_show(catalog: Catalog, cfg: Config, quiet: bool, details: bool) -> None:
    """Print the code tree.

    \b
    Example:
      qda codebook show -d
    """
    from pipeline.cli.output import tree_lines
    from pipeline.codebook import build_codebook

    book, problems = build_codebook(list(catalog.read_codebooks().codebook_files))
    for line in tree_lines(book, details):
        click.echo(line)
    if problems:
        click.echo(f"({len(problems)} problem(s): run `qda codebook check`)", err=True)
