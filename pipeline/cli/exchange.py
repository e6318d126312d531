"""Commands that exchange data with other tools: REFI-QDA and table exports.

Every file goes through the catalog: exports and .qdc/.qdpx files with a provenance manifest
(never into corpus/ or codebooks/), imported codebooks as new files only.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pipeline.cli.common import CONTEXT, command_provenance, project_options
from pipeline.core.registry import OUTPUTS

if TYPE_CHECKING:
    from pipeline.core.catalog import Catalog
    from pipeline.core.config import Config


def _target(catalog: Catalog, output: Path | None, default: str) -> Path:
    return output if output is not None else catalog.output_path(default)


@click.group(context_settings=CONTEXT)
def refi() -> None:
    """Exchange codebooks (.qdc) and projects (.qdpx) with NVivo, ATLAS.ti, MAXQDA (REFI-QDA)."""


@refi.command("export-codebook")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Where to write (default: outputs/codebook.qdc).")
@project_options
def refi_export_codebook(catalog: Catalog, cfg: Config, quiet: bool, output: Path | None
                         ) -> None:
    """Write the codebook as a REFI-QDA .qdc file, validated against the schema.

    \b
    Example:
      qda refi export-codebook -o lfm.qdc
    """
    from pipeline.codebook import load_codebook
    from pipeline.exchange.refi_export import checked_qdc

    book = load_codebook(list(catalog.read_codebooks().codebook_files))
    path = _target(catalog, output, "codebook.qdc")
    catalog.write_report("refi-codebook", {path: checked_qdc(book)},
                         command_provenance("refi export-codebook", cfg, catalog))
    click.echo(f"{len(book.codes)} codes written to {catalog.rel(path)} (valid against "
               f"Codebook.xsd).")


@refi.command("export-project")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Where to write (default: outputs/project.qdpx).")
@click.option("--auto/--no-auto", default=False, show_default=True,
              help="Also include automatic codings (coders auto-pattern, auto-similarity...).")
@project_options
def refi_export_project(catalog: Catalog, cfg: Config, quiet: bool, output: Path | None,
                        auto: bool) -> None:
    """Write transcripts, sites (as cases), codebook and codings as a REFI-QDA .qdpx project.

    Run `qda analyze` first. Human codings keep their exact spans; automatic ones cover
    their segments.

    \b
    Example:
      qda refi export-project --auto -o study.qdpx
    """
    export_project(catalog, cfg, _target(catalog, output, "project.qdpx"), auto)


def export_project(catalog: Catalog, cfg: Config, path: Path, auto: bool) -> None:
    """The .qdpx export behind both `qda refi export-project` and `qda export --format qdpx`."""
    from pipeline.codebook import load_codebook
    from pipeline.exchange.refi_export import auto_spans, build_project, checked_qdpx

    book = load_codebook(list(catalog.read_codebooks().codebook_files))
    tables = ["transcripts", "sites", "human_codings"] + (["codings", "segments"] if auto
                                                          else [])
    auto_rows = auto_spans(catalog.load("codings"), catalog.load("segments")) if auto else None
    project = build_project(book.name, book, catalog.load("transcripts"),
                            catalog.load("sites"), catalog.load("human_codings"), auto_rows)
    catalog.write_report("refi-project", {path: checked_qdpx(project)},
                         command_provenance("refi export-project", cfg, catalog, tables))
    click.echo(f"{len(project.sources)} sources, {len(project.codings)} codings, "
               f"{len(project.cases)} cases written to {catalog.rel(path)} (valid against the "
               f"schema).")


@refi.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Codebook YAML to write (default: codebooks/<file name>.yml).")
@project_options
def refi_import(catalog: Catalog, cfg: Config, quiet: bool, file: Path, output: Path | None
                ) -> None:
    """Import a .qdc codebook or a .qdpx project's codebook as codebooks/<name>.yml.

    Existing files are never overwritten. A .qdpx whose sources are this corpus's transcripts
    (named by citation ID) is also copied to codebooks/codings/, so its codings count as
    human codings on the next `qda analyze`.

    \b
    Example:
      qda refi import coded_in_nvivo.qdpx
    """
    from pipeline.exchange.imports import read_refi

    data = file.read_bytes()
    imported = read_refi(data, file.name)
    if not imported.book.codes:
        # An empty codebook would be a file to delete by hand, and without codes a project's
        # codings are none either: nothing is written.
        raise click.ClickException(f"{file.name} holds no codes; nothing imported (no codebook "
                                   f"or codings written)")
    ours = _codebook_ids(catalog)
    theirs = {c.id for c in imported.book.codes}
    if theirs and theirs <= ours:
        # our own export coming back: its codes are ours already; only its codings may be new
        click.echo(f"its {len(theirs)} codes are already in the project's codebooks; no "
                   f"codebook written.")
    elif theirs & ours:
        clash = ", ".join(sorted(theirs & ours)[:5])
        raise click.ClickException(f"{len(theirs & ours)} of its code ids are already used by "
                                   f"the project's codebooks ({clash}...); two codebooks with "
                                   f"the same ids would collide")
    else:
        target = output or catalog.codebooks_dir / f"{file.stem}.yml"
        catalog.write_new(target, imported.yaml.encode())
        click.echo(f"{len(imported.book.codes)} codes written to {catalog.rel(target)}.")
    for loss in imported.losses:
        click.echo(f"  not carried over: {loss}")
    if imported.project is not None:
        names = set(catalog.load("transcripts")["citation_id"]) if catalog.exists(
            "transcripts") else set()
        if imported.codes_corpus(names):
            copy = catalog.codebooks_dir / "codings" / file.name
            catalog.write_new(copy, data)
            click.echo(f"{len(imported.project.codings)} codings: copied to "
                       f"{catalog.rel(copy)}.")


@click.command("import")
@click.argument("tool", type=click.Choice(["qualcoder", "taguette", "maxqda"],
                                          case_sensitive=False))
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--name", "namespace", default=None,
              help="Namespace of the imported codes and the files' name (default: the tool).")
@click.option("--documents", "doc_map", type=click.Path(exists=True, dir_okay=False,
                                                        path_type=Path), default=None,
              help="CSV (document,citation_id) for documents not named by citation ID.")
@project_options
def import_project(catalog: Catalog, cfg: Config, quiet: bool, tool: str, source: Path,
                   namespace: str | None, doc_map: Path | None) -> None:
    """Import the codings of a QualCoder, Taguette or MAXQDA project onto this corpus.

    SOURCE is a QualCoder project folder (or its data.qda), a Taguette database, or a MAXQDA
    "coded segments" export (XLSX or CSV). Documents are matched to transcripts by citation
    ID; each span is placed by the tool's offsets or its text, and every span that cannot be
    placed is listed with the reason (outputs/import_<name>.csv). Writes
    codebooks/<name>.yml and codebooks/codings/<name>.csv; never overwrites. Run `qda
    analyze` (or `qda ingest`) first.

    \b
    Example:
      qda import taguette study.sqlite3 --name tag
    """
    import re

    from pipeline.exchange.foreign import READERS, ForeignError
    from pipeline.exchange.place import place

    ns = (namespace or tool).lower()
    if not re.fullmatch(r"[a-z][a-z0-9]*", ns):
        raise click.ClickException(f"--name {ns!r}: use lower-case letters and digits")
    book = catalog.codebooks_dir / f"{ns}.yml"
    codings = catalog.codebooks_dir / "codings" / f"{ns}.csv"
    for target in (book, codings):
        if target.exists():
            raise click.ClickException(f"{catalog.rel(target)} exists; it is never "
                                       f"overwritten (choose another --name)")
    try:
        foreign = READERS[tool.lower()](source)
    except ForeignError as exc:
        raise click.ClickException(str(exc)) from exc
    present = set()
    if catalog.exists("human_codings"):
        h = catalog.load("human_codings")
        present = set(zip(h["citation_id"], h["start_char"], h["end_char"], h["code_id"],
                          h["coder"]))
    placed = place(foreign, catalog.load("transcripts"), ns, present, _documents(doc_map))
    report = catalog.output_path(f"import_{ns}.csv")
    catalog.write_report(f"import-{ns}", {report: placed.report.to_csv(index=False).encode()},
                         command_provenance(f"import {tool}", cfg, catalog, ["transcripts"]))
    catalog.write_new(book, placed.codebook_yaml.encode())
    catalog.write_new(codings, placed.codings_csv.encode())
    n = int(placed.report["placed"].sum())
    click.echo(f"{foreign.tool}: {len(foreign.codes)} codes to {catalog.rel(book)}; {n} of "
               f"{len(placed.report)} spans placed, to {catalog.rel(codings)}.")
    for how, count in placed.counts().items():
        click.echo(f"  {count:>5}  {how}")
    click.echo(f"Every span and where it went: {catalog.rel(report)}")


def _documents(path: Path | None) -> dict[str, str]:
    """document -> citation_id from a two-column CSV; a bad file is a message."""
    from pipeline.core.csvio import CsvError, read_rows

    if path is None:
        return {}
    try:
        header, rows = read_rows(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{path}: not UTF-8 text ({exc.reason})") from None
    except CsvError as exc:
        raise click.ClickException(f"{path}:{exc.line}: {exc}") from None
    if rows and not {"document", "citation_id"} <= set(header):
        raise click.ClickException(f"{path}: needs columns document and citation_id")
    return {(r["document"] or "").strip(): (r["citation_id"] or "").strip() for _, r in rows}


def _codebook_ids(catalog: Catalog) -> set[str]:
    from pipeline.codebook import build_codebook

    book, _ = build_codebook(list(catalog.read_codebooks().codebook_files))
    return set(book.ids) if book is not None else set()


EXPORT_FORMATS = ("csv", "xlsx", "parquet", "qdpx")


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
@click.option("--redact", is_flag=True, help="Replace people, schools, towns, organisations, "
              "districts, e-mail addresses and phone numbers with placeholders, for sharing "
              "(see below). Not with --format qdpx.")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="csv/parquet: a folder; xlsx/qdpx: a file (default: in outputs/exports/, "
                   "or outputs/exports/redacted/ with --redact).")
@project_options
def export(catalog: Catalog, cfg: Config, quiet: bool, tables: tuple[str, ...], fmt: str,
           sites: tuple[str, ...], themes: tuple[str, ...], wide: bool, redact: bool,
           output: Path | None) -> None:
    """Export tables for Excel, R or SPSS (CSV, XLSX, parquet), or the project as .qdpx.

    Without TABLE: every table in outputs/ except internal ones (segment_vectors). CSV keeps
    the pipeline's column names (UTF-8 with BOM); XLSX has one sheet per table with readable
    headers. --format qdpx is `qda refi export-project` (human codings) into outputs/exports/.

    --redact runs every text column through the study's redaction (corpus/redact.csv, the
    transcript headers and participants, the sites, the trained model's named entities);
    IDs, site codes, roles and locators stay, lemmas are left out. Whole transcripts (the
    transcripts and turns tables) are redacted too, which takes a while: a progress bar
    shows it. Files are named <table>.redacted.<format>; their provenance says so.

    \b
    Example:
      qda export                              # outputs/exports/<table>.csv
      qda export segments codings --site O3 --format xlsx
      qda export theme_matrix --wide --format xlsx -o themes.xlsx
      qda export segments case_quotes --redact  # outputs/exports/redacted/...
    """
    from pipeline.exchange.tables import choose_tables, prepare, summary

    fmt = fmt.lower()
    if fmt == "qdpx":
        if redact:
            raise click.UsageError("--redact does not apply to --format qdpx: a project file "
                                   "carries the whole transcripts; export tables instead")
        if tables or sites or themes or wide:
            raise click.UsageError("--format qdpx exports the whole project: TABLE, --site, "
                                   "--theme and --wide do not apply")
        export_project(catalog, cfg, _target(catalog, output, "exports/project.qdpx"), False)
        return
    names = choose_tables(tables, catalog.tables(), OUTPUTS)
    frames, notes = prepare(_loaded(catalog, names, sites, themes), list(sites),
                            list(themes), wide)
    provenance = command_provenance(
        f"export --format {fmt}" + " --redact" * redact, cfg, catalog,
        names + list(REDACTION_TABLES) * redact) | {
            "filters": {"site": list(sites), "theme": list(themes), "wide": wide}}
    if redact:
        frames, redaction, more = _redact(catalog, frames)
        notes += more
        provenance["redaction"] = redaction
    for note in notes:   # even with -q: an ignored filter changes what the files mean
        click.echo(f"note: {note}", err=True)
    files, where = _export_files(catalog, frames, fmt, output, redact)
    catalog.write_report("export-redacted" if redact else "export", files, provenance)
    click.echo(summary(frames, fmt, where))


REDACTION_TABLES = ("participants", "transcripts", "sites")


def _loaded(catalog: Catalog, names: list[str], sites: tuple[str, ...],
            themes: tuple[str, ...]) -> dict[str, Any]:
    """The tables; a filter value that matches no row (a typo such as --site O99) is an
    error, not an export of empty tables."""
    from pipeline.exchange.tables import unmatched

    loaded = {n: catalog.load(n) for n in names}
    typos = unmatched(loaded, list(sites), list(themes))
    if typos:
        raise click.ClickException(f"{', '.join(typos)}: matches no row of the tables "
                                   f"exported ({', '.join(names)}); nothing was written")
    return loaded


def _redact(catalog: Catalog, frames: dict[str, Any]) -> tuple[dict[str, Any], dict, list]:
    """The tables redacted, what the redaction used (for provenance), and notes."""
    from pipeline.exchange.tables import redact_tables
    from pipeline.privacy import Redactor, load_redaction

    raw = catalog.read_raw("redaction")
    rules = load_redaction(raw)
    study = {n: catalog.load(n) for n in REDACTION_TABLES}
    try:
        redactor = Redactor.build(rules, study["participants"], study["transcripts"],
                                  study["sites"], ner=True)
    except OSError as exc:   # the trained model is missing
        raise click.ClickException(f"--redact needs the trained English model: {exc}") \
            from None
    redacted, notes = redact_tables(frames, redactor)
    used = redactor.provenance() | {
        "redaction_list_sha256": raw.files[0].sha256 if raw.files else None}
    if not raw.files:
        notes.append(f"no {rules.path}: only the headers, participants, sites and named "
                     f"entities were redacted")
    return redacted, used, notes


def _export_files(catalog: Catalog, frames: dict[str, Any], fmt: str, output: Path | None,
                  redact: bool = False) -> tuple[dict[Path, bytes], str]:
    """Every export file, built before the first is written, and where they go. Redacted
    files are named <table>.redacted.<format>, in outputs/exports/redacted/ by default."""
    from pipeline.exchange.tables import (
        REDACTED,
        redacted_name,
        to_csv_bytes,
        to_parquet_bytes,
        to_xlsx_bytes,
    )

    named = redacted_name if redact else (lambda n: n)
    default = f"exports/{REDACTED}" if redact else "exports"
    if fmt == "xlsx":
        target = output / "tables.xlsx" if output is not None and output.is_dir() else output
        path = _target(catalog, target, f"{default}/tables.xlsx")
        path = path.with_name(named(path.name))
        return {path: to_xlsx_bytes(frames)}, catalog.rel(path)
    folder = output if output is not None else catalog.output_path(default)
    if folder.is_file():
        raise click.ClickException(f"{folder} is a file; for {fmt}, --output is a folder")
    writer = to_csv_bytes if fmt == "csv" else to_parquet_bytes
    return ({folder / named(f"{name}.{fmt}"): writer(df) for name, df in frames.items()},
            catalog.rel(folder) + "/")


def commands() -> list[Any]:
    return [refi, export, import_project]
