"""Reproducible, accessible and safe: the same sources build the same bytes, formulas and images are
accessible, and no page runs foreign code or loads from another host.

Speed and size are measured by scripts/bench.py, not here: see BENCHMARKS.md.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from browser import OffsiteGuard
from conftest import ENV, MKDOCS, ROOT, copy_repo
from handbook import source_date_epoch

sys.path.insert(0, str(ROOT / "scripts" / "hooks"))
import safe_pages

PALETTES = {"light": "default", "dark": "slate"}
PAGE_TYPES = {
    "home": "",
    "question": "questions/bias-variance-tradeoff/",
    "notebook": "notebooks/q01_bias_variance/",
    "all questions": "all-questions/",
    "tags": "tags/",
    "notation": "notation/",
}
MATH_DONE = "document.documentElement.dataset.mathjax === 'done'"
# Files allowed to differ between two clean builds of the same commit: none.
MAY_DIFFER: set[str] = set()


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_clean_builds_are_byte_identical(built_site: Path, tmp_path: Path) -> None:
    """A second build, from a copy elsewhere with no cache but the executed notebooks, gives the same bytes."""
    repo = copy_repo(tmp_path / "repo")  # no git there: the commit's date comes in SOURCE_DATE_EPOCH, as in CI
    env = {**ENV, "SOURCE_DATE_EPOCH": str(source_date_epoch())}
    result = subprocess.run(
        [*MKDOCS, "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    first, second = site_files(built_site), site_files(tmp_path / "site")
    assert sorted(first) == sorted(second), set(first) ^ set(second)
    differ = sorted(name for name in first if first[name] != second[name] and name not in MAY_DIFFER)
    assert differ == [], f"{len(differ)} file(s) differ between two builds of the same sources: {differ[:10]}"


@pytest.fixture(scope="module", params=list(PALETTES))
def palette_tab(request: pytest.FixtureRequest, browser):
    """A browser tab in the light or the dark palette, with off-site requests blocked."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=request.param)
    tab = context.new_page()
    guard = OffsiteGuard(tab)
    yield request.param, tab, guard
    context.close()


def load(tab, url: str) -> None:
    tab.goto(url)
    tab.wait_for_function(MATH_DONE, timeout=30_000)


def test_formulas_carry_assistive_mathml(palette_tab, site_url: str) -> None:
    """Every typeset formula holds hidden MathML for screen readers (MathJax's assistive-mml)."""
    _, tab, _ = palette_tab
    load(tab, site_url + PAGE_TYPES["question"])
    counts = tab.evaluate(
        """() => ({
          formulas: document.querySelectorAll('mjx-container').length,
          spoken: document.querySelectorAll('mjx-container > mjx-assistive-mml > math').length,
        })"""
    )
    assert counts["formulas"] > 10 and counts["spoken"] == counts["formulas"], counts


def test_images_have_alt_text(built_site: Path) -> None:
    """Every image on every page has a non-empty alt attribute."""
    missing = []
    for path in built_site.rglob("*.html"):
        for tag in re.findall(r"<img\b[^>]*>", path.read_text(encoding="utf-8")):
            if not re.search(r"""\balt=(["'])\s*[^"'\s]""", tag):
                missing.append(f"{path.relative_to(built_site)}: {tag[:100]}")
    assert missing == []


def test_external_links_carry_noopener(built_site: Path) -> None:
    """Every link to an absolute URL, in every page, has rel="noopener"."""
    links = 0
    offenders = []
    for path in built_site.rglob("*.html"):
        for tag in re.findall(r"<a\s[^>]*>", path.read_text(encoding="utf-8")):
            if re.search(r"""\bhref=["']?(?:https?:)?//""", tag):
                links += 1
                rel = re.search(r"""\brel=(["'])(.*?)\1""", tag)
                if rel is None or "noopener" not in rel.group(2).split():
                    offenders.append(f"{path.relative_to(built_site)}: {tag[:120]}")
    assert links > 100 and offenders == [], offenders[:10]


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ('<a href="https://a.org/">', '<a href="https://a.org/" rel="noopener">'),
        ('<a href="https://a.org/" rel="edit">', '<a href="https://a.org/" rel="edit noopener">'),
        ("<a rel='noopener me' href='//a.org/'>", "<a rel='noopener me' href='//a.org/'>"),
    ],
)
def test_noopener_is_added_once(tag: str, expected: str) -> None:
    """noopener joins an existing rel, is added where rel is missing, and never twice."""
    assert safe_pages.EXTERNAL_LINK.sub(lambda m: safe_pages.with_noopener(m.group(0)), tag) == expected


def test_no_page_loads_from_another_host(browser, built_site: Path, site_url: str) -> None:
    """Every page of the site, loaded in Chromium until its formulas are typeset, requests nothing off this machine."""
    pages = sorted(p.relative_to(built_site).parent.as_posix() for p in built_site.rglob("index.html"))
    assert len(pages) > 80
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    guard = OffsiteGuard(tab)
    leaks = {}
    for page in pages:
        load(tab, site_url + ("" if page == "." else page + "/"))
        tab.wait_for_load_state("networkidle")
        if guard.blocked:
            leaks[page], guard.blocked = guard.blocked, []
    context.close()
    assert leaks == {}


def test_unsafe_output_types_are_dropped() -> None:
    """HTML, Markdown and JavaScript representations go; text and images stay; an output left empty goes."""
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": "<b>prose</b>"},
            {
                "cell_type": "code",
                "outputs": [
                    {"output_type": "display_data", "data": {"text/html": "<script></script>", "text/plain": "x"}},
                    {"output_type": "display_data", "data": {"application/javascript": "alert(1)"}},
                    {"output_type": "display_data", "data": {"image/svg+xml": "<svg/>", "text/markdown": "*m*"}},
                    {"output_type": "stream", "name": "stdout", "text": "<script>"},
                ],
            },
        ]
    }
    dropped = safe_pages.drop_unsafe_outputs(nb)
    assert dropped == [(1, ["text/html"]), (1, ["application/javascript"]), (1, ["text/markdown"])]
    assert nb["cells"][1]["outputs"] == [
        {"output_type": "display_data", "data": {"text/plain": "x"}},
        {"output_type": "display_data", "data": {"image/svg+xml": "<svg/>"}},
        {"output_type": "stream", "name": "stdout", "text": "<script>"},
    ]
    assert nb["cells"][0]["source"] == "<b>prose</b>"
