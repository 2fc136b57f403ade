"""MkDocs hook: how the executed notebooks appear on the site.

Each notebook page opens with a link back to the question it checks, a download
link for its `.ipynb` and an "Open in Colab" link; the gallery page lists them all.
mkdocs-jupyter inlines about 590 KB of JupyterLab CSS into every notebook page; it is
moved into one stylesheet, named by its content, that browsers fetch once and cache.
"""

from __future__ import annotations

import hashlib
import html
import re
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from handbook import NOTEBOOKS, question_pages

GALLERY_MARKER = "<!-- notebooks-table -->"
# `[^<]*(?:<(?!/style>)[^<]*)*` is `.*?` unrolled: six times faster over a page's 590 KB of CSS.
STYLE_BLOCK = re.compile(r"<style[^>]*>([^<]*(?:<(?!/style>)[^<]*)*)</style>")
# The deploy workflow publishes the executed notebooks on this branch, for Colab to open.
COLAB_BRANCH = "executed-notebooks"

_questions: dict[str, list[tuple[int, str, str]]] = {}  # notebook -> [(number, title, src_uri)]


def on_files(files: Files, config: MkDocsConfig) -> Files:
    _questions.clear()
    for page in question_pages():
        notebook = page.meta.get("notebook")
        if isinstance(notebook, str):
            entry = (page.meta.get("number", 0), str(page.meta.get("title", "")), f"questions/{page.path.name}")
            _questions.setdefault(notebook, []).append(entry)
    return files


def colab_url(config: MkDocsConfig, stem: str) -> str:
    repo = (config.repo_url or "").rstrip("/").removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{repo}/blob/{COLAB_BRANCH}/{stem}.ipynb"


def gallery_table() -> str:
    """Markdown table of every notebook and the questions it checks."""
    rows = ["| Notebook | Checks the question |", "|---|---|"]
    for source in sorted(NOTEBOOKS.glob("q*.py")):
        questions = "<br>".join(f"[Q{n}. {t}]({uri})" for n, t, uri in _questions.get(source.stem, []))
        rows.append(f"| [{source.stem}](notebooks/{source.stem}.ipynb) | {questions} |")
    return "\n".join(rows) + "\n"


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return markdown.replace(GALLERY_MARKER, gallery_table()) if GALLERY_MARKER in markdown else markdown


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    uri = page.file.src_uri
    if not (uri.startswith("notebooks/") and uri.endswith(".ipynb")):
        return html_text
    # Search indexes the question pages only: a notebook's code and outputs would crowd
    # them out of the results (and double the index) while saying the same things.
    page.meta["search"] = {"exclude": True}
    stem = Path(uri).stem
    links = []
    for number, title, src_uri in _questions.get(stem, []):
        target = files.get_file_from_path(src_uri)
        if target is not None:
            href = get_relative_url(target.url, page.url)
            links.append(f'<a href="{href}">Q{number}. {html.escape(title)}</a>')
    checks = "Checks the page " + " and ".join(links) + " · " if links else ""
    banner = (
        '<div class="admonition info notebook-banner"><p>'
        f"{checks}"
        f'<a href="{stem}.ipynb" download>Download the notebook (.ipynb)</a> · '
        f'<a href="{colab_url(config, stem)}" rel="noopener">Open in Colab</a>'
        "</p></div>\n"
    )
    return banner + shared_stylesheet(html_text, page, files, config)


def shared_stylesheet(html_text: str, page: Page, files: Files, config: MkDocsConfig) -> str:
    """The page with its inline CSS replaced by a link to one stylesheet that all notebook pages share.

    Done on the content, before the theme wraps it, so that neither the templates nor the
    plugins after this hook wade through the 590 KB of CSS of each notebook page.
    """
    first = STYLE_BLOCK.search(html_text)
    if first is None:
        return html_text
    css = "\n".join(STYLE_BLOCK.findall(html_text))
    name = f"assets/stylesheets/jupyter-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    if files.get_file_from_path(name) is None:
        files.append(File.generated(config, name, content=css))
    link = f'<link rel="stylesheet" href="{get_relative_url(name, page.url)}">'
    return html_text[: first.start()] + link + STYLE_BLOCK.sub("", html_text[first.start() :])
