"""The report in a real headless Chromium, opened from file:// (tests/browser.py; skipped
without the browser unless QDA_REQUIRE_BROWSER=1): every page loads with its style and
script and no console error; every quote's link opens its transcript scrolled to a
highlighted passage that holds the quote; the matrix sorts; the search and filters work.
On the fixture project in full, and on a sample of the shipped corpus's quotes."""
from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

TARGET = """
var t = document.querySelector(':target');
if (!t) return null;
var r = t.getBoundingClientRect();
return {id: t.id, hl: t.classList.contains('hl'), wide: t.classList.contains('wide'),
        text: t.textContent, top: r.top, bottom: r.bottom, height: window.innerHeight,
        marked: Array.from(t.querySelectorAll('mark.exact')).map(m => m.textContent).join('')};
"""
LINKS = """
return Array.from(document.querySelectorAll('a.cite')).map(a => [a.getAttribute('href'),
    a.closest('blockquote.quote, tr').querySelector('.quote-text').textContent]);
"""


def open_page(driver, url: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, 15).until(ready)


def ready(driver) -> bool:
    """Loaded, and the report's script has run."""
    return driver.execute_script("return document.readyState === 'complete' && "
                                 "document.documentElement.dataset.script === 'ready'")


def console_errors(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def follow(driver, page: str, index: int) -> dict:
    """Open `page`, click its index-th quote link, and describe the element it lands on."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(driver, page)
    link = driver.find_elements(By.CSS_SELECTOR, "a.cite")[index]
    driver.execute_script("var d = arguments[0].closest('details'); if (d) d.open = true;"
                          "arguments[0].scrollIntoView({block: 'center'});", link)
    link.click()
    WebDriverWait(driver, 15).until(lambda d: "/transcripts/" in d.current_url and ready(d))
    return driver.execute_script(TARGET)


def check_quote_links(driver, report: Path, names: list[str], per_page: int = 0) -> int:
    """Follow every distinct quote link on the pages (or `per_page` of each, spread);
    returns how many were followed."""
    followed, done = 0, set()
    for name in names:
        url = (report / name).as_uri()
        open_page(driver, url)
        links = driver.execute_script(LINKS)
        chosen = list(enumerate(links))
        if per_page and len(chosen) > per_page:
            chosen = chosen[::len(chosen) // per_page][:per_page]
        for index, (href, quote) in chosen:
            key = href.removeprefix("../")      # one passage, linked from any folder
            if key in done:
                continue
            done.add(key)
            state = follow(driver, url, index)
            where = f"{name} -> {href}"
            assert state is not None, f"{where}: no :target"
            assert state["id"] == href.split("#")[1] and state["hl"], where
            assert quote in state["text"], where
            top, bottom, height = state["top"], state["bottom"], state["height"]
            assert top < height and bottom > 0, f"{where}: not in view"
            if bottom - top <= height:                    # it fits: all of it is in view
                assert top >= -1 and bottom <= height + 1, f"{where}: partly out of view"
            if state["wide"]:
                assert state["marked"] == quote, where
            assert console_errors(driver) == [], where
            followed += 1
    return followed


def test_every_page_loads_without_console_errors(browser, fixture_project: Path) -> None:
    report = fixture_project / "outputs" / "report"
    pages = sorted(report.rglob("*.html"))
    assert len(pages) == 19
    for page in pages:
        open_page(browser, page.as_uri())
        assert console_errors(browser) == [], page.name
        background = browser.execute_script(
            "return getComputedStyle(document.querySelector('header.top')).backgroundColor")
        assert background == "rgb(242, 245, 249)", page.name   # the stylesheet applied


def test_every_quote_link_lands_on_its_highlighted_passage(browser,
                                                           fixture_project: Path) -> None:
    report = fixture_project / "outputs" / "report"
    names = sorted(p.relative_to(report).as_posix() for p in report.rglob("*.html")
                   if p.parent.name != "transcripts")
    # every distinct passage the report quotes: 10 segments, all linked
    assert check_quote_links(browser, report, names) == 10


def test_the_matrix_sorts_on_a_click(browser, fixture_project: Path) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, (fixture_project / "outputs" / "report" / "matrix.html").as_uri())
    column = """return Array.from(document.querySelectorAll('#matrix tbody tr')).map(
        r => r.cells[arguments[0]].getAttribute('data-sort'));"""
    o1 = browser.find_element(By.CSS_SELECTOR, '#matrix th[data-site="O1"]')
    before = browser.execute_script(column, 2)
    o1.find_element(By.TAG_NAME, "button").click()
    values = [float(v) for v in browser.execute_script(column, 2)]
    assert values == sorted(values, reverse=True) and values != [float(v) for v in before]
    assert o1.get_attribute("aria-sort") == "descending"
    o1.find_element(By.TAG_NAME, "button").click()
    assert [float(v) for v in browser.execute_script(column, 2)] == sorted(values)
    theme = browser.find_elements(By.CSS_SELECTOR, "#matrix th button")[0]
    theme.click()
    labels = browser.execute_script(column, 0)
    assert labels == sorted(labels, key=str.casefold) and len(labels) == 5


def test_the_search_and_filters_narrow_the_passages(browser, fixture_project: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    open_page(browser, (fixture_project / "outputs" / "report" / "passages.html").as_uri())
    visible = """return Array.from(document.querySelectorAll('#passages tbody tr'))
        .filter(r => r.offsetParent !== null).map(r => [r.textContent,
        r.getAttribute('data-site'), r.getAttribute('data-themes')]);"""
    assert len(browser.execute_script(visible)) == 10
    browser.find_element(By.ID, "search").send_keys("Budget")
    rows = browser.execute_script(visible)
    assert len(rows) == 2 and all("budget" in text.lower() for text, _, _ in rows)
    assert browser.find_element(By.ID, "shown").text == "2 of 10 passages"
    Select(browser.find_element(By.ID, "filter-site")).select_by_value("O2")
    assert [site for _, site, _ in browser.execute_script(visible)] == ["O2"]
    browser.find_element(By.ID, "search").clear()
    Select(browser.find_element(By.ID, "filter-site")).select_by_value("")
    Select(browser.find_element(By.ID, "filter-theme")).select_by_value("code:funding")
    rows = browser.execute_script(visible)
    assert len(rows) == 2 and all("code:funding" in themes.split("|") for _, _, themes in rows)


def test_a_sample_of_the_shipped_reports_quotes(browser, shipped_project: Path) -> None:
    report = shipped_project / "outputs" / "report"
    for name in ("index.html", "matrix.html", "passages.html", "categories.html"):
        open_page(browser, (report / name).as_uri())
        assert console_errors(browser) == [], name
    from selenium.webdriver.common.by import By

    assert "fictional" in browser.find_element(By.ID, "demo-label").text
    names = ["sites/O3.html", "sites/O8.html", "sites/O11.html", "cross_case.html",
             "categories.html", "suggestions.html"]
    assert check_quote_links(browser, report, names, per_page=5) >= 20


def test_the_report_works_from_a_static_server(browser, fixture_project: Path) -> None:
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:   # no request log on the test's output
            pass

    report = fixture_project / "outputs" / "report"
    handler = functools.partial(Quiet, directory=str(report))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            base = f"http://127.0.0.1:{server.server_address[1]}/"
            for page in ("index.html", "sites/O1.html", "passages.html"):
                open_page(browser, base + page)
                assert console_errors(browser) == [], page
            href, quote = browser.execute_script(LINKS)[0]    # on the last page opened
            state = follow(browser, base + "passages.html", 0)
            assert state is not None and state["id"] == href.split("#")[1]
            assert state["hl"] and quote in state["text"]
        finally:
            server.shutdown()
            thread.join(timeout=10)
