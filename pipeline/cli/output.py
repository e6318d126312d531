"""What the command line prints: problems, run summaries, status."""
from __future__ import annotations

from collections.abc import Iterable

import click
import pandas as pd

from pipeline.codebook.model import Codebook
from pipeline.core.catalog import Catalog
from pipeline.core.errors import Problem
from pipeline.core.registry import STAGES
from pipeline.core.runner import Runner, StageReport
from pipeline.stages.code.agreement import POOLED
from pipeline.stages.compare.saturation import describe as describe_saturation

MAX_WARNINGS = 20


def print_problems(problems: Iterable[Problem], err: bool = False) -> None:
    for p in sorted(problems):
        colour = "red" if p.is_error else "yellow"
        click.echo(click.style(str(p), fg=colour), err=err)


def _rows(rows: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {name}" for name, n in rows.items())


def print_summary(reports: list[StageReport], catalog: Catalog, seconds: float,
                  quiet: bool = False) -> None:
    warnings = [w for r in reports for w in r.warnings]
    if warnings and not quiet:
        print_problems(warnings[:MAX_WARNINGS], err=True)
        if len(warnings) > MAX_WARNINGS:
            click.echo(f"... and {len(warnings) - MAX_WARNINGS} more warnings "
                       f"(`qda validate` lists them all)", err=True)
    for r in reports:
        cache = ""
        if r.cache_misses is not None:
            cache = f"; {r.cache_misses} processed, {r.cache_hits} from cache"
        timing = f"{r.seconds:6.1f}s" if r.status == "ran" else "   -   "
        click.echo(f"  {r.name:<9} {r.status:<11} {timing}  {_rows(r.rows)}{cache}")
    ran = sum(r.status == "ran" for r in reports)
    click.echo(f"{ran} stage(s) ran, {len(reports) - ran} up to date, {len(warnings)} "
               f"warning(s), {seconds:.1f}s. Outputs in {catalog.rel(catalog.outputs)}/ "
               f"(provenance in run.json).")


def tree_lines(book: Codebook, details: bool = False) -> list[str]:
    """The codebook as an indented tree: id, label, and (optionally) definition and keywords."""
    lines: list[str] = []

    def walk(parent: str | None, depth: int) -> None:
        for code in book.children(parent):
            mark = "" if code.codable else " [family]"
            lines.append(f"{'  ' * depth}{code.id}  {code.label}{mark}")
            if details:
                pad = "  " * (depth + 2)
                lines.append(f"{pad}{code.definition}")
                if code.keywords:
                    lines.append(f"{pad}keywords: {', '.join(code.keywords)}")
            walk(code.id, depth + 1)
    walk(None, 0)
    return lines


def coding_quality_markdown(table: pd.DataFrame) -> str:
    """Per-code agreement of automatic coding with the human codings, as a Markdown table."""
    if table.empty:
        return "No human codings yet: add some under codebooks/codings/ to measure coding.\n"
    wanted = ["auto:pattern+similarity", "auto:model (cross-validated)"]
    pairs = [c for c in table["comparison"].unique() if c.startswith("human:")]
    wide = table[table["comparison"].isin(wanted + pairs)].pivot_table(
        index="code_id", columns="comparison", values=["n_reference", "precision", "recall",
                                                       "kappa"], aggfunc="first")
    lines = ["| code | human segments | keywords+similarity P / R / κ | model (CV) κ | "
             "coders κ |", "|---|---:|---|---:|---:|"]

    def num(v: float) -> str:
        return "–" if pd.isna(v) else f"{v:.2f}"
    for code in [c for c in wide.index if c != POOLED] + [POOLED]:
        row = wide.loc[code]
        auto = [row.get((m, wanted[0]), float("nan")) for m in ("precision", "recall", "kappa")]
        model = row.get(("kappa", wanted[1]), float("nan"))
        coders = row.get(("kappa", pairs[0]), float("nan")) if pairs else float("nan")
        n_ref = row.get(("n_reference", wanted[0]), 0)
        lines.append(f"| {code} | {int(n_ref)} | {' / '.join(num(v) for v in auto)} | "
                     f"{num(model)} | {num(coders)} |")
    return "\n".join(lines) + "\n"


def evaluation_lines(result: dict) -> list[str]:
    ref = result["reference"]
    lines = [f"Recovery of the human themes ({ref['segments']} coded segments, "
             f"{ref['themes']} themes):",
             f"  {'clustering':<32} {'clusters':>8} {'ARI':>7} {'NMI':>7}"]
    for name, r in result["recovery"].items():
        lines.append(f"  {name:<32} {r['n_clusters']:>8} {r['ari']:>7.3f} {r['nmi']:>7.3f}")
    st = result["stability"]
    lines.append(f"Stability over seeds {st['seeds']}: ARI with the first seed, mean "
                 f"{st['ari_vs_first_mean']:.3f}, min {st['ari_vs_first_min']:.3f}")
    for which, r in result["key_retention"].items():
        lines.append(f"Keys kept when the {which.replace(' added', '')} ({r['citation_id']}) "
                     f"is added: site {r['site_keys_kept']:.0%}, cross-site "
                     f"{r['cross_keys_kept']:.0%}")
    return lines


def status_lines(runner: Runner, catalog: Catalog) -> list[str]:
    lines = []
    for stage in STAGES:
        try:
            fp, _, inputs = runner.fingerprint(stage)
        except FileNotFoundError as exc:
            lines.append(f"{stage.name:<9} cannot check: {exc}")
            continue
        if any(h is None for h in inputs.values()):
            state = "not run (inputs missing)"
        elif runner.is_fresh(stage, fp):
            state = "up to date"
        else:
            state = "out of date" if all(catalog.exists(o) for o in stage.outputs) else "not run"
        rows = {o: (catalog.provenance(o) or {}).get("rows") for o in stage.outputs
                if catalog.exists(o)}
        lines.append(f"{stage.name:<9} {state:<12} {_rows(rows)}")
    if catalog.exists("saturation"):
        lines.append("Saturation:")
        lines += [f"  {line}" for line in describe_saturation(catalog.load("saturation"))]
    return lines
