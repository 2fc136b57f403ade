"""How the executed notebooks appear on the site.

Each notebook page opens with a link back to the question it checks, a download link for its
`.ipynb` and an "Open in Colab" link; the gallery page lists them all. What mkdocs-jupyter inlines
into each page is moved out of it, into files named by their content, so that a first visit is light
and a browser caches what pages share:
- its 590 KB of JupyterLab CSS, cut to the rules the page uses (handbook/notebook_css.py);
- its figures, base64 in `<img src="data:...">` (a third larger, and gzip cannot win it back), which
  become image files that load lazily. Each figure that `save_figure` drew carries its name
  (`id="figure-<name>"`), and gets the alt text that the question page embedding it gives it, in place
  of nbconvert's "No description has been provided".
The functions return the new page and the files to add to the site ({site path: bytes}); they change nothing.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path

from mkdocs.utils import get_relative_url

from handbook.catalog import Catalog
from handbook.fragments import Fragments
from handbook.notebook_css import classes_in, prune
from handbook.question_parts import text_in_markdown

# `[^<]*(?:<(?!/style>)[^<]*)*` is `.*?` unrolled: six times faster over a page's 590 KB of CSS.
STYLE_BLOCK = re.compile(r"<style[^>]*>([^<]*(?:<(?!/style>)[^<]*)*)</style>")
DATA_IMAGE = re.compile(r'<img ([^>]*?)src="data:image/(png|jpeg|svg\+xml);base64,([A-Za-z0-9+/=\s]+)"')
FIGURE_ID = re.compile(rb'<g id="figure-([\w-]+)"')
ALT = re.compile(r'\balt="[^"]*"\s*')
SVG_SIZE = re.compile(rb'<svg[^>]*?\swidth="([\d.]+)(pt|px)?"[^>]*?\sheight="([\d.]+)(pt|px)?"')
# The deploy workflow publishes the executed notebooks on this branch, for Colab to open.
COLAB_BRANCH = "executed-notebooks"

NewFiles = dict[str, bytes]


def colab_url(repo_url: str | None, stem: str) -> str:
    repo = (repo_url or "").rstrip("/").removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{repo}/blob/{COLAB_BRANCH}/{stem}.ipynb"


def edit_url(repo_url: str | None, stem: str) -> str:
    """A notebook page is edited in its jupytext source, not in the generated .ipynb."""
    return f"{(repo_url or '').rstrip('/')}/edit/main/notebooks/{stem}.py"


def gallery_table(catalog: Catalog, stems: list[str]) -> str:
    """Markdown table of every notebook and the questions it checks."""
    rows = ["| Notebook | Checks the question |", "|---|---|"]
    for stem in stems:
        questions = "<br>".join(
            f"[Q{q.number}. {text_in_markdown(q.title)}]({q.src_uri})" for q in catalog.checked_by(stem)
        )
        rows.append(f"| [{stem}](notebooks/{stem}.ipynb) | {questions} |")
    return "\n".join(rows) + "\n"


def banner(
    catalog: Catalog, stem: str, page_url: str, urls: dict[str, str], repo_url: str | None, fragments: Fragments
) -> str:
    """The notebook page's first lines; `urls` maps a question's src_uri to its page URL."""
    questions = [
        {"href": get_relative_url(urls[q.src_uri], page_url), "number": q.number, "title": q.title}
        for q in catalog.checked_by(stem)
        if q.src_uri in urls
    ]
    return fragments.render("notebook-banner", questions=questions, stem=stem, colab=colab_url(repo_url, stem))


def image_size(data: bytes, kind: str) -> tuple[int, int] | None:
    """Width and height in CSS pixels of a PNG or an SVG, so that the page keeps its place while it loads."""
    if kind == "png" and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20]), int.from_bytes(data[20:24])
    size = SVG_SIZE.search(data[:2000]) if kind == "svg+xml" else None
    if size is None:
        return None
    scale = [4 / 3 if unit == b"pt" else 1 for unit in (size.group(2), size.group(4))]  # 1pt = 4/3 px
    return round(float(size.group(1)) * scale[0]), round(float(size.group(3)) * scale[1])


def image_files(
    html_text: str, page_url: str, stem: str, alt_texts: dict[tuple[str, str], str]
) -> tuple[str, NewFiles]:
    """The page with each base64 image moved to a file of the site, named by its content, loaded lazily."""
    new: NewFiles = {}

    def to_file(match: re.Match[str]) -> str:
        attributes, kind = match.group(1), match.group(2)
        data = base64.b64decode(match.group(3))
        extension = {"svg+xml": "svg", "jpeg": "jpg"}.get(kind, kind)
        name = f"assets/images/notebooks/{hashlib.sha256(data).hexdigest()[:16]}.{extension}"
        new[name] = data
        size = image_size(data, kind)
        dimensions = f'width="{size[0]}" height="{size[1]}" ' if size else ""
        figure = FIGURE_ID.search(data)
        alt = alt_texts.get((stem, figure.group(1).decode())) if figure else None
        if alt is not None:
            attributes = f'alt="{html.escape(alt)}" ' + ALT.sub("", attributes)
        return f'<img {attributes}{dimensions}loading="lazy" src="{get_relative_url(name, page_url)}"'

    return DATA_IMAGE.sub(to_file, html_text), new


def shared_stylesheet(html_text: str, page_url: str) -> tuple[str, NewFiles]:
    """The page with its inline CSS replaced by a link to a stylesheet of the rules it uses, named by content.

    Done on the content, before the theme wraps it, so that neither the templates nor the
    jobs after this one wade through the 590 KB of CSS of each notebook page.
    """
    first = STYLE_BLOCK.search(html_text)
    if first is None:
        return html_text, {}
    before, after = html_text[: first.start()], html_text[first.start() :]
    rest = STYLE_BLOCK.sub("", after)
    css = prune("\n".join(STYLE_BLOCK.findall(after)), classes_in(before + rest))
    name = f"assets/stylesheets/jupyter-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    link = f'<link rel="stylesheet" href="{get_relative_url(name, page_url)}">'
    return before + link + rest, {name: css.encode()}


def notebook_page(
    html_text: str,
    stem: str,
    page_url: str,
    catalog: Catalog,
    urls: dict[str, str],
    repo_url: str | None,
    fragments: Fragments,
) -> tuple[str, NewFiles]:
    """A notebook page's content: the banner, then the page with its CSS and images moved to files."""
    # The stylesheet first: the image search then scans the page without its 590 KB of CSS.
    styled, css = shared_stylesheet(html_text, page_url)
    imaged, images = image_files(styled, page_url, stem, catalog.alt_texts())
    return banner(catalog, stem, page_url, urls, repo_url, fragments) + imaged, css | images


def notebook_stems(notebooks: Path) -> list[str]:
    return [p.stem for p in sorted(notebooks.glob("q*.py"))]
