"""Study features: quiz mode, random question, progress, the print and offline editions, the Anki deck.

The browser tests run in Chromium with every off-machine request blocked, in both palettes, and
press buttons with the keyboard.
"""

from __future__ import annotations

import collections
import io
import itertools
import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest

from browser import MATH_DONE, OffsiteGuard, load, press
from conftest import fixture_repo, mkdocs_build
from handbook import anki_deck, load_mkdocs_config, zip_bytes
from handbook.catalog import load_catalog

PALETTES = {"light": "default", "dark": "slate"}
QUESTIONS = {q.number: q.source for q in load_catalog().questions}
PAGE = "questions/bias-variance-tradeoff/"
OTHER_PAGE = "questions/naive-bayes/"
DECK = "downloads/ml-interview-handbook.apkg"
OFFLINE_ZIP = "downloads/ml-interview-handbook-offline.zip"
from handbook.contract import STORAGE_KEY  # noqa: E402

LIVE = "document.getElementById('study-live')?.textContent || ''"


@pytest.fixture(params=list(PALETTES))
def page(request: pytest.FixtureRequest, browser):
    """A fresh browser page (empty localStorage) in the light or the dark palette, off-site requests blocked."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=request.param)
    tab = context.new_page()
    guard = OffsiteGuard(tab)
    yield tab
    context.close()
    assert guard.blocked == [], f"requests tried to leave the machine: {guard.blocked}"


def answer_box(tab) -> dict:
    return tab.evaluate(
        """() => {
          const answer = document.getElementById('study-answer');
          const math = [...answer.querySelectorAll('.arithmatex')];
          return {
            height: answer.getBoundingClientRect().height,
            visibility: getComputedStyle(answer).visibility,
            formulas: math.length,
            typeset: math.filter(m => m.querySelector('mjx-container')).length,
            sized: math.filter(m => m.getBoundingClientRect().width > 1).length,
          };
        }"""
    )


def state(tab) -> dict:
    return tab.evaluate(f"JSON.parse(localStorage.getItem('{STORAGE_KEY}') || '{{}}')")


class TestQuizMode:
    def test_toggle_hides_the_answer_and_reveal_shows_it(self, page, site_url: str) -> None:
        """Quiz mode hides the answer; Reveal shows it with every formula typeset; all by keyboard, with aria state."""
        load(page, site_url + PAGE)
        toggle, reveal = page.locator(".study-quiz-toggle"), page.locator(".study-reveal")
        assert toggle.get_attribute("aria-pressed") == "false" and reveal.is_hidden()
        assert answer_box(page)["height"] > 500

        press(page, ".study-quiz-toggle")
        assert toggle.get_attribute("aria-pressed") == "true"
        box = answer_box(page)
        assert box["height"] == 0 and box["visibility"] == "hidden"
        assert reveal.is_visible() and reveal.get_attribute("aria-expanded") == "false"
        assert reveal.get_attribute("aria-controls") == "study-answer"
        page.wait_for_function(f"({LIVE}).includes('Quiz mode on')")

        # Tab order: the toggle, the two marks, the random question, then Reveal.
        for _ in range(4):
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.classList.contains('study-reveal')")
        page.keyboard.press("Space")
        assert reveal.get_attribute("aria-expanded") == "true" and reveal.inner_text() == "Hide answer"
        box = answer_box(page)
        assert box["height"] > 500 and box["visibility"] == "visible"
        # Typeset while hidden, the formulas still have their real size once revealed.
        assert box["formulas"] > 10 and box["typeset"] == box["formulas"] == box["sized"]

    def test_setting_survives_reload_and_instant_navigation(self, page, site_url: str) -> None:
        """Quiz mode is remembered across a reload and an instant navigation, and can be switched off again."""
        load(page, site_url + PAGE)
        press(page, ".study-quiz-toggle", "Space")
        assert state(page)["quiz"] is True

        load(page, site_url + PAGE)
        assert page.evaluate("document.documentElement.classList.contains('study-quiz')")
        assert answer_box(page)["height"] == 0
        assert page.locator(".study-quiz-toggle").get_attribute("aria-pressed") == "true"

        page.evaluate("document.documentElement.dataset.mathjax = 'stale'")
        page.locator(f".md-nav a[href$='{OTHER_PAGE.split('/')[1]}/']").first.click()
        page.wait_for_url(f"**/{OTHER_PAGE}")
        page.wait_for_function(MATH_DONE)
        assert answer_box(page)["height"] == 0 and page.locator(".study-reveal").is_visible()

        press(page, ".study-quiz-toggle")
        assert answer_box(page)["height"] > 500 and page.locator(".study-reveal").is_hidden()
        assert state(page)["quiz"] is False

    def test_answer_is_hidden_before_study_js_runs(self, page, site_url: str) -> None:
        """With quiz mode on, the page's own <head> hides the answer: it never flashes while scripts load."""
        page.goto(site_url)
        page.evaluate(f"localStorage.setItem('{STORAGE_KEY}', '{{\"quiz\": true}}')")
        page.route("**/javascripts/study.js", lambda route: route.abort())
        load(page, site_url + PAGE)
        assert page.locator(".study-bar").count() == 0  # study.js never ran
        assert answer_box(page)["height"] == 0

    def test_link_into_the_answer_reveals_it(self, page, site_url: str) -> None:
        """Arriving at, or following a link to, a heading inside a hidden answer shows the answer."""
        load(page, site_url + OTHER_PAGE)
        press(page, ".study-quiz-toggle")
        load(page, site_url + PAGE + "#derivation")  # as from a search result
        reveal = page.locator(".study-reveal")
        assert reveal.get_attribute("aria-expanded") == "true" and answer_box(page)["height"] > 500

        press(page, ".study-reveal")  # hide it again, then follow the table of contents
        assert answer_box(page)["height"] == 0
        page.locator(".md-sidebar--secondary a[href$='#example']").click()
        assert reveal.get_attribute("aria-expanded") == "true" and answer_box(page)["height"] > 500


def _filter_with_several_questions() -> tuple[str, str, set[int]]:
    """The tag and difficulty shared by the most questions (at least two, so that the pick can vary)."""
    groups: dict[tuple[str, str], set[int]] = collections.defaultdict(set)
    for number, source in QUESTIONS.items():
        for tag in source.meta["tags"]:
            groups[(tag, source.meta["difficulty"])].add(number)
    (tag, difficulty), numbers = min(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    assert len(numbers) >= 2
    return tag, difficulty, numbers


def follow(tab, selector: str) -> int:
    """Press a Random question button; the number of the question it opens."""
    before = tab.url
    press(tab, selector)
    tab.wait_for_url(lambda url: url != before, timeout=30_000)
    tab.wait_for_function(MATH_DONE, timeout=30_000)
    slug = tab.url.split("#")[0].rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
    return next(n for n, s in QUESTIONS.items() if s.path.stem == slug)


class TestRandomQuestion:
    def test_random_question_honours_tag_and_difficulty(self, page, site_url: str) -> None:
        """With a tag and a difficulty chosen, Random question opens only matching questions, never one twice."""
        tag, difficulty, numbers = _filter_with_several_questions()
        load(page, site_url + "all-questions/")
        page.select_option("select[data-filter='tag']", tag)
        page.select_option("select[data-filter='difficulty']", difficulty)
        assert page.locator(".study-count").inner_text() == f"{len(numbers)} questions match."
        seen = [follow(page, ".study-panel .study-random")]
        for _ in range(5):
            assert page.locator(".study-random").inner_text() == "Random question (filtered)"
            seen.append(follow(page, ".study-random"))
        assert set(seen) <= numbers, f"{seen} left the filter {tag}/{difficulty} = {numbers}"
        assert all(a != b for a, b in itertools.pairwise(seen))

    def test_no_match_is_announced(self, page, site_url: str) -> None:
        """Filters that no question matches leave the reader where they are and say why."""
        load(page, site_url + "all-questions/")
        page.select_option("select[data-filter='status']", "review")  # nothing is marked yet
        assert page.locator(".study-count").inner_text() == "0 questions match."
        press(page, ".study-panel .study-random")
        page.wait_for_function(f"({LIVE}).includes('No question matches')")
        assert page.url == site_url + "all-questions/"


def _progress_cells(tab) -> dict[int, str]:
    return {
        int(row[0]): row[1]
        for row in tab.evaluate(
            """() => [...document.querySelectorAll('article table tbody tr')].map(
                 r => [r.querySelector('[data-question]').textContent.trim(),
                       r.querySelector('.study-progress-cell').textContent.trim()])"""
        )
    }


class TestProgress:
    def test_marks_survive_reload_and_show_on_all_questions(self, page, site_url: str) -> None:
        """'I know it' and 'Review again' persist across a reload and fill the All questions page's column and count."""
        load(page, site_url + PAGE)
        press(page, ".study-mark--known")
        load(page, site_url + OTHER_PAGE)
        press(page, ".study-mark--review", "Space")
        page.wait_for_function(f"({LIVE}).includes('Review again')")

        load(page, site_url + PAGE)
        assert page.locator(".study-mark--known").get_attribute("aria-pressed") == "true"
        assert page.locator(".study-mark--review").get_attribute("aria-pressed") == "false"

        load(page, site_url + "all-questions/")
        cells = _progress_cells(page)
        assert len(cells) == len(QUESTIONS)
        assert cells[1] == "I know it" and cells[7] == "Review again"
        assert [n for n, c in cells.items() if c] == [1, 7]
        summary = page.locator(".study-summary").inner_text()
        assert summary == f"Your progress: 1 known, 1 to review, {len(QUESTIONS) - 2} not marked yet."

        load(page, site_url + PAGE)
        press(page, ".study-mark--known")  # pressing the mark again clears it
        assert page.locator(".study-mark--known").get_attribute("aria-pressed") == "false"
        assert state(page)["progress"] == {"7": "review"}

    def test_export_then_import(self, page, site_url: str, tmp_path: Path) -> None:
        """Export saves the marks as JSON; importing it into an empty browser restores them; a bad file is refused."""
        page.goto(site_url)
        marks = json.dumps({"progress": {"1": "known", "7": "review"}})
        page.evaluate(f"localStorage.setItem('{STORAGE_KEY}', '{marks}')")
        load(page, site_url + "all-questions/")
        with page.expect_download() as download:
            press(page, "button:has-text('Export progress')")
        exported = tmp_path / download.value.suggested_filename
        download.value.save_as(exported)
        assert exported.name.endswith(".json")
        content = json.loads(exported.read_text())
        assert content["format"] == "ml-interview-handbook-progress"
        assert content["progress"] == {"1": "known", "7": "review"}

        page.evaluate("localStorage.clear()")
        load(page, site_url + "all-questions/")
        assert not any(_progress_cells(page).values())
        with page.expect_file_chooser() as chooser:
            press(page, "button:has-text('Import progress')")
        chooser.value.set_files(str(exported))
        page.wait_for_function("document.querySelector('.study-message').textContent.includes('Imported')")
        assert page.locator(".study-message").inner_text() == "Imported the progress of 2 questions."
        assert {n: c for n, c in _progress_cells(page).items() if c} == {1: "I know it", 7: "Review again"}

        bad = tmp_path / "notes.json"
        bad.write_text('{"progress": {"1": "known"}}')
        with page.expect_file_chooser() as chooser:
            press(page, "button:has-text('Import progress')")
        chooser.value.set_files(str(bad))
        page.wait_for_function("document.querySelector('.study-message').textContent.includes('not a progress file')")
        assert state(page)["progress"] == {"1": "known", "7": "review"}

    @pytest.mark.parametrize("key", ["constructor", "toString", "__proto__"])
    def test_a_stored_mark_named_like_a_prototype_key_shows_no_badge(self, page, site_url: str, key: str) -> None:
        """A tampered progress entry such as {"1": "constructor"} is no mark: no badge shows a function's text."""
        page.goto(site_url)
        stored = {"progress": {"1": key, "7": "review"}}
        page.evaluate("([k, v]) => localStorage.setItem(k, JSON.stringify(v))", [STORAGE_KEY, stored])
        load(page, site_url + "all-questions/")
        cells = _progress_cells(page)
        assert cells[1] == "" and cells[7] == "Review again", cells
        assert set(cells.values()) <= {"", "I know it", "Review again"}, cells


BLOCKED_STORAGE = """Object.defineProperty(window, 'localStorage', {
  get() { throw new DOMException('The user blocked site data', 'SecurityError'); } });"""
FULL_STORAGE = """() => { Storage.prototype.setItem = function () {
  throw new DOMException('The quota has been exceeded', 'QuotaExceededError'); }; }"""


def test_search_and_the_answer_work_with_storage_blocked(browser, site_url: str) -> None:
    """With site data blocked (reading localStorage throws), search still starts and finds a page, and a question
    page still shows its answer and buttons: Material's storage helpers are guarded (overrides/partials/javascripts)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.add_init_script(BLOCKED_STORAGE)
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    load(tab, site_url)
    tab.click(".md-search__input")
    tab.keyboard.type("irreducible error", delay=10)
    tab.wait_for_function(
        "() => [...document.querySelectorAll('.md-search-result__item > a')]"
        ".some(a => a.href.includes('bias-variance'))",
        timeout=15_000,
    )
    load(tab, site_url + PAGE)
    assert tab.locator(".study-mark--known").count() == 1
    assert errors == [], errors
    context.close()


def test_a_mark_that_cannot_be_saved_says_so(browser, site_url: str) -> None:
    """Storage full: pressing "I know it" says the choice will not be remembered, and the button does not claim it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    load(tab, site_url + PAGE)
    tab.evaluate(FULL_STORAGE)
    press(tab, ".study-mark--known")
    tab.wait_for_function(f"({LIVE}).includes('will not be remembered')", timeout=5_000)
    assert tab.locator(".study-mark--known").get_attribute("aria-pressed") == "false"
    assert "Marked" not in tab.evaluate(LIVE)
    context.close()


def test_missing_study_data_is_said_on_the_page(browser, site_url: str) -> None:
    """If javascripts/study-data.js fails to load, the page says the study features could not start, and why."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.route("**/javascripts/study-data.js", lambda route: route.abort())
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    load(tab, site_url + PAGE)
    alert = tab.locator("article .study-unavailable[role=alert]")
    assert alert.count() == 1
    assert "javascripts/study-data.js, did not load" in alert.inner_text()
    assert errors == []  # the other study scripts stand down instead of throwing
    context.close()


def _count(html: str, pattern: str) -> int:
    return len(re.findall(pattern, html))


FORMULA = r'class="arithmatex"'
FIGURE = r'<img[^>]+src="[^"]*figures/'


def test_print_page_holds_every_formula_and_figure(browser, built_site: Path, site_url: str) -> None:
    """The print page has all the question pages' formulas (rendered by the build) and figures, opens in seconds
    though it holds thousands of formulas (the browser lays out the questions in view only), and prints without
    the chrome."""
    pages = [(built_site / "questions" / s.path.stem / "index.html").read_text() for s in QUESTIONS.values()]
    formulas, figures = sum(_count(p, FORMULA) for p in pages), sum(_count(p, FIGURE) for p in pages)
    printed = (built_site / "print" / "index.html").read_text()
    assert _count(printed, FORMULA) == formulas > 1000
    assert _count(printed, r'class="arithmatex"(?: tabindex="0")?><mjx-container ') == formulas
    assert _count(printed, FIGURE) == figures > 20
    assert _count(printed, r'<section class="print-question"') == len(QUESTIONS)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    tab = context.new_page()
    guard = OffsiteGuard(tab)
    # Loaded with every formula laid out, as before content-visibility, the page took minutes here.
    tab.goto(site_url + "print/", wait_until="load", timeout=60_000)
    tab.wait_for_function(MATH_DONE, timeout=30_000)
    assert tab.locator(".study-print").is_enabled()
    assert tab.locator(".study-print").inner_text() == "Print or save as PDF"
    rendered = tab.evaluate(
        """() => ({
          typeset: document.querySelectorAll('.arithmatex > mjx-container > svg').length,
          errors: document.querySelectorAll('mjx-merror, [data-mjx-error]').length,
          figures: [...document.images].filter(i => i.src.includes('/figures/') && i.naturalWidth > 0).length,
        })"""
    )
    assert rendered == {"typeset": formulas, "errors": 0, "figures": figures}

    tab.emulate_media(media="print")
    printed_style = tab.evaluate(
        """() => {
          const display = s => [...document.querySelectorAll(s)].map(e => getComputedStyle(e).display);
          return {
            chrome: ['.md-header', '.md-sidebar', '.md-footer', '.study-print'].flatMap(display),
            breaks: [...document.querySelectorAll('.print-question')].map(e => getComputedStyle(e).breakBefore),
            filters: [...document.querySelectorAll('img[src*="figures/"]')].map(e => getComputedStyle(e).filter),
          };
        }"""
    )
    assert printed_style["chrome"] and set(printed_style["chrome"]) == {"none"}
    assert printed_style["breaks"] == ["page"] * len(QUESTIONS)
    assert set(printed_style["filters"]) == {"none"}, "dark-palette figures must print as drawn"
    context.close()
    assert guard.blocked == []


def test_offline_edition_searches_from_disk(page, offline_site: Path) -> None:
    """Opened from file://, the offline edition renders math, finds 'irreducible error' and runs the study features."""
    page.goto((offline_site / "index.html").as_uri())
    page.wait_for_function(MATH_DONE, timeout=30_000)
    page.keyboard.press("/")
    page.keyboard.type("irreducible error")
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=15_000)
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    assert any("bias-variance-tradeoff.html" in h for h in hrefs), hrefs

    page.goto((offline_site / "questions" / "bias-variance-tradeoff.html").as_uri())
    page.wait_for_function(MATH_DONE, timeout=30_000)
    assert page.evaluate("document.querySelectorAll('.arithmatex:not(:has(> mjx-container > svg))').length") == 0
    assert page.evaluate("typeof window.MathJax") == "undefined"  # rendered by the build, from file:// too
    press(page, ".study-random")
    page.wait_for_url(re.compile(r"^file://.*/questions/(?!bias-variance-tradeoff)[\w-]+\.html$"))


def test_offline_zip_is_self_contained(built_site: Path) -> None:
    """The zip holds the site, the inlined search index, the local worker shim and the site's deck; no CDN."""
    with zipfile.ZipFile(built_site / OFFLINE_ZIP) as archive:
        names = set(archive.namelist())
        index = archive.read("ml-interview-handbook/index.html").decode()
        deck = archive.read(f"ml-interview-handbook/{DECK}")
    prefix = "ml-interview-handbook/"
    for needed in ("index.html", "questions/bias-variance-tradeoff.html", "search/search_index.js", DECK):
        assert prefix + needed in names
    assert prefix + "assets/javascripts/iframe-worker-shim.js" in names
    assert deck == (built_site / DECK).read_bytes(), "the offline edition ships the site's deck, linking to the site"
    assert not any(n.endswith(("sitemap.xml", ".zip")) for n in names)
    assert "unpkg.com" not in index and "navigation.instant" not in index
    assert re.search(r'<script src="assets/javascripts/iframe-worker-shim.js"', index)


def test_home_page_links_the_downloads(built_site: Path) -> None:
    """The home page's study links point at the deck, the offline zip and the print page, all present in the site."""
    home = (built_site / "index.html").read_text()
    assert "study:" not in home
    for target in (DECK, OFFLINE_ZIP, "print/"):
        assert f'href="{target}"' in home
        assert (built_site / target).exists()


def test_unknown_study_link_fails_the_build(tmp_path: Path) -> None:
    """A `study:` link to no download stops the build and names the page and the link."""
    repo = fixture_repo(tmp_path / "repo")
    home = repo / "docs" / "index.md"
    home.write_text(home.read_text() + "\n[Get it](study:nope)\n")
    result = mkdocs_build(repo / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    assert "docs/index.md" in result.stderr and "study:nope" in result.stderr


def _notes(apkg: bytes, tmp_path: Path) -> list[dict]:
    """The notes of an .apkg (a zip holding Anki's SQLite collection)."""
    db = tmp_path / "collection.anki2"
    with zipfile.ZipFile(io.BytesIO(apkg)) as archive:
        db.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(db)
    rows = connection.execute(
        "SELECT n.id, n.guid, n.mod, n.tags, n.flds, c.did FROM notes n JOIN cards c ON c.nid = n.id ORDER BY n.id"
    )
    keys = ("id", "guid", "mod", "tags", "fields", "deck")
    notes = [dict(zip(keys, (*r[:3], r[3].split(), r[4].split("\x1f"), r[5]), strict=True)) for r in rows]
    connection.close()
    db.unlink()
    return notes


def test_anki_deck_has_one_card_per_question(built_site: Path, tmp_path: Path) -> None:
    """The deck: one card per question with its title, its short answer in Anki's math delimiters, its page and tags."""
    site_url = load_mkdocs_config()["site_url"]
    notes = {int(n["fields"][3]): n for n in _notes((built_site / DECK).read_bytes(), tmp_path)}
    assert sorted(notes) == sorted(QUESTIONS)
    for number, source in QUESTIONS.items():
        question, answer, link, _ = notes[number]["fields"]
        assert question == source.meta["title"]
        assert link == f"{site_url}questions/{source.path.stem}/"
        assert set(notes[number]["tags"]) == {*source.meta["tags"], f"difficulty::{source.meta['difficulty']}"}
        assert notes[number]["deck"] == anki_deck.DECK_ID
        short = re.search(r"^## Short answer\n(.*?)^## ", source.body, re.S | re.M).group(1)
        first_words = re.sub(r"[*`]", "", short.strip().split("$")[0])[:30]
        assert first_words in re.sub(r"<[^>]+>", "", answer)
        assert "$" not in answer and "## " not in answer
        formulas = len(re.findall(r"\$\$.+?\$\$|\$[^$]+\$", short, re.S))
        assert formulas == answer.count(r"\(") + answer.count(r"\[")
    assert r"\(\sigma^2\)" in notes[1]["fields"][1]


def test_anki_notes_keep_their_identity_across_editions(built_site: Path, tmp_path: Path) -> None:
    """Same sources, same bytes; a new edition with changed answers keeps every note's guid, so Anki updates them."""
    notes = _notes((built_site / DECK).read_bytes(), tmp_path)
    cards = [
        anki_deck.Card(int(n["fields"][3]), n["fields"][0], n["fields"][1], n["fields"][2], tuple(n["tags"]))
        for n in notes
    ]
    edition = notes[0]["mod"]
    assert anki_deck.apkg_bytes(cards, edition) == (built_site / DECK).read_bytes()
    changed = [anki_deck.Card(c.number, c.question, c.answer_html + "<p>New.</p>", c.url, c.tags) for c in cards]
    later = _notes(anki_deck.apkg_bytes(changed, edition + 86_400), tmp_path)
    before = {int(n["fields"][3]): n["guid"] for n in notes}
    assert {int(n["fields"][3]): n["guid"] for n in later} == before
    assert len(set(before.values())) == len(before)
    assert all(n["mod"] > edition for n in later), "Anki only updates notes that are newer"


def test_zip_bytes_ignore_order_and_time() -> None:
    """Archives of the same files are byte-identical whatever the order they are given in."""
    entries = {"b.txt": b"two", "a/c.txt": b"one"}
    first, second = zip_bytes(entries), zip_bytes(dict(reversed(entries.items())))
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.namelist() == ["a/c.txt", "b.txt"]
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_study_data_lists_every_question(built_site: Path) -> None:
    """The random-question picker's data names every question page with its tags and difficulty."""
    script = (built_site / "javascripts" / "study-data.js").read_text()
    data = json.loads(script.split("window.handbookStudy = ", 1)[1].rstrip().rstrip(";"))
    assert data["storageKey"] == STORAGE_KEY
    by_number = {q["number"]: q for q in data["questions"]}
    assert sorted(by_number) == sorted(QUESTIONS)
    for number, source in QUESTIONS.items():
        entry = by_number[number]
        assert (built_site / entry["url"] / "index.html").is_file()
        assert entry["tags"] == source.meta["tags"] and entry["difficulty"] == source.meta["difficulty"]
