"""Benchmark: a generated 222-interview, ~2-million-word corpus through every stage.

``qda bench`` (``make bench``) builds the corpus deterministically from the shipped
transcripts' turns, then runs each stage in a fresh process and measures wall time and peak
memory per stage, cold and again with nothing changed.
"""
from __future__ import annotations

import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
    catalog = Catalog(source, cfg.paths)
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


class BenchmarkError(Exception):
    pass


def run_one_stage(root: Path, name: str) -> dict:
    """Run one stage of the project at `root` in this process: seconds and peak memory."""
    cfg = load_config(None)
    start = time.perf_counter()
    report = Runner(Catalog(root, cfg.paths), cfg).run((BY_NAME[name],))[0]
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"stage": name, "status": report.status, "seconds": time.perf_counter() - start,
            "peak_mb": peak_kb / 1024}


def measure(root: Path) -> list[dict]:
    """Every stage in a fresh process (`qda bench --stage NAME ROOT`), in run order."""
    rows = []
    for stage in STAGES:
        out = subprocess.run([sys.executable, "-m", "pipeline", "bench", "--stage",
                              stage.name, str(root)], check=True, capture_output=True,
                             text=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return rows


def run(project: Path, words: int = 9000) -> dict:
    """Generate the corpus from `project`'s analysed transcripts, then time it cold and with
    nothing changed."""
    if not Catalog(project, None).exists("turns"):
        raise BenchmarkError("run `make analyze` first: the benchmark corpus is built from "
                             "the shipped corpus's turns")
    with tempfile.TemporaryDirectory(prefix="qda-bench-") as tmp:
        total = generate(project, Path(tmp), words=words)
        runs = {label: measure(Path(tmp)) for label in ("cold", "no change")}
    return {"interviews": sum(PER_SITE), "words": total, "sites": SITES,
            "machine": machine(), "runs": runs}


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
