"""Shared fixtures: a tiny designed project, and the shipped corpus run once per session."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from tests.fixtures import ROOT, SITES_CSV, STUDY_TOML, copy_project

# Property-based tests run the same examples on every machine and every run (a failure in CI
# reproduces locally), with no example database written into the project, and no per-example
# deadline (a slow CI worker is not a bug). Tests set their own `max_examples` to stay fast.
settings.register_profile("qda", derandomize=True, database=None, deadline=None)
settings.register_profile("qda-explore", database=None, deadline=None)  # fresh examples
settings.load_profile("qda")

pytest_plugins = ["tests.browser"]   # the `browser` fixture: headless Chromium


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run tests marked slow")


def pytest_configure(config: pytest.Config) -> None:
    # Before any test module is imported: without --slow, the hostile tests draw half their
    # examples (tests/hostile.py); make test-all, which CI runs, draws them all.
    if not config.getoption("--slow"):
        os.environ.setdefault("QDA_HOSTILE_SHARE", "0.5")


SHIPPED = {"shipped_project", "shipped_catalog"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:  # the shipped corpus takes a while to analyse: always slow
        if SHIPPED & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
            # one pytest-xdist worker takes them all, so the corpus is analysed once
            item.add_marker(pytest.mark.xdist_group("shipped"))
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow (make test-all)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def write_project(root: Path, transcripts: dict[str, str | bytes],
                  study: str = STUDY_TOML, sites: str = SITES_CSV) -> Path:
    """A project folder with corpus/study.toml, corpus/sites.csv and the given transcripts."""
    folder = root / "corpus" / "transcripts"
    folder.mkdir(parents=True, exist_ok=True)
    (root / "corpus" / "study.toml").write_text(study, encoding="utf-8")
    (root / "corpus" / "sites.csv").write_text(sites, encoding="utf-8")
    for name, content in transcripts.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)
    return root


@pytest.fixture
def make_project(tmp_path: Path):
    def make(transcripts: dict[str, str | bytes], **kwargs) -> Path:
        return write_project(tmp_path / "project", transcripts, **kwargs)
    return make


def analyse(root: Path, overrides: tuple[str, ...] = ()):
    """Run the whole analysis of the project at `root` (as `qda analyze` does)."""
    from pipeline.core.catalog import Catalog
    from pipeline.core.config import load_config
    from pipeline.core.runner import Runner

    cfg = load_config(None, overrides)
    catalog = Catalog(root, cfg.paths)
    return Runner(catalog, cfg).run(), catalog


@pytest.fixture(scope="session")
def fixture_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three-interview fixture project (tests/fixtures/project), analysed once."""
    root = copy_project(tmp_path_factory.mktemp("fixture") / "project")
    analyse(root)
    return root


@pytest.fixture(scope="session")
def fixture_catalog(fixture_project: Path):
    from pipeline.core.catalog import Catalog
    return Catalog(fixture_project)


@pytest.fixture(scope="session")
def shipped_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped corpus, analysed once for the whole session (slow tests only:
    every test that asks for it is marked slow)."""
    root = tmp_path_factory.mktemp("shipped")
    shutil.copytree(ROOT / "corpus", root / "corpus")
    shutil.copytree(ROOT / "codebooks", root / "codebooks")
    analyse(root)
    return root


@pytest.fixture(scope="session")
def shipped_catalog(shipped_project: Path):
    from pipeline.core.catalog import Catalog
    return Catalog(shipped_project)
