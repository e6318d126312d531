"""The shipped corpus is realistic and messy on purpose; pin what it must contain."""
import re

import pytest

from pipeline.core.catalog import Catalog
from pipeline.stages.ingest.stage import IngestParams, collect
from tests.fixtures import ROOT

FILES = sorted((ROOT / "corpus" / "transcripts").iterdir())


@pytest.fixture(scope="module")
def transcripts(shipped_catalog):
    return shipped_catalog.load("transcripts")


def test_validates_without_errors_or_warnings() -> None:
    _, docs, problems = collect(Catalog(ROOT, {}).read_corpus(), IngestParams())
    assert [str(p) for p in problems] == []
    assert len(docs) >= 33


def test_every_site_has_three_interviews_and_several_roles(transcripts) -> None:
    by_site = transcripts.groupby("site")
    assert set(by_site.groups) == {f"O{i}" for i in range(1, 12)}
    assert by_site.size().min() >= 3
    assert by_site["role"].nunique().min() >= 2
    roles = set(transcripts["role"])
    assert {"Director", "Superintendent", "Principal", "Teacher", "Consultant", "Coordinator",
            "MinistryStaff"} <= roles


def test_lengths_and_dates(transcripts) -> None:
    assert transcripts["n_words"].between(1200, 2600).all()
    dates = transcripts["interview_date"].astype(str)
    assert dates.str.startswith("2016-05-").all()


@pytest.mark.parametrize("fmt, minimum", [("vtt", 2), ("srt", 1), ("docx", 2)])
def test_formats_mixed(transcripts, fmt: str, minimum: int) -> None:
    assert (transcripts["format"] == fmt).sum() >= minimum


def test_otter_exports_and_raw_messiness() -> None:
    raw = {p.name: p.read_bytes() for p in FILES}
    otter = [n for n, b in raw.items() if n.endswith(".txt") and re.search(
        rb"^[A-Z][^\n:]{1,40}  \d{1,2}:\d{2}\r?$", b, re.M) and not b.startswith(b"ID:")]
    assert len(otter) >= 3
    assert any(b.startswith(b"\xef\xbb\xbf") for b in raw.values())
    assert sum(b"\r\n" in b for b in raw.values()) >= 2
    text = b"".join(raw.values()).decode("utf-8", "replace")
    for marker in ("[inaudible", "[crosstalk]", "[REDACTED]", "’", "“", "Page 3 of 7", "é"):
        assert marker in text, marker
    wrapped = [n for n, b in raw.items() if n.endswith(".txt") and max(
        (len(line) for line in b.splitlines()), default=0) <= 85]
    assert wrapped, "at least one transcript hard-wraps its turns"


def test_two_interviewee_interviews(transcripts) -> None:
    assert (transcripts["n_participants"] >= 2).sum() >= 2


def test_shipped_human_codings_cover_300_segments_with_overlap(shipped_catalog) -> None:
    codings = shipped_catalog.load("codings")
    human = codings[codings["source"].str.startswith("human:")]
    assert set(human["coder"]) == {"demo-a", "demo-b"}
    spans = shipped_catalog.load("human_codings")
    assert len(spans) > 700
    agreement = shipped_catalog.load("coding_agreement")
    agreement = agreement[agreement["level"] == "code"].set_index(["comparison", "code_id"])
    pair = agreement.loc[("human:demo-a vs human:demo-b", "(all codes)")]
    assert pair.n_segments // 37 >= 100  # pooled cells = segments coded by both x codes
    auto = agreement.loc[("auto:pattern+similarity", "(all codes)")]
    assert auto.n_segments // 37 >= 300
    assert 0.3 < auto.kappa < 0.9


def test_shipped_decisions_all_apply(shipped_catalog) -> None:
    log = shipped_catalog.load("decision_log")
    assert len(log) == 12 and log["applied"].all(), log[~log["applied"]].to_dict("records")
    cats = shipped_catalog.load("categories").set_index("category_id")
    assert cats.loc["X-5e7f48", "label"] == "When the money ends"
    assert cats.loc["X-5e7f48", "status"] == "accepted"
    assert cats.loc["X-27593c", "status"] == "rejected"
    assert cats.loc["X-20dfce", "promoted_code"] == "initiative_overload"
    assert "X-1d30e5.eqao" in cats.index


def test_shipped_categories_and_saturation(shipped_catalog) -> None:
    cats = shipped_catalog.load("categories")
    cross = cats[cats["level"] == "cross-site"]
    assert 30 <= len(cross) <= 120
    assert cross["site"].isna().all() and cats.loc[cats["level"] == "site", "site"].notna().all()
    money = cross.set_index("category_id").loc["X-5e7f48"]
    assert any(code.startswith("tension_sustainability_funding") for code in money["codes"])
    sat = shipped_catalog.load("saturation")
    overall = sat[sat["scope"] == "overall"]
    assert len(overall) == 35
    assert overall["cumulative_categories"].iloc[-1] == overall["new_categories"].sum()
    # most categories appear early: the curve flattens
    assert overall["new_categories"].head(10).sum() > 3 * overall["new_categories"].tail(10).sum()
