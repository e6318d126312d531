"""Commands that exchange data with other tools: REFI-QDA and table exports."""
from __future__ import annotations

from pathlib import Path

import click

from pipeline import __version__
from pipeline.cli.common import CONTEXT, project_options, write_bytes, write_new
from pipeline.codebook.model import load_codebook
from pipeline.codebook.writer import to_yaml
from pipeline.core.catalog import Catalog
from pipeline.core.registry import STAGES
from pipeline.exchange.refi_export import build_project, checked_qdc, checked_qdpx
from pipeline.exchange.tables import (
    choose_tables,
    prepare,
    summary,
    to_csv_bytes,
    to_parquet_bytes,
    to_xlsx_bytes,
)
from pipeline.formats.refi.codebook import import_qdc
from pipeline.formats.refi.project import import_qdpx


@click.group(context_settings=CONTEXT)
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


@click.command("export")
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


