"""The build's jobs (scripts/handbook/), as functions: table tests on small inputs, no build."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from handbook import (
    ROOT,
    Source,
    accessibility,
    anki_deck,
    html_safety,
    mathjax,
    notebook_pages,
    print_edition,
    question_parts,
    study_data,
)
from handbook.catalog import Catalog
from handbook.contract import NAMES, notebook_stem
from handbook.downloads import UnknownDownload, with_download_links
from handbook.fragments import Fragments
from handbook.settings import Settings

FRAGMENTS = Fragments()


def source(name: str, **meta) -> Source:
    body = meta.pop("body", "## Short answer\n\nYes.\n\n## References\n\n- A book.\n")
    return Source(Path(f"docs/questions/{name}.md"), meta, body, 7)


CATALOG = Catalog.from_sources(
    [
        source("beta", number=2, title='Why <b>bold</b> & "quoted"?', tags=["probability"], difficulty="hard"),
        source(
            "alpha",
            number=1,
            title="What is alpha?",
            tags=["fundamentals"],
            difficulty="easy",
            related=[2, 99],
            notebook="q01_alpha",
            body="![Loss falls to {{loss = 0.25}}](../figures/q01_alpha/loss.svg)\n\n## References\n\n- A.\n",
        ),
        source("untitled", title="No number"),  # not a question: the validator reports it
    ]
)
URLS = {"questions/alpha.md": "questions/alpha/", "questions/beta.md": "questions/beta/"}


def test_catalog_orders_by_number_and_reads_what_the_jobs_need() -> None:
    assert [q.number for q in CATALOG.questions] == [1, 2]
    alpha = CATALOG.by_number()[1]
    assert (alpha.src_uri, alpha.notebook, alpha.related, alpha.origin) == (
        "questions/alpha.md",
        "q01_alpha",
        (2, 99),
        "original",
    )
    assert CATALOG.alt_texts() == {("q01_alpha", "loss"): "Loss falls to 0.25"}  # as the page shows it
    assert [q.number for q in CATALOG.checked_by("q01_alpha")] == [1]


@pytest.mark.parametrize(
    ("src_uri", "stem"),
    [
        ("notebooks/q01_alpha.ipynb", "q01_alpha"),
        ("notebooks/q01_alpha.py", None),
        ("questions/alpha.md", None),
        ("downloads/notebooks/x.ipynb", None),
    ],
)
def test_notebook_stem(src_uri: str, stem: str | None) -> None:
    assert notebook_stem(src_uri) == stem


def test_question_parts_put_the_meta_line_first_and_related_before_references() -> None:
    alpha = CATALOG.by_number()[1]
    out = question_parts.with_question_parts("Intro.\n\n## References\n\n- A.\n", alpha, CATALOG, FRAGMENTS)
    assert out.startswith(
        f'<p class="{NAMES["meta"]}" markdown><span class="question-number">Question 1</span> '
        '<span class="badge badge--easy" title="Difficulty">easy</span> '
        "[Executed notebook](../notebooks/q01_alpha.ipynb)</p>\n\n"
    )
    section = (
        "## Related questions { data-search-exclude }\n\n"
        '- [Q2. Why &lt;b&gt;bold&lt;/b&gt; &amp; "quoted"?](beta.md)\n\n'
    )
    assert section + "## References" in out  # the unknown number 99 is left out (the validator reports it)
    no_references = question_parts.with_question_parts("Intro.\n", alpha, CATALOG, FRAGMENTS)
    assert no_references.endswith("Intro.\n\n" + section)


def test_question_zero_has_no_number_in_its_meta_line() -> None:
    zero = Catalog.from_sources([source("zero", number=0, title="Taxonomy", difficulty="easy")]).questions[0]
    out = question_parts.with_question_parts("x", zero, CATALOG, FRAGMENTS)
    assert out.startswith('<p class="question-meta" markdown><span class="badge badge--easy"')


def test_all_questions_table_marks_each_number_for_the_scripts() -> None:
    table = question_parts.all_questions_table(CATALOG)
    assert (
        f'| <span {NAMES["questionAttr"]}="1">1</span> | [What is alpha?](questions/alpha.md) | `fundamentals` |'
        in table
    )
    assert table.count("\n") == 4  # header, rule, two questions
    assert table.splitlines()[2].endswith('| <span class="badge badge--easy">easy</span> | original list |')


def test_added_questions_say_so_on_their_page_and_on_the_home_page() -> None:
    added = Catalog.from_sources([source("gamma", number=42, title="New?", difficulty="hard", origin="added")])
    question = added.questions[0]
    meta = question_parts.with_question_parts("x", question, added, FRAGMENTS)
    assert '<span class="badge badge--added" title="Not in the original list">added in 2026</span>' in meta
    both = Catalog((*CATALOG.questions, question))
    assert question_parts.origins_summary(both) == (
        "2 questions (numbers 1 to 2) answer the original 2017 list; 1 more (numbers 42 to 42) were added in 2026 "
        "for what interviews ask now, and carry the badge *added in 2026*."
    )


def test_fragments_escape_what_pages_write() -> None:
    banner = notebook_pages.banner(
        CATALOG, "q01_alpha", "notebooks/q01_alpha/", URLS, "https://github.com/o/r", FRAGMENTS
    )
    assert banner == (
        '<div class="admonition info notebook-banner"><p>Checks the page <a href="../../questions/alpha/">'
        'Q1. What is alpha?</a> · <a href="q01_alpha.ipynb" download>Download the notebook (.ipynb)</a> · <a href="https://colab.research'
        '.google.com/github/o/r/blob/executed-notebooks/q01_alpha.ipynb" rel="noopener">Open in Colab</a></p></div>\n'
    )
    edition = print_edition.print_edition(CATALOG, URLS, {}, "print/", FRAGMENTS)
    assert '<li><a href="#q2">2. Why &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;?</a></li>' in edition
    assert "<b>" not in edition


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<h2 id="short-answer">Short</h2>', '<h3 id="q1-short-answer">Short</h3>'),
        ('<a href="#derivation">d</a>', '<a href="#q1-derivation">d</a>'),
        ('<a href="../beta/">b</a>', '<a href="#q2">b</a>'),  # another question: its section on the print page
        ('<a href="../beta/#example">b</a>', '<a href="#q2-example">b</a>'),
        ('<img src="../../figures/q01_alpha/loss.svg">', '<img src="../figures/q01_alpha/loss.svg">'),
        ('<a href="https://example.org/x">x</a>', '<a href="https://example.org/x">x</a>'),
        ('<div class="arithmatex">\\[x\\]</div>', '<div class="arithmatex">\\[x\\]</div>'),
    ],
)
def test_rebase_makes_a_page_work_inside_the_print_page(html: str, expected: str) -> None:
    assert print_edition.rebase(html, "questions/alpha/", "print/", 1, {"questions/beta/": 2}) == expected


def test_print_page_formulas_stay_keyboard_scrollable() -> None:
    """The accessibility fix still reaches the formulas of a page rebased into the print page."""
    rebased = print_edition.rebase('<div class="arithmatex">\\[x\\]</div>', "questions/alpha/", "print/", 1, {})
    assert accessibility.with_fixes(rebased) == '<div class="arithmatex" tabindex="0">\\[x\\]</div>'


def _png(width: int, height: int) -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", 13)
        + b"IHDR"
        + struct.pack(">II", width, height)
        + b"\x08\x06\x00\x00\x00"
    )


@pytest.mark.parametrize(
    ("data", "kind", "size"),
    [
        (_png(640, 400), "png", (640, 400)),
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="432pt" height="288pt">', "svg+xml", (576, 384)),
        (b'<svg width="300px" height="150">', "svg+xml", (300, 150)),
        (b"<svg viewBox='0 0 10 10'>", "svg+xml", None),
        (b"\xff\xd8\xff", "jpeg", None),
    ],
)
def test_image_size(data: bytes, kind: str, size: tuple[int, int] | None) -> None:
    assert notebook_pages.image_size(data, kind) == size


@pytest.mark.parametrize(
    ("repo_url", "expected"),
    [
        ("https://github.com/o/r", "https://colab.research.google.com/github/o/r/blob/executed-notebooks/q01.ipynb"),
        ("https://github.com/o/r/", "https://colab.research.google.com/github/o/r/blob/executed-notebooks/q01.ipynb"),
    ],
)
def test_colab_url(repo_url: str, expected: str) -> None:
    assert notebook_pages.colab_url(repo_url, "q01") == expected


def test_download_links() -> None:
    page = '<a href="study:deck">deck</a> <a href="study:offline">zip</a>'
    online = with_download_links(page, "questions/alpha/", offline=False, site_url="https://h.example/s/")
    assert online == (
        '<a href="../../downloads/ml-interview-handbook.apkg" download>deck</a> '
        '<a href="../../downloads/ml-interview-handbook-offline.zip" download>zip</a>'
    )
    offline = with_download_links(page, "questions/alpha.html", offline=True, site_url="https://h.example/s/")
    assert 'href="https://h.example/s/downloads/ml-interview-handbook-offline.zip">zip' in offline
    with pytest.raises(UnknownDownload, match="study:dekc: use one of study:deck, study:offline"):
        with_download_links('<a href="study:dekc">', "x/", offline=False, site_url=None)


def test_study_plan_follows_the_nav_then_the_rest() -> None:
    nav = [{"Home": "index.md"}, {"Topic": ["questions/beta.md"]}]
    assert study_data.study_plan(CATALOG, URLS, nav) == [2, 1]


def test_study_data_hands_the_scripts_the_shared_names() -> None:
    script = study_data.study_data_script(CATALOG, URLS, [], {"all": "all-questions/"})
    assert '"names": {' in script and f'"answer": "{NAMES["answer"]}"' in script
    assert '"difficulties": ["easy", "medium", "hard"]' in script


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, Settings(None, 120, False)),
        (
            {"HANDBOOK_NOTEBOOK_JOBS": "2", "HANDBOOK_CELL_TIMEOUT": "30", "HANDBOOK_MARKDOWN_ONLY": "1"},
            Settings(2, 30, True),
        ),
    ],
)
def test_settings_from_the_environment(env: dict[str, str], expected: Settings) -> None:
    assert Settings.from_env(env) == expected


def test_a_bad_setting_says_what_to_write() -> None:
    with pytest.raises(ValueError, match=r"HANDBOOK_CELL_TIMEOUT='2m': give a whole number of seconds"):
        Settings.from_env({"HANDBOOK_CELL_TIMEOUT": "2m"})


# ---- Issue 16: safe by construction ----

UNSAFE_TITLE = "x <img src=x onerror=alert(1)> [y](javascript:alert(1)) *z* $w$ | {: onclick=v }"
HOSTILE = Catalog.from_sources(
    [
        source("evil", number=1, title=UNSAFE_TITLE, tags=["fundamentals"], difficulty="easy", notebook="q01_e"),
        source("other", number=2, title="Other?", tags=["fundamentals"], difficulty="easy", related=[1]),
    ]
)


@pytest.mark.parametrize(
    "markdown",
    [
        question_parts.all_questions_table(HOSTILE),
        question_parts.related_section(HOSTILE, (1,)),
        notebook_pages.gallery_table(HOSTILE, ["q01_e"]),
    ],
    ids=["all questions", "related questions", "notebook gallery"],
)
def test_a_title_is_text_wherever_the_jobs_write_it_as_markdown(markdown: str) -> None:
    """A title that got past the validator (F010) renders as the text it is: no tag, link, emphasis or formula."""
    import markdown as md

    rendered = md.markdown(markdown, extensions=["tables", "attr_list", "pymdownx.arithmatex"])
    assert "<img" not in rendered and "javascript:" not in rendered.replace("(javascript:alert(1))", "")
    assert "onclick" not in rendered.replace("{: onclick=v }", "") and "<em>" not in rendered
    assert "arithmatex" not in rendered
    assert "x &lt;img src=x onerror=alert(1)&gt; [y](javascript:alert(1)) *z* $w$ | {: onclick=v }" in rendered


def test_real_titles_are_written_unchanged() -> None:
    """The escape changes nothing in a title without markup: the real site's tables stay byte for byte."""
    from handbook.catalog import load_catalog

    titles = [q.title for q in load_catalog().questions]
    assert titles and all(question_parts.text_in_markdown(t) == t for t in titles)


def test_anki_cards_escape_the_title_and_sanitise_the_answer() -> None:
    content = (
        '<h2 id="short-answer">Short answer</h2>\n<p>Yes <img src="x" onerror="alert(1)"> '
        '<script>alert(2)</script><a href="javascript:alert(3)" title="t">link</a> '
        '<a href="../other/">other</a> <span class="arithmatex">\\(x\\)</span></p>\n<h2 id="explanation">E</h2>'
    )
    urls = {"questions/evil.md": "questions/evil/"}
    (card,) = anki_deck.deck_cards(HOSTILE, urls, {"questions/evil.md": content}, "https://h.example/s/")
    assert card.question.startswith("x &lt;img src=x onerror=alert(1)&gt;")
    assert card.answer_html == (
        '<p>Yes <img src="https://h.example/s/questions/evil/x"> <a title="t">link</a> '
        '<a href="https://h.example/s/questions/other/">other</a> '
        '<span class="arithmatex">\\(x\\)</span></p>'
    )


def test_review_cards_are_sanitised_too() -> None:
    content = (
        '<h2 id="short-answer">Short answer</h2><p>A <img src="x" onerror="alert(1)"></p>'
        '<h2 id="common-mistakes">Common mistakes</h2><ul><li><a href="javascript:alert(1)">m</a></li></ul><h2 id="x">'
    )
    urls = {"questions/evil.md": "questions/evil/"}
    script = study_data.study_cards_script(HOSTILE, urls, {"questions/evil.md": content})
    assert "onerror" not in script and "javascript:" not in script
    assert '"answer": "<p>A <img src=\\"questions/evil/x\\"></p>"' in script


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ('<p>Plain <a href="../x/" class="c">link</a> and \\(x < y\\).</p>', None),  # unchanged, byte for byte
        ('<img src="x" onerror="alert(1)">', '<img src="x">'),
        ("<img src=x onerror=alert(1)/>", "<img src=x/>"),
        ("<svg/onload=alert(1)>", ""),
        ("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"),
        ("<p>a<SCRIPT >alert(1)</script >b</p>", "<p>ab</p>"),
        ("<p>a<iframe src=x>in</iframe>b</p>", "<p>ab</p>"),
        ('<a href="&#106;avascript:alert(1)">x</a>', "<a>x</a>"),
        ('<a href=" JAVA\tSCRIPT:alert(1)">x</a>', "<a>x</a>"),
        ('<a href="data:text/html,x">x</a>', "<a>x</a>"),
        ('<img src="data:image/png;base64,AAAA">', None),
        ('<div style="background:url(https://evil.example/x)">x</div>', "<div>x</div>"),
        ("<!--><img src=x onerror=alert(1)>-->", "<!--><img src=x>-->"),
    ],
)
def test_sanitized(fragment: str, expected: str | None) -> None:
    assert html_safety.sanitized(fragment) == (fragment if expected is None else expected)


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:alert(1)", "javascript"),
        (" \x01JaVaScRiPt:alert(1)", "javascript"),
        ("java\tscr\nipt:alert(1)", "javascript"),
        ("//evil.example/x", "//"),
        ("\\\\evil.example/x", "//"),
        ("htps://example.org", "htps"),
        ("../x/#y", ""),
        ("a/b:c", ""),  # a colon after a slash is a path
    ],
)
def test_scheme_as_a_browser_reads_it(url: str, scheme: str) -> None:
    assert html_safety.scheme(url) == scheme


# The storage helpers every page carries: Material's, guarded, from the site's override of its partial.
MATERIAL_SCOPE = (
    re.search(
        r"<script>.*?</script>",
        (ROOT / "overrides" / "partials" / "javascripts" / "base.html").read_text("utf-8"),
        re.S,
    )
    .group(0)
    .replace("{{ config.extra.scope | d(base_url) }}", "../..")
)
SITE_FILES = {"assets/javascripts/bundle.js", "javascripts/study.js", "assets/mathjax/tex-chtml-nomenu.js"}


def _published(body: str, url: str = "questions/alpha/") -> list[str]:
    page = f"<!doctype html><html><head>{body}</head><body><p>Text.</p></body></html>"
    return html_safety.page_problems(page, url, site_prefix="/handbook/", exists=SITE_FILES.__contains__)


@pytest.mark.parametrize(
    "body",
    [
        MATERIAL_SCOPE,
        MATERIAL_SCOPE.replace('"../.."', '"/handbook/"'),  # the 404 page's
        '<script src="../../assets/javascripts/bundle.js"></script>',
        '<script src="../../javascripts/study.js"></script><script src="../../assets/mathjax/tex-chtml-nomenu.js">'
        "</script>",
        '<script src="/handbook/javascripts/study.js"></script>',
        '<script id="__config" type="application/json">{"base": "../.."}</script>',
        FRAGMENTS.render("quiz-head", storage_key="ml-interview-handbook.study"),
        '<a href="javascript:void(0)" class="md-search__icon" data-md-component="search-share">s</a>',
        '<a href="https://example.org/" rel="noopener">x</a><img src="data:image/png;base64,AAAA" alt="">',
        "<svg viewBox='0 0 24 24'><path d='M1 2'/></svg><form class='md-search__form'><input></form>",
    ],
    ids=lambda b: b[:40],
)
def test_published_page_may_run_what_the_site_ships(body: str) -> None:
    assert _published(body) == []


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("<script>alert(1)</script>", "an inline script the site did not write"),
        (MATERIAL_SCOPE.replace("localStorage", "fetch('//evil.example')"), "an inline script the site did not write"),
        ('<script type="text/plain">x</script>', "an inline script the site did not write"),
        ('<script id="__config" type="application/json">{not json</script>', "an inline script"),
        ('<script src="https://evil.example/x.js"></script>', "is not one of the site's own"),
        ('<script src="//evil.example/x.js"></script>', "is not one of the site's own"),
        ('<script src="../../docs/x.js"></script>', "is not one of the site's own"),
        ('<script src="../../../../x.js"></script>', "is not one of the site's own"),
        ('<script src="../../javascripts/missing.js"></script>', "which the site does not have"),
        ("<img src=x onerror=alert(1)>", "event-handler attribute"),
        ("<svg/onload=alert(1)>", "event-handler attribute"),
        ("<!--><img src=x onerror=alert(1)>-->", "event-handler attribute"),
        ('<p title="a>b" onclick="x">', "event-handler attribute"),
        ('<base href="https://evil.example/">', "a page may hold no <base>"),
        ('<meta http-equiv="Refresh" content="0;url=https://evil.example/">', "sends the reader elsewhere"),
        ('<iframe src="https://evil.example/"></iframe>', "a page may hold no <iframe>"),
        ('<a href="javascript:alert(1)">x</a>', "a javascript: URL runs code"),
        ('<a href="&#x6A;avascript&colon;alert(1)">x</a>', "a javascript: URL runs code"),
        ('<a href="javascript:void(0)">x</a>', "a javascript: URL runs code"),  # only the search-share button's
        ('<a href="vbscript:msgbox(1)">x</a>', "a vbscript: URL runs code"),
        # What the quick look at a tag must not pass over, next to what it may (a formula's glyph references).
        ('<svg><use xlink:href="#MJX-TEX-I-1D465" xlink:href="javascript:alert(1)"></use></svg>', "javascript:"),
        ('<p title="on"onclick="alert(1)">x</p>', "event-handler attribute"),
        ('<mjx-assistive-mml unselectable="on" onfocus="alert(1)"></mjx-assistive-mml>', "event-handler attribute"),
        ('<form action="data:text/html,x"></form>', "a data: URL"),
        ('<object data="data:text/html;base64,PHNjcmlwdD4="></object>', "a page may hold no <object>"),
    ],
)
def test_published_page_carrying_what_the_site_did_not_ship(body: str, said: str) -> None:
    problems = _published(body)
    assert any(said in p for p in problems), problems


def test_the_inline_scripts_allowed_are_read_from_what_writes_them() -> None:
    origins = {s.origin for s in html_safety.shipped_inline_scripts()}
    assert origins == {
        "Material's partials/javascripts/base.html",
        "Material's partials/javascripts/palette.html",
        "Material's partials/javascripts/content.html",
        "mkdocs-jupyter's clipboard.umd.js",
        "mkdocs-jupyter's notebook.html.j2",
        "the build's quiz-head.html",
    }


def test_a_page_still_carrying_mkdocs_jupyters_mathjax_loader_fails_the_check() -> None:
    """The build takes the loader out of every page (formulas come rendered); left in, it would load MathJax."""
    from mkdocs_jupyter.mathjax import mathjax_script

    problems = _published(mathjax_script(4, "assets/mathjax/tex-chtml-nomenu.js"))
    assert any("inline script" in p for p in problems), problems


def test_check_site_reads_every_page_of_a_built_folder(tmp_path: Path) -> None:
    """What the offline edition's stage calls on its folder (scripts/offline_edition.py), .html URLs and all."""
    (tmp_path / "javascripts").mkdir()
    (tmp_path / "javascripts" / "study.js").write_text("")
    (tmp_path / "questions").mkdir()
    (tmp_path / "index.html").write_text('<script src="javascripts/study.js"></script>')
    (tmp_path / "questions" / "x.html").write_text('<script src="../javascripts/study.js"></script>')
    assert html_safety.check_site(tmp_path, directory_urls=False) == {}
    (tmp_path / "questions" / "y.html").write_text('<script src="../javascripts/other.js"></script><b onclick=x>')
    found = html_safety.check_site(tmp_path, directory_urls=False)
    assert list(found) == ["questions/y.html"] and len(found["questions/y.html"]) == 2


@pytest.mark.parametrize(
    ("svg", "count"),
    [
        ('<svg><g clip-path="url(#p1)"><use xlink:href="#m0" style="fill: url(#g)"/></g></svg>', 0),
        ('<svg><image xlink:href="data:image/png;base64,AAAA"/></svg>', 0),
        ("<svg><style>*{stroke-linejoin: round}</style></svg>", 0),
        ("<svg onload='alert(1)'/>", 1),
        ("<svg><script>alert(1)</script></svg>", 1),
        ("<svg><foreignObject><p>x</p></foreignObject></svg>", 1),
        ('<svg><image href="https://evil.example/x.png"/></svg>', 1),
        ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', 1),
        ('<svg><g style="fill: url(https://evil.example/#g)"/></svg>', 1),
        ("<svg><style>@import url(https://evil.example/x.css);</style></svg>", 1),
    ],
)
def test_svg_problems(svg: str, count: int) -> None:
    assert len(html_safety.svg_problems(svg)) == count


def test_scripts_insert_titles_as_text() -> None:
    """study*.js put a title into a page as text (element() appends strings as text nodes); the one HTML they insert
    is a review card's answer, which the build sanitises (study_data.study_cards_script)."""
    sinks = []
    for path in sorted((ROOT / "docs" / "javascripts").glob("*.js")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if any(s in line for s in (".innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(")):
                sinks.append((path.name, line.strip()))
    assert sinks == [("study-review.js", "template.innerHTML = html;")]
    element = (ROOT / "docs" / "javascripts" / "study.js").read_text(encoding="utf-8")
    assert "node.append(...children);" in element  # strings become text nodes


def test_mathjax_bundle_filters_what_a_formula_puts_into_the_page() -> None:
    assert "ui/safe.js" in mathjax.COMPONENTS and "ui/safe" in mathjax.PRELOAD
    assert "SafeHandler" in mathjax.bundle()
    config = (ROOT / "docs" / "javascripts" / "math.js").read_text(encoding="utf-8")
    assert 'allow: { URLs: "none", classes: "safe", cssIDs: "safe", styles: "safe" }' in config
