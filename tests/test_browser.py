"""In Chromium, with every off-machine request blocked: math renders, search works, nothing leaks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser import OffsiteGuard
from conftest import ROOT

SCREENSHOTS = ROOT / "tests" / "screenshots"
QUESTION_PAGES = sorted(p.stem for p in (ROOT / "docs" / "questions").glob("*.md"))
NOTEBOOK_PAGES = sorted(p.stem for p in (ROOT / "notebooks").glob("q*.py"))
PAGES = (
    ["", "notation/", "all-questions/"]
    + [f"questions/{s}/" for s in QUESTION_PAGES]
    + [f"notebooks/{s}/" for s in NOTEBOOK_PAGES]
)
PALETTES = {"light": "default", "dark": "slate"}

MATH_STATE = r"""() => {
  const math = [...document.querySelectorAll('.arithmatex')];
  return {
    total: math.length,
    typeset: math.filter(e => e.querySelector('mjx-container')).length,
    svg: math.filter(e => e.querySelector(':scope > mjx-container[jax="SVG"] > svg')).length,
    errors: document.querySelectorAll('mjx-merror, [data-mjx-error]').length,
    // Rendered by the build: the page loads no MathJax, no MathJax font, and draws in the text's colour.
    mathjax: typeof window.MathJax,
    loaded: performance.getEntriesByType('resource').map(r => r.name)
      .filter(url => /\/assets\/mathjax\/|\.woff2?$/.test(url)),
    colours: math.slice(0, 5).map(e => {
      const g = e.querySelector('mjx-container > svg > g');
      return g && [getComputedStyle(g).fill, getComputedStyle(e).color];
    }),
    // The reader-visible prose: code and typeset math removed.
    text: (() => {
      const article = document.querySelector('article').cloneNode(true);
      const hidden = 'pre, code, script, style, mjx-container, .jp-InputArea, .highlight';
      article.querySelectorAll(hidden).forEach(e => e.remove());
      return article.textContent;
    })(),
  };
}"""


@pytest.fixture(scope="module", params=list(PALETTES))
def palette_page(request: pytest.FixtureRequest, browser):
    """A browser page in the light or the dark palette, with off-site requests blocked."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=request.param)
    page = context.new_page()
    guard = OffsiteGuard(page)
    yield request.param, page, guard
    context.close()


def load(page, url: str) -> dict:
    page.goto(url)
    page.wait_for_function("document.documentElement.dataset.mathjax === 'done'", timeout=20_000)
    return page.evaluate(MATH_STATE)


@pytest.mark.parametrize("path", PAGES)
def test_page_math_renders_offline(palette_page, site_url: str, path: str) -> None:
    """Every formula is typeset, none is an error, no raw delimiter is left, nothing leaves 127.0.0.1; the
    formulas came rendered (SVG, in the text's colour in either palette) and the page loaded no MathJax."""
    palette, page, guard = palette_page
    errors: list[Exception] = []

    def record(error: Exception) -> None:  # a function: Playwright cannot add or remove a built-in method
        errors.append(error)

    page.on("pageerror", record)  # a script stopped by the page's markup (an SVG's read-only href, say)
    try:
        state = load(page, site_url + path)
    finally:
        page.remove_listener("pageerror", record)
    assert errors == []
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == PALETTES[palette]
    assert state["typeset"] == state["total"], f"{state['total'] - state['typeset']} formulas not typeset"
    assert state["svg"] == state["total"], f"{state['total'] - state['svg']} formulas not rendered by the build"
    assert state["mathjax"] == "undefined" and state["loaded"] == [], state["loaded"]
    assert all(fill == colour for fill, colour in state["colours"]), state["colours"]
    assert state["errors"] == 0
    leftovers = re.findall(r"\\\(|\\\)|\\\[|\\\]|\$\$|(?<![\w\\])\$(?=\S)", state["text"])
    assert not leftovers, f"raw math delimiters in the text: {leftovers[:5]}"
    assert guard.blocked == [], f"requests tried to leave the machine: {guard.blocked}"


def test_every_built_question_and_notebook_page_is_checked(built_site: Path) -> None:
    """The pages the math test opens are the pages the build made: none is left out, none is a stale name."""
    built = {
        f"{kind}/{p.parent.name}/"
        for kind in ("questions", "notebooks")
        for p in built_site.glob(f"{kind}/*/index.html")
    }
    assert built == {p for p in PAGES if p.startswith(("questions/", "notebooks/"))}


@pytest.mark.parametrize("width", [1280, 390])
def test_question_page_fits_the_screen(palette_page, site_url: str, width: int) -> None:
    """At desktop and phone widths the page itself never scrolls sideways (wide formulas and tables scroll in
    their own box); a screenshot is kept in tests/screenshots/ for people to look at."""
    palette, page, _ = palette_page
    page.set_viewport_size({"width": width, "height": 900})
    try:
        load(page, site_url + "questions/bias-variance-tradeoff/")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"bias-variance-{palette}-{width}.png"))
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})  # the module's other tests expect a desktop
    assert overflow <= 0, f"the page is {overflow} px wider than the {width} px screen"


def test_search_finds_irreducible_error(palette_page, site_url: str) -> None:
    """Search, served from the site itself and loaded when the reader opens it, finds the bias-variance page."""
    _, page, guard = palette_page
    page.set_viewport_size({"width": 1280, "height": 900})
    load(page, site_url)
    page.click(".md-search__input")
    page.keyboard.type("irreducible error", delay=20)
    # Results update as the index answers; wait until the expected page is among the first three.
    page.wait_for_function(
        """() => [...document.querySelectorAll('.md-search-result__item > a')].slice(0, 3)
                  .some(a => a.href.includes('questions/bias-variance-tradeoff/'))""",
        timeout=15_000,
    )
    assert guard.blocked == []


FIRST_PAGES = """() => [...new Set([...document.querySelectorAll('.md-search-result__item > a')]
                         .map(a => new URL(a.href).pathname))].slice(0, 3)"""


@pytest.mark.parametrize(
    ("query", "meant"),
    [
        ("Monte Carlo tree search", "questions/alphago/"),
        ("McNemar test", "questions/evaluating-models/"),
        ("naive bayes vs logistic regression", "questions/generative-vs-discriminative/"),
        ("irreducible error", "questions/bias-variance-tradeoff/"),
    ],
)
def test_search_finds_the_page_a_candidate_means(palette_page, site_url: str, query: str, meant: str) -> None:
    """A query of several words brings up the page that holds them all, together, among its first three pages:
    one word of a section title no longer outranks it (the site's search worker, handbook/search.py)."""
    _, page, _ = palette_page
    load(page, site_url)
    page.click(".md-search__input")
    page.fill(".md-search__input", "")
    page.keyboard.type(query, delay=10)
    page.wait_for_function(f"() => ({FIRST_PAGES})().some(p => p.endsWith('/{meant}'))", timeout=15_000)


def test_search_index_is_fetched_only_when_search_opens(browser, site_url: str) -> None:
    """A first visit that does not search fetches no search index; opening search fetches it, and search works."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    fetched: list[str] = []
    tab.on("request", lambda request: fetched.append(request.url))
    load(tab, site_url + "questions/bias-variance-tradeoff/")
    tab.wait_for_load_state("networkidle")
    tab.mouse.wheel(0, 2000)  # reading, not searching
    tab.wait_for_timeout(500)
    assert not [u for u in fetched if "search_index" in u], "the index was fetched before the reader searched"
    tab.keyboard.press("s")  # Material's shortcut opens search
    tab.keyboard.type("dropout", delay=10)
    tab.wait_for_function(
        "() => [...document.querySelectorAll('.md-search-result__item > a')].some(a => a.href.includes('/dropout/'))",
        timeout=15_000,
    )
    assert [u for u in fetched if u.endswith("search/search_index.json")]
    context.close()


def test_search_results_typeset_the_pages_text_but_never_the_readers_words(palette_page, site_url: str) -> None:
    """A result quotes its page's formulas, which are typeset; the words of the query it lacks ("Missing: ...",
    which Material echoes from the reader's query, so from a crafted link) are never typeset. Material 9.8.1
    drops backslashes from that echo, so a result holding TeX there is made here, as a newer theme might."""
    _, page, _ = palette_page
    load(page, site_url)
    page.click(".md-search__input")
    page.keyboard.type("harmonic", delay=10)
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    page.evaluate(
        r"""() => document.querySelector('.md-search-result__list').insertAdjacentHTML('beforeend',
          '<li class="md-search-result__item"><article class="md-search-result__article" id="crafted">' +
          '<p>The page says \\(a + b\\).</p>' +
          '<p class="md-search-result__terms">Missing: \\(\\href{https://example.com/}{CLICK}\\)</p>' +
          '</article></li>')"""
    )
    page.wait_for_function("document.querySelector('#crafted p mjx-container') !== null", timeout=10_000)
    assert page.locator("#crafted .md-search-result__terms mjx-container, #crafted a").count() == 0
    assert "\\href" in page.locator("#crafted .md-search-result__terms").inner_text()


def test_search_results_show_formulas_typeset(palette_page, site_url: str) -> None:
    """The results quote pages' formulas: they are typeset, not shown as TeX source."""
    _, page, _ = palette_page
    load(page, site_url)
    page.click(".md-search__input")
    page.keyboard.type("backpropagation", delay=20)
    page.wait_for_function("document.querySelectorAll('.md-search-result mjx-container').length > 20", timeout=15_000)
    page.wait_for_function(
        r"""() => ![...document.querySelectorAll('.md-search-result__article')].some(
                   (article) => /\\\(|\\\[/.test(article.textContent))""",
        timeout=15_000,
    )
    assert page.locator(".md-search-result mjx-container merror").count() == 0


def test_math_survives_instant_navigation(palette_page, site_url: str) -> None:
    """After instant navigation to another page, its formulas are typeset too."""
    _, page, _ = palette_page
    load(page, site_url + "notation/")
    page.evaluate("document.documentElement.dataset.mathjax = 'stale'")
    page.locator("a[href$='questions/bias-variance-tradeoff/']").first.click()
    page.wait_for_url("**/bias-variance-tradeoff/")
    page.wait_for_function("document.documentElement.dataset.mathjax === 'done'", timeout=20_000)
    state = page.evaluate(MATH_STATE)
    assert state["total"] > 10 and state["typeset"] == state["total"]


def test_site_files_name_no_cdn(built_site: Path) -> None:
    """No built page points a script, stylesheet, font, icon or image at another host."""
    tag = re.compile(r"<(script|link|img|source|iframe)\b[^>]*>", re.I)
    remote = re.compile(r"\b(?:src|href)=[\"']?(?:https?:)?//", re.I)
    offenders = []
    for path in built_site.rglob("*.html"):
        for match in tag.finditer(path.read_text(encoding="utf-8")):
            element = match.group(0)
            if remote.search(element) and not re.search(r"rel=[\"']?(canonical|alternate)", element):
                offenders.append(f"{path.relative_to(built_site)}: {element[:120]}")
    assert offenders == []


# Formulas that would put a link, a class, an id or a style into the page, as TeX that got past the validator (M009)
# or reached MathJax another way. Without MathJax's ui/safe, the first is <a href="javascript:alert(1)"> and the
# fourth loads an image from another host.
HOSTILE_TEX = [
    r"\href{javascript:alert(1)}{x}",
    r"\href{https://evil.example/}{y}",
    r"\mmlToken{mi}[href='javascript:alert(2)']{u}",
    r"\style{background-image:url(https://evil.example/x.png)}{w}",
    r"\class{evil}{z}",
    r"\cssId{evil}{v}",
]
TYPESET_HOSTILE = r"""async (formulas) => {
  const div = document.createElement("div");
  div.className = "arithmatex";
  div.textContent = formulas.map((tex) => `\\(${tex}\\)`).join(" ");
  document.querySelector("article").append(div);
  await window.handbookMath.typeset([div]);
  return {
    typeset: div.querySelectorAll("mjx-container").length,
    hrefs: [...div.querySelectorAll("[href], [xlink\\:href]")].map((e) => e.getAttribute("href")),
    foreign: div.querySelectorAll(".evil, #evil").length,
    styles: [...div.querySelectorAll("[style]")].map((e) => e.getAttribute("style")).filter((s) => /url\(/.test(s)),
  };
}"""


@pytest.mark.parametrize("path", ["questions/bias-variance-tradeoff/", "notebooks/q01_bias_variance/"])
def test_site_mathjax_makes_no_link_and_loads_nothing_from_a_formula(palette_page, site_url: str, path: str) -> None:
    r"""`$\href{javascript:alert(1)}{x}$` typeset by the site's MathJax (ui/safe, docs/javascripts/math.js)
    yields no javascript: link, nor any link, class, id or style that loads from another host."""
    _, page, guard = palette_page
    load(page, site_url + path)
    result = page.evaluate(TYPESET_HOSTILE, HOSTILE_TEX)
    page.wait_for_timeout(300)  # a background image would have been requested by now
    assert result["typeset"] == len(HOSTILE_TEX)
    assert result["hrefs"] == [] and result["foreign"] == 0 and result["styles"] == []
    assert guard.blocked == []


COPY_SELECTION = """(selector) => {
  const paragraph = [...document.querySelectorAll(selector)].find((p) => p.querySelector('mjx-container[data-tex]'));
  const range = document.createRange();
  range.selectNodeContents(paragraph);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  const data = new DataTransfer();
  document.dispatchEvent(new ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }));
  return { copied: data.getData('text/plain'), tex: paragraph.querySelector('mjx-container[data-tex]').dataset.tex };
}"""


def test_copying_a_formula_copies_its_tex(palette_page, site_url: str) -> None:
    """A formula is an SVG, which has no text: copying a paragraph that holds one copies its TeX between dollars."""
    _, page, _ = palette_page
    load(page, site_url + "questions/bias-variance-tradeoff/")
    inline = page.evaluate(COPY_SELECTION, "article p")
    assert f"${inline['tex']}$" in inline["copied"], inline
    display = page.evaluate(COPY_SELECTION, "article div.arithmatex")
    assert display["copied"] == f"$${display['tex']}$$", display
