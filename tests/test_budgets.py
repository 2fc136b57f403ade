"""Reproducible, accessible and safe: the same sources build the same bytes, axe-core finds nothing
serious in either palette, formulas and images are accessible, and no page runs foreign code or
loads from another host.

Speed and size are measured by scripts/bench.py, not here: see BENCHMARKS.md.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from mkdocs_jupyter.nbconvert2 import nb2html

from browser import MATH_DONE, OffsiteGuard, load
from conftest import ENV, MKDOCS, ROOT, copy_repo, fixture_repo, offline_build, serve
from handbook import notebook_pages, safe_output, source_date_epoch
from handbook.notebook_css import classes_in, prune

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PALETTES = {"light": "default", "dark": "slate"}
PAGE_TYPES = {
    "home": "",
    "question": "questions/bias-variance-tradeoff/",
    "notebook": "notebooks/q01_bias_variance/",
    "all questions": "all-questions/",
    "review": "review/",
    "mock interview": "mock-interview/",
    "tags": "tags/",
    "notation": "notation/",
    "notebook gallery": "notebook-gallery/",
    "print": "print/",
    "not found": "404.html",
}
# What a reader opens on top of a page: (page, what to do there, what must then be on screen).
STATES = {
    "search results": ("", "search", ".md-search-result__item"),
    "quiz mode": ("questions/bias-variance-tradeoff/", "quiz", ".study-reveal"),
    "quiz mode, rating an answer": ("questions/bias-variance-tradeoff/", "rate", ".study-rate"),
    "review card revealed": ("review/", "review", ".study-card__answer mjx-container"),
    "review session done": ("review/", "review-done", "#study-session-done"),
    "mock interview question": ("mock-interview/", "mock", ".study-timer"),
    "mock interview revealed": ("mock-interview/", "mock-reveal", ".study-card__answer mjx-container"),
    "mock interview done": ("mock-interview/", "mock-done", "#study-mock-done"),
}
# What opens each state (study features: docs/javascripts/study*.js): a click, or (control, value) to fill or choose.
ACTIONS = {
    "quiz": [".study-quiz-toggle"],
    "rate": [".study-quiz-toggle", ".study-reveal"],
    "review": [".study-review__start", ".study-card__reveal"],
    "review-done": [
        ("[data-setting=newPerDay]", "1"),
        ".study-review__start",
        ".study-card__reveal",
        ".study-rate--easy",
    ],
    "mock": [("[data-mock=count]", "1"), ("[data-mock=tag]", "probability"), ".study-mock__start"],
    "mock-reveal": [
        ("[data-mock=count]", "1"),
        ("[data-mock=tag]", "probability"),
        ".study-mock__start",
        ".study-card__reveal",
    ],
    "mock-done": [("[data-mock=count]", "1"), ".study-mock__start", ".study-card__reveal", ".study-rate--good"],
}
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
    offline = offline_build(repo / "mkdocs.yml", tmp_path / "site", env=env)
    assert offline.returncode == 0, offline.stdout + offline.stderr
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


def assert_axe_finds_no_serious_violation(tab, palette: str) -> None:
    assert tab.evaluate("document.body.getAttribute('data-md-color-scheme')") == PALETTES[palette]
    # What a reader sees once things settle: axe measures colours mid-fade otherwise (the theme's "Back to top"
    # button fades in as a finished session scrolls its heading into view, and read 4.35:1 half-way).
    tab.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')", timeout=5_000)
    tab.add_script_tag(path=str(AXE))
    violations = tab.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    details = [f"{v['id']} ({v['impact']}): {v['help']}; e.g. {[n['target'] for n in v['nodes'][:3]]}" for v in serious]
    assert serious == [], "\n".join(details)


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_axe_finds_no_serious_violation(palette_tab, published_url: str, kind: str) -> None:
    """axe-core reports no serious or critical accessibility violation on each kind of page, in both palettes."""
    palette, tab, _ = palette_tab
    load(tab, published_url + PAGE_TYPES[kind])
    assert_axe_finds_no_serious_violation(tab, palette)


@pytest.mark.parametrize("state", list(STATES))
def test_axe_finds_no_serious_violation_in_open_widgets(palette_tab, published_url: str, state: str) -> None:
    """The same with the search dialog showing results, quiz mode hiding an answer and rating it, and the Review
    page's and the mock interview's cards, answers and summaries."""
    palette, tab, _ = palette_tab
    page, action, shown = STATES[state]
    load(tab, published_url + page)
    if action == "search":
        tab.click(".md-search__input")
        tab.keyboard.type("gradient")
    for step in ACTIONS.get(action, []):
        selector, value = step if isinstance(step, tuple) else (step, None)
        if value is None:
            tab.click(selector)
        elif tab.locator(selector).evaluate("e => e.tagName") == "SELECT":
            tab.select_option(selector, value)
        else:
            tab.fill(selector, value)
            tab.locator(selector).dispatch_event("change")
    tab.wait_for_selector(shown, state="visible", timeout=15_000)
    try:
        assert_axe_finds_no_serious_violation(tab, palette)
    finally:
        tab.evaluate("localStorage.clear()")  # quiz mode is remembered: leave the next test a fresh reader


def test_formulas_carry_assistive_mathml(palette_tab, published_url: str) -> None:
    """Every typeset formula holds hidden MathML for screen readers (MathJax's assistive-mml)."""
    _, tab, _ = palette_tab
    load(tab, published_url + PAGE_TYPES["question"])
    counts = tab.evaluate(
        """() => ({
          formulas: document.querySelectorAll('mjx-container').length,
          spoken: document.querySelectorAll('mjx-container > mjx-assistive-mml > math').length,
        })"""
    )
    assert counts["formulas"] > 10 and counts["spoken"] == counts["formulas"], counts


@pytest.mark.parametrize("path", ["print/", PAGE_TYPES["question"]])
def test_scrolling_formulas_take_keyboard_focus_at_phone_width(browser, published_url: str, path: str) -> None:
    """At 390 px many display formulas scroll sideways: each one that does can be focused, so a keyboard can scroll
    it. The print page's formulas once lost their tabindex (the print edition renames their class)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    tab.goto(published_url + path)
    if path == "print/":  # study.js typesets the print page one question at a time, then enables the button
        tab.wait_for_function("!document.querySelector('.study-print').disabled", timeout=120_000)
    else:
        tab.wait_for_function(MATH_DONE, timeout=30_000)
    found = tab.evaluate(
        """() => {
          const scrolling = [...document.querySelectorAll('article div.arithmatex')]
            .filter(d => d.scrollWidth > d.clientWidth + 1);
          return {scrolling: scrolling.length, unreachable: scrolling.filter(d => d.tabIndex < 0).length};
        }"""
    )
    context.close()
    assert found["scrolling"] > 0 and found["unreachable"] == 0, found


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
    assert safe_output.external_links_noopener(tag) == expected


def test_no_page_loads_from_another_host(browser, built_site: Path, published_url: str) -> None:
    """Every page of the site, loaded in Chromium until its formulas are typeset, requests nothing off this machine:
    those that tests/test_browser.py's math test does not open here (it checks the same of its pages)."""
    from test_browser import PAGES as CHECKED_THERE

    checked = {p + "index.html" for p in CHECKED_THERE}
    pages = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html"))
    pages = [p for p in pages if p not in checked]
    assert "404.html" in pages and "print/index.html" in pages and "review/index.html" in pages, pages
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    guard = OffsiteGuard(tab)
    leaks = {}
    for page in pages:
        tab.goto(published_url + page, wait_until="networkidle")
        tab.wait_for_function(MATH_DONE, timeout=30_000)
        if guard.blocked:
            leaks[page], guard.blocked = guard.blocked, []
    context.close()
    assert leaks == {}


def test_image_metadata_keeps_whole_number_sizes_only() -> None:
    """nbconvert writes an image's width and height into the <img> unquoted: a width of "64 onload=alert(1)" would
    add an attribute that runs. Only whole numbers stay; anything else is dropped and reported with its cell."""
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "outputs": [
                    {
                        "output_type": "display_data",
                        "data": {"image/png": "iVBORw0KGgo="},
                        "metadata": {"image/png": {"width": "64 onload=alert(1)", "height": 48, "unconfined": True}},
                    },
                    {
                        "output_type": "display_data",
                        "data": {"image/png": "iVBORw0KGgo="},
                        "metadata": {"width": "300"},
                    },
                ],
            }
        ]
    }
    dropped = safe_output.drop_unsafe_outputs(nb)
    assert dropped == [(0, ["metadata image/png.width", "metadata image/png.unconfined"])]
    assert [o["metadata"] for o in nb["cells"][0]["outputs"]] == [{"image/png": {"height": 48}}, {"width": 300}]


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
    dropped = safe_output.drop_unsafe_outputs(nb)
    assert dropped == [(1, ["text/html"]), (1, ["application/javascript"]), (1, ["text/markdown"])]
    assert nb["cells"][1]["outputs"] == [
        {"output_type": "display_data", "data": {"text/plain": "x"}},
        {"output_type": "display_data", "data": {"image/svg+xml": "<svg/>"}},
        {"output_type": "stream", "name": "stdout", "text": "<script>"},
    ]
    assert nb["cells"][0]["source"] == "<b>prose</b>"


UNSAFE_NOTEBOOK = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Outputs that would run a script

# %%
from IPython.display import HTML, Javascript, display

display(HTML('<b>bold</b><script>window.injected = "html"</script><img src="https://example.com/x.png" alt="x">'))

# %%
display(Javascript('window.injected = "js"'))
"""


def test_notebook_outputs_cannot_inject_scripts(tmp_path: Path, browser) -> None:
    """A notebook whose outputs hold a script, JavaScript and a remote image: the build warns naming the cells,
    and its page runs no script of theirs and requests nothing from another host."""
    repo = fixture_repo(tmp_path / "repo")
    (repo / "notebooks" / "q99_unsafe.py").write_text(UNSAFE_NOTEBOOK, encoding="utf-8")
    site = tmp_path / "site"
    result = subprocess.run(
        [*MKDOCS, "build", "--site-dir", str(site)],  # not --strict: the warnings would stop it
        cwd=repo,
        env={**ENV, "HANDBOOK_NOTEBOOK_JOBS": str(os.cpu_count() or 1)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"notebooks/q99_unsafe.py:\d+: cell 2: output of type text/html not published", result.stderr)
    assert re.search(r"q99_unsafe.py:\d+: cell 3: output of type application/javascript not published", result.stderr)
    server, url = serve(site)
    context = browser.new_context()
    tab = context.new_page()
    guard = OffsiteGuard(tab)
    try:
        load(tab, url + "notebooks/q99_unsafe/")
        tab.wait_for_load_state("networkidle")
        assert tab.evaluate("window.injected") is None
        assert tab.locator("pre", has_text="window.injected").count() == 2  # the code is still shown, as text
        assert guard.blocked == []
    finally:
        context.close()
        server.shutdown()


def _nav_titles(html: str) -> list[str]:
    return re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', html, re.S)


def test_dirty_reload_serves_the_edit_with_every_page_whole(tmp_path: Path) -> None:
    """Under `make serve`'s `mkdocs serve --dirty`, an edit is served, its new formula rendered, and the navigation
    and the pages made from others (print, deck) survive the partial rebuild (scripts/site_hooks.py)."""
    repo = fixture_repo(tmp_path / "repo")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [*MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload", "--dirty"]
    server = subprocess.Popen(
        command, cwd=repo, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(server.stdout or []), daemon=True).start()
    url = f"http://127.0.0.1:{port}/handbook/questions/alpha/"

    def fetch() -> str:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode()

    try:
        deadline = time.monotonic() + 300
        while not any("Serving on" in line for line in log):
            assert server.poll() is None and time.monotonic() < deadline, "".join(log[-30:])
            time.sleep(0.5)
        before = fetch()
        page = repo / "docs" / "questions" / "alpha.md"
        edit = "\nA dirty-reload marker, $\\zeta_{\\text{reload}}^2$.\n"
        page.write_text(page.read_text(encoding="utf-8") + edit, encoding="utf-8")
        deadline = time.monotonic() + 120
        while "A dirty-reload marker," not in (after := fetch()):
            assert time.monotonic() < deadline, "the edit was never served:\n" + "".join(log[-30:])
            time.sleep(0.2)
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=60)
    assert "What is a variance?" in _nav_titles(before) and _nav_titles(after) == _nav_titles(before)
    assert "None" not in _nav_titles(after)
    formula = re.search(r'<mjx-container data-tex="\\zeta_\{\\text\{reload\}\}\^2"[^>]*><svg.*?</svg>', after, re.S)
    assert formula is not None, "the edited formula was not rendered"
    assert 'xlink:href="#MJX-TEX-I-1D701"' in formula.group(0) and '<path id="MJX-TEX-I-1D701"' in after  # zeta's glyph
    assert not any("ERROR" in line or "Traceback" in line for line in log), "".join(log)


TRIMMED_CSS = """
.wrap .used { color: red }
.wrap .absent, .wrap .used:hover { color: blue }
.wrap .used:not(.absent) { --kept: var(--chained); margin: var(--kept) }
.wrap :is(.absent, .used) { padding: 1px }
.wrap :root { --icon: url(data:image/svg+xml;base64,AAAA) }
.wrap { --chained: 2px; --unread: 3px }
@media print { .absent { display: none } .used { display: block } }
@keyframes spin { to { transform: rotate(1turn) } }
.md-typeset__scrollwrap .used { margin: 0 }
"""


def test_notebook_css_keeps_what_can_match() -> None:
    """Rules for absent classes go, as do `:root` after a combinator and custom properties nobody reads;
    `:not(.absent)`, `:is(...)` lists, Material's own classes, @keyframes and what @media holds for the page stay."""
    css = prune(TRIMMED_CSS, {"wrap", "used"})
    assert ".wrap .used{color:red}" in css
    assert ".wrap .used:hover{color:blue}" in css and ".wrap .absent" not in css
    assert ".wrap .used:not(.absent){--kept:var(--chained);margin:var(--kept)}" in css
    assert ".wrap :is(.absent, .used){padding:1px}" in css
    assert "--icon" not in css and "--unread" not in css and ".wrap{--chained:2px}" in css
    assert "@media print{.used{display:block}}" in css
    assert "@keyframes spin" in css and ".md-typeset__scrollwrap .used" in css


# Every property but the custom ones (`--jp-...`): the trimmed sheet drops those no property reads.
STYLE_SNAPSHOT = """() => [...document.querySelectorAll('.jupyter-wrapper, .jupyter-wrapper *')].map((element) => {
  const style = getComputedStyle(element);
  const used = [...style].filter((name) => !name.startsWith('--'));
  return [element.tagName + '.' + element.className, ...used.map((name) => `${name}: ${style[name]}`)];
})"""


def test_trimmed_notebook_css_styles_the_page_as_the_whole(palette_tab, published_url: str) -> None:
    """Every element of a notebook page has the same computed style with its trimmed stylesheet as with the
    whole JupyterLab stylesheet mkdocs-jupyter gives it, in both palettes."""
    _, tab, _ = palette_tab
    whole_page = nb2html(str(ROOT / "build" / "notebooks" / "q25_kernel_trick.ipynb"))
    whole = "\n".join(notebook_pages.STYLE_BLOCK.findall(whole_page))
    assert len(whole) > 500_000 and len(prune(whole, classes_in(whole_page))) < 30_000
    load(tab, published_url + "notebooks/q25_kernel_trick/")
    trimmed = tab.evaluate(STYLE_SNAPSHOT)
    tab.evaluate(
        """(css) => { const style = document.createElement('style'); style.textContent = css;
                     document.querySelector('link[href*="stylesheets/jupyter-"]').replaceWith(style); }""",
        whole,
    )
    assert tab.locator('link[href*="stylesheets/jupyter-"]').count() == 0
    styled = tab.evaluate(STYLE_SNAPSHOT)
    assert len(trimmed) > 1000 and len(styled) == len(trimmed)
    differ = [(a[0], sorted(set(a) ^ set(b))[:4]) for a, b in zip(trimmed, styled, strict=True) if a != b]
    assert differ == [], f"{len(differ)} elements styled otherwise, e.g. {differ[:3]}"


def test_notebook_figures_are_files_that_load_lazily(palette_tab, published_url: str, built_site: Path) -> None:
    """No notebook page carries a base64 image; its figures are files with a size, loaded as the reader scrolls,
    and described by the alt text of the question page that embeds them, not by nbconvert's placeholder."""
    pages = sorted((built_site / "notebooks").glob("*/index.html"))
    texts = [p.read_text(encoding="utf-8") for p in pages]
    assert pages and not [p for p, text in zip(pages, texts, strict=True) if "data:image" in text]
    assert not [p for p, text in zip(pages, texts, strict=True) if "No description has been provided" in text]
    question = (ROOT / "docs" / "questions" / "kernel-trick.md").read_text(encoding="utf-8")
    described = re.findall(r"!\[([^\]]+)\]\(\.\./figures/q25_kernel_trick/", question)
    _, tab, _ = palette_tab
    load(tab, published_url + "notebooks/q25_kernel_trick/")
    images = tab.locator(".jp-OutputArea img")
    assert len(described) == 2 and [images.nth(i).get_attribute("alt") for i in range(images.count())] == described
    assert tab.evaluate("() => [...document.querySelectorAll('.jp-OutputArea img')].at(-1).complete") is False
    for index in range(images.count()):
        image = images.nth(index)
        assert image.get_attribute("loading") == "lazy" and int(image.get_attribute("width")) > 100
        image.scroll_into_view_if_needed()
        tab.wait_for_function("(image) => image.complete && image.naturalWidth > 0", arg=image.element_handle())
