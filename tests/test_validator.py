"""scripts/validate.py: every kind of broken input gets the right code at the right line."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import validate
from conftest import ROOT, copy_repo
from handbook.catalog import Catalog

GOOD_PAGE = """---
number: {number}
title: A test question?
tags: [fundamentals]
difficulty: easy
related: [1]
---

## Short answer

Fine.

## Explanation

Fine $x^2$.

## Common mistakes

- None.

## Follow-up questions

??? question "Why?"
    Because.

## References

- A book.
"""

# (file in the scratch repo, text appended or written, marker on the line the finding must point at, code)
# A marker of None means "line 1"; files under docs/questions/ are whole pages.
LINK_AND_MATH_CASES = [
    ("inline link to a missing page", "See [a](missing.md) here.", "missing.md", "L001"),
    ("reference link to a missing page", "See [a][ref].\n\n[ref]: nowhere.md", "nowhere.md", "L001"),
    ("raw HTML href to a missing page", '<a href="gone.md">x</a>', "gone.md", "L001"),
    ("raw HTML img to a missing file", '<img src="nope.png" alt="x">', "nope.png", "L001"),
    ("image to a missing file", "![x](pic.png)", "pic.png", "L001"),
    ("missing anchor on another page", "See [n](notation.md#no-such-section).", "no-such-section", "L002"),
    ("missing anchor on the same page", "See [s](#not-on-this-page).", "not-on-this-page", "L002"),
    ("link whose case differs", "See [n](Notation.md).", "Notation.md", "L003"),
    ("absolute link", "See [n](/notation.md).", "/notation.md", "L004"),
    ("figure no notebook saves", "![x](figures/q01_bias_variance/no-such-figure.svg)", "no-such-figure", "L007"),
    ("undefined reference label", "See [text][undefined-label] here.", "undefined-label", "L009"),
    (
        "missing page inside an admonition",
        '!!! note "N"\n    See [x](inside-admonition.md).',
        "inside-admonition",
        "L001",
    ),
    ("undefined macro", r"Inline $\foo + 1$ here.", r"\foo + 1", "M001"),
    ("unbalanced brace", r"Inline ${x + 1$ here.", "{x + 1", "M002"),
    ("lone dollar sign", "It costs $5 to enter.", "$5", "M003"),
    ("unclosed inline delimiter", r"Open \(x + y without end.", r"\(x", "M003"),
    (r"\left without \right", r"Inline $\left( x$ here.", r"\left( x", "M004"),
    ("unknown environment", "$$\n\\begin{foo} x \\end{foo}\n$$", r"\begin{foo}", "M005"),
    ("mismatched environment", "$$\n\\begin{aligned} x \\end{array}\n$$", r"\begin{aligned} x \end{array}", "M005"),
    ("double subscript", "Inline $x_1_2$ here.", "x_1_2", "M006"),
    ("missing argument", r"Inline $\frac{1}$ here.", r"\frac{1}", "M006"),
    ("misplaced ampersand", "Inline $a & b$ here.", "a & b", "M006"),
    ("undefined macro in an admonition", '!!! note "N"\n    Inside $\\barbaz{x}$ it.', r"\barbaz", "M001"),
    ("undefined macro in a table", "| a | b |\n|---|---|\n| $\\quuxmacro$ | 2 |", r"\quuxmacro", "M001"),
    ("undefined macro in a list", "- item with $\\listmacro x$", r"\listmacro", "M001"),
    ("TeX outside math", r"The ratio \frac{a}{b} is raw.", r"\frac{a}", "M007"),
    ("math in a heading", "## The $x$ heading", "## The $x$", "M008"),
]

# Whole question pages, each broken in one way.
PAGE_CASES = [
    ("front matter not YAML", GOOD_PAGE.replace("tags: [fundamentals]", "tags: [fundamentals"), None, "F001"),
    ("missing title", GOOD_PAGE.replace("title: A test question?\n", ""), None, "F002"),
    ("number of the wrong type", GOOD_PAGE.replace("number: {number}", "number: one"), "number:", "F003"),
    ("duplicate number", GOOD_PAGE.replace("number: {number}", "number: 1"), "number:", "F004"),
    ("tag not allowed", GOOD_PAGE.replace("[fundamentals]", "[astrology]"), "tags:", "F005"),
    ("difficulty not allowed", GOOD_PAGE.replace("difficulty: easy", "difficulty: impossible"), "difficulty:", "F006"),
    ("origin not allowed", GOOD_PAGE.replace("difficulty: easy", "difficulty: easy\norigin: 2026"), "origin:", "F009"),
    (
        "HTML in a title",
        GOOD_PAGE.replace("title: A test question?", "title: 'x <img src=x onerror=alert(1)>'"),
        "title:",
        "F010",
    ),
    (
        "an entity in a title",
        GOOD_PAGE.replace("title: A test question?", "title: Is &lt;b&gt; bold?"),
        "title:",
        "F010",
    ),
    (
        "HTML in another front-matter value",
        GOOD_PAGE.replace("difficulty: easy", 'difficulty: easy\ndescription: "<script>alert(1)</script>"'),
        "description:",
        "F010",
    ),
    ("related number that does not exist", GOOD_PAGE.replace("related: [1]", "related: [999]"), "related:", "F007"),
    (
        "notebook that does not exist",
        GOOD_PAGE.replace("related: [1]", "related: [1]\nnotebook: q77_nothing"),
        "notebook:",
        "F008",
    ),
    (
        "sections out of order",
        GOOD_PAGE.replace("## Short answer\n\nFine.\n\n## Explanation", "## Explanation\n\nX.\n\n## Short answer"),
        "## Short answer",
        "P001",
    ),
    ("section missing", GOOD_PAGE.replace("## Common mistakes\n\n- None.\n", ""), "## Short answer", "P001"),
    (
        "unknown section",
        GOOD_PAGE.replace("## Common mistakes", "## Random thoughts\n\nHm.\n\n## Common mistakes"),
        "## Random thoughts",
        "P002",
    ),
    (
        "hand-written related section",
        GOOD_PAGE.replace("## References", "## Related questions\n\n- x\n\n## References"),
        "## Related questions",
        "P002",
    ),
    ("CJK text", GOOD_PAGE.replace("Fine $x^2$.", "Fine $x^2$ 视具体情况而定."), "视具体", "P003"),
    ("details-here stub", GOOD_PAGE.replace("Fine $x^2$.", "Fine $x^2$. Details in here."), "Details in here", "P004"),
]

NOTEBOOK = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # A broken notebook
#
# A link to [nowhere](nowhere-from-notebook.md) and a macro $\\nbmacro$.
#
# An embed: <iframe src="https://evil.example/"></iframe>

# %%
x = "$\\notmath$ in code is fine"
"""


# Files docs/ may not publish, and an SVG figure that runs code and loads from another host (line 3, line 4).
UNPUBLISHED_FILES = {"page.html": "<script>alert(1)</script>\n", "drawing.svg": "<svg onload='alert(1)'></svg>\n"}
UNSAFE_FIGURE = (
    '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n<svg xmlns="http://www.w3.org/2000/svg">\n'
    "<script>alert(1)</script>\n"
    '<image href="https://evil.example/x.png" width="1" height="1"/>\n</svg>\n'
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    """A copy of the repository with every broken input added, validated once."""
    repo = copy_repo(tmp_path_factory.mktemp("validator") / "repo")
    broken = repo / "docs" / "broken.md"
    body = "# Broken\n\nControl: `$\\foo$` in code and ``$\\foo$`` stay unchecked.\n\n"
    body += "```text\n$\\foo$ and [x](nothing.md)\n```\n"
    for _, text, _, _ in LINK_AND_MATH_CASES:
        body += "\n" + text + "\n"
    broken.write_text(body, encoding="utf-8")
    for i, (_, text, _, _) in enumerate(PAGE_CASES):
        (repo / "docs" / "questions" / f"zz-case-{i:02d}.md").write_text(text.replace("{number}", str(900 + i)))
    (repo / "notebooks" / "q98_broken.py").write_text(NOTEBOOK)
    (repo / "docs" / "orphan.md").write_text("# Orphan\n\nNot in the nav.\n")
    for name, content in UNPUBLISHED_FILES.items():
        (repo / "docs" / name).write_text(content)
    figure = repo / "build" / "figures" / "q01_bias_variance" / "zz-unsafe.svg"
    figure.parent.mkdir(parents=True, exist_ok=True)
    figure.write_text(UNSAFE_FIGURE)
    config = repo / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  - Notation: notation.md\n", "  - Notation: notation.md\n  - Gone: no-such-page.md\n"
        )
    )
    result = subprocess.run(
        [sys.executable, "scripts/validate.py", "--format", "json"], cwd=repo, capture_output=True, text=True
    )
    assert result.returncode == 1, result.stderr
    return repo, json.loads(result.stdout)["findings"]


def line_of(path: Path, marker: str | None) -> int:
    if marker is None:
        return 1
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if marker in line:
            return number
    raise AssertionError(f"marker {marker!r} not in {path}")


def codes_at(findings: list[dict], path: str, line: int) -> set[str]:
    return {f["code"] for f in findings if f["path"] == path and f["line"] == line}


class TestCorpus:
    @pytest.mark.parametrize(
        ("name", "text", "marker", "code"), LINK_AND_MATH_CASES, ids=[c[0] for c in LINK_AND_MATH_CASES]
    )
    def test_link_and_math_faults(self, scratch, name: str, text: str, marker: str, code: str) -> None:
        """Each broken link or formula on a page gets its code at its line."""
        repo, findings = scratch
        line = line_of(repo / "docs" / "broken.md", marker)
        assert code in codes_at(findings, "docs/broken.md", line), [
            f for f in findings if f["path"] == "docs/broken.md"
        ]

    @pytest.mark.parametrize(("name", "text", "marker", "code"), PAGE_CASES, ids=[c[0] for c in PAGE_CASES])
    def test_page_faults(self, scratch, name: str, text: str, marker: str | None, code: str) -> None:
        """Each broken front matter or page structure gets its code at its line."""
        repo, findings = scratch
        index = [c[0] for c in PAGE_CASES].index(name)
        rel = f"docs/questions/zz-case-{index:02d}.md"
        assert code in codes_at(findings, rel, line_of(repo / rel, marker)), [f for f in findings if f["path"] == rel]

    def test_notebook_link_points_into_the_source(self, scratch) -> None:
        """A dead link in a notebook's Markdown cell points at its line in the .py source."""
        repo, findings = scratch
        path = repo / "notebooks" / "q98_broken.py"
        line = line_of(path, "nowhere-from-notebook")
        hits = [f for f in findings if f["path"] == "notebooks/q98_broken.py" and f["line"] == line]
        assert {"L001", "M001"} <= {f["code"] for f in hits}
        assert all(f["col"] > 2 for f in hits), "columns count the '# ' comment prefix"

    def test_files_docs_does_not_publish(self, scratch) -> None:
        """An .html or .svg file in docs/ would be published as it is: refused, naming what to do instead."""
        _, findings = scratch
        for name in UNPUBLISHED_FILES:
            assert "H005" in codes_at(findings, f"docs/{name}", 1), name
        html = next(f["message"] for f in findings if f["path"] == "docs/page.html")
        assert "write the page in Markdown" in html

    def test_svg_figure_with_a_script_or_an_external_reference(self, scratch) -> None:
        """A figure in build/figures/ that runs code or loads from another host is refused at its line."""
        _, findings = scratch
        path = "build/figures/q01_bias_variance/zz-unsafe.svg"
        assert "H006" in codes_at(findings, path, 3) and "H006" in codes_at(findings, path, 4)
        assert not [f for f in findings if f["code"] == "H006" and f["path"] != path], "the real figures are clean"

    def test_raw_html_in_a_notebook_cell_points_into_the_source(self, scratch) -> None:
        """The allow-list holds in notebooks' Markdown cells too, at the line and column of the .py source."""
        repo, findings = scratch
        line = line_of(repo / "notebooks" / "q98_broken.py", "<iframe")
        hits = [f for f in findings if f["path"] == "notebooks/q98_broken.py" and f["line"] == line]
        assert [(f["code"], f["col"]) for f in hits] == [("H001", 13)]  # "# An embed: " is 12 characters

    def test_nav_entry_to_a_missing_page(self, scratch) -> None:
        """A nav entry naming no file is reported at its line in mkdocs.yml."""
        repo, findings = scratch
        assert "L005" in codes_at(findings, "mkdocs.yml", line_of(repo / "mkdocs.yml", "no-such-page.md"))

    def test_page_missing_from_the_nav(self, scratch) -> None:
        """A page in neither the nav nor not_in_nav is reported."""
        _, findings = scratch
        assert "L006" in codes_at(findings, "docs/orphan.md", 1)

    def test_code_is_never_checked(self, scratch) -> None:
        """Math-looking text in code spans, code blocks and notebook code cells is skipped."""
        repo, findings = scratch
        control = line_of(repo / "docs" / "broken.md", "Control:")
        block = line_of(repo / "docs" / "broken.md", "and [x](nothing.md)")
        assert not codes_at(findings, "docs/broken.md", control) and not codes_at(findings, "docs/broken.md", block)
        code_line = line_of(repo / "notebooks" / "q98_broken.py", "notmath")
        assert not codes_at(findings, "notebooks/q98_broken.py", code_line)

    def test_output_is_sorted_and_each_code_is_documented(self, scratch) -> None:
        """Findings come sorted by place, and every code used is in the validator's table."""
        _, findings = scratch
        keys = [(f["path"], f["line"], f["col"], f["code"]) for f in findings]
        assert keys == sorted(keys)
        assert {f["code"] for f in findings} <= set(validate.CODES)

    def test_unknown_section_message_offers_only_sections_an_author_may_write(self, scratch) -> None:
        """It once told authors to "use one of ... Related questions", a heading another check forbids."""
        _, findings = scratch
        unknown = [f["message"] for f in findings if "'Random thoughts' is not in the template" in f["message"]]
        assert unknown == [
            "section 'Random thoughts' is not in the template: use one of Short answer, Explanation, Derivation, "
            "Example, Common mistakes, Follow-up questions, References"
        ]


class TestCommand:
    def test_real_site_is_clean(self) -> None:
        """The site's own sources produce zero findings and exit 0."""
        result = subprocess.run([sys.executable, "scripts/validate.py"], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout
        assert result.stdout.startswith("no problems")

    def test_text_output_format(self, scratch) -> None:
        """Text output is one `path:line:col: CODE message` line per finding, then a summary."""
        repo, findings = scratch
        result = subprocess.run([sys.executable, "scripts/validate.py"], cwd=repo, capture_output=True, text=True)
        lines = result.stdout.strip().splitlines()
        assert result.returncode == 1 and len(lines) == len(findings) + 1
        first = findings[0]
        assert lines[0].startswith(f"{first['path']}:{first['line']}:{first['col']}: {first['code']} ")
        assert lines[-1].startswith(f"{len(findings)} problem(s)")

    def test_usage_errors_exit_2(self) -> None:
        """An unknown option or a missing path is a usage error, exit 2, not 'problems found'."""
        for args in (["--no-such-flag"], ["docs/no-such-file.md"]):
            result = subprocess.run(
                [sys.executable, "scripts/validate.py", *args], cwd=ROOT, capture_output=True, text=True
            )
            assert result.returncode == 2, args

    def test_paths_limit_what_is_reported(self, scratch) -> None:
        """Given paths, only their findings are reported (anchors still resolve site-wide)."""
        repo, _ = scratch
        result = subprocess.run(
            [sys.executable, "scripts/validate.py", "--format", "json", "docs/questions/zz-case-05.md"],
            cwd=repo,
            capture_output=True,
            text=True,
        )
        paths = {f["path"] for f in json.loads(result.stdout)["findings"]}
        assert paths == {"docs/questions/zz-case-05.md"}

    def test_never_modifies_a_source(self, tmp_path: Path) -> None:
        """Validation writes nothing but its cache: every source is byte-identical afterwards."""
        repo = copy_repo(tmp_path / "repo")

        def digest() -> str:
            h = hashlib.sha256()
            for p in sorted(repo.rglob("*")):
                if p.is_file() and not {".cache", "node_modules", "__pycache__"} & set(p.relative_to(repo).parts):
                    h.update(str(p).encode() + p.read_bytes())
            return h.hexdigest()

        before = digest()
        subprocess.run([sys.executable, "scripts/validate.py"], cwd=repo, capture_output=True, check=False)
        assert digest() == before


# Valid TeX, built from pieces the pages use; none of it may ever be flagged.
ATOMS = st.sampled_from(
    ["x", "y_i", r"\alpha", r"\theta", "1", "n", r"\mathbf{w}", r"\hat{y}", r"\sigma^2", r"\lambda"]
)


def _grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", r"\cdot", "=", r"\le"]), inner).map(" ".join),
        st.tuples(inner, inner).map(lambda t: rf"\frac{{{t[0]}}}{{{t[1]}}}"),
        inner.map(lambda a: rf"\left( {a} \right)"),
        inner.map(lambda a: rf"\sqrt{{{a}}}"),
        inner.map(lambda a: rf"\mathbb{{E}}\left[{a}\right]"),
        inner.map(lambda a: rf"\operatorname{{Var}}({a})"),
        st.tuples(inner, inner).map(lambda t: rf"{{{t[0]}}}^{{{t[1]}}}"),
        inner.map(lambda a: rf"\sum_{{i=1}}^{{n}} {a}"),
        inner.map(lambda a: rf"\lVert {a} \rVert_2^2"),
        st.tuples(inner, inner).map(lambda t: rf"\begin{{aligned}} {t[0]} &= {t[1]} \\ &= {t[1]} \end{{aligned}}"),
    )


FORMULAS = st.recursive(ATOMS, _grow, max_leaves=8)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FORMULAS, min_size=10, max_size=10))
def test_valid_formulas_are_never_flagged(formulas: list[str]) -> None:
    """Randomly built valid formulas, inline and display, pass extraction and MathJax's parser."""
    text = "\n\n".join(f"Inline ${f}$ text.\n\n$$\n{f}\n$$" for f in formulas)
    site = validate.Site()
    checker = validate.Validator(site, Catalog(()))
    doc = validate.Document(ROOT / "docs" / "scratch.md", "scratch.md", text, 1)
    checker.check_document(doc, site.render(text))
    checker.check_math()
    assert len(checker.formulas) == 2 * len(formulas)
    assert checker.findings == []


AGREEMENT = [
    (r"x^2 + \frac{a}{b}", False),
    (r"\begin{aligned} a &= b \\ c &= d \end{aligned}", False),
    (r"\mathbb{E}[\hat{f}(\mathbf{x})] \operatorname{Var}(y)", False),
    (r"\boldsymbol{\theta} \cancel{x} \tfrac{1}{2}", False),
    (r"\operatorname*{arg\,max}_{\theta} \lVert w \rVert_1", False),
    (r"\foo", True),
    (r"x^2^3", True),
    (r"x_1_2", True),
    (r"\frac{1}", True),
    (r"a & b", True),
    (r"{x", True),
    (r"\left( x", True),
    (r"\begin{foo} x \end{foo}", True),
    (r"\begin{aligned} x \end{array}", True),
]


def test_validator_and_browser_agree(site_url: str, browser) -> None:
    """A formula the validator passes renders cleanly in Chromium; one it flags renders as an error.

    The browser's MathJax is the bundle the site loads for search results (docs/javascripts/math.js)."""
    site = validate.Site()
    checker = validate.Validator(site, Catalog(()))
    doc = validate.Document(ROOT / "docs" / "scratch.md", "scratch.md", "", 1)
    checker.formulas = [(doc, tex, True, 1, 1) for tex, _ in AGREEMENT]
    checker.check_math()
    flagged = [any(f.message.endswith(f"${tex[:60]}$") for f in checker.findings) for tex, _ in AGREEMENT]
    assert flagged == [bad for _, bad in AGREEMENT]

    page = browser.new_page()
    page.goto(site_url + "notation/")
    page.wait_for_function("document.documentElement.dataset.mathjax === 'done'")
    rendered_bad = page.evaluate(
        """async (formulas) => {
          await window.handbookMath.load();
          const verdicts = [];
          for (const tex of formulas) {
            MathJax.texReset();
            const mml = await MathJax.tex2mmlPromise(tex, {display: true});
            verdicts.push(/<merror|mathcolor="red"/.test(mml));
          }
          return verdicts;
        }""",
        [tex for tex, _ in AGREEMENT],
    )
    page.close()
    assert rendered_bad == flagged, textwrap.shorten(str(list(zip(AGREEMENT, rendered_bad, strict=True))), 400)


def test_external_links_dead_versus_transient(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--external reports a 404 as dead, and neither fails on nor caches a host that does not answer."""
    from conftest import serve

    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "ok.html").write_text("fine")
    server, base = serve(tmp_path / "www")
    from checks import links

    monkeypatch.setattr(links, "CACHE_DIR", tmp_path / "cache")
    try:
        checker = validate.Validator(validate.Site(), Catalog(()))
        doc = validate.Document(ROOT / "docs" / "scratch.md", "scratch.md", "", 1)
        refused = "http://127.0.0.1:9/closed-port"  # the discard port: nothing listens there
        for i, url in enumerate([base + "ok.html", base + "missing.html", refused]):
            checker.external[url] = (doc, i + 1, 1)
        monkeypatch.setattr(links.time, "sleep", lambda seconds: None)  # no back-off waits in the test
        checker.check_external()
    finally:
        server.shutdown()
    assert [(f.line, f.code) for f in checker.findings] == [(2, "L008")]
    cached = json.loads((tmp_path / "cache" / "external-links.json").read_text())
    assert cached[base + "ok.html"]["status"] == 200 and refused not in cached


def _findings(text: str) -> list[validate.Finding]:
    """The prose and formula findings of one page body (line 1 is the body's first line)."""
    site = validate.Site()
    checker = validate.Validator(site, Catalog(()))
    doc = validate.Document(ROOT / "docs" / "scratch.md", "scratch.md", text, 1)
    checker.check_document(doc, site.render(text))
    checker.check_math()
    return checker.findings


def test_unclosed_display_at_the_end_is_reported_where_it_opens() -> None:
    """An unclosed `$$` at the end of a page is reported at its own line, not inside correct formulas above it."""
    text = "Intro $x$.\n\n$$\na + b\n$$\n\nMore $y$ text.\n\n$$\nc + d\n$$\n\nThe end:\n\n$$\ne + f\n"
    findings = _findings(text)
    assert [(f.line, f.code) for f in findings] == [(15, "M003")], findings


def test_escaped_dollar_is_a_literal_and_a_stray_one_is_found_at_its_line() -> None:
    r"""`\$5` is arithmatex's literal dollar: never flagged; a stray `$` further down is reported at its own line."""
    assert _findings("It costs \\$5 and *more* to enter, or \\$10 with $x$.\n") == []
    findings = _findings("It costs \\$5 to *enter*.\n\nFine $x$ here.\n\nA stray $ sign, then text.\n")
    assert [(f.line, f.col, f.code) for f in findings] == [(5, 9, "M003")], findings


# Issue 16, safe by construction: (name, page text, code, line of the finding).
UNSAFE_SOURCES = [
    # Raw HTML outside the allow-list (<div> and <p> with id, class and markdown).
    ("script", "Intro.\n\n<script>alert(1)</script>\n", "H001", 3),
    ("script inline", "Text <script>alert(1)</script> here.", "H001", 1),
    ("base href", '<base href="https://evil.example/">', "H001", 1),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example/">', "H001", 1),
    ("iframe", '<iframe src="https://evil.example/"></iframe>', "H001", 1),
    ("object", '<object data="movie.swf"></object>', "H001", 1),
    ("embed", '<embed src="movie.swf">', "H001", 1),
    ("form", 'A form:\n\n<form action="https://evil.example/"><input name="q"></form>', "H001", 3),
    ("img onerror", "Look: <img src=x onerror=alert(1)>", "H001", 1),
    ("img with slashes for spaces", "Look: <img/src=x/onerror=alert(1)>", "H001", 1),
    ("video poster", '<video poster="https://evil.example/p.png"></video>', "H001", 1),
    ("svg onload", "<svg onload=alert(1)></svg>", "H001", 1),
    ("svg with slash", "<svg/onload=alert(1)>", "H001", 1),
    ("unknown element with a handler", "<x onmouseover=alert(1)>hover</x>", "H001", 1),
    ("span, which no page uses", '<span class="x">y</span>', "H001", 1),
    ("a backslash escapes no <", r"A \<script>alert(1)</script> here.", "H001", 1),
    ("HTML's short comment before a tag", "<!--><img src=x onerror=alert(1)>-->", "H001", 1),
    ("tag on two lines", 'Text\n<img\n  src=x onerror="alert(1)">', "H001", 2),
    ("event handler on an allowed tag", '<div class="x" onclick="alert(1)">\n\nx\n\n</div>', "H002", 1),
    ("any on*= attribute", '<p id="a" onpointerenter="alert(1)">x</p>', "H002", 1),
    ("style with url()", '<div style="background:url(https://evil.example/x.png)">x</div>', "H002", 1),
    ("an id that is no name", '<div id="a b" markdown>x</div>', "H002", 1),
    # attr_list attributes other than #id and .class.
    ("attr_list on a paragraph", 'A paragraph.\n{ onmouseover="alert(1)" }', "H003", 2),
    ("attr_list on a link", '[notation](notation.md){ onclick="alert(1)" }', "H003", 1),
    ("attr_list on an image", "![alt](notation.md){: onerror=alert(1) }", "H003", 1),
    ("attr_list style on a heading", "## A heading { style='background:url(x)' }", "H003", 1),
    # What gets past the scans reaches the rendered page: the backstop finds it there.
    ("escaped backtick before HTML", "Text \\`<img src=x onerror=alert(1)>` after.", "H004", 1),
    # Links and sources by scheme.
    ("javascript link", "[x](javascript:alert(1))", "L010", 1),
    ("javascript link in capitals", "[x](JavaScript:alert(1))", "L010", 1),
    ("vbscript link", "[x](vbscript:msgbox(1))", "L010", 1),
    ("data:text/html link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "L010", 1),
    ("data image", "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)", "L010", 1),
    ("file link", "[x](file:///etc/passwd)", "L010", 1),
    ("protocol-relative link", "[x](//evil.example/page)", "L010", 1),
    ("protocol-relative image", "![x](//evil.example/x.png)", "L010", 1),
    ("reference link to javascript", "[x][r]\n\n[r]: javascript:alert(1)", "L010", 3),
    ("unknown scheme (a typo)", "[x](htps://example.org/)", "L011", 1),
    # TeX that carries HTML.
    ("\\href", r"See $\href{javascript:alert(1)}{x}$.", "M009", 1),
    ("\\class", r"See $\class{evil}{x}$.", "M009", 1),
    ("\\style", r"See $\style{background-image:url(https://evil.example/x.png)}{x}$.", "M009", 1),
    ("\\cssId", r"See $\cssId{evil}{x}$.", "M009", 1),
    ("\\require", "Display:\n\n$$\n\\require{html} x\n$$", "M009", 4),
    ("\\unicode", r"See $\unicode{x41}$.", "M009", 1),
    ("\\mmlToken", r'See $\mmlToken{mi}[href="javascript:alert(1)"]{x}$.', "M009", 1),
    ("\\bbox with a style", r"See $\bbox[background:url(x)]{y}$.", "M009", 1),
]

SAFE_SOURCES = [
    ("the study pages' mount", '<div id="study-review" class="study-mount" markdown="0">\n<p>Needs JS.</p>\n</div>'),
    ("the build's markers", "<!-- all-questions-table -->\n\n<!-- print-edition -->"),
    ("comparisons in math", "If $a<b$ and $x_{<t}$, then \\(c<d\\) and\n\n$$\nb>a\n$$"),
    ("comparisons in prose", "When a < b and c > d, or 3<5."),
    ("HTML in code", "Write `<script>` or ``<img onerror=x>``:\n\n```html\n<iframe src=x></iframe>\n```"),
    ("autolinks", "<https://example.org/> and <someone@example.org>"),
    ("links the site uses", "[a](notation.md) [b](https://example.org/) [c](mailto:a@example.org) [d](study:deck)"),
    ("an id and classes in attribute lists", "A paragraph.\n{ #here .note }\n\n## Heading {: .x }"),
    ("prose in braces", "The set {1, 2, 3} has three elements."),
    ("TeX near the refused commands", r"$a \\ href$, $\boxed{x}$, $\color{red}{x}$ and $\textstyle x$"),
]


@pytest.fixture(scope="module")
def real_site() -> validate.Site:
    return validate.Site()


def _page_findings(site: validate.Site, text: str) -> list[validate.Finding]:
    """Every finding of one page body (line 1 is the body's first line), links and formulas included."""
    checker = validate.Validator(site, Catalog(()))
    doc = validate.Document(ROOT / "docs" / "scratch.md", "scratch.md", text, 1)
    rendered = site.render(text)
    checker.check_document(doc, rendered)
    checker.check_links(doc, rendered)
    checker.check_math()
    return checker.findings


@pytest.mark.parametrize(("name", "text", "code", "line"), UNSAFE_SOURCES, ids=[c[0] for c in UNSAFE_SOURCES])
def test_unsafe_sources_are_refused_at_their_line(real_site, name: str, text: str, code: str, line: int) -> None:
    """Raw HTML outside the allow-list, attribute lists, link schemes and TeX that carry code or HTML: refused, at
    their line, with what to write instead."""
    findings = _page_findings(real_site, text)
    assert code in {f.code for f in findings if f.line == line}, findings
    assert all(":" in f.message for f in findings if f.code == code)  # "what it is: what to write instead"


@pytest.mark.parametrize(("name", "text"), SAFE_SOURCES, ids=[c[0] for c in SAFE_SOURCES])
def test_what_the_pages_use_passes(real_site, name: str, text: str) -> None:
    """Nothing the real pages write is refused (the real site's validation, in TestCommand, passes too)."""
    refused = {"L010", "L011", "M009", *(c for c in validate.CODES if c.startswith("H"))}
    assert [f for f in _page_findings(real_site, text) if f.code in refused] == []


def test_refusals_say_what_to_write_instead(real_site) -> None:
    messages = {f.code: f.message for f in _page_findings(real_site, "<script>x</script>\n\n[x](htps://a.org)")}
    assert "docs/javascripts/" in messages["H001"] and "extra_javascript" in messages["H001"]
    assert "did you mean https:" in messages["L011"]


def test_bad_input_is_named_by_file_and_line_not_an_internal_error(tmp_path: Path) -> None:
    """A page that is not UTF-8, a tag that is a list, and a 1.2 MB paragraph: each is a finding naming the file
    (and the line), never `internal error: UnicodeDecodeError` or `TypeError: unhashable type`, and nothing hangs."""
    from conftest import fixture_repo

    repo = fixture_repo(tmp_path / "repo")
    questions = repo / "docs" / "questions"
    latin = (questions / "beta.md").read_text(encoding="utf-8").replace("Confusing it", "Confusing it (déjà vu)")
    (questions / "beta.md").write_bytes(latin.encode("latin-1"))
    alpha = questions / "alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("tags: [statistics]", "tags: [[statistics]]"))
    (repo / "docs" / "huge.md").write_text("# Huge\n\n" + "word " * 240_000 + "\n", encoding="utf-8")
    nav = repo / "mkdocs.yml"
    nav.write_text(nav.read_text(encoding="utf-8") + "  - Huge: huge.md\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "scripts/validate.py"], cwd=repo, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "internal error" not in result.stderr
    beta_line = latin.split("déjà")[0].count("\n") + 1
    assert f"docs/questions/beta.md:{beta_line}:1: F011 not UTF-8: byte 0xe9 on line {beta_line}" in result.stdout
    assert re.search(r"docs/questions/alpha\.md:\d+:1: F005 tag \['statistics'\] is not allowed", result.stdout)
    assert "docs/huge.md:1:1: P005 1.2 MB of Markdown: a page may hold 1 MB; split it" in result.stdout
