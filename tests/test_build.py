"""The site builds strictly, refuses broken links, serves without the MkDocs 2.0 banner, builds with ProperDocs."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from conftest import ENV, MKDOCS, ROOT, fixture_repo, mkdocs_build, offline_build
from handbook import html_safety, load_mkdocs_config


def test_strict_build_succeeds(built_site: Path) -> None:
    """The real site builds with --strict and has a page for every question."""
    assert (built_site / "index.html").is_file()
    pages = list((built_site / "questions").glob("*/index.html"))
    assert len(pages) == len(list((ROOT / "docs" / "questions").glob("*.md")))
    # Bound numbers reach readers as plain numbers everywhere: pages, notebook pages' alt text, study data.
    leftover = [
        p.relative_to(built_site).as_posix()
        for p in built_site.rglob("*")
        if p.suffix in (".html", ".js") and re.search(r"\{\{[ \t]*[a-z][a-z0-9_]*[ \t]*=", p.read_text("utf-8"))
    ]
    assert leftover == [], f"unrendered {{{{name = value}}}} in {leftover}"


def test_search_index_holds_the_formulas_as_tex_not_as_their_rendering(built_site: Path) -> None:
    """The build renders formulas after search has indexed the page: results quote TeX (typeset when shown,
    docs/javascripts/math.js), never SVG paths or MathML text."""
    index = (built_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "\\\\(" in index and "\\\\frac" in index
    assert not re.search(r"mjx-|<svg|<math|MJX-TEX", index)


def _break(tmp_path: Path, line: str) -> subprocess.CompletedProcess[str]:
    repo = fixture_repo(tmp_path / "repo")
    page = repo / "docs" / "questions" / "alpha.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return mkdocs_build(repo / "mkdocs.yml", tmp_path / "site")


class TestStrictBuildFails:
    def test_on_link_to_missing_page(self, tmp_path: Path) -> None:
        """A link to a page that does not exist stops the build and is named."""
        result = _break(tmp_path, "See [this](no-such-page.md).")
        assert result.returncode != 0
        assert "docs/questions/alpha.md" in result.stderr and "no-such-page.md" in result.stderr

    def test_on_link_to_missing_anchor(self, tmp_path: Path) -> None:
        """A link to a heading that does not exist stops the build and is named."""
        result = _break(tmp_path, "See [this](beta.md#no-such-heading).")
        assert result.returncode != 0
        assert "#no-such-heading" in result.stderr

    def test_on_bad_formula(self, tmp_path: Path) -> None:
        """A formula MathJax cannot parse stops the build with the validator's message."""
        result = _break(tmp_path, r"Broken: $\frac{1}$.")
        assert result.returncode != 0
        assert "M006" in result.stderr or "Missing argument" in result.stderr


SITE_PREFIX = "/handbook/"  # site_url's path, where the 404 page's URLs start


def test_published_pages_run_only_what_the_site_ships(built_site: Path, offline_site: Path) -> None:
    """Every page of the site and of its offline edition (question, notebook, print, 404 pages): only the site's
    scripts, no event handler, no <base>, no refresh, no javascript: or data:text/html URL (handbook/html_safety.py)."""
    assert load_mkdocs_config()["site_url"].endswith(SITE_PREFIX)
    assert html_safety.check_site(built_site, SITE_PREFIX) == {}
    assert html_safety.check_site(offline_site, SITE_PREFIX, directory_urls=False) == {}
    pages = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")}
    assert {"print/index.html", "404.html", "notebooks/q01_bias_variance/index.html"} <= pages


def test_fixture_site_builds_and_publishes_only_what_it_ships(tmp_path: Path) -> None:
    repo = fixture_repo(tmp_path / "repo")
    result = mkdocs_build(repo / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert html_safety.check_site(tmp_path / "site", SITE_PREFIX) == {}


# A theme override that adds a script the site does not ship, to the pages CONDITION picks.
UNSHIPPED_SCRIPT = """{% extends "base.html" %}
{% block scripts %}{{ super() }}{% if CONDITION %}<script>alert("not shipped")</script>{% endif %}{% endblock %}
"""


@pytest.mark.parametrize(
    ("condition", "named"),
    [
        ("page and page.file.src_uri.endswith('.ipynb')", "docs/notebooks/q01_alpha.ipynb"),
        ("page and page.file.src_uri == 'print.md'", "docs/print.md"),
        ("not page", "the theme's 404.html"),
    ],
    ids=["notebook page", "print page", "404 page"],
)
def test_build_fails_on_a_script_the_site_does_not_ship(tmp_path: Path, condition: str, named: str) -> None:
    """A script that reaches a published page by a way the validator does not see (here, a theme override) stops
    the build, naming the page: notebook pages, the print page and the theme's 404 page are read too."""
    repo = fixture_repo(tmp_path / "repo")
    (repo / "overrides" / "main.html").write_text(UNSHIPPED_SCRIPT.replace("CONDITION", condition))
    result = mkdocs_build(repo / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    assert f"{named}: the page as published carries what the site does not ship" in result.stderr, result.stderr
    assert "an inline script the site did not write ('alert(\"not shipped\")')" in result.stderr


def test_build_fails_on_a_script_from_another_host(tmp_path: Path) -> None:
    repo = fixture_repo(tmp_path / "repo")
    config = repo / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("extra_javascript:\n", "extra_javascript:\n  - https://cdn.example/x.js\n"))
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode != 0
    assert "script 'https://cdn.example/x.js' is not one of the site's own" in result.stderr, result.stderr


def test_build_fails_on_a_notebook_figure_that_runs_code(tmp_path: Path) -> None:
    """A notebook's SVG output becomes a file of the site (handbook/notebook_pages.py); opened on its own, an SVG
    runs its scripts: one that carries an event handler stops the build, naming the notebook page."""
    repo = fixture_repo(tmp_path / "repo")
    notebook = repo / "notebooks" / "q01_alpha.py"
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)"><rect/></svg>'
    notebook.write_text(
        notebook.read_text(encoding="utf-8") + f"\n# %%\nfrom IPython.display import SVG\n\nSVG(data={svg!r})\n",
        encoding="utf-8",
    )
    result = mkdocs_build(repo / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    assert "docs/notebooks/q01_alpha.ipynb: the figure assets/images/notebooks/" in result.stderr, result.stderr
    assert "event handler 'onload=\"alert(1)\"'" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.xdist_group("working-tree")  # builds in the working tree: never two at once
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


GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _comparable(name: str, data: bytes) -> bytes | dict[str, bytes]:
    """A file as two builds by different generators should agree on it: pages without the generator's name."""
    if name.endswith(".html"):
        return GENERATOR.sub(b"", data)
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {entry: _comparable(entry, archive.read(entry)) for entry in archive.namelist()}
    return data


@pytest.mark.xdist_group("working-tree")  # builds in the working tree: never two at once
def test_properdocs_alone_builds_the_same_site(built_site: Path, tmp_path: Path) -> None:
    """ProperDocs, the maintained fork of MkDocs 1.x, builds the site with MkDocs hidden: the same files, byte
    for byte but the generator's name (the README's way forward if MkDocs 1.x stops installing)."""
    env = {**ENV, "PYTHONPATH": str(ROOT / "tests" / "without_mkdocs")}
    hidden = subprocess.run([sys.executable, "-c", "import mkdocs"], env=env, capture_output=True, text=True)
    assert "hidden by tests/without_mkdocs" in hidden.stderr
    site = tmp_path / "site"
    command = [str(Path(sys.executable).parent / "properdocs"), "build", "--strict", "--site-dir", str(site)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    offline = offline_build(ROOT / "mkdocs.yml", site, tool="properdocs", env=env)
    assert offline.returncode == 0, offline.stdout + offline.stderr
    assert b"ProperDocs" in GENERATOR.search((site / "index.html").read_bytes()).group(0)
    ours, theirs = ({p.relative_to(s).as_posix(): p for p in s.rglob("*") if p.is_file()} for s in (built_site, site))
    assert sorted(ours) == sorted(theirs)
    differ = [n for n in ours if _comparable(n, ours[n].read_bytes()) != _comparable(n, theirs[n].read_bytes())]
    assert differ == []


def test_a_build_survives_caches_cut_short(tmp_path: Path) -> None:
    """What a Ctrl-C mid-write leaves (an empty mkdocs-jupyter cache entry, an executed notebook cut in half whose key
    survived) makes the next build say so and rebuild them, not crash with a JSON traceback until .cache is deleted."""
    repo = fixture_repo(tmp_path / "repo")
    first = mkdocs_build(repo / "mkdocs.yml", tmp_path / "site")
    assert first.returncode == 0, first.stdout + first.stderr
    entries = sorted((repo / ".cache" / "mkdocs-jupyter").glob("*.json"))
    executed = repo / "build" / "notebooks" / "q01_alpha.ipynb"
    assert entries and executed.is_file()
    entries[0].write_text("")
    executed.write_bytes(executed.read_bytes()[: executed.stat().st_size // 2])
    again = mkdocs_build(repo / "mkdocs.yml", tmp_path / "site")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "mkdocs-jupyter" in again.stderr and "is unreadable; rebuilding it" in again.stderr
    assert "q01_alpha.ipynb is unreadable" in again.stderr
    assert json.loads(executed.read_text(encoding="utf-8"))["cells"]


def test_a_second_build_waits_for_the_first(tmp_path: Path) -> None:
    """Two builds of one tree would execute the same notebooks into the same build/ at once: while one holds the
    lock, another says so and waits, then builds (once the first is done) and succeeds."""
    import fcntl
    import time

    repo = fixture_repo(tmp_path / "repo")
    lock = repo / "build" / "build.lock"
    lock.parent.mkdir(parents=True)
    with lock.open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("pid 12345 (the test)")
        held.flush()
        second = subprocess.Popen(
            [*MKDOCS, "build", "--strict", "--site-dir", str(tmp_path / "site")],
            cwd=repo,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        time.sleep(8)
        assert second.poll() is None, "the second build did not wait: " + (
            second.stdout.read() if second.stdout else ""
        )
        fcntl.flock(held, fcntl.LOCK_UN)
    output, _ = second.communicate(timeout=300)
    assert second.returncode == 0, output
    assert "another build of this tree is running (pid 12345 (the test), lock build/build.lock): waiting" in output


def test_a_stopped_offline_stage_ends_its_build(tmp_path: Path) -> None:
    """SIGTERM to the offline-edition stage (a cancelled job) ends the build it started: no orphan keeps running."""
    import signal
    import time

    repo = fixture_repo(tmp_path / "repo")
    built = mkdocs_build(repo / "mkdocs.yml", tmp_path / "site")
    assert built.returncode == 0, built.stdout + built.stderr
    stage = subprocess.Popen(
        [sys.executable, "scripts/offline_edition.py", str(tmp_path / "site")],
        cwd=repo,
        env=ENV,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    children: list[str] = []
    while not children and time.monotonic() < deadline:
        time.sleep(0.2)
        children = subprocess.run(["pgrep", "-P", str(stage.pid)], capture_output=True, text=True).stdout.split()
    assert children, "the stage started no build"
    stage.send_signal(signal.SIGTERM)
    stage.wait(timeout=60)
    time.sleep(1)
    alive = [
        pid
        for pid in children
        if Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text()
    ]
    assert alive == [], f"the offline build outlived its stage: {alive}"
