"""Screenshots of the browsable report in headless Chromium, for the README: the overview, a
site page at its themes, and the transcript page a quote on that site page links to, with
the quoted passage highlighted. 1280 x 900 pixels, reduced to a palette so they stay small.

`qda screenshots` writes them (through the catalog) after `qda analyze`."""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from pipeline.analysis.browser import start

WIDTH, HEIGHT = 1280, 900
_QUOTE_LINK = re.compile(r'class="cite" href="\.\./(transcripts/[^"#]+\.html#[^"]+)"')


def pages(report: Path, site: str = "O3") -> list[tuple[str, str, str]]:
    """(name, page relative to the report, CSS selector to scroll to) of each screenshot."""
    sites = sorted(p.stem for p in (report / "sites").glob("*.html"))
    if not sites:
        return [("report-overview", "index.html", "")]
    chosen = site if site in sites else sites[0]
    shots = [("report-overview", "index.html", ""),
             ("report-site", f"sites/{chosen}.html", "main h2:nth-of-type(2)")]
    quote = _QUOTE_LINK.search((report / "sites" / f"{chosen}.html").read_text("utf-8"))
    if quote:
        shots.append(("report-transcript", quote.group(1), ""))
    return shots


def shrink(png: bytes, colours: int = 128) -> bytes:
    """A screenshot with at most `colours` colours: text and flat fills lose nothing a
    reader sees, and the file is a third of the size or less."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as shot:
        image = shot.convert("RGB")
    out = io.BytesIO()
    image.quantize(colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        out, format="PNG", optimize=True)
    return out.getvalue()


def _shoot(driver: Any, url: str, scroll_to: str) -> bytes:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, 20).until(lambda d: d.execute_script(
        "return document.readyState === 'complete' && "
        "document.documentElement.dataset.script === 'ready'"))
    if scroll_to:
        driver.execute_script("var e = document.querySelector(arguments[0]);"
                              "if (e) window.scrollTo(0, e.getBoundingClientRect().top + "
                              "window.scrollY - 12);", scroll_to)
    return driver.get_screenshot_as_png()


def take(report: Path, profile: Path, site: str = "O3") -> dict[str, bytes]:
    """{file name: PNG bytes} of the report's screenshots; `profile` holds the browser's
    temporary profile."""
    driver = start(profile, WIDTH, HEIGHT)
    try:
        # The viewport, not the window, is what a screenshot shows: set it exactly.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
        shots = {}
        for name, page, scroll_to in pages(report, site):
            path, _, anchor = page.partition("#")
            url = (report / path).as_uri() + (f"#{anchor}" if anchor else "")
            shots[f"{name}.png"] = shrink(_shoot(driver, url, scroll_to))
        return shots
    finally:
        driver.quit()
