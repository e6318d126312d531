"""The `qda` command group (also ``python -m pipeline``)."""
from __future__ import annotations

import click

from pipeline import __version__
from pipeline.cli import codebook, exchange, measure, member, review, run
from pipeline.cli.common import CONTEXT


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version")
def cli() -> None:
    """qda: reproducible qualitative analysis of research interviews.

    Transcripts in corpus/ go through ingest, segment, code, represent, compare, themes and
    cases; figures and case documents are drawn from the tables. Everything lands in
    outputs/.

    \b
    Example:
      qda validate          # check the corpus, list every problem
      qda analyze           # run every stage that is out of date
      qda status            # what is up to date, with counts
    """


for _command in (*run.commands(), codebook.codebook, *review.commands(),
                 *exchange.commands(), *measure.commands(), *member.commands()):
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="qda")
