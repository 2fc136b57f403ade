"""The tests' browser: Chromium driven by Playwright, with every off-machine request blocked.

Debian's /usr/bin/chromium is used where it exists (CI); elsewhere Playwright's own
build from `playwright install chromium`. `python tests/browser.py --find` prints the
one it would use and exits 1 when there is none.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, Route, sync_playwright

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def find_chromium() -> str | None:
    """Debian's Chromium, else None (Playwright then uses its own download, if any)."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def playwright_has_browser() -> bool:
    with sync_playwright() as p:
        return Path(p.chromium.executable_path).is_file()


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(), args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


class OffsiteGuard:
    """Aborts and records every request that would leave this machine."""

    def __init__(self, page: Page) -> None:
        self.blocked: list[str] = []
        page.route("**/*", self._route)

    def _route(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if (
            parts.scheme in ("data", "blob", "about")
            or (parts.scheme in ("http", "https", "ws") and parts.hostname in LOCAL_HOSTS)
            or parts.scheme == "file"
        ):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


# Set on <html> by docs/javascripts/mathjax-config.js once a page's formulas are typeset.
MATH_DONE = "document.documentElement.dataset.mathjax === 'done'"


def load(tab: Page, url: str) -> None:
    """Open a page and wait for its formulas."""
    tab.goto(url)
    tab.wait_for_function(MATH_DONE, timeout=30_000)


def press(tab: Page, selector: str, key: str = "Enter") -> None:
    """Focus a control and operate it with the keyboard, as a reader without a mouse does."""
    tab.focus(selector)
    tab.keyboard.press(key)


if __name__ == "__main__" and sys.argv[1:] == ["--find"]:
    found = find_chromium() or (playwright_has_browser() and "playwright's chromium")
    print(found or "none")
    sys.exit(0 if found else 1)
