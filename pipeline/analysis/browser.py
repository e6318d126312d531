"""Headless Chromium through selenium, with Debian's /usr/bin/chromium and
/usr/bin/chromedriver: nothing is downloaded, and selenium-manager is never asked to find a
browser. The browser tests and `qda screenshots` start it here."""
from __future__ import annotations

from pathlib import Path
from typing import Any

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
INSTALL_HINT = "apt-get install chromium chromium-driver; pip install selenium"


def missing() -> list[str]:
    """What is missing to drive the browser ([] when all is there)."""
    out = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.is_file()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        out.append("selenium (pip install selenium)")
    return out


def start(profile: Path, width: int = 1280, height: int = 900, console: bool = False) -> Any:
    """A headless Chromium (selenium WebDriver) with its profile and driver log in `profile`;
    `console` keeps the pages' console messages for ``driver.get_log("browser")``."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--hide-scrollbars",
                f"--window-size={width},{height}", f"--user-data-dir={profile / 'chrome'}"):
        options.add_argument(arg)
    if console:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER),
                                      log_output=str(profile / "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    return driver
