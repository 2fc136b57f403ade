"""Shared fixtures: one strict build of the real site, served on loopback, and a browser."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "true"}
MKDOCS = (
    [str(ROOT / ".venv" / "bin" / "mkdocs")]
    if (ROOT / ".venv" / "bin" / "mkdocs").exists()
    else [sys.executable, "-m", "mkdocs"]
)


def mkdocs_build(config: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of the given config into `site_dir`."""
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "--config-file", str(config), "--site-dir", str(site_dir)],
        capture_output=True,
        text=True,
        env=ENV,
        cwd=config.parent,
        check=False,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once with --strict."""
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT / "mkdocs.yml", site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site, served on loopback."""
    server, url = serve(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from browser import chromium

    with chromium() as b:
        yield b


def copy_repo(dest: Path) -> Path:
    """A scratch copy of the sources (not the caches), to break on purpose."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "requirements.txt", "docs", "notebooks", "scripts", "overrides"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    if (ROOT / "build").is_dir():  # executed notebooks: reusing them keeps the copy's build fast
        shutil.copytree(ROOT / "build", dest / "build")
    return dest
