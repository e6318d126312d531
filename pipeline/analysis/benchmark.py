"""Benchmark: a generated 222-interview, ~2-million-word corpus through every stage.

``make bench`` builds the corpus deterministically from the
shipped transcripts' turns, then runs each stage in a fresh process and prints wall time and
peak memory per stage, cold and again with nothing changed.
"""
from __future__ import annotations

import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click

from pipeline.core.catalog import Catalog
from pipeline.core.config import load_config
from pipeline.core.registry import BY_NAME, STAGES
from pipeline.core.runner import Runner

SITES = 11
PER_SITE = (20, 21, 20, 20, 20, 20, 20, 20, 20, 20, 21)  # 222 interviews
ROLES = ("Director", "Superintendent", "Principal", "VicePrincipal", "Teacher", "Consultant",
         "Coordinator", "Coach")
DAYS = tuple(d for d in range(2, 32) if d not in (7, 8, 14, 15, 21, 22, 23, 28, 29))


def generate(source: Path, target: Path, seed: int = 2016, words: int = 9000) -> int:
    """Write a benchmark corpus under target/corpus from the shipped one; returns words."""
    cfg = load_config(None)
    catalog = Catalog(source, cfg["paths"])
    turns = catalog.load("turns")
    answers = turns[turns["speaker_role"] == "participant"]["text"].tolist()
    questions = turns[(turns["speaker_role"] == "interviewer") & (turns["n_words"] > 3)]
    questions = questions["text"].tolist()
    rng = random.Random(seed)
    folder = target / "corpus" / "transcripts"
    folder.mkdir(parents=True)
    shutil.copy(source / "corpus" / "study.toml", target / "corpus" / "study.toml")
    shutil.copy(source / "corpus" / "sites.csv", target / "corpus" / "sites.csv")
    # The codebook, so coding is measured for real (human codings cite the shipped corpus).
    (target / "codebooks").mkdir()
    for book in (source / "codebooks").glob("*.yml"):
        if book.name != "decisions.yml":
            shutil.copy(book, target / "codebooks" / book.name)
    total = 0
    for site in range(1, SITES + 1):
        counts: dict[str, int] = {}
        for k in range(PER_SITE[site - 1]):
            role = "MinistryStaff" if site == SITES else ROLES[k % len(ROLES)]
            counts[role] = counts.get(role, 0) + 1
            cid = f"O{site}_{role}#{counts[role]}_5.{DAYS[(site * 2 + k // 10) % len(DAYS)]}"
            speaker = f"Participant {site}-{k}"
            lines, n = [f"ID: {cid}", f"Participants: {speaker}", ""], 0
            while n < words:
                q, a = rng.choice(questions), rng.choice(answers)
                lines += [f"Interviewer: {q}", f"{speaker}: {a}", ""]
                n += len(q.split()) + len(a.split())
            (folder / f"{cid}.txt").write_text("\n".join(lines), encoding="utf-8")
            total += n
    return total


def _one_stage(root: Path, name: str) -> None:
    """Child process: run one stage, print seconds and peak RSS as JSON."""
    cfg = load_config(None)
    start = time.perf_counter()
    report = Runner(Catalog(root, cfg["paths"]), cfg).run((BY_NAME[name],))[0]
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"stage": name, "status": report.status,
                      "seconds": time.perf_counter() - start, "peak_mb": peak_kb / 1024}))


def measure(root: Path) -> list[dict]:
    rows = []
    for stage in STAGES:
        out = subprocess.run([sys.executable, "-m", "pipeline.analysis.benchmark", "--stage",
                              stage.name, str(root)], check=True, capture_output=True, text=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return rows


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--stage", help="(internal) run one stage in this process and report it")
@click.option("--words", default=9000, show_default=True, help="Words per interview.")
@click.argument("root", required=False, type=click.Path(path_type=Path))
def main(stage: str | None, words: int, root: Path | None) -> None:
    """Generate the 222-interview benchmark corpus and time every stage on it."""
    if stage:
        _one_stage(root, stage)
        return
    project = Path.cwd()
    if not Catalog(project, {}).exists("turns"):
        raise click.ClickException("run `make analyze` first: the benchmark corpus is built "
                                   "from the shipped corpus's turns")
    with tempfile.TemporaryDirectory(prefix="qda-bench-") as tmp:
        total = generate(project, Path(tmp), words=words)
        click.echo(f"benchmark corpus: {sum(PER_SITE)} interviews, {total:,} words, "
                   f"{SITES} sites (machine: {_machine()})")
        for label in ("cold", "no change"):
            rows = measure(Path(tmp))
            click.echo(f"{label}:")
            for r in rows:
                click.echo(f"  {r['stage']:<9} {r['status']:<11} {r['seconds']:7.2f}s  "
                           f"peak {r['peak_mb']:7.1f} MB")
            click.echo(f"  {'total':<9} {'':<11} {sum(r['seconds'] for r in rows):7.2f}s")


def _machine() -> str:
    import os
    import platform
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


if __name__ == "__main__":
    main()
