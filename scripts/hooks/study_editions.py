"""MkDocs hook: what the study features need from the build, and the editions made from the site.

- javascripts/study-data.js: each question's number, title, page, tags and difficulty, and the
  study plan's order (the nav's), for docs/javascripts/study*.js. A script rather than JSON, because
  fetch() cannot read a file:// URL and the offline edition is opened from disk.
- javascripts/study-cards.js: each question's short answer and common mistakes as the page renders
  them, which the Review page and the mock interview load on demand (no other page needs them).
- assets/javascripts/ts-fsrs.js: the FSRS scheduler of the review queue, served from node_modules
  (npm's ts-fsrs) like MathJax, so that no page loads it from another host.
- Question pages: the answer (all below the meta line) wrapped in one element that quiz mode hides;
  an inline script in <head> hides it before the first paint when quiz mode is on.
- The print page (docs/print.md): every question page's content, in seed order, on one page.
- downloads/ml-interview-handbook.apkg: the Anki deck (scripts/anki_deck.py).
- downloads/ml-interview-handbook-offline.zip: a second build with Material's offline plugin
  (HANDBOOK_OFFLINE=true), zipped. Only `mkdocs build` makes it: `mkdocs serve` rebuilds on every
  edit and would wait for a second build each time.
Pages link the downloads as `study:deck` and `study:offline`, which this hook turns into relative
links; the validator and MkDocs skip links with a scheme, and these files exist only in the build.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import mkdocs
from material.plugins.offline.plugin import OfflinePlugin
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import anki_deck
from handbook import ROOT, question_pages, rel, source_date_epoch, zip_bytes

log = logging.getLogger("mkdocs.hooks.study_editions")

STORAGE_KEY = "ml-interview-handbook.study"  # the one localStorage entry of study.js
STUDY_DATA = "javascripts/study-data.js"
STUDY_CARDS = "javascripts/study-cards.js"
TS_FSRS = ROOT / "node_modules" / "ts-fsrs" / "dist" / "index.umd.js"
TS_FSRS_URI = "assets/javascripts/ts-fsrs.js"
SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*\n?", re.M)  # the map is not served: no request for it
PRINT_PAGE = "print.md"
PRINT_MARKER = "<!-- print-edition -->"
# The study pages the scripts recognise, by their source.
STUDY_PAGES = {"all": "all-questions.md", "print": PRINT_PAGE, "review": "review.md", "mock": "mock-interview.md"}
DOWNLOADS = {"deck": "downloads/ml-interview-handbook.apkg", "offline": "downloads/ml-interview-handbook-offline.zip"}
OFFLINE_ENV = "HANDBOOK_OFFLINE"  # set for the second build; mkdocs.yml enables the offline plugin with it
# Material's offline plugin loads this shim from a CDN unless a polyfill named like it is already listed.
IFRAME_WORKER = ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js"
IFRAME_WORKER_URI = "assets/javascripts/iframe-worker-shim.js"
# Left out of the offline zip: of no use from disk, and it dates every page with the build's day.
OFFLINE_SKIP = {"sitemap.xml", "sitemap.xml.gz"}

META_LINE = re.compile(r'<p class="question-meta">.*?</p>\n?', re.S)
SHORT_ANSWER = re.compile(r'<h2 id="short-answer">.*?</h2>(.*?)(?=<h2[ >])', re.S)
COMMON_MISTAKES = re.compile(r'<h2 id="common-mistakes">.*?</h2>(.*?)(?=<h2[ >])', re.S)
ID_ATTR = re.compile(r'\bid="([^"]+)"')
URL_ATTR = re.compile(r'\b(href|src)="([^"]*)"')
HEADING = re.compile(r"<(/?)h([1-5])\b")
LINK_SCHEME = "study:"
ARITHMATEX, PRINT_MATH = "arithmatex", "print-math"  # study.js gives the print page's formulas their class back

_command = "build"
_questions: list[tuple[dict, File]] = []  # (front matter, page file) of each question, in seed order


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def _offline(config: MkDocsConfig) -> bool:
    """Whether this is the offline edition's build."""
    return any(isinstance(p, OfflinePlugin) and p.config.enabled for p in config.plugins.values())


@event_priority(100)  # before the offline plugin's, which otherwise adds the CDN copy of the shim
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if _offline(config):
        if not IFRAME_WORKER.is_file():
            raise PluginError(f"{rel(IFRAME_WORKER)} is missing: run `npm ci` (make does it for you).")
        config.extra["polyfills"] = [IFRAME_WORKER_URI]
        # Material's instant navigation cannot work from file://, and left on it completes
        # document$ before the first page has loaded: no script subscribed to it would ever run.
        features = config.theme["features"]
        config.theme["features"] = [f for f in features if not f.startswith("navigation.instant")]
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    _questions.clear()
    entries = []
    for source in question_pages():
        file = files.get_file_from_path(f"questions/{source.path.name}")
        if file is None or not isinstance(source.meta.get("number"), int):
            continue
        _questions.append((source.meta, file))
        entries.append(
            {
                "number": source.meta["number"],
                "title": str(source.meta.get("title", "")),
                "url": file.url,
                "tags": list(source.meta.get("tags") or []),
                "difficulty": str(source.meta.get("difficulty", "")),
            }
        )
    pages = {name: files.get_file_from_path(src) for name, src in STUDY_PAGES.items()}
    data = {
        "storageKey": STORAGE_KEY,
        "questions": entries,
        "plan": study_plan([e["number"] for e in entries], {e["url"]: e["number"] for e in entries}, config),
        "pages": {name: file.url for name, file in pages.items() if file is not None},
        "cards": STUDY_CARDS,
    }
    script = (
        "// Generated by scripts/hooks/study_editions.py for docs/javascripts/study.js.\n"
        f"window.handbookStudy = {json.dumps(data, ensure_ascii=False, sort_keys=True)};\n"
    )
    files.append(File.generated(config, STUDY_DATA, content=script))
    if not TS_FSRS.is_file():
        raise PluginError(f"{rel(TS_FSRS)} is missing: run `npm ci` (make does it for you).")
    scheduler = SOURCE_MAP.sub("", TS_FSRS.read_text(encoding="utf-8"))
    files.append(File.generated(config, TS_FSRS_URI, content=scheduler))
    if _offline(config):
        files.append(File.generated(config, IFRAME_WORKER_URI, abs_src_path=str(IFRAME_WORKER)))
    return files


def study_plan(numbers: list[int], by_url: dict[str, int], config: MkDocsConfig) -> list[int]:
    """The question numbers in the nav's order (the home page's study plan follows it), then any left out."""
    order: list[int] = []

    def walk(items: object) -> None:
        if isinstance(items, list):
            for item in items:
                walk(item)
        elif isinstance(items, dict):
            for value in items.values():
                walk(value)
        elif isinstance(items, str) and items.endswith(".md"):
            number = by_url.get(items.removesuffix(".md") + "/")
            if number is not None and number not in order:
                order.append(number)

    walk(config.nav)
    return order + [n for n in numbers if n not in order]


def _is_question(page: Page) -> bool:
    return any(file is page.file for _, file in _questions)


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    html_text = _resolve_download_links(html_text, page, config)
    if not _is_question(page):
        return html_text
    meta = META_LINE.search(html_text)
    if meta is None:
        raise PluginError(
            f"docs/{page.file.src_uri}: no question-meta line (scripts/hooks/question_pages.py adds it), "
            "so quiz mode cannot tell the question from the answer"
        )
    answer = html_text[meta.end() :]
    return f'{html_text[: meta.end()]}<div class="study-answer" id="study-answer">\n{answer}</div>\n'


def _resolve_download_links(html_text: str, page: Page, config: MkDocsConfig) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in DOWNLOADS:
            raise PluginError(
                f"docs/{page.file.src_uri}: unknown link {LINK_SCHEME}{name}: use one of "
                + ", ".join(LINK_SCHEME + n for n in DOWNLOADS)
            )
        if name == "offline" and _offline(config):
            # The offline edition holds no copy of itself: fetch the newest one from the site.
            return f'href="{urljoin(config.site_url or "", DOWNLOADS[name])}"'
        return f'href="{get_relative_url(DOWNLOADS[name], page.url)}" download'

    return re.sub(rf'href="{LINK_SCHEME}([\w-]+)"', replace, html_text)


def on_env(env: object, config: MkDocsConfig, files: Files) -> object:
    # Every page's content is rendered by now and none is written yet: the moment to assemble
    # the print page and the deck from the pages themselves.
    print_file = files.get_file_from_path(PRINT_PAGE)
    if print_file is not None and print_file.page is not None:
        page = print_file.page
        if PRINT_MARKER not in (page.content or ""):
            raise PluginError(f"docs/{PRINT_PAGE}: the {PRINT_MARKER} marker is missing: the questions go there")
        page.content = (page.content or "").replace(PRINT_MARKER, print_edition(page.url))
    # The offline edition ships this build's deck (see on_post_build): its cards link to the site's pages.
    if not _offline(config):
        deck = anki_deck.apkg_bytes(deck_cards(config), source_date_epoch())
        files.append(File.generated(config, DOWNLOADS["deck"], content=deck))
    files.append(File.generated(config, STUDY_CARDS, content=study_cards()))
    return env


def _anchor(number: int) -> str:
    return f"q{number}"


def print_edition(print_url: str) -> str:
    """The contents and every question page's content, for the print page at `print_url`."""
    by_url = {file.url: meta["number"] for meta, file in _questions}
    contents, sections = [], []
    for meta, file in _questions:
        number, title = meta["number"], html.escape(str(meta.get("title", "")))
        contents.append(f'<li><a href="#{_anchor(number)}">{number}. {title}</a></li>')
        body = _rebase(file.page.content or "", file.url, print_url, number, by_url)
        sections.append(
            f'<section class="print-question" aria-labelledby="{_anchor(number)}">\n'
            f'<h2 id="{_anchor(number)}">{title}</h2>\n{body}</section>'
        )
    return (
        '<nav class="print-contents" aria-label="Questions"><ul>\n'
        + "\n".join(contents)
        + "\n</ul></nav>\n"
        + "\n".join(sections)
    )


def _rebase(content: str, page_url: str, print_url: str, number: int, by_url: dict[str, int]) -> str:
    """A question page's HTML made to work inside the print page.

    Ids get the question's prefix (every page has a #short-answer); headings move one level down
    under the question's title; relative URLs are re-aimed from the print page, and links to a
    question page go to that question on the print page. Formulas are renamed so that MathJax's
    page-wide pass skips them: typeset in one go, thousands of them would freeze the page for
    seconds, so study.js typesets them one question at a time.
    """
    prefix = _anchor(number) + "-"

    def url(match: re.Match[str]) -> str:
        attr, value = match.groups()
        parts = urlsplit(value)
        if parts.scheme or value.startswith("//"):
            return match.group(0)
        if not parts.path:
            return f'{attr}="#{prefix}{parts.fragment}"' if parts.fragment else match.group(0)
        target = urlsplit(urljoin("/" + page_url, parts.path)).path.lstrip("/")
        if attr == "href" and target in by_url:
            other = _anchor(by_url[target])
            return f'href="#{other}-{parts.fragment}"' if parts.fragment else f'href="#{other}"'
        rest = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
        return f'{attr}="{get_relative_url(target, print_url)}{rest}"'

    content = ID_ATTR.sub(lambda m: f'id="{prefix}{m.group(1)}"', content)
    content = URL_ATTR.sub(url, content).replace(f'class="{ARITHMATEX}"', f'class="{PRINT_MATH}"')
    return HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", content)


def deck_cards(config: MkDocsConfig) -> list[anki_deck.Card]:
    """One card per question: the title, and the short answer as the page renders it."""
    cards = []
    for meta, file in _questions:
        page_url = urljoin(config.site_url or "", file.url)
        match = SHORT_ANSWER.search(file.page.content or "")
        if match is None:
            raise PluginError(f"docs/{file.src_uri}: no '## Short answer' section for the Anki deck")
        # Links in the answer lead to the published site, since the card lives in Anki.
        answer = URL_ATTR.sub(lambda m, base=page_url: f'{m[1]}="{urljoin(base, m[2])}"', match.group(1).strip())
        tags = (*meta.get("tags", []), f"difficulty::{meta.get('difficulty', '')}")
        cards.append(anki_deck.Card(meta["number"], str(meta.get("title", "")), answer, page_url, tags))
    return cards


def study_cards() -> str:
    """The script that gives the Review page and the mock interview each question's short answer and mistakes.

    URLs become relative to the site's root, which study.js resolves from wherever the script runs;
    ids are dropped, since a card sits inside another page that has its own.
    """

    def section(name: str, pattern: re.Pattern[str], file: File) -> str:
        match = pattern.search(file.page.content or "")
        if match is None:
            raise PluginError(f"docs/{file.src_uri}: no '## {name}' section for the review cards")
        body = ID_ATTR.sub("", match.group(1).strip())
        return URL_ATTR.sub(lambda m: f'{m[1]}="{_from_root(m[2], file.url)}"', body)

    cards = {
        str(meta["number"]): {
            "answer": section("Short answer", SHORT_ANSWER, file),
            "mistakes": section("Common mistakes", COMMON_MISTAKES, file),
        }
        for meta, file in _questions
    }
    return (
        "// Generated by scripts/hooks/study_editions.py for docs/javascripts/study-review.js.\n"
        f"window.handbookStudyCards = {json.dumps(cards, ensure_ascii=False, sort_keys=True)};\n"
    )


def _from_root(value: str, page_url: str) -> str:
    """A URL of the page at `page_url`, relative to the site's root (a URL with a scheme, or a fragment, as is)."""
    parts = urlsplit(value)
    if parts.scheme or value.startswith("//") or not parts.path:
        return value
    target = urlsplit(urljoin("/" + page_url, parts.path)).path.lstrip("/")
    rest = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    return target + rest


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if not _is_question(page):
        return output
    # Runs before the first paint, so that a quiz-mode reader never glimpses the answer.
    script = (
        f"<script>try{{if(JSON.parse(localStorage.getItem({json.dumps(STORAGE_KEY)})).quiz)"
        'document.documentElement.classList.add("study-quiz")}catch(e){}</script>'
    )
    return output.replace("</head>", script + "</head>", 1)


def on_post_build(config: MkDocsConfig) -> None:
    if _offline(config):
        return
    if _command == "serve":
        log.info("offline edition: skipped under `mkdocs serve` (`mkdocs build` makes it)")
        return
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        env = {**os.environ, OFFLINE_ENV: "true", "NO_MKDOCS_2_WARNING": "true"}
        # The tool running this build: MkDocs, or ProperDocs, which answers to `import mkdocs`.
        # Not --quiet: it silences the warnings that --strict counts.
        # As strict as the build it is part of: a warning fails both or neither.
        command = [sys.executable, "-m", mkdocs.__name__, "build", *(["--strict"] if config.strict else [])]
        command += ["--config-file", str(config.config_file_path), "--site-dir", str(site)]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise PluginError(f"the offline edition failed to build:\n{result.stdout}{result.stderr}")
        entries = {
            path.relative_to(site).as_posix(): path.read_bytes()
            for path in site.rglob("*")
            if path.is_file() and path.relative_to(site).as_posix() not in OFFLINE_SKIP
        }
    entries[DOWNLOADS["deck"]] = (Path(config.site_dir) / DOWNLOADS["deck"]).read_bytes()
    # One folder inside the zip, so that unzipping never scatters files.
    entries = {f"ml-interview-handbook/{name}": content for name, content in entries.items()}
    archive = zip_bytes(entries)
    target = Path(config.site_dir) / DOWNLOADS["offline"]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(archive)
    log.info(
        "offline edition: %d files, %.1f MB zipped, in %.1f s",
        len(entries),
        len(archive) / 1e6,
        time.monotonic() - start,
    )
