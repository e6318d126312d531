"""`qda review prepare` and `qda review ingest`: the loop that turns machine suggestions into
confirmed codings (accepted) or negative examples (rejected)."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.cli.common import CONTEXT, command_provenance, print_problems, project_options

if TYPE_CHECKING:
    from pipeline.core.catalog import Catalog
    from pipeline.core.config import Config

REVIEWS = "reviews"


def _rounds(catalog: Catalog) -> int:
    folder = catalog.codebooks_dir / REVIEWS
    found = [int(m.group(1)) for p in folder.glob("round-*.csv")
             if (m := re.match(r"round-(\d+)", p.name))]
    return max(found, default=0)


@click.group(context_settings=CONTEXT)
def review() -> None:
    """Review machine suggestions: accepted ones become confirmed codings."""


@review.command("prepare")
@click.option("--n", "n", default=40, show_default=True, help="Suggestions in the sheet.")
@click.option("--site", "sites", multiple=True, metavar="SITE", help="Only this site "
              "(repeatable).")
@project_options
def review_prepare(catalog: Catalog, cfg: Config, quiet: bool, n: int,
                   sites: tuple[str, ...]) -> None:
    """Write a review sheet (XLSX and CSV) of the suggestions that teach the model most.

    Run `qda analyze` first. Fill the decision column with accept or reject (leave it empty
    to skip a row), then `qda review ingest` the sheet. A decided suggestion is never asked
    about again.

    \b
    Example:
      qda review prepare --n 30 --site O3
    """
    from pipeline.exchange.review import sheet, to_csv, to_xlsx

    round_no = _rounds(catalog) + 1
    table = sheet(catalog.load("suggestions"), catalog.load("segments"),
                  catalog.load("codes"), round_no, n, sites)
    if table.empty:
        raise click.ClickException("no suggestions await review" + (
            f" at {', '.join(sites)}" if sites else ""))
    base = catalog.output_path(f"review/round-{round_no}")
    files = {base.with_suffix(".xlsx"): to_xlsx(table), base.with_suffix(".csv"): to_csv(table)}
    catalog.write_report("review-prepare", files, command_provenance(
        "review prepare", cfg, catalog, ["suggestions", "segments", "codes"]))
    click.echo(f"{len(table)} suggestions (round {round_no}) written to "
               f"{catalog.rel(base.with_suffix('.xlsx'))} and .csv. Write accept or reject "
               f"in the decision column, then: qda review ingest FILE --reviewer NAME")


@review.command("ingest")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reviewer", default="", help="Who decided (for rows without a reviewer).")
@project_options
def review_ingest(catalog: Catalog, cfg: Config, quiet: bool, file: Path, reviewer: str
                  ) -> None:
    """Check a filled review sheet completely and store its decisions in codebooks/reviews/.

    Nothing is stored when any row is wrong (each problem is listed with its row). Earlier
    rounds are never overwritten. The next `qda analyze` applies the decisions.

    \b
    Example:
      qda review ingest outputs/review/round-1.xlsx --reviewer ana
    """
    from pipeline.exchange.review import check_sheet, read_sheet, stored_csv

    try:
        table = read_sheet(file.read_bytes(), file.name)
    except (ValueError, KeyError, OSError) as exc:
        raise click.ClickException(f"{file}: cannot read the sheet ({exc})") from None
    codes = set(catalog.load("codes")["code_id"])
    checked = check_sheet(table, str(file), catalog.load("segments"), codes, reviewer,
                          dt.date.today().isoformat())
    if checked.problems:
        print_problems(checked.problems, err=True)
        raise click.ClickException(f"{len(checked.problems)} problem(s) in the sheet; "
                                   f"nothing was stored")
    target = _target(catalog, checked.round_no or _rounds(catalog) + 1,
                     checked.decided["reviewer"].iloc[0])
    catalog.write_new(target, stored_csv(checked.decided))
    counts = checked.decided["decision"].value_counts()
    click.echo(f"{int(counts.get('accept', 0))} accepted, {int(counts.get('reject', 0))} "
               f"rejected: stored in {catalog.rel(target)}. Run `qda analyze` to apply them.")


def _target(catalog: Catalog, round_no: int, reviewer: str) -> Path:
    slug = re.sub(r"[^a-z0-9]+", "-", reviewer.lower()).strip("-") or "reviewer"
    folder = catalog.codebooks_dir / REVIEWS
    path, k = folder / f"round-{round_no}-{slug}.csv", 2
    while path.exists():   # a second sheet of the same round never replaces the first
        path, k = folder / f"round-{round_no}-{slug}-{k}.csv", k + 1
    return path


def commands() -> list[click.Command]:
    return [review]
