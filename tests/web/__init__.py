"""Tests of the member-check session page (pipeline/web) and `qda member-check serve`, with
a small project built here: O3's participants and a hand-written round 1 of four items."""
from __future__ import annotations

import csv
import io
import json
import os
import selectors
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.fixtures import ROOT, copy_project

TOKEN = "test-token-0123456789abcdef"
SITE = "O3"
TEACHER = "O3_Teacher#1_5.10"          # one participant: the citation ID names them
PRINCIPAL = "O3_Principal#1_5.11"
SCRIPT = "<script>alert('x')</script>"
ITEMS = [  # item_id, order, kind, text, citation_id, participant_id
    ("O3-R1-T01", 1, "theme", "Release time is the scarce resource", "", ""),
    ("O3-R1-I01", 2, "interpretation",
     f"Teachers {SCRIPT} <b>trade</b> release time & goodwill for [NAME]'s support", "", ""),
    ("O3-R1-Q01", 3, "quote", "We never get the release time [NAME] promised.", TEACHER,
     TEACHER + "/1"),
    ("O3-R1-Q02", 4, "quote", "The district decides, we comply.", PRINCIPAL,
     PRINCIPAL + "/1"),
]


def participants():
    import pandas as pd

    rows = [(TEACHER + "/1", TEACHER, "O3", "Teacher"),
            (PRINCIPAL + "/1", PRINCIPAL, "O3", "Principal"),
            ("O3_Parents#1_5.12/1", "O3_Parents#1_5.12", "O3", "Parent"),
            ("O3_Parents#1_5.12/2", "O3_Parents#1_5.12", "O3", "Parent"),
            ("O1_Teacher#1_5.4/1", "O1_Teacher#1_5.4", "O1", "Teacher")]
    df = pd.DataFrame(rows, columns=["participant_id", "citation_id", "site", "role"])
    return df.assign(role_subtype="", name="[NAME]", speakers="P", n_turns=3, n_words=40)


def items_csv(site: str = SITE, round_no: int = 1, items=ITEMS) -> str:
    from pipeline.member.model import ITEM_COLUMNS

    out = io.StringIO()
    writer = csv.DictWriter(out, ITEM_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item_id, order, kind, text, citation, pid in items:
        writer.writerow({
            "item_id": item_id.replace("O3", site).replace("-R1-", f"-R{round_no}-"),
            "site": site, "round": round_no, "order": order, "kind": kind, "theme_id": "t1",
            "theme": "Release time", "text": text, "citation_id": citation,
            "locator": f"{citation} ¶4" if citation else "",
            "segment_id": f"{citation}:4:1" if citation else "",
            "start_char": 10 if citation else "", "end_char": 60 if citation else "",
            "participant_id": pid, "role": pid.split("_")[1].split("#")[0] if pid else "",
            "source": "themes", "critical": "false", "critical_words": ""})
    return out.getvalue()


def write_round(root: Path, site: str = SITE, round_no: int = 1, items=ITEMS) -> Path:
    folder = root / "codebooks" / "member_checks" / site / f"round-{round_no}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "items.csv").write_text(items_csv(site, round_no, items), encoding="utf-8")
    return folder


def make_project(root: Path, with_participants: bool = True) -> Path:
    """The fixture project's corpus and codebooks, O3's round 1, O1's round 1 (another
    site's, never shown), and outputs/participants.parquet."""
    from pipeline.core.catalog import Catalog

    copy_project(root)
    write_round(root)
    write_round(root, "O1", 1, ITEMS[:1])
    if with_participants:
        Catalog(root).save("participants", participants(), provenance={})
    return root


def session_dir(root: Path, site: str = SITE, round_no: int = 1) -> Path:
    return root / "codebooks" / "member_checks" / site / f"round-{round_no}" / "session"


def stored(root: Path) -> dict[str, dict]:
    """The session's response files, by name."""
    folder = session_dir(root)
    return {p.name: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(folder.glob("*.json"))} if folder.is_dir() else {}


LAUNCHER = "from pipeline.cli.member_serve import serve; serve()"


def start_server(root: Path, port: int = 0, token: str = TOKEN, timeout: float = 30,
                 preexec: Callable[[], None] | None = None) -> tuple[subprocess.Popen, str]:
    """`qda member-check serve` as a subprocess; (process, the URL it printed)."""
    env = dict(os.environ, PYTHONUNBUFFERED="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT),
                                                        os.environ.get("PYTHONPATH")])))
    log = open(root / f"server-{time.monotonic_ns()}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, "--project", str(root), "--site", SITE,
         "--port", str(port), "--token", token],
        stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL, cwd=ROOT, env=env,
        preexec_fn=preexec)
    log.close()
    line = _read_line(proc, timeout)
    if "http://" not in line:
        proc.kill()
        proc.wait()
        raise AssertionError(f"the server did not start: {line!r}")
    return proc, line.split(": ", 1)[1].split()[0]


def _read_line(proc: subprocess.Popen, timeout: float) -> str:
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout):
            return ""
    return proc.stdout.readline().decode("utf-8")
