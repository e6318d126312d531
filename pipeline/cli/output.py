"""What the command line prints: problems, run summaries, status."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import click

from pipeline.cli.common import print_problems
from pipeline.core.errors import PipelineError, Problem
from pipeline.core.registry import STAGES

if TYPE_CHECKING:
    from pipeline.codebook import Codebook
    from pipeline.core.catalog import Catalog
    from pipeline.core.runner import Runner, StageReport

MAX_WARNINGS = 20
PER_KIND = 3
# What varies between warnings of one kind: quoted names, numbers.
_VARIES = re.compile(r"'[^']*'|\"[^\"]*\"|\b\d+(?:[.:]\d+)*\b")


def warning_kind(problem: Problem) -> str:
    """A warning's message with what varies between files taken out."""
    return _VARIES.sub("…", problem.message)


def grouped(problems: list[Problem], per_kind: int = PER_KIND, most: int = MAX_WARNINGS
            ) -> tuple[list[Problem], list[str]]:
    """The problems to show (at most `per_kind` of each kind, `most` in all) and a line per
    kind saying how many more of it there are, so one repeated warning cannot hide the
    others."""
    kinds: dict[str, list[Problem]] = {}
    for p in sorted(problems):
        kinds.setdefault(warning_kind(p), []).append(p)
    shown = [p for group in kinds.values() for p in group[:per_kind]][:most]
    notes = [f"... and {len(group) - per_kind} more like: {kind}"
             for kind, group in kinds.items() if len(group) > per_kind]
    hidden = len(problems) - len(shown) - sum(len(g) - per_kind for g in kinds.values()
                                              if len(g) > per_kind)
    if hidden > 0:
        notes.append(f"... and {hidden} more warnings (`qda validate` lists them all)")
    return shown, notes


def _rows(rows: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {name}" for name, n in rows.items())


def print_summary(reports: list[StageReport], catalog: Catalog, seconds: float,
                  quiet: bool = False) -> None:
    warnings = [w for r in reports for w in r.warnings]
    if warnings and not quiet:
        shown, notes = grouped(warnings)
        print_problems(shown, err=True)
        for note in notes:
            click.echo(note, err=True)
    for r in reports:
        cache = ""
        if r.cache_misses is not None:
            on = f" on {r.where}" if r.where else ""
            cache = f"; {r.cache_misses} processed{on}, {r.cache_hits} from cache"
        timing = f"{r.seconds:6.1f}s" if r.status == "ran" else "   -   "
        click.echo(f"  {r.name:<16} {r.status:<11} {timing}  {_rows(r.rows)}{cache}")
    ran = sum(r.status == "ran" for r in reports)
    held = sum(len(r.warnings) for r in reports if r.status != "ran")
    still = f" ({held} still outstanding from earlier runs)" if held else ""
    click.echo(f"{ran} stage(s) ran, {len(reports) - ran} up to date, {len(warnings)} "
               f"warning(s){still}, {seconds:.1f}s. Outputs in "
               f"{catalog.rel(catalog.outputs)}/ (provenance in run.json).")


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




def status_lines(runner: Runner, catalog: Catalog) -> list[str]:
    lines = []
    for stage in STAGES:
        try:
            fp, _, inputs = runner.fingerprint(stage)
        except PipelineError as exc:
            first = str(exc).splitlines()[0]
            lines.append(f"{stage.name:<16} cannot check: {first}")
            continue
        if any(h is None for h in inputs.values()):
            state = "not run (inputs missing)"
        elif runner.is_fresh(stage, fp):
            state = "up to date"
        else:
            state = "out of date" if all(catalog.exists(o) for o in stage.outputs) else "not run"
        provs = {o: catalog.provenance(o) for o in stage.outputs if catalog.exists(o)}
        rows = {o: p.get("rows", p.get("files")) for o, p in provs.items() if p}
        lines.append(f"{stage.name:<16} {state:<12} {_rows(rows)}")
    outstanding = [w for stage in STAGES for w in runner.outstanding(stage)
                   if catalog.exists(stage.outputs[0])]
    if outstanding:
        lines.append(f"Outstanding warnings from the last runs ({len(outstanding)}):")
        shown, notes = grouped(outstanding)
        lines += [f"  {w}" for w in shown] + [f"  {n}" for n in notes]
    if catalog.exists("categories") and catalog.exists("segment_categories"):
        from pipeline.stages.compare import describe_categories

        lines.append("Emerging categories:")
        lines += [f"  {line}" for line in describe_categories(
            catalog.load("categories"), catalog.load("segment_categories"))]
    if catalog.exists("saturation"):
        from pipeline.stages.compare import describe_saturation

        lines.append("Saturation:")
        lines += [f"  {line}" for line in describe_saturation(catalog.load("saturation"))]
    return lines
