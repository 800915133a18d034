"""A real browser for tests: Debian's headless Chromium driven by Playwright, and a local server.

`./dev.sh test` installs Chromium from Debian; Playwright never downloads a browser of its own.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def browser_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("没有找到 Chromium：请运行 ./dev.sh test（会用 apt-get 安装 chromium）(chromium not installed)")
    return path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # no line per request in the test output


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """The folder on a local web server, as a base URL ending in '/'."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=browser_path(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-sync",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def phone(browser: Browser, large: bool = False, viewport: dict[str, int] = PHONE) -> Iterator[Page]:
    """A page in a fresh context; `large`: the 大字 mode switched on, as a resident leaves it."""
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    if large:
        context.add_init_script("localStorage.setItem('gongkai-large-text', '1')")
    try:
        yield context.new_page()
    finally:
        context.close()


def open_search(page: Page) -> None:
    page.locator("label.md-header__button[for=__search]").click()


def results(page: Page, timeout: int = 15000) -> list[str]:
    """The links of the search results, top first (the query string of highlights dropped)."""
    page.locator(".md-search-result__item > a").first.wait_for(timeout=timeout)
    page.wait_for_timeout(300)  # the last query's results replace the previous ones
    hrefs = page.locator(".md-search-result__item > a").evaluate_all("els => els.map(a => a.href)")
    return [h.split("?")[0] for h in hrefs]
