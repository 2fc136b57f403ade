"""MkDocs hook: nothing the site publishes runs foreign code or hands a reader's tab to another site.

- Notebook outputs reach the site as text and images only. nbconvert, which mkdocs-jupyter
  renders the notebooks with, copies an output's HTML, Markdown or JavaScript into the page as
  it is: a `<script>` there would run on the site, and an `<img src="https://...">` would load
  from another host. Before mkdocs-jupyter reads a notebook, every output representation but
  text and images (PNG, JPEG, and SVG, which nbconvert shows in an `<img>`) is dropped; a
  DataFrame then shows its plain-text form. Each drop is a warning that names the notebook's
  cell, so that a strict build fails on it.
- Every link to an absolute URL carries rel="noopener": the page it opens gets no handle
  (`window.opener`) on the handbook's tab.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bound_numbers import BOUND_MIME
from execute_notebooks import write_if_changed
from handbook import BUILD, NOTEBOOKS, percent_cells, rel

log = logging.getLogger("mkdocs.hooks.safe_pages")

EXTERNAL_LINK = re.compile(r"""<a\s[^>]*?\bhref=["']?(?:https?:)?//[^>]*>""", re.I)
REL = re.compile(r"""\brel=(["'])(.*?)\1""", re.I)
SAFE_TYPES = {"text/plain", "text/latex", "image/png", "image/jpeg", "image/svg+xml"}
# Notebooks that had outputs dropped, as mkdocs-jupyter reads them (its `include` wants a notebooks/ folder).
SAFE_DIR = BUILD / "safe" / "notebooks"


def drop_unsafe_outputs(nb: dict) -> list[tuple[int, list[str]]]:
    """Remove unsafe representations from `nb` in place: [(cell index, dropped types)]."""
    dropped = []
    for index, cell in enumerate(nb.get("cells", [])):
        kept_outputs = []
        for output in cell.get("outputs", []):
            data = output.get("data")
            if isinstance(data, dict):
                data.pop(BOUND_MIME, None)  # the validator's data (scripts/bound_numbers.py); its text/plain is shown
                unsafe = sorted(set(data) - SAFE_TYPES)
                if unsafe:
                    dropped.append((index, unsafe))
                    output["data"] = {k: v for k, v in data.items() if k in SAFE_TYPES}
                if not output["data"]:
                    continue  # nothing safe left to show
            kept_outputs.append(output)
        if "outputs" in cell:
            cell["outputs"] = kept_outputs
    return dropped


def _where(stem: str, index: int) -> str:
    """`notebooks/x.py:LINE: cell N` for the executed notebook's cell `index`."""
    source = NOTEBOOKS / f"{stem}.py"
    cells = percent_cells(source) if source.is_file() else []
    line = cells[index].line if index < len(cells) else 1
    return f"{rel(source)}:{line}: cell {index + 1}"


@event_priority(50)  # after build_pipeline hands MkDocs the notebooks, before mkdocs-jupyter reads them
def on_files(files: Files, config: MkDocsConfig) -> Files:
    for file in files:
        if not (file.src_uri.startswith("notebooks/") and file.src_uri.endswith(".ipynb") and file.abs_src_path):
            continue
        nb = json.loads(Path(file.abs_src_path).read_text(encoding="utf-8"))
        dropped = drop_unsafe_outputs(nb)
        if not dropped:
            continue
        stem = Path(file.src_uri).stem
        for index, types in dropped:
            log.warning(
                f"{_where(stem, index)}: output of type {', '.join(types)} not published: notebook pages show "
                "text and images only, so that no output runs a script or loads from another host. "
                "Print the text, or draw the figure with save_figure, instead."
            )
        safe = SAFE_DIR / Path(file.src_uri).name
        write_if_changed(safe, (json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode())
        file.abs_src_path = str(safe)
    return files


def with_noopener(tag: str) -> str:
    """An `<a ...>` start tag whose rel attribute holds noopener."""
    rel = REL.search(tag)
    if rel is None:
        return tag[:-1] + ' rel="noopener">'
    if "noopener" in rel.group(2).split():
        return tag
    quote, value = rel.group(1), rel.group(2)
    return tag[: rel.start()] + f"rel={quote}{value} noopener{quote}" + tag[rel.end() :]


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return EXTERNAL_LINK.sub(lambda match: with_noopener(match.group(0)), output)
