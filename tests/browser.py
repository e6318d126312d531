"""Headless Chromium for the browser tests (Debian's chromium and chromedriver, started by
pipeline.analysis.browser; nothing is downloaded). A test that asks for the `browser`
fixture is skipped when the browser, its driver or selenium is missing, and fails instead
under QDA_REQUIRE_BROWSER=1 (CI installs them). tests/conftest.py registers the fixture."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.analysis.browser import INSTALL_HINT, missing, start


def need_browser() -> None:
    absent = missing()
    if not absent:
        return
    why = f"missing: {', '.join(absent)} ({INSTALL_HINT})"
    if os.environ.get("QDA_REQUIRE_BROWSER") == "1":
        pytest.fail(f"QDA_REQUIRE_BROWSER=1 but {why}")
    pytest.skip(why)


@pytest.fixture
def browser(tmp_path: Path):
    """A headless Chromium that keeps the pages' console messages (get_log("browser"))."""
    need_browser()
    driver = start(tmp_path, console=True)
    yield driver
    driver.quit()
