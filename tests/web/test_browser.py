"""The session page in a real headless Chromium (selenium, Debian's chromium and
chromedriver; nothing is downloaded): answers given through the page, the server killed
midway and started again, the session resumed and finished, every answer on disk.

Skipped when the browser or its driver is missing, unless QDA_REQUIRE_BROWSER=1 (CI): the
`browser` fixture of tests/browser.py."""
from __future__ import annotations

import re
import signal
import subprocess
from pathlib import Path

import pytest

from tests.web import (
    PRINCIPAL,
    SCRIPT,
    TEACHER,
    TOKEN,
    make_project,
    start_server,
    stored,
)

T01, I01, Q01, Q02 = "O3-R1-T01", "O3-R1-I01", "O3-R1-Q01", "O3-R1-Q02"

try:
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:   # the browser fixture (tests/browser.py) skips or fails the test
    pass


@pytest.fixture
def servers():
    """The server processes started by a test, killed at its end whatever happens."""
    started: list[subprocess.Popen] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=20)
        proc.stdout.close()


def shown_item(driver) -> str:
    return WebDriverWait(driver, 15, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.find_element(By.ID, "item").get_attribute("data-item-id"))


def click_and_wait(driver, element) -> None:
    """Click, then wait until the next page has replaced this one and finished loading:
    reading the page sooner meets nodes of the old document."""
    old = driver.find_element(By.TAG_NAME, "main")
    element.click()
    wait = WebDriverWait(driver, 15, ignored_exceptions=(WebDriverException,))
    wait.until(expected_conditions.staleness_of(old))
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete"
               and d.find_elements(By.TAG_NAME, "main"))


def give(driver, response: str, respondent: str = "", other: str = "", comment: str = "",
         revised: str = "") -> None:
    """Fill the form on the page and save it; wait for the next page."""
    if respondent:
        Select(driver.find_element(By.ID, "respondent")).select_by_value(respondent)
    if other:
        driver.find_element(By.ID, "respondent_other").send_keys(other)
    driver.find_element(By.ID, f"response-{response}").click()
    if comment:
        driver.find_element(By.ID, "comment").send_keys(comment)
    if revised:
        driver.find_element(By.ID, "revised_text").send_keys(revised)
    click_and_wait(driver, driver.find_element(By.ID, "save"))


def heading(driver) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text


@pytest.mark.slow
def test_a_session_in_the_browser_survives_a_crash(tmp_path: Path, browser, servers) -> None:
    root = make_project(tmp_path / "project")
    proc, url = start_server(root)
    servers.append(proc)
    base = url.split("/O3/")[0]
    port = int(base.rsplit(":", 1)[1])

    # without the token nothing is shown; another site's pages do not exist
    browser.get(f"{base}/O3/")
    assert heading(browser).startswith("403") and "Release time" not in browser.page_source
    browser.get(f"{base}/O1/?token={TOKEN}")
    assert heading(browser).startswith("404")

    browser.get(url)                               # resumes at the first item: T01
    assert shown_item(browser) == T01
    assert "Member-check session for site O3, round 1" in browser.find_element(
        By.ID, "banner").text
    assert "names replaced" in browser.find_element(By.ID, "banner").text
    assert browser.find_element(By.ID, "progress").text.startswith("Item 1 of 4")
    give(browser, "agree", respondent=PRINCIPAL)
    assert shown_item(browser) == I01
    assert SCRIPT in browser.find_element(By.ID, "item-text").text   # shown, not run
    give(browser, "disagree", other="Parents' group", comment="Not how we see it")
    assert shown_item(browser) == Q01
    assert len(stored(root)) == 2

    proc.send_signal(signal.SIGKILL)               # a crash in the middle of the meeting
    proc.wait(timeout=20)
    proc, _ = start_server(root, port=port)
    servers.append(proc)
    browser.get(url)
    assert shown_item(browser) == Q01              # the first item nobody answered
    assert browser.find_element(By.ID, "progress").text.startswith("Item 3 of 4")

    give(browser, "withdraw", respondent=PRINCIPAL)         # not the speaker: refused
    assert shown_item(browser) == Q01
    assert "only the person quoted" in browser.find_element(By.ID, "reason").text
    give(browser, "withdraw", respondent=TEACHER, comment="Too easy to recognise me")
    assert shown_item(browser) == Q02
    give(browser, "agree", other="the whole group")
    assert "Summary" in heading(browser)               # the last item leads to the summary
    assert "4 of 4 items have a response" in browser.find_element(By.ID, "progress").text

    # back to the interpretation: the parents revise what they disagreed with
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR,
                                                 f'a[href^="/O3/item/{I01}?"]'))
    assert shown_item(browser) == I01
    give(browser, "revise", other="Parents' group", revised="Teachers and parents trade.")
    assert shown_item(browser) == Q01                  # on to the item after it
    browser.get(f"{base}/O3/item/{I01}?token={TOKEN}")
    marks = [(li.get_attribute("data-respondent"), li.get_attribute("data-response"),
              li.get_attribute("class")) for li in
             browser.find_elements(By.CSS_SELECTOR, "li.answer")]
    assert marks == [("Parents' group", "disagree", "answer superseded"),
                     ("Parents' group", "revise", "answer current")]

    browser.get(f"{base}/O3/?token={TOKEN}")           # all answered: the summary
    assert "Summary" in heading(browser)

    files = stored(root)
    for row in files.values():
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", row.pop("recorded"))
        assert (row.pop("site"), row.pop("round"), row.pop("via")) == ("O3", 1, "session")
    assert files == {
        f"0001-{T01}.json": {"item_id": T01, "response": "agree", "comment": "",
                             "revised_text": "", "respondent": PRINCIPAL},
        f"0002-{I01}.json": {"item_id": I01, "response": "disagree",
                             "comment": "Not how we see it", "revised_text": "",
                             "respondent": "Parents' group"},
        f"0003-{Q01}.json": {"item_id": Q01, "response": "withdraw",
                             "comment": "Too easy to recognise me", "revised_text": "",
                             "respondent": TEACHER},
        f"0004-{Q02}.json": {"item_id": Q02, "response": "agree", "comment": "",
                             "revised_text": "", "respondent": "the whole group"},
        f"0005-{I01}.json": {"item_id": I01, "response": "revise", "comment": "",
                             "revised_text": "Teachers and parents trade.",
                             "respondent": "Parents' group"},
    }
