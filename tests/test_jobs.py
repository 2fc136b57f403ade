"""The build's jobs (scripts/handbook/), as functions: table tests on small inputs, no build."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from handbook import Source, accessibility, notebook_pages, print_edition, question_parts, study_data
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
    related = '## Related questions\n\n- [Q2. Why <b>bold</b> & "quoted"?](beta.md)\n\n## References'
    assert related in out  # the unknown number 99 is left out (the validator reports it)
    no_references = question_parts.with_question_parts("Intro.\n", alpha, CATALOG, FRAGMENTS)
    assert no_references.endswith('Intro.\n\n## Related questions\n\n- [Q2. Why <b>bold</b> & "quoted"?](beta.md)\n\n')


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
        ('<div class="arithmatex">\\[x\\]</div>', '<div class="print-math">\\[x\\]</div>'),
    ],
)
def test_rebase_makes_a_page_work_inside_the_print_page(html: str, expected: str) -> None:
    assert print_edition.rebase(html, "questions/alpha/", "print/", 1, {"questions/beta/": 2}) == expected


def test_print_page_formulas_stay_keyboard_scrollable() -> None:
    """The print page renames the formulas' class (rebase); the accessibility fix must still reach them."""
    rebased = print_edition.rebase('<div class="arithmatex">\\[x\\]</div>', "questions/alpha/", "print/", 1, {})
    assert accessibility.with_fixes(rebased) == '<div class="print-math" tabindex="0">\\[x\\]</div>'


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
