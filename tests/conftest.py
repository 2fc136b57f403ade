"""Shared fixtures: one strict build of the real site, served on loopback, and a browser."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from handbook import load_mkdocs_config

# Re-exported: tests break scratch copies of the repo, and serve sites on loopback.
from harness import copy_repo as copy_repo
from harness import fixture_repo as fixture_repo
from harness import serve as serve

ROOT = Path(__file__).resolve().parent.parent

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


def offline_build(
    config: Path, site_dir: Path, tool: str = "mkdocs", env: dict[str, str] = ENV
) -> subprocess.CompletedProcess[str]:
    """The offline-edition stage (scripts/offline_edition.py) over a built site, as `make build` runs it."""
    return subprocess.run(
        [
            sys.executable,
            str(config.parent / "scripts" / "offline_edition.py"),
            str(site_dir),
            "--config-file",
            str(config),
            "--tool",
            tool,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=config.parent,
        check=False,
    )


def build_real_site(site: Path) -> str | None:
    """`make build` of the real site into `site`: None, or what went wrong."""
    result = mkdocs_build(ROOT / "mkdocs.yml", site)
    if result.returncode != 0:
        return result.stdout + result.stderr
    offline = offline_build(ROOT / "mkdocs.yml", site)
    return None if offline.returncode == 0 else offline.stdout + offline.stderr


# Under pytest-xdist (`make test` runs two workers), the controller builds the real site once, before the workers
# start, and hands each worker its path: one build per run, and no two builds executing the notebooks of the
# working tree at once. A run without workers builds it when a test first asks for it.
def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    if getattr(config, "workerinput", None) is None and getattr(config.option, "numprocesses", None):
        site = Path(tempfile.mkdtemp(prefix="handbook-site-"))
        config.stash[_SHARED_SITE] = (site, build_real_site(site))


def pytest_configure_node(node) -> None:  # an xdist hook: runs in the controller, once per worker
    site, error = node.config.stash[_SHARED_SITE]
    node.workerinput["built_site"] = str(site)
    node.workerinput["built_site_error"] = error or ""


def pytest_sessionfinish(session: pytest.Session) -> None:
    if getattr(session.config, "workerinput", None) is None and _SHARED_SITE in session.config.stash:
        shutil.rmtree(session.config.stash[_SHARED_SITE][0], ignore_errors=True)


_SHARED_SITE = pytest.StashKey[tuple[Path, str | None]]()


@pytest.fixture(scope="session")
def built_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once with --strict, then its offline edition: what `make build` makes."""
    shared = getattr(request.config, "workerinput", {}).get("built_site")
    if shared:
        error = request.config.workerinput["built_site_error"]
        assert not error, error
        return Path(shared)
    site = tmp_path_factory.mktemp("site")
    error = build_real_site(site)
    assert error is None, error
    return site


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site, served on loopback."""
    server, url = serve(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def published_url(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built site served under the path it is published at (site_url's), where the 404 page's URLs resolve."""
    root = tmp_path_factory.mktemp("published")
    prefix = urlsplit(load_mkdocs_config()["site_url"]).path
    (root / prefix.strip("/")).symlink_to(built_site, target_is_directory=True)
    server, url = serve(root)
    yield url.rstrip("/") + prefix
    server.shutdown()


@pytest.fixture(scope="session")
def offline_site(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline edition, unzipped from the download as a reader would."""
    target = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(built_site / "downloads" / "ml-interview-handbook-offline.zip") as archive:
        archive.extractall(target)
    return target / "ml-interview-handbook"


@pytest.fixture(scope="session")
def browser():
    from browser import chromium

    with chromium() as b:
        yield b
