"""What the tests and the benchmark share: scratch copies of the repository, a loopback server, a guarded browser.

The browser is Chromium driven by Playwright, with every off-machine request blocked: Debian's
/usr/bin/chromium where it exists (CI), elsewhere Playwright's own build from `playwright install chromium`.
`python scripts/harness.py --find` prints the one it would use and exits 1 when there is none.
"""

from __future__ import annotations

import functools
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from handbook import BUILD, ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route


def copy_repo(dest: Path) -> Path:
    """A scratch copy of the sources and the executed notebooks (not the other caches), to break or time."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "requirements.txt", "pyproject.toml", "docs", "notebooks", "scripts", "overrides"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    if BUILD.is_dir():  # executed notebooks: reusing them keeps the copy's build fast
        shutil.copytree(BUILD, dest / "build")
    return dest


FIXTURE = ROOT / "tests" / "fixtures" / "tiny"
# What the fixture site takes from the real one besides the build: the site's scripts, styles and generated pages.
SHARED_DOCS = (
    "javascripts",
    "stylesheets",
    ".snippets",
    "all-questions.md",
    "print.md",
    "notebook-gallery.md",
    "tags.md",
)


def fixture_repo(dest: Path) -> Path:
    """The fixture site (tests/fixtures/tiny: two questions, one notebook) with the real build, in `dest`.

    As sphinx-gallery's tinybuild: the integration tests that break a build run on it in seconds.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("requirements.txt", "pyproject.toml", "scripts", "overrides"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    for name in SHARED_DOCS:
        src = ROOT / "docs" / name
        if src.is_dir():
            shutil.copytree(src, dest / "docs" / name)
        else:
            (dest / "docs").mkdir(exist_ok=True)
            shutil.copy2(src, dest / "docs" / name)
    shutil.copytree(FIXTURE / "docs", dest / "docs", dirs_exist_ok=True)
    shutil.copytree(FIXTURE / "notebooks", dest / "notebooks")
    shutil.copy2(ROOT / "notebooks" / "handbook_nb.py", dest / "notebooks" / "handbook_nb.py")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    head, _ = config.split("\nnav:\n", 1)  # the real nav is the config's last key
    (dest / "mkdocs.yml").write_text(head + "\n" + (FIXTURE / "nav.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    return dest


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    """`directory` served on a free loopback port, in a background thread: (server, base URL)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


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
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        return Path(p.chromium.executable_path).is_file()


@contextmanager
def chromium() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright  # a dev dependency: the build never needs it

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


if __name__ == "__main__" and sys.argv[1:] == ["--find"]:
    found = find_chromium() or (playwright_has_browser() and "playwright's chromium")
    print(found or "none")
    sys.exit(0 if found else 1)
