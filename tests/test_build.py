"""The site builds strictly, refuses broken links, and serves without the MkDocs 2.0 banner."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from conftest import ROOT, copy_repo, mkdocs_build


def test_strict_build_succeeds(built_site: Path) -> None:
    """The real site builds with --strict and has a page for every question."""
    assert (built_site / "index.html").is_file()
    pages = list((built_site / "questions").glob("*/index.html"))
    assert len(pages) == len(list((ROOT / "docs" / "questions").glob("*.md")))


def _break(tmp_path: Path, line: str) -> subprocess.CompletedProcess[str]:
    repo = copy_repo(tmp_path / "repo")
    page = repo / "docs" / "questions" / "bias-variance-tradeoff.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return mkdocs_build(repo / "mkdocs.yml", tmp_path / "site")


class TestStrictBuildFails:
    def test_on_link_to_missing_page(self, tmp_path: Path) -> None:
        """A link to a page that does not exist stops the build and is named."""
        result = _break(tmp_path, "See [this](no-such-page.md).")
        assert result.returncode != 0
        assert "bias-variance-tradeoff.md" in result.stderr and "no-such-page.md" in result.stderr

    def test_on_link_to_missing_anchor(self, tmp_path: Path) -> None:
        """A link to a heading that does not exist stops the build and is named."""
        result = _break(tmp_path, "See [this](naive-bayes.md#no-such-heading).")
        assert result.returncode != 0
        assert "#no-such-heading" in result.stderr

    def test_on_bad_formula(self, tmp_path: Path) -> None:
        """A formula MathJax cannot parse stops the build with the validator's message."""
        result = _break(tmp_path, r"Broken: $\frac{1}$.")
        assert result.returncode != 0
        assert "M006" in result.stderr or "Missing argument" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_serve_serves_without_mkdocs2_banner() -> None:
    """`make serve` serves the site on loopback and never prints the MkDocs 2.0 banner."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "NO_MKDOCS_2_WARNING"}
    proc = subprocess.Popen(
        ["make", "-s", "serve", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline, body = time.monotonic() + 300, ""
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    body = response.read().decode()
                break
            except OSError:
                time.sleep(1)
        assert "ML Interview Handbook" in body, "make serve did not serve the site"
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        output = proc.communicate(timeout=30)[0]
    assert "MkDocs 2.0" not in output and "NO_MKDOCS_2_WARNING" not in output, output
