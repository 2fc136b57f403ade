"""Formulas rendered at build time (scripts/handbook/math_render.py): what a page gets, and what a warm build skips."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from handbook.math_render import MathRenderer, typeset_page

PAGE = (
    '<html><body><nav>menu</nav><article class="md-content__inner">'
    '<p>Inline <span class="arithmatex">\\(x^2 &lt; y\\)</span> and again <span class="arithmatex">\\(x\\)</span>.</p>'
    '<div class="arithmatex">\\[\\frac{a}{b}\\]</div>'
    '<div class="arithmatex">\\begin{aligned} a &amp;= b \\end{aligned}</div>'
    "</article></body></html>"
)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "mathjax-svg.json"


def test_a_page_gets_svg_formulas_their_tex_and_each_glyph_once(cache: Path) -> None:
    with MathRenderer(cache) as renderer:
        page = typeset_page(PAGE, renderer)
    containers = re.findall(r"<mjx-container [^>]*>", page)
    assert len(containers) == 4 and all('jax="SVG"' in c for c in containers)
    # The TeX a reader copies, escaped as an attribute; the display ones marked so.
    assert re.findall(r'data-tex="([^"]*)"', page) == [
        "x^2 &lt; y",
        "x",
        "\\frac{a}{b}",
        "\\begin{aligned} a &amp;= b \\end{aligned}",
    ]
    assert sum('display="true"' in c for c in containers) == 2
    # No TeX source is left for a browser to typeset, and each formula has its spoken MathML.
    assert "\\(" not in page and "\\[" not in page
    assert page.count("<mjx-assistive-mml") == 4
    # Every glyph a formula uses is defined exactly once, in the article, before the first formula.
    used = set(re.findall(r'<use[^>]* xlink:href="#([^"]+)"', page))
    defined = re.findall(r'<path id="([^"]+)"', page)
    assert used and sorted(used) == sorted(defined)
    assert page.index('<svg id="MJX-SVG-global-cache"') > page.index("<article")
    assert page.index('<svg id="MJX-SVG-global-cache"') < page.index("<mjx-container")
    assert " data-c=" not in page and " xmlns" not in page  # what only MathJax's own tools read is left out


def test_a_page_without_formulas_is_left_as_it_is(cache: Path) -> None:
    plain = "<article><p>No math, $5 and $6.</p></article>"
    with MathRenderer(cache) as renderer:
        assert typeset_page(plain, renderer) == plain
        assert renderer.started == 0


def test_a_warm_renderer_starts_no_node_and_gives_the_same_bytes(cache: Path) -> None:
    with MathRenderer(cache) as cold:
        first = typeset_page(PAGE, cold)
        assert cold.started == 1
    with MathRenderer(cache) as warm:
        again = typeset_page(PAGE, warm)
        assert warm.started == 0
    assert again == first


def test_a_cache_from_another_mathjax_or_renderer_is_not_used(cache: Path) -> None:
    with MathRenderer(cache) as renderer:
        typeset_page(PAGE, renderer)
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["stamp"] = "another MathJax"
    for entry in data["formulas"].values():
        entry["html"] = "<mjx-container>stale</mjx-container>"
    cache.write_text(json.dumps(data), encoding="utf-8")
    with MathRenderer(cache) as renderer:
        page = typeset_page(PAGE, renderer)
        assert renderer.started == 1
    assert "stale" not in page


def test_a_formula_mathjax_cannot_read_stops_the_page_with_its_text(cache: Path) -> None:
    page = '<article><span class="arithmatex">\\(\\frac{1}\\)</span></article>'
    with MathRenderer(cache) as renderer, pytest.raises(ValueError, match=r"\\frac\{1\}"):
        typeset_page(page, renderer)


@pytest.mark.parametrize(
    "tex",
    [
        r"\href{javascript:alert(1)}{x}",
        r"\href{https://evil.example/}{y}",
        r"\style{background-image:url(https://evil.example/x.png)}{w}",
        r"\class{evil}{z}",
        r"\cssId{evil}{v}",
        r"\mmlToken{mi}[href='javascript:alert(2)']{u}",
    ],
)
def test_the_builds_mathjax_filters_what_a_formula_puts_into_the_page(cache: Path, tex: str) -> None:
    """The build's MathJax carries ui/safe as the browser's does: TeX past the validator (M009) makes no link, no
    foreign class or id and no style that loads anything."""
    with MathRenderer(cache) as renderer:
        (result,) = renderer.render([(tex, False)])
    html = result["html"]
    assert "<mjx-container" in html
    assert not re.search(r"<a[ >]|href=\"(?!#MJX-)", html), html
    assert "evil" not in html and "url(" not in html
