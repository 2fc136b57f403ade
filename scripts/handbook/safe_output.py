"""Nothing the site publishes runs foreign code or hands a reader's tab to another site.

- Notebook outputs reach the site as text and images only. nbconvert, which mkdocs-jupyter renders
  the notebooks with, copies an output's HTML, Markdown or JavaScript into the page as it is: a
  `<script>` there would run on the site, and an `<img src="https://...">` would load from another
  host. Before mkdocs-jupyter reads a notebook, every output representation but text and images
  (PNG, JPEG, and SVG, which nbconvert shows in an `<img>`) is dropped; a DataFrame then shows its
  plain-text form. Each drop is reported with the notebook's cell, so that a strict build fails on it.
- Every link to an absolute URL carries rel="noopener": the page it opens gets no handle
  (`window.opener`) on the handbook's tab.
"""

from __future__ import annotations

import re

from handbook.bound_numbers import BOUND_MIME

EXTERNAL_LINK = re.compile(r"""<a\s[^>]*?\bhref=["']?(?:https?:)?//[^>]*>""", re.I)
REL = re.compile(r"""\brel=(["'])(.*?)\1""", re.I)
SAFE_TYPES = {"text/plain", "text/latex", "image/png", "image/jpeg", "image/svg+xml"}


def drop_unsafe_outputs(nb: dict) -> list[tuple[int, list[str]]]:
    """Remove unsafe representations from `nb` in place: [(cell index, dropped types)]."""
    dropped = []
    for index, cell in enumerate(nb.get("cells", [])):
        kept_outputs = []
        for output in cell.get("outputs", []):
            odd = _with_plain_sizes(output)
            if odd:
                dropped.append((index, odd))
            data = output.get("data")
            if isinstance(data, dict):
                data.pop(BOUND_MIME, None)  # the validator's data (handbook/bound_numbers.py); its text/plain is shown
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


def _with_plain_sizes(output: dict) -> list[str]:
    """Keep of an output's metadata only whole-number widths and heights, in place: nbconvert writes them into the
    <img> unquoted, so `{"width": "64 onload=..."}` would become an attribute that runs. Returns what was dropped."""
    metadata = output.get("metadata")
    if not isinstance(metadata, dict) or not metadata:
        return []
    kept: dict = {}
    odd: list[str] = []

    def sizes(entry: dict, where: str) -> dict:
        out = {}
        for key, value in entry.items():
            whole = isinstance(value, int) and not isinstance(value, bool) and value >= 0
            if key in ("width", "height") and (whole or (isinstance(value, str) and value.isdigit())):
                out[key] = int(value)
            else:
                odd.append(f"metadata {where}{key}")
        return out

    for key, value in metadata.items():
        if isinstance(value, dict):
            kept[key] = sizes(value, f"{key}.")
        else:
            kept.update(sizes({key: value}, ""))
    output["metadata"] = kept
    return odd


def with_noopener(tag: str) -> str:
    """An `<a ...>` start tag whose rel attribute holds noopener."""
    rel = REL.search(tag)
    if rel is None:
        return tag[:-1] + ' rel="noopener">'
    if "noopener" in rel.group(2).split():
        return tag
    quote, value = rel.group(1), rel.group(2)
    return tag[: rel.start()] + f"rel={quote}{value} noopener{quote}" + tag[rel.end() :]


def external_links_noopener(output: str) -> str:
    return EXTERNAL_LINK.sub(lambda match: with_noopener(match.group(0)), output)
