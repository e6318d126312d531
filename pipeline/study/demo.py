"""Whether a study is demonstration data, and the label that says so on every page, figure,
case document and member-check session page (DEVELOPERS.md: demonstration data is called
demonstration data wherever it is shown)."""
from __future__ import annotations

import re
from typing import Any

import pandas as pd

from pipeline.study.metadata import load_study

# A study name that says its interviews are not real ones.
_FICTION = re.compile(r"fiction|demonstration|synthetic|invented|made[- ]up", re.IGNORECASE)
DEMO_CODER = "demo-"   # demonstration codings' coders (as in the cases stage)


def study_name(corpus: Any) -> str:
    study, _ = load_study(corpus.study_bytes, corpus.sites_bytes, corpus.study_path,
                          corpus.sites_path)
    return study.name if study is not None else "unnamed study"


def demonstration_label(study: str, codings: pd.DataFrame, mode: str = "auto") -> str:
    """What the banner on every page says about demonstration data ('' for a real study)."""
    fiction = bool(_FICTION.search(study))
    confirmed = codings[codings["status"] == "confirmed"]["coder"].astype(str)
    demo_codings = bool(confirmed.str.startswith(DEMO_CODER).any())
    if mode == "no" or (mode == "auto" and not (fiction or demo_codings)):
        return ""
    parts = []
    if fiction or mode == "yes":
        parts.append("the interviews are fictional, written to show how the pipeline works; "
                     "no finding here is about real people")
    if demo_codings:
        parts.append("the confirmed codings are demonstration codings (coders demo-…), "
                     "not a research team's")
    return "Demonstration data: " + "; ".join(parts) + "."
