"""MkDocs hook: how the executed notebooks appear on the site.

Each notebook page opens with a link back to the question it checks, a download
link for its `.ipynb` and an "Open in Colab" link; the gallery page lists them all.
What mkdocs-jupyter inlines into each page is moved out of it, into files named by their
content, so that a first visit is light and a browser caches what pages share:
- its 590 KB of JupyterLab CSS, cut to the rules the page uses (scripts/notebook_css.py);
- its figures, base64 in `<img src="data:...">` (a third larger, and gzip cannot win it back),
  which become image files that load lazily, as the reader scrolls to them. Each figure that
  `save_figure` drew carries its name (`id="figure-<name>"`), and gets the alt text that the
  question page embedding it gives it, in place of nbconvert's "No description has been provided".
"""

from __future__ import annotations

import base64
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
import bound_numbers
from handbook import NOTEBOOKS, question_pages
from notebook_css import classes_in, prune

GALLERY_MARKER = "<!-- notebooks-table -->"
# `[^<]*(?:<(?!/style>)[^<]*)*` is `.*?` unrolled: six times faster over a page's 590 KB of CSS.
STYLE_BLOCK = re.compile(r"<style[^>]*>([^<]*(?:<(?!/style>)[^<]*)*)</style>")
DATA_IMAGE = re.compile(r'<img ([^>]*?)src="data:image/(png|jpeg|svg\+xml);base64,([A-Za-z0-9+/=\s]+)"')
FIGURE_ID = re.compile(rb'<g id="figure-([\w-]+)"')
EMBEDDED_FIGURE = re.compile(r"!\[([^\]]+)\]\(\.\./figures/(\w+)/([\w-]+)\.svg\)")
ALT = re.compile(r'\balt="[^"]*"\s*')
SVG_SIZE = re.compile(rb'<svg[^>]*?\swidth="([\d.]+)(pt|px)?"[^>]*?\sheight="([\d.]+)(pt|px)?"')
# The deploy workflow publishes the executed notebooks on this branch, for Colab to open.
COLAB_BRANCH = "executed-notebooks"

_questions: dict[str, list[tuple[int, str, str]]] = {}  # notebook -> [(number, title, src_uri)]
_alt_texts: dict[tuple[str, str], str] = {}  # (notebook, figure name) -> the alt text a question page gives it


def on_files(files: Files, config: MkDocsConfig) -> Files:
    _questions.clear()
    _alt_texts.clear()
    for page in question_pages():
        for alt, stem, name in EMBEDDED_FIGURE.findall(page.body):
            _alt_texts[(stem, name)] = bound_numbers.render(alt)  # as the question page shows it
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
    # The stylesheet first: the image search then scans the page without its 590 KB of CSS.
    return banner + image_files(shared_stylesheet(html_text, page, files, config), page, files, config)


def image_size(data: bytes, kind: str) -> tuple[int, int] | None:
    """Width and height in CSS pixels of a PNG or an SVG, so that the page keeps its place while it loads."""
    if kind == "png" and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20]), int.from_bytes(data[20:24])
    size = SVG_SIZE.search(data[:2000]) if kind == "svg+xml" else None
    if size is None:
        return None
    scale = [4 / 3 if unit == b"pt" else 1 for unit in (size.group(2), size.group(4))]  # 1pt = 4/3 px
    return round(float(size.group(1)) * scale[0]), round(float(size.group(3)) * scale[1])


def image_files(html_text: str, page: Page, files: Files, config: MkDocsConfig) -> str:
    """The page with each base64 image moved to a file of the site, named by its content, loaded lazily."""
    stem = Path(page.file.src_uri).stem

    def to_file(match: re.Match[str]) -> str:
        attributes, kind = match.group(1), match.group(2)
        data = base64.b64decode(match.group(3))
        extension = {"svg+xml": "svg", "jpeg": "jpg"}.get(kind, kind)
        name = f"assets/images/notebooks/{hashlib.sha256(data).hexdigest()[:16]}.{extension}"
        if files.get_file_from_path(name) is None:
            files.append(File.generated(config, name, content=data))
        size = image_size(data, kind)
        dimensions = f'width="{size[0]}" height="{size[1]}" ' if size else ""
        figure = FIGURE_ID.search(data)
        alt = _alt_texts.get((stem, figure.group(1).decode())) if figure else None
        if alt is not None:
            attributes = f'alt="{html.escape(alt)}" ' + ALT.sub("", attributes)
        return f'<img {attributes}{dimensions}loading="lazy" src="{get_relative_url(name, page.url)}"'

    return DATA_IMAGE.sub(to_file, html_text)


def shared_stylesheet(html_text: str, page: Page, files: Files, config: MkDocsConfig) -> str:
    """The page with its inline CSS replaced by a link to a stylesheet of the rules it uses, named by content.

    Done on the content, before the theme wraps it, so that neither the templates nor the
    plugins after this hook wade through the 590 KB of CSS of each notebook page.
    """
    first = STYLE_BLOCK.search(html_text)
    if first is None:
        return html_text
    before, after = html_text[: first.start()], html_text[first.start() :]
    rest = STYLE_BLOCK.sub("", after)
    css = prune("\n".join(STYLE_BLOCK.findall(after)), classes_in(before + rest))
    name = f"assets/stylesheets/jupyter-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    if files.get_file_from_path(name) is None:
        files.append(File.generated(config, name, content=css))
    link = f'<link rel="stylesheet" href="{get_relative_url(name, page.url)}">'
    return before + link + rest
