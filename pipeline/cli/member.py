"""`qda member-check prepare | serve | ingest`: packets for a site's participants, the page
for the session, and the filled response sheets back in. What participants answer is stored
under codebooks/member_checks/ and never overwritten; the next `qda analyze` applies it."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.cli.common import CONTEXT, print_problems, project_options

if TYPE_CHECKING:
    from pipeline.core.catalog import Catalog
    from pipeline.core.config import Config

PACKET_FILES = ("packet.md", "packet.docx", "packet.html", "sheet.xlsx", "sheet.csv")


@click.group("member-check", context_settings=CONTEXT)
def member_check() -> None:
    """Member checking: a redacted packet per site, the session page, response sheets.

    \b
    A round, start to end:
      qda member-check prepare --site O3      # packet + blank sheet, round n
      qda member-check serve --site O3        # the page for the meeting (127.0.0.1)
      qda member-check ingest filled.xlsx     # or: answers on paper, typed into the sheet
      qda analyze                             # applies them; outputs/member_check_report.md
    """


@member_check.command("prepare")
@click.option("--site", "sites", multiple=True, metavar="SITE", help="Site (repeatable).")
@click.option("--all", "all_sites", is_flag=True, help="Every site with confirmed themes.")
@project_options
def prepare(catalog: Catalog, cfg: Config, quiet: bool, sites: tuple[str, ...],
            all_sites: bool) -> None:
    """Write the next round's packet for a site (Markdown, DOCX, HTML) and its blank
    response sheet (XLSX, CSV) into codebooks/member_checks/<site>/round-<n>/.

    The packet holds the site's confirmed themes only, with their interpretations
    (codebooks/interpretations/<site>.yml, or the generated synthesis, marked so) and
    supporting quotes, names redacted. Out-of-date stages run first.

    \b
    Example:
      qda member-check prepare --site O3
      qda member-check prepare --all
    """
    from pipeline.cli.run import run_stages
    from pipeline.core.registry import upstream

    if bool(sites) == all_sites:
        raise click.UsageError("name a site with --site SITE, or use --all")
    run_stages(catalog, cfg, upstream(["packet_documents"]), (), quiet)
    items = catalog.load("packet_items")
    files = catalog.load_files("packet_documents")
    known = sorted(set(items["site"]), key=lambda s: (len(s), s))
    wanted = known if all_sites else list(sites)
    unknown = [s for s in wanted if s not in known]
    if unknown:
        raise click.ClickException(
            f"no packet for {', '.join(unknown)}: a packet needs confirmed themes (human "
            f"codings or accepted categories); sites with a packet: {', '.join(known)}")
    for site in wanted:
        mine = items[items["site"] == site].sort_values("order")
        folder = _write_round(catalog, site, int(mine["round"].iloc[0]), mine, files)
        click.echo(f"{site}: round {int(mine['round'].iloc[0])}, {len(mine)} items in "
                   f"{catalog.rel(folder)}/ (packet.md, .docx, .html; sheet.xlsx, .csv)")
    click.echo("Next: qda member-check serve --site SITE (at the meeting), or fill the sheet "
               "and run qda member-check ingest FILE; then qda analyze.")


def _write_round(catalog: Catalog, site: str, round_no: int, items, files: dict) -> Path:
    from pipeline.member import ITEM_COLUMNS

    folder = catalog.member_checks_dir() / site / f"round-{round_no}"
    if folder.exists():
        raise click.ClickException(f"{catalog.rel(folder)} exists already; nothing written")
    data = {"items.csv": items[ITEM_COLUMNS].to_csv(index=False, lineterminator="\n")
            .encode("utf-8")}
    data |= {name: files[f"member_check/{site}/{name}"] for name in PACKET_FILES}
    for name, content in data.items():
        catalog.write_new(folder / name, content)
    return folder


@member_check.command("ingest")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--site", default=None, help="Refuse the sheet unless it is this site's.")
@project_options
def ingest(catalog: Catalog, cfg: Config, quiet: bool, file: Path, site: str | None) -> None:
    """Check a filled response sheet (XLSX or CSV) completely, then store it beside the
    round's session responses.

    Nothing is stored when any row is wrong: unknown items, another site's items, a
    response other than agree/disagree/revise/withdraw, revise without the revised text,
    a withdrawal by someone other than the person quoted (each listed with its row).
    Earlier sheets and rounds are never overwritten. The next `qda analyze` applies it.

    \b
    Example:
      qda member-check ingest codebooks/member_checks/O3/round-1/filled.xlsx --site O3
    """
    from pipeline.member import check_sheet, load_rounds, read_table, stored_csv

    data = file.read_bytes()
    try:
        table = read_table(data, file.name)
    except (ValueError, KeyError, OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{file}: cannot read the sheet ({exc})") from None
    rounds = load_rounds(catalog.read_member_checks())
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    checked = check_sheet(table, str(file), rounds.items, catalog.load("participants"), now,
                          site)
    if checked.problems:
        print_problems(checked.problems, err=True)
        raise click.ClickException(f"{len(checked.problems)} problem(s) in the sheet; "
                                   f"nothing was stored")
    folder = catalog.member_checks_dir() / checked.site / f"round-{checked.round_no}"
    digest = hashlib.sha256(data).hexdigest()[:12]
    originals = folder / "sheets" / "originals"
    if any(digest in p.name for p in originals.glob("*")):
        raise click.ClickException(f"{file.name} was ingested already (same content); "
                                   f"nothing stored")
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", file.stem).strip("-") or "sheet"
    target = _free(folder / "sheets", stem, ".csv")
    catalog.write_new(target, stored_csv(checked.responses))
    catalog.write_new(originals / f"{target.stem}-{digest}{file.suffix.lower()}", data)
    counts = checked.responses["response"].value_counts()
    click.echo(f"{checked.site} round {checked.round_no}: {len(checked.responses)} answers ("
               + ", ".join(f"{int(n)} {r}" for r, n in counts.items())
               + f") stored in {catalog.rel(target)}. Run `qda analyze` to apply them.")


def _free(folder: Path, stem: str, suffix: str) -> Path:
    path, k = folder / f"{stem}{suffix}", 2
    while path.exists():   # a second sheet never replaces the first
        path, k = folder / f"{stem}-{k}{suffix}", k + 1
    return path


def commands() -> list[click.Command]:
    try:
        from pipeline.cli.member_serve import serve
    except ImportError:  # pragma: no cover - the session page is part of the package
        serve = None
    if serve is not None and "serve" not in member_check.commands:
        member_check.add_command(serve, "serve")
    return [member_check]
